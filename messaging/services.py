from django.db import transaction
from django.utils import timezone

from people.models import ContactChannel

from .models import OutboxMessage


def _channel_for(participant):
    """The channel a message can actually use: the person's preference when it is reachable."""
    preferred = participant.preferred_channel
    if preferred == ContactChannel.EMAIL and participant.email:
        return ContactChannel.EMAIL
    if preferred in (ContactChannel.SMS, ContactChannel.WHATSAPP) and participant.phone:
        return preferred
    if participant.phone:
        # A phone call cannot be automated: a text message reaches the same phone.
        return ContactChannel.SMS
    if participant.email:
        return ContactChannel.EMAIL
    return None


@transaction.atomic
def message_record(*, kind, registration, key_suffix="", due_at=None, context=None):
    """Record that a message about a registration must be sent. Idempotent per key.

    Returns the message, or None when the person left no way to reach them (signed up at the desk).
    """
    participant = registration.participant
    channel = _channel_for(participant)
    if channel is None:
        return None
    key = f"{kind}:{registration.public_id}{':' + key_suffix if key_suffix else ''}"
    message, _created = OutboxMessage.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "library": participant.library,
            "participant": participant,
            "registration": registration,
            "kind": kind,
            "channel": channel,
            "language": participant.language,
            "context": context or {},
            "due_at": due_at or timezone.now(),
        },
    )
    return message
