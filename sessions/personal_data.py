"""Sign-ups and attendance of a participant, for privacy.registry."""

import uuid

from django.db.models import Max
from django.utils.translation import gettext

from privacy.export_helpers import display, row, section_title

from .models import Attendance, Registration

AUDITED_MODELS = ["programme_sessions.Registration", "programme_sessions.Attendance"]


def _registrations(participant):
    return Registration.objects.filter(participant=participant).select_related(
        "session__programme", "run__programme"
    )


def export(participant):
    registrations = [
        row(
            registration,
            ["status", "source", "help_wanted", "created_at", "cancelled_at"],
            **{
                gettext("Programme"): (registration.session or registration.run).programme.name,
                gettext("Meeting or course"): registration.session.starts_at
                if registration.session_id
                else registration.run.title,
            },
        )
        for registration in _registrations(participant).order_by("created_at", "pk")
    ]
    attendance = [
        {
            gettext("Programme"): mark.session.programme.name,
            gettext("Meeting"): display(mark.session.starts_at),
            **row(mark, ["status", "walk_in", "marked_at"]),
        }
        for mark in Attendance.objects.filter(registration__participant=participant)
        .select_related("session__programme")
        .order_by("session__starts_at", "pk")
    ]
    return {section_title(Registration): registrations, section_title(Attendance): attendance}


def last_activity(participant):
    registrations = _registrations(participant).aggregate(
        created=Max("created_at"), meeting=Max("session__starts_at"), course=Max("run__sessions__starts_at")
    )
    marked = Attendance.objects.filter(registration__participant=participant).aggregate(at=Max("marked_at"))
    return max(filter(None, [*registrations.values(), marked["at"]]), default=None)


def erase(participant):
    registrations = Registration.objects.filter(participant=participant)
    registrations.exclude(help_wanted="").update(help_wanted="")
    # The personal link (it is in the person's messages) stops working: it would show what they did.
    for pk in registrations.values_list("pk", flat=True):
        Registration.objects.filter(pk=pk).update(public_id=uuid.uuid4())
