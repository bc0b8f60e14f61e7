"""Check-in at the door: marks, walk-ins, closing a meeting and its stored numbers, the admin pages."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from messaging.models import OutboxMessage
from people.models import Participant
from portal.staff_groups import staff_groups_ensure
from programmes.models import LibraryMembership
from sessions.models import Attendance, Registration, Session
from sessions.services import (
    AttendanceNotPossible,
    attendance_mark,
    attendance_walk_in_add,
    session_close,
)
from tests import factories

pytestmark = pytest.mark.django_db

PRESENT, ABSENT, EXCUSED = Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED


def started(minutes=30, **kwargs):
    """A meeting that started `minutes` ago and lasts 90 minutes."""
    start = timezone.now() - timedelta(minutes=minutes)
    return factories.SessionFactory(starts_at=start, ends_at=start + timedelta(minutes=90), **kwargs)


def check_in_url(session):
    return reverse("admin:programme_sessions_session_check_in", args=[session.pk])


def present_count(response):
    match = re.search(r'id="present-count">(\d+)<', response.content.decode())
    assert match, "the present count is not at the top of the page"
    return int(match.group(1))


@pytest.fixture
def meeting(programme, branch):
    return started(programme=programme, branch=branch, capacity=10)


@pytest.fixture
def user(superuser):
    return superuser


def numbers_from_raw_rows(session):
    """The meeting's numbers counted straight from the rows, independently of the selectors."""
    marks = Attendance.objects.filter(session=session)
    walk_in_registrations = set(marks.filter(walk_in=True).values_list("registration_id", flat=True))
    target = Registration.objects.filter(run=session.run) if session.run_id else session.registrations.all()
    registered = {
        registration.pk
        for registration in target
        if registration.pk not in walk_in_registrations
        and (
            (registration.status in Registration.SEATED and registration.created_at < session.ends_at)
            or marks.filter(registration=registration).exists()
        )
    }
    return {
        "registered": len(registered),
        "present": sum(1 for mark in marks if mark.status == PRESENT),
        "walk_ins": sum(1 for mark in marks if mark.status == PRESENT and mark.walk_in),
        "no_show": sum(1 for mark in marks if mark.status == ABSENT and not mark.walk_in),
    }


def stored_numbers(session):
    session.refresh_from_db()
    return {
        "registered": session.count_registered,
        "present": session.count_present,
        "walk_ins": session.count_walk_ins,
        "no_show": session.count_no_show,
    }


# --- Services --------------------------------------------------------------------------------------


def test_marking_twice_keeps_one_row_with_the_last_mark(meeting, user):
    registration = factories.RegistrationFactory(session=meeting)
    attendance_mark(session=meeting, registration=registration, status=PRESENT, user=user)
    attendance_mark(session=meeting, registration=registration, status=EXCUSED, user=user)
    mark = Attendance.objects.get()
    assert (mark.registration, mark.session, mark.status, mark.marked_by) == (
        registration,
        meeting,
        EXCUSED,
        user,
    )
    # Marks before closing do not touch the registration yet.
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_marking_someone_of_another_meeting_or_a_cancelled_sign_up_is_refused(meeting, programme, user):
    other = factories.RegistrationFactory(session=started(programme=programme))
    with pytest.raises(AttendanceNotPossible):
        attendance_mark(session=meeting, registration=other, status=PRESENT, user=user)
    cancelled = factories.RegistrationFactory(
        session=meeting, status=Registration.Status.CANCELLED, cancelled_at=timezone.now()
    )
    with pytest.raises(AttendanceNotPossible):
        attendance_mark(session=meeting, registration=cancelled, status=PRESENT, user=user)
    with pytest.raises(AttendanceNotPossible):
        attendance_mark(
            session=meeting,
            registration=factories.RegistrationFactory(session=meeting),
            status="x",
            user=user,
        )
    assert not Attendance.objects.exists()


def test_walk_in_with_a_name_only_even_when_the_meeting_is_full(programme, branch, user):
    full = started(programme=programme, branch=branch, capacity=1)
    factories.RegistrationFactory(session=full)

    attendance = attendance_walk_in_add(session=full, name="  Jan  ", user=user)

    assert (attendance.status, attendance.walk_in, attendance.marked_by) == (PRESENT, True, user)
    registration = attendance.registration
    assert (registration.session, registration.run) == (full, None)
    assert registration.status == Registration.Status.ATTENDED
    assert registration.source == Registration.Source.DESK
    participant = registration.participant
    assert (participant.name, participant.registered_at_desk) == ("Jan", True)
    assert (participant.phone, participant.email) == ("", "")
    assert participant.library == programme.library
    assert participant.consents.count() == 0
    assert not OutboxMessage.objects.filter(registration=registration).exists()


