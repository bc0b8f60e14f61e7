"""Reads for the day of a meeting: who is expected at the door, the meeting's numbers, walk-in tallies."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F, FilteredRelation, Q, Value
from django.db.models.functions import Coalesce, Lower

from .models import Attendance, Registration, Session, SessionRole, WalkInVisit

# Who is on the check-in list: people with a place or on the waiting list, and after the meeting
# was closed also those whose status came from their attendance.
LISTED_STATUSES = (
    Registration.Status.CONFIRMED,
    Registration.Status.WAITLISTED,
    Registration.Status.ATTENDED,
    Registration.Status.NO_SHOW,
)


def session_target_registrations(*, session: Session):
    """The registrations that count for a meeting: its own, or for a course meeting those of its run."""
    if session.run_id:
        return Registration.objects.filter(run_id=session.run_id)
    return Registration.objects.filter(session=session)


def session_expected_registrations(*, session: Session):
    """Who could be expected: signed up before the meeting ended (a later course sign-up is not)."""
    return session_target_registrations(session=session).filter(created_at__lt=session.ends_at)


def _marked_at(session):
    return Attendance.objects.filter(session=session).values("registration_id")


@dataclass
class CheckInOverview:
    rows: list
    present: int = 0
    absent: int = 0
    excused: int = 0
    unmarked: int = 0
    walk_ins: int = 0
    waitlisted: int = 0
    expected: int = 0
    unmarked_rows: list = field(default_factory=list)


def checkin_rows(*, session: Session) -> list[Registration]:
    """Everyone on the door list of a meeting, by name, each with their mark for this meeting.

    One query, whatever the number of people: the mark comes from a join restricted to this meeting
    (`attendance_status`, `walked_in`; None/False when not marked yet).
    """
    return list(
        session_target_registrations(session=session)
        .annotate(mark=FilteredRelation("attendances", condition=Q(attendances__session=session)))
        .filter(Q(status__in=LISTED_STATUSES, created_at__lt=session.ends_at) | Q(mark__id__isnull=False))
        .annotate(attendance_status=F("mark__status"), walked_in=Coalesce(F("mark__walk_in"), Value(False)))
        .select_related("participant")
        .order_by(Lower("participant__name"), "pk")
    )


def checkin_overview(*, session: Session) -> CheckInOverview:
    """The door list with its counts, counted from the same rows (no extra queries)."""
    rows = checkin_rows(session=session)
    overview = CheckInOverview(rows=rows)
    labels = dict(Attendance.Status.choices)
    for row in rows:
        status = row.attendance_status
        row.attendance_label = labels.get(status, "")
        if status == Attendance.Status.PRESENT:
            overview.present += 1
            overview.walk_ins += row.walked_in
        elif status == Attendance.Status.ABSENT:
            overview.absent += 1
        elif status == Attendance.Status.EXCUSED:
            overview.excused += 1
        elif row.status == Registration.Status.WAITLISTED:
            overview.waitlisted += 1
        else:
            overview.unmarked += 1
            overview.unmarked_rows.append(row)
        if not row.walked_in and (row.status != Registration.Status.WAITLISTED or status):
            overview.expected += 1
    return overview


def session_attendance_numbers(*, session: Session) -> dict[str, int]:
    """A meeting's numbers, counted from the attendance rows and registrations in the database.

    - registered: people with a place (signed up before the meeting ended) or marked, who did not
      walk in;
    - present: everyone marked present, walk-ins included;
    - walk_ins: present people who came without signing up;
    - no_show: people with a place marked absent (excused people are not no-shows).
    """
    marks = Attendance.objects.filter(session=session)
    walk_in_ids = marks.filter(walk_in=True).values("registration_id")
    registered = (
        session_target_registrations(session=session)
        .filter(
            Q(status__in=Registration.SEATED, created_at__lt=session.ends_at)
            | Q(pk__in=marks.values("registration_id"))
        )
        .exclude(pk__in=walk_in_ids)
        .count()
    )
    counts = Counter(marks.values_list("status", "walk_in"))
    return {
        "registered": registered,
        "present": counts[(Attendance.Status.PRESENT, False)] + counts[(Attendance.Status.PRESENT, True)],
        "walk_ins": counts[(Attendance.Status.PRESENT, True)],
        "no_show": counts[(Attendance.Status.ABSENT, False)],
    }


# --- Walk-in hours: counted visits, no personal data --------------------------------------------------


def walk_in_totals(*, library=None, start=None, end=None) -> dict:
    """Visits, people and per-topic counts of walk-in hours, for reports.

    `library` is a library organisation (or its pk); `start` and `end` are dates, both included.
    Per topic: the visits in which it was ticked, and the people in those visits. A visit can tick
    several topics, so the topic numbers do not add up to the totals.
    """
    visits = WalkInVisit.objects.all()
    if library is not None:
        visits = visits.filter(branch__library=library)
    if start is not None:
        visits = visits.filter(date__gte=start)
    if end is not None:
        visits = visits.filter(date__lte=end)
    return _totals(visits.values_list("number_of_people", "topics").iterator())


def _totals(rows) -> dict:
    labels = dict(WalkInVisit.Topic.choices)
    topics = {code: {"label": labels[code], "visits": 0, "people": 0} for code in labels}
    totals = {"visits": 0, "people": 0, "topics": topics}
    for people, codes in rows:
        totals["visits"] += 1
        totals["people"] += people
        for code in codes or []:
            if code in topics:
                topics[code]["visits"] += 1
                topics[code]["people"] += people
    return totals


def walk_in_tally_for_session(*, session: Session) -> dict:
    """The visits counted at one walk-in hour (`entries`, newest first) with their totals."""
    visits = list(session.walk_in_visits.select_related("volunteer").order_by("-created_at", "-pk"))
    totals = _totals((visit.number_of_people, visit.topics) for visit in visits)
    return {"entries": visits, **totals}


def walk_in_volunteer_on_duty(*, session: Session, visits=None):
    """Who is counting: the volunteer of the last visit counted, else the meeting's only volunteer."""
    for visit in visits or []:
        if visit.volunteer_id:
            return visit.volunteer
    roles = list(
        SessionRole.objects.filter(
            session=session, role__in=[SessionRole.Role.VOLUNTEER, SessionRole.Role.HOST]
        ).select_related("worker")[:2]
    )
    return roles[0].worker if len(roles) == 1 else None
