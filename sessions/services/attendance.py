"""At the door and after the meeting: who came, who walked in, the meeting's numbers; walk-in tallies.

Marks, walk-ins and closing a meeting all take a row lock on the meeting first, so that a coordinator
closing the meeting and a colleague still marking people at the door never cross.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from people.services import participant_find_or_create

from ..checkin_selectors import session_attendance_numbers, session_expected_registrations
from ..models import Attendance, Registration, Session, WalkInVisit


class AttendanceNotPossible(Exception):
    """The mark, walk-in or close cannot be done; the message is plain words for the staff member."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# What a single-meeting registration becomes once the meeting is closed.
_REGISTRATION_STATUS = {
    Attendance.Status.PRESENT: Registration.Status.ATTENDED,
    Attendance.Status.ABSENT: Registration.Status.NO_SHOW,
    # They let us know they could not come: that is a cancellation, not a no-show.
    Attendance.Status.EXCUSED: Registration.Status.CANCELLED,
}


def _lock_session(session: Session) -> Session:
    locked = Session.objects.select_for_update(of=("self",)).select_related("programme__library", "run")
    session = locked.get(pk=session.pk)
    if session.status == Session.Status.CANCELLED:
        raise AttendanceNotPossible(_("This meeting is cancelled."))
    return session


def _belongs_to(registration: Registration, session: Session) -> bool:
    if registration.session_id is not None:
        return registration.session_id == session.pk
    return registration.run_id is not None and registration.run_id == session.run_id


@transaction.atomic
def attendance_mark(
    *, session: Session, registration: Registration, status: str, user, now=None
) -> Attendance:
    """Mark one person present, absent or excused for one meeting (again: the last mark counts)."""
    now = now or timezone.now()
    if status not in Attendance.Status.values:
        raise AttendanceNotPossible(_("Choose present, absent or excused."))
    session = _lock_session(session)
    registration = Registration.objects.get(pk=registration.pk)
    if not _belongs_to(registration, session):
        raise AttendanceNotPossible(_("This person is not signed up for this meeting."))
    attendance = Attendance.objects.filter(registration=registration, session=session).first()
    if attendance is None and registration.status == Registration.Status.CANCELLED:
        raise AttendanceNotPossible(_("This sign-up was cancelled."))
    if attendance is None:
        attendance = Attendance.objects.create(
            registration=registration, session=session, status=status, marked_at=now, marked_by=user
        )
    elif attendance.status != status:
        attendance.status, attendance.marked_at, attendance.marked_by = status, now, user
        attendance.save(update_fields=["status", "marked_at", "marked_by"])
    if session.closed_at is not None:
        # Already closed: keep the stored numbers and statuses true.
        _registration_statuses_sync(session=session, now=now, registration_ids=[registration.pk])
        _numbers_store(session)
    return attendance


@transaction.atomic
def attendance_walk_in_add(*, session: Session, name: str, user, now=None) -> Attendance:
    """Someone came without signing up: a name is enough. They are marked present at once.

    The walk-in gets a desk registration (for a course meeting: in the whole course run) and does not
    go through the capacity rules: people who came are let in, even when the meeting is full.
    """
    now = now or timezone.now()
    name = " ".join((name or "").split())
    if not name:
        raise AttendanceNotPossible(_("Give a name."))
    session = _lock_session(session)
    programme = session.programme
    if programme.is_walk_in:
        raise AttendanceNotPossible(_("Walk-in hours record no names. Count the visit on the tally page."))
    participant = participant_find_or_create(library=programme.library, name=name, registered_at_desk=True)
    participant.last_activity_at = now
    participant.save(update_fields=["last_activity_at"])
    registration = Registration.objects.create(
        participant=participant,
        session=None if session.run_id else session,
        run=session.run if session.run_id else None,
        # A course meeting: they are now in the group for the rest of the run.
        status=Registration.Status.CONFIRMED if session.run_id else Registration.Status.ATTENDED,
        source=Registration.Source.DESK,
    )
    attendance = Attendance.objects.create(
        registration=registration,
        session=session,
        status=Attendance.Status.PRESENT,
        walk_in=True,
        marked_at=now,
        marked_by=user,
    )
    if session.closed_at is not None:
        _numbers_store(session)
    return attendance


@transaction.atomic
def session_close(*, session: Session, user, now=None) -> Session:
    """After the meeting: everyone with a place who is not marked becomes absent, in one go.

    Single-meeting registrations take their status from their mark (attended, no-show; excused
    counts as cancelled). The numbers are stored on the meeting; closing again recomputes them.
    """
    now = now or timezone.now()
    session = _lock_session(session)
    if session.starts_at > now:
        raise AttendanceNotPossible(_("The meeting has not started yet."))
    unmarked = (
        session_expected_registrations(session=session)
        .filter(status=Registration.Status.CONFIRMED)
        .exclude(pk__in=Attendance.objects.filter(session=session).values("registration_id"))
        .values_list("pk", flat=True)
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                registration_id=pk,
                session=session,
                status=Attendance.Status.ABSENT,
                marked_at=now,
                marked_by=user,
            )
            for pk in unmarked
        ]
    )
    _registration_statuses_sync(session=session, now=now)
    session.closed_at = now
    _numbers_store(session, extra_fields=["closed_at"])
    return session


def _registration_statuses_sync(*, session: Session, now, registration_ids=None):
    if session.run_id:
        return  # A course run registration covers many meetings; its marks are per meeting.
    registrations = Registration.objects.filter(session=session)
    if registration_ids is not None:
        registrations = registrations.filter(pk__in=registration_ids)
    for mark, status in _REGISTRATION_STATUS.items():
        marked = registrations.filter(
            pk__in=Attendance.objects.filter(session=session, status=mark).values("registration_id")
        ).exclude(status=status)
        if status == Registration.Status.CANCELLED:
            marked.update(status=status, cancelled_at=Coalesce("cancelled_at", Value(now)), updated_at=now)
        else:
            marked.update(status=status, cancelled_at=None, updated_at=now)


def _numbers_store(session: Session, extra_fields=()):
    numbers = session_attendance_numbers(session=session)
    for name, value in numbers.items():
        setattr(session, f"count_{name}", value)
    session.save(update_fields=[*(f"count_{name}" for name in numbers), *extra_fields, "updated_at"])


# --- Walk-in hours ---------------------------------------------------------------------------------


@transaction.atomic
def walk_in_visit_record(
    *, session: Session, number_of_people: int, topics: list[str], volunteer=None, user=None
) -> WalkInVisit:
    """Count a visit at a walk-in hour: how many people, which topics, who helped. No names."""
    session = Session.objects.select_related("programme", "branch").get(pk=session.pk)
    branch_id = session.branch_id or session.programme.default_branch_id
    if branch_id is None:
        raise AttendanceNotPossible(_("This walk-in hour has no branch. Give the meeting a branch first."))
    visit = WalkInVisit(
        date=timezone.localdate(session.starts_at),
        branch_id=branch_id,
        session=session,
        programme=session.programme,
        number_of_people=number_of_people,
        topics=list(dict.fromkeys(topics)),
        volunteer=volunteer,
        created_by=user,
    )
    try:
        visit.full_clean()
    except ValidationError as error:
        raise AttendanceNotPossible(" ".join(error.messages)) from error
    visit.save()
    return visit


@transaction.atomic
def walk_in_visit_delete(*, visit: WalkInVisit) -> None:
    """Take back a visit counted by mistake."""
    visit.delete()