def test_walk_in_needs_a_name_and_is_not_for_walk_in_hours(meeting, library, user):
    with pytest.raises(AttendanceNotPossible):
        attendance_walk_in_add(session=meeting, name="   ", user=user)
    walk_in_hour = started(programme=factories.ProgrammeFactory(library=library, walk_in=True), capacity=None)
    with pytest.raises(AttendanceNotPossible):
        attendance_walk_in_add(session=walk_in_hour, name="Jan", user=user)
    assert not Participant.objects.exists()


def test_nothing_to_mark_at_a_cancelled_meeting(programme, user):
    cancelled = started(programme=programme, status=Session.Status.CANCELLED, cancellation_reason="Ziek")
    registration = factories.RegistrationFactory(session=cancelled)
    with pytest.raises(AttendanceNotPossible):
        attendance_mark(session=cancelled, registration=registration, status=PRESENT, user=user)
    with pytest.raises(AttendanceNotPossible):
        session_close(session=cancelled, user=user)


def test_session_close_stores_exactly_the_numbers_counted_from_raw_rows(meeting, user):
    came = factories.RegistrationFactory.create_batch(2, session=meeting)
    excused = factories.RegistrationFactory(session=meeting)
    marked_absent = factories.RegistrationFactory(session=meeting)
    not_marked = factories.RegistrationFactory(session=meeting)
    waiting = factories.RegistrationFactory(session=meeting, status=Registration.Status.WAITLISTED)
    waiting_came = factories.RegistrationFactory(session=meeting, status=Registration.Status.WAITLISTED)
    cancelled = factories.RegistrationFactory(
        session=meeting, status=Registration.Status.CANCELLED, cancelled_at=timezone.now()
    )
    for registration in came:
        attendance_mark(session=meeting, registration=registration, status=PRESENT, user=user)
    attendance_mark(session=meeting, registration=excused, status=EXCUSED, user=user)
    attendance_mark(session=meeting, registration=marked_absent, status=ABSENT, user=user)
    attendance_mark(session=meeting, registration=waiting_came, status=PRESENT, user=user)
    walk_ins = [attendance_walk_in_add(session=meeting, name=name, user=user) for name in ("Ali", "Bea")]

    session_close(session=meeting, user=user)

    assert stored_numbers(meeting) == numbers_from_raw_rows(meeting)
    assert stored_numbers(meeting) == {"registered": 6, "present": 5, "walk_ins": 2, "no_show": 2}
    assert meeting.closed_at is not None
    assert Attendance.objects.get(registration=not_marked).status == ABSENT
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert [statuses[r.pk] for r in came] == ["attended", "attended"]
    assert statuses[waiting_came.pk] == "attended"
    assert statuses[marked_absent.pk] == statuses[not_marked.pk] == "no_show"
    assert statuses[excused.pk] == "cancelled"
    assert Registration.objects.get(pk=excused.pk).cancelled_at is not None
    assert statuses[waiting.pk] == "waitlisted"
    assert statuses[cancelled.pk] == "cancelled"
    assert all(statuses[w.registration_id] == "attended" for w in walk_ins)
    assert not Attendance.objects.filter(registration__in=[waiting, cancelled]).exists()

    # A mark changed after closing, and closing again: the numbers follow the rows.
    attendance_mark(session=meeting, registration=not_marked, status=PRESENT, user=user)
    assert stored_numbers(meeting) == numbers_from_raw_rows(meeting)
    assert stored_numbers(meeting)["no_show"] == 1
    first_close = meeting.closed_at
    session_close(session=meeting, user=user)
    assert stored_numbers(meeting) == numbers_from_raw_rows(meeting)
    assert stored_numbers(meeting) == {"registered": 6, "present": 6, "walk_ins": 2, "no_show": 1}
    assert meeting.closed_at >= first_close
    assert Registration.objects.get(pk=not_marked.pk).status == "attended"
    assert Attendance.objects.filter(session=meeting).count() == 8


def test_closing_before_the_start_is_refused(programme, user):
    upcoming = factories.SessionFactory(programme=programme)
    factories.RegistrationFactory(session=upcoming)
    with pytest.raises(AttendanceNotPossible):
        session_close(session=upcoming, user=user)
    assert not Attendance.objects.exists()


