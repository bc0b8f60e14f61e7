"""Messages to and about a participant, for privacy.registry."""

from django.db import models
from django.db.models import Q

from privacy.export_helpers import row, section_title

from .models import MessageKind, OutboxMessage

AUDITED_MODELS = ["messaging.OutboxMessage"]

# Text columns that say nothing about the person; every other text column of a message is blanked
# (the address it went to, rendered text, errors that quote the number), whatever is added later.
_NEUTRAL = {"kind", "channel", "language", "status", "idempotency_key", "provider_id"}
_WAITING = [OutboxMessage.Status.PENDING, OutboxMessage.Status.QUEUED]


def _messages(participant):
    from partners.models import Referral

    # Updates to a referrer carry the name as the referrer gave it; their key starts with the referral.
    about = Q()
    for pk in Referral.objects.filter(participant=participant).values_list("pk", flat=True):
        about |= Q(
            kind=MessageKind.REFERRAL_STATUS,
            idempotency_key__startswith=f"{MessageKind.REFERRAL_STATUS}:{pk}:",
        )
    return (
        OutboxMessage.objects.filter(Q(participant=participant) | about)
        if about
        else OutboxMessage.objects.filter(participant=participant)
    )


def export(participant):
    return {
        section_title(OutboxMessage): [
            row(message, ["kind", "channel", "status", "due_at", "sent_at"])
            for message in OutboxMessage.objects.filter(participant=participant).order_by("due_at", "pk")
        ]
    }


def erase(participant):
    messages = _messages(participant)
    messages.filter(status__in=_WAITING).update(status=OutboxMessage.Status.CANCELLED)
    blank = {
        field.name: ""
        for field in OutboxMessage._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField)) and field.name not in _NEUTRAL
    }
    messages.update(context={}, **blank)
