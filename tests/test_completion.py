"""Who finished a course run: the share of held meetings attended, against the programme's threshold."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sessions.completion import DEFAULT_COMPLETION_PERCENT, run_completions
from sessions.models import Attendance, Registration, Session
from tests import factories

pytestmark = pytest.mark.django_db


def make_run(*, meetings, threshold=None, cancelled=0, upcoming=0):
    run = factories.CourseRunFactory(programme__certificate_min_attendance=threshold)
    now = timezone.now()
    sessions = []
    for i in range(meetings + cancelled + upcoming):
        days = -(i + 1) * 7 if i < meetings + cancelled else (i + 1) * 7
        session = factories.SessionFactory(
            programme=run.programme,
            run=run,
            starts_at=now + timedelta(days=days),
            ends_at=now + timedelta(days=days, hours=2),
        )
        if meetings <= i < meetings + cancelled:
            session.status = Session.Status.CANCELLED
            session.cancellation_reason = "Ziek"
            session.save()
        sessions.append(session)
    return run, sessions


def enrol(run, sessions, *, present):
    registration = factories.RegistrationFactory(run=run, session=None)
    for i, session in enumerate(sessions):
        status = Attendance.Status.PRESENT if i < present else Attendance.Status.ABSENT
        Attendance.objects.create(registration=registration, session=session, status=status)
    return registration


def test_threshold_counts_only_held_meetings():
    run, sessions = make_run(meetings=10, threshold=70, cancelled=1, upcoming=2)
    held = sessions[:10]
    seven = enrol(run, held, present=7)
    six = enrol(run, held, present=6)
    # Present at a cancelled meeting (a mistake at check-in) does not count.
    cancelled = enrol(run, held, present=6)
    Attendance.objects.create(registration=cancelled, session=sessions[10], status=Attendance.Status.PRESENT)

    by_registration = {c.registration_id: c for c in run_completions()}
    assert by_registration[seven.pk].held == 10
    assert by_registration[seven.pk].attended == 7
    assert by_registration[seven.pk].completed
    assert not by_registration[six.pk].completed
    assert by_registration[cancelled.pk].attended == 6
    assert not by_registration[cancelled.pk].completed


def test_default_threshold_and_rounding_down():
    run, sessions = make_run(meetings=9)
    seven_of_nine = enrol(run, sessions, present=7)  # 77.8 %: short of 80 %
    eight_of_nine = enrol(run, sessions, present=8)
    by_registration = {c.registration_id: c for c in run_completions()}
    assert by_registration[seven_of_nine.pk].required_percent == DEFAULT_COMPLETION_PERCENT
    assert not by_registration[seven_of_nine.pk].completed
    assert by_registration[eight_of_nine.pk].completed
    assert by_registration[eight_of_nine.pk].percent == 89


def test_cancelled_enrolments_and_single_meetings_are_left_out():
    run, sessions = make_run(meetings=2)
    kept = enrol(run, sessions, present=2)
    gone = enrol(run, sessions, present=2)
    gone.status = Registration.Status.CANCELLED
    gone.cancelled_at = timezone.now()
    gone.save()
    factories.RegistrationFactory()  # a single meeting, not a run
    assert [c.registration_id for c in run_completions()] == [kept.pk]


def test_no_meeting_held_yet_means_not_completed():
    run, sessions = make_run(meetings=0, upcoming=3)
    registration = enrol(run, [], present=0)
    (completion,) = run_completions(registrations=Registration.objects.filter(pk=registration.pk))
    assert completion.held == 0 and not completion.completed and completion.percent == 0


def test_one_query_whatever_the_number_of_enrolments():
    run, sessions = make_run(meetings=3)
    for present in range(4):
        enrol(run, sessions, present=present % 4)
    with CaptureQueriesContext(connection) as queries:
        assert len(run_completions()) == 4
    assert len(queries) == 1


def test_excused_is_not_attended_and_exactly_the_threshold_is_enough():
    """Excused counts as absent: the threshold itself leaves room to miss a meeting (80 % of 10: two)."""
    run, sessions = make_run(meetings=10, threshold=80)
    exactly = enrol(run, sessions, present=8)
    excused = enrol(run, sessions, present=7)
    Attendance.objects.filter(registration=excused, session=sessions[7]).update(
        status=Attendance.Status.EXCUSED
    )
    by_registration = {c.registration_id: c for c in run_completions()}
    assert by_registration[exactly.pk].completed and by_registration[exactly.pk].percent == 80
    assert by_registration[excused.pk].attended == 7
    assert not by_registration[excused.pk].completed