def test_course_run_registrations_get_one_attendance_per_meeting(course_programme, branch, user):
    run = factories.CourseRunFactory(programme=course_programme, capacity=2)
    first = started(minutes=60 * 24 * 7, programme=course_programme, run=run, branch=branch)
    second = started(programme=course_programme, run=run, branch=branch)
    anna, bert = (factories.RegistrationFactory(session=None, run=run) for _ in range(2))
    # They signed up before the course began.
    Registration.objects.filter(run=run).update(created_at=first.starts_at - timedelta(days=7))

    attendance_mark(session=first, registration=anna, status=PRESENT, user=user)
    session_close(session=first, user=user)
    attendance_mark(session=second, registration=anna, status=ABSENT, user=user)
    attendance_mark(session=second, registration=bert, status=PRESENT, user=user)
    walk_in = attendance_walk_in_add(session=second, name="Cem", user=user)
    session_close(session=second, user=user)

    # Cem joined the run at the second meeting: the first one's numbers and list stay as they were,
    # also when it is closed again.
    session_close(session=first, user=user)
    marks = {(a.registration_id, a.session_id): a.status for a in Attendance.objects.all()}
    assert marks == {
        (anna.pk, first.pk): PRESENT,
        (bert.pk, first.pk): ABSENT,
        (anna.pk, second.pk): ABSENT,
        (bert.pk, second.pk): PRESENT,
        (walk_in.registration_id, second.pk): PRESENT,
    }
    # A course walk-in joins the run (over its capacity: they came), not just this meeting.
    assert (walk_in.registration.run, walk_in.registration.session) == (run, None)
    assert walk_in.registration.status == Registration.Status.CONFIRMED
    # Run registrations keep their status: the marks are per meeting.
    assert set(run.registrations.values_list("status", flat=True)) == {"confirmed"}
    for session in (first, second):
        assert stored_numbers(session) == numbers_from_raw_rows(session)
    assert stored_numbers(first) == {"registered": 2, "present": 1, "walk_ins": 0, "no_show": 1}
    assert stored_numbers(second) == {"registered": 2, "present": 2, "walk_ins": 1, "no_show": 1}


# --- The check-in page -----------------------------------------------------------------------------


