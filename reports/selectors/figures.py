"""The report's figures, counted with aggregate queries: a fixed number of queries however much data.

Definitions (shown on the report page in plain words):
- meetings held: not cancelled and started before now; cancelled: status cancelled;
- sign-ups: registrations with a place (confirmed, attended or did not come) for a meeting in the
  period that was not cancelled, or for a course run with such a meeting;
- reached: different people with such a place, each counted once;
- present: attendance marks "present" at held meetings (walk-ins included); walk-ins: of those, people
  who came without signing up; no-shows: people with a place marked absent (excused is not a no-show);
- no-show rate: no-shows / (no-shows + people with a place marked present);
- finished: people who attended enough of a course run (sessions.completion.run_completions) whose
  last meeting took place in the period and that has no meetings to come.
"""

from collections import defaultdict

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from sessions.completion import run_completions
from sessions.models import Attendance, CourseRun, Registration, Session, WalkInVisit

from .scope import ReportScope, held_filter, referred_by_partner, scoped_sessions

CANCELLED = Session.Status.CANCELLED
PRESENT, ABSENT, EXCUSED = Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED

SESSION_KEYS = ("held", "cancelled", "planned")
ATTENDANCE_KEYS = ("present", "walk_ins", "no_show", "excused", "present_signed_up")
REGISTRATION_KEYS = ("registrations", "waitlisted", "registrations_cancelled", "reached")
FIGURE_KEYS = (
    *SESSION_KEYS,
    *REGISTRATION_KEYS,
    "came",
    *ATTENDANCE_KEYS,
    "finished",
    "walk_in_visits",
    "walk_in_people",
)


def no_show_rate(figures):
    """Percentage (one decimal) of people with a place, marked at a held meeting, who did not come."""
    base = figures.get("no_show", 0) + figures.get("present_signed_up", 0)
    return round(100 * figures["no_show"] / base, 1) if base else None


def _month(value):
    return timezone.localtime(value).date().replace(day=1) if value else None


def session_counts(scope: ReportScope, now):
    """{(programme id, month): {held, cancelled, planned}}."""
    rows = (
        scoped_sessions(scope)
        .annotate(month=TruncMonth("starts_at"))
        .values("programme_id", "month")
        .annotate(
            held=Count("pk", filter=held_filter(now)),
            cancelled=Count("pk", filter=Q(status=CANCELLED)),
            planned=Count("pk", filter=Q(starts_at__gte=now) & ~Q(status=CANCELLED)),
        )
        .order_by()
    )
    return {(row["programme_id"], _month(row["month"])): row for row in rows}


def attendance_marks(scope: ReportScope, now):
    """Attendance marks at the held meetings of the report (narrowed to a partner's people)."""
    marks = Attendance.objects.filter(
        session__in=scoped_sessions(scope).filter(held_filter(now)).values("pk")
    )
    if scope.partner_id:
        marks = marks.filter(
            referred_by_partner(
                scope, participant="registration__participant", programme="session__programme"
            )
        )
    return marks


ATTENDANCE_COUNTS = {
    "present": Count("pk", filter=Q(status=PRESENT)),
    "walk_ins": Count("pk", filter=Q(status=PRESENT, walk_in=True)),
    "present_signed_up": Count("pk", filter=Q(status=PRESENT, walk_in=False)),
    "no_show": Count("pk", filter=Q(status=ABSENT, walk_in=False)),
    "excused": Count("pk", filter=Q(status=EXCUSED)),
}
CAME = Count("registration__participant_id", distinct=True, filter=Q(status=PRESENT))


def attendance_counts(scope: ReportScope, now):
    """({(programme id, month): counts}, {programme id: people who came}, people who came in all)."""
    marks = attendance_marks(scope, now)
    by_month = (
        marks.annotate(month=TruncMonth("session__starts_at"), programme_id=F("session__programme_id"))
        .values("programme_id", "month")
        .annotate(**ATTENDANCE_COUNTS)
        .order_by()
    )
    came = marks.values(programme_id=F("session__programme_id")).annotate(came=CAME).order_by()
    total = marks.aggregate(came=CAME)["came"]
    return (
        {(row["programme_id"], _month(row["month"])): row for row in by_month},
        {row["programme_id"]: row["came"] for row in came},
        total,
    )


def scoped_registrations(scope: ReportScope):
    """Registrations for a meeting of the report that was not cancelled, or for a course run with one."""
    sessions = scoped_sessions(scope).exclude(status=CANCELLED)
    registrations = Registration.objects.filter(
        Q(session__in=sessions.values("pk")) | Q(run__in=sessions.filter(run__isnull=False).values("run_id"))
    ).annotate(programme_id=Coalesce("session__programme_id", "run__programme_id"))
    if scope.partner_id:
        registrations = registrations.filter(
            referred_by_partner(scope, participant="participant", programme="programme_id")
        )
    return registrations


SEATED = Q(status__in=Registration.SEATED)
REGISTRATION_COUNTS = {
    "registrations": Count("pk", filter=SEATED),
    "waitlisted": Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
    "registrations_cancelled": Count("pk", filter=Q(status=Registration.Status.CANCELLED)),
    "reached": Count("participant_id", distinct=True, filter=SEATED),
}


def registration_counts(scope: ReportScope):
    """({programme id: counts}, counts over everything (people counted once))."""
    registrations = scoped_registrations(scope)
    rows = registrations.values("programme_id").annotate(**REGISTRATION_COUNTS).order_by()
    return {row["programme_id"]: row for row in rows}, registrations.aggregate(**REGISTRATION_COUNTS)


def finished_runs(scope: ReportScope, now):
    """Course runs of the report that are over: last meeting in the period, none still to come."""
    to_come = Session.objects.filter(run=OuterRef("pk"), starts_at__gte=now).exclude(status=CANCELLED)
    return (
        CourseRun.objects.filter(pk__in=scoped_sessions(scope, period=False).values("run_id"))
        .annotate(last=Max("sessions__starts_at", filter=~Q(sessions__status=CANCELLED)))
        .filter(last__gte=scope.start, last__lt=min(scope.end, now))
        .exclude(Exists(to_come))
    )


def finished_people(scope: ReportScope, now):
    """({programme id: people who finished}, people who finished in all); each person counted once."""
    runs = dict(finished_runs(scope, now).values_list("pk", "programme_id"))
    registrations = Registration.objects.filter(run__in=list(runs))
    if scope.partner_id:
        registrations = registrations.filter(
            referred_by_partner(scope, participant="participant", programme="run__programme")
        )
    per_programme = defaultdict(set)
    for completion in run_completions(registrations=registrations, now=now) if runs else []:
        if completion.completed:
            per_programme[runs[completion.run_id]].add(completion.participant_id)
    everyone = set().union(*per_programme.values()) if per_programme else set()
    return {key: len(people) for key, people in per_programme.items()}, len(everyone)


def walk_in_counts(scope: ReportScope):
    """{programme id: {visits, people}} of walk-in hour tallies; None with a partner (tallies name none)."""
    if scope.partner_id:
        return None
    visits = WalkInVisit.objects.filter(date__gte=scope.date_from, date__lte=scope.date_to)
    if scope.library_ids is not None:
        visits = visits.filter(branch__library_id__in=scope.library_ids)
    if scope.programme_id:
        visits = visits.filter(programme_id=scope.programme_id)
    if scope.branch_id:
        visits = visits.filter(branch_id=scope.branch_id)
    rows = (
        visits.values("programme_id").annotate(visits=Count("pk"), people=Sum("number_of_people")).order_by()
    )
    return {row["programme_id"]: row for row in rows}
