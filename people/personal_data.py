"""The participant's own record and consents, for privacy.registry."""

from django.db.models import DateTimeField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from privacy.export_helpers import row, section_title

from .models import Consent, Participant

AUDITED_MODELS = ["people.Participant", "people.Consent"]


def export(participant):
    return {
        section_title(Participant): [
            row(
                participant,
                [
                    "library",
                    "name",
                    "phone",
                    "email",
                    "preferred_channel",
                    "language",
                    "registered_at_desk",
                    "created_at",
                    "last_activity_at",
                ],
            )
        ],
        section_title(Consent): [
            row(consent, ["purpose", "text", "method", "given_at", "withdrawn_at"])
            for consent in participant.consents.order_by("given_at", "pk")
        ],
    }


def last_activity(participant):
    consent = participant.consents.order_by("-given_at").values_list("given_at", flat=True).first()
    return max(filter(None, [participant.created_at, participant.last_activity_at, consent]), default=None)


def erase(participant):
    """Blank the record in one statement: no moment where it is half blank or has no way to reach."""
    now = timezone.now()
    Participant.objects.filter(pk=participant.pk).update(
        name="",
        phone="",
        email="",
        preferred_channel="",
        language="nl",
        user=None,
        anonymised_at=Coalesce("anonymised_at", Value(now, output_field=DateTimeField())),
        updated_at=now,
    )
    participant.refresh_from_db()