def test_check_in_page_lists_people_and_counts_present_at_the_top(english_staff_client, meeting):
    anna = factories.RegistrationFactory(session=meeting, participant__name="Anna Jansen")
    factories.RegistrationFactory(session=meeting, participant__name="Bert de Boer")
    factories.RegistrationFactory(
        session=meeting, participant__name="Chris Waits", status=Registration.Status.WAITLISTED
    )
    factories.RegistrationFactory(
        session=meeting,
        participant__name="Dirk Cancelled",
        status=Registration.Status.CANCELLED,
        cancelled_at=timezone.now(),
    )
    url = check_in_url(meeting)

    response = english_staff_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert present_count(response) == 0
    for name in ("Anna Jansen", "Bert de Boer", "Chris Waits"):
        assert name in html
    assert "Dirk Cancelled" not in html
    assert "waiting list" in html
    assert html.index("present-count") < html.index("Anna Jansen")

    response = english_staff_client.post(
        url, {"action": "mark", "registration": anna.pk, "status": "present"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url}#person-{anna.pk}"
    page = english_staff_client.get(url)
    assert present_count(page) == 1
    assert re.search(
        rf'id="person-{anna.pk}".*?value="present"[^>]*aria-pressed="true"', page.content.decode(), re.S
    )


def test_walk_in_from_the_page_with_a_name_only(english_staff_client, meeting):
    url = check_in_url(meeting)
    response = english_staff_client.post(url, {"action": "walk_in", "walk_in-name": "Fatima"})
    attendance = Attendance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{url}#person-{attendance.registration_id}"
    assert attendance.registration.participant.name == "Fatima"
    assert attendance.registration.participant.registered_at_desk is True
    assert present_count(english_staff_client.get(url)) == 1

    empty = english_staff_client.post(url, {"action": "walk_in", "walk_in-name": ""})
    assert empty.status_code == 200
    assert "This field is required." in empty.content.decode()
    assert Attendance.objects.count() == 1


def test_closing_from_the_page_has_a_confirmation_step(english_staff_client, meeting):
    waiting_for = factories.RegistrationFactory(session=meeting, participant__name="Gerrit Laat")
    url = check_in_url(meeting)

    confirm = english_staff_client.get(url, {"step": "close"})
    assert confirm.status_code == 200
    assert "Gerrit Laat" in confirm.content.decode()
    assert "Yes, close the meeting" in confirm.content.decode()
    assert not Attendance.objects.exists()

    unconfirmed = english_staff_client.post(url, {"action": "close"})
    assert unconfirmed["Location"] == f"{url}?step=close"
    assert not Attendance.objects.exists()

    done = english_staff_client.post(url, {"action": "close", "confirmed": "yes"})
    assert done.status_code == 302
    assert Attendance.objects.get(registration=waiting_for).status == ABSENT
    meeting.refresh_from_db()
    assert (meeting.count_registered, meeting.count_present, meeting.count_no_show) == (1, 0, 1)
    assert "Stored numbers" in english_staff_client.get(url).content.decode()


def test_no_close_button_before_the_start(english_staff_client, programme):
    upcoming = factories.SessionFactory(programme=programme)
    html = english_staff_client.get(check_in_url(upcoming)).content.decode()
    assert "You can close the meeting once it has started." in html
    assert "mark the rest as not come" not in html
    response = english_staff_client.post(check_in_url(upcoming), {"action": "close", "confirmed": "yes"})
    assert response.status_code == 302
    assert upcoming.attendances.count() == 0


def test_marking_a_registration_of_another_meeting_from_the_page_is_not_found(
    staff_client, meeting, programme
):
    other = factories.RegistrationFactory(session=started(programme=programme))
    response = staff_client.post(
        check_in_url(meeting), {"action": "mark", "registration": other.pk, "status": "present"}
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_a_course_meeting_lists_the_runs_people(english_staff_client, course_programme, branch):
    run = factories.CourseRunFactory(programme=course_programme)
    meeting = started(programme=course_programme, run=run, branch=branch)
    factories.RegistrationFactory(session=None, run=run, participant__name="Henk Cursist")
    html = english_staff_client.get(check_in_url(meeting)).content.decode()
    assert "Henk Cursist" in html


def test_the_page_is_fast_whatever_the_number_of_people(staff_client, programme, branch):
    def queries_for(people):
        session = started(programme=programme, branch=branch, capacity=None)
        registrations = factories.RegistrationFactory.create_batch(people, session=session)
        for registration in registrations[::2]:
            Attendance.objects.create(registration=registration, session=session, status=PRESENT)
        attendance_walk_in_add(session=session, name="Inloper", user=None)
        counts = []
        for url in (check_in_url(session), check_in_url(session) + "print/"):
            with CaptureQueriesContext(connection) as queries:
                assert staff_client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    few, many = queries_for(2), queries_for(40)
    assert few == many
    assert max(many) <= 8


def test_only_for_meetings_the_staff_member_may_see_and_change(
    client, meeting, monkeypatch, django_user_model
):
    # The meetings a staff member may see are the session admin's queryset: this test controls it, so
    # that only the permissions are tested (library scoping is tested below when it is there).
    session_admin = admin.site._registry[Session]
    monkeypatch.setattr(session_admin, "get_queryset", lambda request: Session.objects.all())
    viewer = django_user_model.objects.create_user("kijker", "kijker@bibliotheek.example", "x", is_staff=True)
    factories.activate_totp(viewer)  # staff need an authenticator app (PORTAL_REQUIRE_MFA)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_session", content_type__app_label="programme_sessions")
    )
    client.force_login(viewer)
    assert client.get(check_in_url(meeting)).status_code == 403
    assert client.get(check_in_url(meeting) + "print/").status_code == 200

    viewer.user_permissions.add(
        Permission.objects.get(codename="change_session", content_type__app_label="programme_sessions")
    )
    assert client.get(check_in_url(meeting)).status_code == 200

    # Sessions are looked up through the admin's own queryset, so its narrowing holds here too.
    monkeypatch.setattr(session_admin, "get_queryset", lambda request: Session.objects.none())
    assert client.get(check_in_url(meeting)).status_code == 404
    assert client.get(check_in_url(meeting) + "print/").status_code == 404


def test_staff_of_another_library_do_not_find_the_meeting(client, meeting, django_user_model):
    other = django_user_model.objects.create_user("ander", "ander@bibliotheek.example", "x", is_staff=True)
    factories.activate_totp(other)  # staff need an authenticator app (PORTAL_REQUIRE_MFA)
    other.groups.add(staff_groups_ensure()["coordinator"])
    LibraryMembership.objects.create(user=other, library=factories.LibraryFactory())
    client.force_login(other)
    for url in (check_in_url(meeting), check_in_url(meeting) + "print/"):
        assert client.get(url).status_code == 404


def test_a_host_or_volunteer_checks_people_in_and_a_coordinator_closes(client, meeting, django_user_model):
    registration = factories.RegistrationFactory(session=meeting)
    groups = staff_groups_ensure()
    host = django_user_model.objects.create_user("gastvrouw", "g@bibliotheek.example", "x", is_staff=True)
    factories.activate_totp(host)  # staff need an authenticator app (PORTAL_REQUIRE_MFA)
    host.groups.add(groups["host"])
    LibraryMembership.objects.create(user=host, library=meeting.programme.library)
    client.force_login(host)
    url = check_in_url(meeting)

    page = client.get(url)
    assert page.status_code == 200
    assert page.context["may"].mark and page.context["may"].walk_in and not page.context["may"].close
    assert 'value="close"' not in page.content.decode()
    client.post(url, {"action": "mark", "registration": registration.pk, "status": "present"})
    client.post(url, {"action": "walk_in", "walk_in-name": "Kees"})
    assert Attendance.objects.filter(session=meeting, status=PRESENT).count() == 2
    assert client.post(url, {"action": "close", "confirmed": "yes"}).status_code == 403
    assert client.get(url, {"step": "close"}).context["may"].close is False

    coordinator = django_user_model.objects.create_user(
        "coordinator", "c@bibliotheek.example", "x", is_staff=True
    )
    factories.activate_totp(coordinator)  # staff need an authenticator app (PORTAL_REQUIRE_MFA)
    coordinator.groups.add(groups["coordinator"])
    LibraryMembership.objects.create(user=coordinator, library=meeting.programme.library)
    client.force_login(coordinator)
    assert client.post(url, {"action": "close", "confirmed": "yes"}).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.count_present, meeting.count_walk_ins) == (2, 1)


