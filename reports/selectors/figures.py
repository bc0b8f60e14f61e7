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
from datetime import datetime

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sessions.completion import run_completions
from sessions.models import Attendance, CourseRun, Registration, Session, WalkInVisit

from .rollup import rollup
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
    """A month truncated in SQL; through a raw cursor it is a naive local timestamp, not converted
    (SQLite gives it as text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return (value if timezone.is_naive(value) else timezone.localtime(value)).date().replace(day=1)


def session_counts(scope: ReportScope, now):
    """{programme id: {held, cancelled, planned}}."""
    rows = (
        scoped_sessions(scope)
        .values("programme_id")
        .annotate(
            held=Count("pk", filter=held_filter(now)),
            cancelled=Count("pk", filter=Q(status=CANCELLED)),
            planned=Count("pk", filter=Q(starts_at__gte=now) & ~Q(status=CANCELLED)),
        )
        .order_by()
    )
    return {row["programme_id"]: row for row in rows}


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


# ATTENDANCE_COUNTS, and the people who came, over the rows of attendance_counts() (for the rollup).
ATTENDANCE_SQL = {
    "present": ('COUNT(*) FILTER (WHERE "status" = %s)', [PRESENT.value]),
    "walk_ins": ('COUNT(*) FILTER (WHERE "status" = %s AND "walk_in")', [PRESENT.value]),
    "present_signed_up": ('COUNT(*) FILTER (WHERE "status" = %s AND NOT "walk_in")', [PRESENT.value]),
    "no_show": ('COUNT(*) FILTER (WHERE "status" = %s AND NOT "walk_in")', [ABSENT.value]),
    "excused": ('COUNT(*) FILTER (WHERE "status" = %s)', [EXCUSED.value]),
    "came": ('COUNT(DISTINCT "participant_id") FILTER (WHERE "status" = %s)', [PRESENT.value]),
}


def attendance_counts(scope: ReportScope, now):
    """({(programme id, month): present}, {programme id: counts and came}, people who came in all).

    One pass over the marks for all three (rollup); "came" per month is counted too, and not used.
    """
    rows = attendance_marks(scope, now).values(
        "status",
        "walk_in",
        programme_id=F("session__programme_id"),
        month=TruncMonth("session__starts_at"),
        participant_id=F("registration__participant_id"),
    )
    monthly, per_programme, total = {}, {}, 0
    for level, row in rollup(rows, ["programme_id", "month"], ATTENDANCE_SQL):
        if level == 2:
            monthly[(row["programme_id"], _month(row["month"]))] = row["present"]
        elif level == 1:
            per_programme[row["programme_id"]] = row
        else:
            total = row["came"]
    return monthly, per_programme, total


def registration_rows(scope: ReportScope):
    """(status, participant, programme) of the registrations for a meeting of the report that was not
    cancelled, or for a course run with one.

    A registration is for a meeting or for a course run, never both (registration_session_or_run): as
    two parts added up, each finds its rows by its own index instead of one scan of all registrations.
    """
    sessions = scoped_sessions(scope).exclude(status=CANCELLED)
    parts = [
        Registration.objects.filter(session__in=sessions.values("pk")).annotate(
            programme_id=F("session__programme_id")
        ),
        Registration.objects.filter(run__in=sessions.filter(run__isnull=False).values("run_id")).annotate(
            programme_id=F("run__programme_id")
        ),
    ]
    if scope.partner_id:
        referred = referred_by_partner(scope, participant="participant", programme="programme_id")
        parts = [part.filter(referred) for part in parts]
    first, second = (part.values("status", "participant_id", "programme_id").order_by() for part in parts)
    return first.union(second, all=True)


SEATED = [status.value for status in Registration.SEATED]
SEATED_SQL = f'"status" IN ({", ".join(["%s"] * len(SEATED))})'
REGISTRATION_SQL = {
    "registrations": (f"COUNT(*) FILTER (WHERE {SEATED_SQL})", SEATED),
    "waitlisted": ('COUNT(*) FILTER (WHERE "status" = %s)', [Registration.Status.WAITLISTED.value]),
    "registrations_cancelled": (
        'COUNT(*) FILTER (WHERE "status" = %s)',
        [Registration.Status.CANCELLED.value],
    ),
    "reached": (f'COUNT(DISTINCT "participant_id") FILTER (WHERE {SEATED_SQL})', SEATED),
}


def registration_counts(scope: ReportScope):
    """({programme id: counts}, counts over everything (people counted once)), in one pass (rollup)."""
    rows = registration_rows(scope)
    per_programme, totals = {}, dict.fromkeys(REGISTRATION_SQL, 0)
    for level, row in rollup(rows, ["programme_id"], REGISTRATION_SQL):
        if level:
            per_programme[row["programme_id"]] = row
        else:
            totals = row
    return per_programme, totals


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
