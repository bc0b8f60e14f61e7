"""What the appointments app holds about a participant (subject access and erasure)."""

from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Appointment


def export(participant) -> dict[str, list[dict[str, str]]]:
    rows = []
    appointments = Appointment.objects.filter(participant=participant).select_related(
        "slot__block__coach__worker", "slot__block__branch", "slot__block__partner_site__partner"
    )
    for appointment in appointments.order_by("slot__starts_at"):
        block = appointment.slot.block
        rows.append(
            {
                _("When"): date_format(timezone.localtime(appointment.slot.starts_at), "l j F Y, H:i"),
                _("Where"): str(block.place),
                _("With"): block.coach.public_title,
                _("Wants to work on"): appointment.topic,
                _("Status"): appointment.get_status_display(),
                _("Booked via"): appointment.get_source_display(),
            }
        )
    return {_("Appointments with a coach"): rows} if rows else {}


def erase(participant) -> None:
    """The free text goes; the appointment rows stay so that the coach's numbers stay right."""
    Appointment.objects.filter(participant=participant).exclude(topic="").update(topic="")


def last_activity(participant):
    """A booking counts as activity until the appointment itself has passed."""
    latest = Appointment.objects.filter(participant=participant).aggregate(
        booked=Max("created_at"), held=Max("slot__starts_at")
    )
    return max(filter(None, latest.values()), default=None)
