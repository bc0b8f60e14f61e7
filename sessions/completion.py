"""Who finished a course run or reading circle: attended at least a set share of its held meetings.

One definition for the reports ("how many finished") and for certificates (who may get one).
"""

from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Attendance, Registration, Session

# When a programme sets no certificate threshold, "finished" means this share of the meetings.
DEFAULT_COMPLETION_PERCENT = 80


@dataclass(frozen=True)
class Completion:
    registration_id: int
    run_id: int
    participant_id: int
    attended: int
    held: int
    required_percent: int

    @property
    def percent(self):
        return round(100 * self.attended / self.held) if self.held else 0

    @property
    def completed(self):
        # Integer arithmetic: 7 of 9 meetings is 77.7 %, short of 80 %.
        return self.held > 0 and self.attended * 100 >= self.required_percent * self.held


def held_sessions(*, now=None):
    """Meetings that took place: not cancelled, and started before now."""
    return Session.objects.exclude(status=Session.Status.CANCELLED).filter(
        starts_at__lt=now or timezone.now()
    )


def run_completions(*, registrations=None, now=None):
    """A Completion for every enrolment (not cancelled) in a course run, in one query.

    ``registrations`` narrows the enrolments (a queryset of Registration); held meetings are counted
    per run, attended meetings per enrolment (present, at a held meeting of that run).
    """
    now = now or timezone.now()
    held = held_sessions(now=now)
    held_per_run = (
        held.filter(run=OuterRef("run")).order_by().values("run").annotate(n=Count("pk")).values("n")
    )
    queryset = registrations if registrations is not None else Registration.objects.all()
    rows = (
        queryset.filter(run__isnull=False)
        .exclude(status=Registration.Status.CANCELLED)
        .annotate(
            held=Coalesce(Subquery(held_per_run, output_field=IntegerField()), 0),
            attended=Count(
                "attendances",
                filter=Q(
                    attendances__status=Attendance.Status.PRESENT,
                    attendances__session__run=F("run"),
                    attendances__session__starts_at__lt=now,
                )
                & ~Q(attendances__session__status=Session.Status.CANCELLED),
            ),
        )
        .values(
            "pk", "run_id", "participant_id", "held", "attended", "run__programme__certificate_min_attendance"
        )
        .order_by("run_id", "pk")
    )
    return [
        Completion(
            registration_id=row["pk"],
            run_id=row["run_id"],
            participant_id=row["participant_id"],
            attended=row["attended"],
            held=row["held"],
            required_percent=row["run__programme__certificate_min_attendance"] or DEFAULT_COMPLETION_PERCENT,
        )
        for row in rows
    ]