def test_marking_without_the_attendance_permissions_is_refused(
    client, meeting, monkeypatch, django_user_model
):
    session_admin = admin.site._registry[Session]
    monkeypatch.setattr(session_admin, "get_queryset", lambda request: Session.objects.all())
    registration = factories.RegistrationFactory(session=meeting)
    user = django_user_model.objects.create_user("marker", "m@bibliotheek.example", "x", is_staff=True)
    factories.activate_totp(user)  # staff need an authenticator app (PORTAL_REQUIRE_MFA)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="programme_sessions",
            codename__in=["view_session", "add_attendance", "change_attendance"],
        )
    )
    client.force_login(user)
    url = check_in_url(meeting)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="walk_in-name"' not in page.content.decode()
    assert client.post(url, {"action": "walk_in", "walk_in-name": "Kees"}).status_code == 403
    client.post(url, {"action": "mark", "registration": registration.pk, "status": "absent"})
    assert Attendance.objects.get().status == ABSENT


def test_the_check_in_page_needs_a_staff_login(client, meeting):
    response = client.get(check_in_url(meeting))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_printable_list_is_a_clean_table_without_screen_chrome(english_staff_client, meeting):
    factories.RegistrationFactory(session=meeting, participant__name="Ineke Print")
    response = english_staff_client.get(check_in_url(meeting) + "print/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ineke Print" in html
    assert '<table class="print-table">' in html
    assert html.count('class="print-box"') >= 3
    assert "css/checkin.css" in html
    assert 'id="header"' not in html and "nav-sidebar" not in html and "<form" not in html


def test_no_inline_scripts_or_styles(english_staff_client, meeting):
    factories.RegistrationFactory(session=meeting)
    for url in (
        check_in_url(meeting),
        check_in_url(meeting) + "print/",
        check_in_url(meeting) + "?step=close",
    ):
        response = english_staff_client.get(url)
        html = response.content.decode()
        assert "Content-Security-Policy" in response.headers
        assert " style=" not in html and "<style" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url


def test_the_meeting_page_links_to_check_in_or_to_the_tally(english_staff_client, meeting, library):
    change = reverse("admin:programme_sessions_session_change", args=[meeting.pk])
    assert check_in_url(meeting) in english_staff_client.get(change).content.decode()

    walk_in_hour = started(programme=factories.ProgrammeFactory(library=library, walk_in=True), capacity=None)
    tally = reverse("admin:programme_sessions_session_tally", args=[walk_in_hour.pk])
    html = english_staff_client.get(
        reverse("admin:programme_sessions_session_change", args=[walk_in_hour.pk])
    ).content.decode()
    assert tally in html
    assert check_in_url(walk_in_hour) not in html
    # The check-in of a walk-in hour is the tally: no names there.
    assert english_staff_client.get(check_in_url(walk_in_hour))["Location"] == tally
