"""Attendance and completion go back to the referrer only with consent, and stop the moment it is withdrawn."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from messaging.models import OutboxMessage
from partners.models import Referral
from partners.selectors import NOT_REPORTED
from partners.services import referral_enrol, referral_status_change
from people.models import Consent
from people.services import consent_withdraw
from sessions.models import Attendance, Registration
from tests import factories
from tests.referral_support import course_run_for, refer

pytest_plugins = ["tests.referral_fixtures"]
pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_user(db):
    return factories.SuperUserFactory(username="medewerker")


def follow_course(referral, staff_user, *, marks=("present", "absent", "excused")):
    """Enrol the referred person in a course, mark the first meetings, move to active."""
    run, sessions = course_run_for(referral.programme, meetings=len(marks) + 1)
    result, _change = referral_enrol(referral=referral, user=staff_user, run=run)
    for session, status in zip(sessions, marks, strict=False):
        Attendance.objects.create(registration=result.registration, session=session, status=status)
    referral_status_change(referral=referral, status="active", user=staff_user)
    return result.registration


def row_for(client, referral):
    response = client.get(reverse("referrers:dashboard"))
    (row,) = [row for row in response.context["rows"] if row.referral.pk == referral.pk]
    return row


def csv_rows(client, **params):
    response = client.get(reverse("referrers:export"), params)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def messages_to(referral):
    """Messages to the referrer about this referral (the outbox key names the referral)."""
    return OutboxMessage.objects.filter(
        kind=OutboxMessage.Kind.REFERRAL_STATUS, idempotency_key__startswith=f"referral_status:{referral.pk}:"
    ).order_by("created_at", "pk")


def test_with_consent_the_referrer_sees_attendance_and_completion(client_a, a, staff_user):
    follow_course(a.referral, staff_user)
    row = row_for(client_a, a.referral)
    assert row.reporting is True
    assert row.attendance == {"present": 1, "absent": 1, "excused": 1}
    assert row.status == "active" and row.completed is False
    referral_status_change(referral=a.referral, status="completed", user=staff_user)
    assert row_for(client_a, a.referral).completed is True


def test_registration_statuses_count_when_no_meeting_was_marked(client_a, a, staff_user):
    meeting = factories.SessionFactory(programme=a.programme, branch=a.programme.default_branch)
    result, _change = referral_enrol(referral=a.referral, user=staff_user, session=meeting)
    Registration.objects.filter(pk=result.registration.pk).update(status=Registration.Status.NO_SHOW)
    assert row_for(client_a, a.referral).attendance == {"present": 0, "absent": 1, "excused": 0}


def test_without_consent_there_is_no_attendance_no_completion_and_no_later_status(client_a, a, staff_user):
    referral = refer(a, name="Dennis Kaag", phone="+31612300055", consent_report_attendance=False)
    follow_course(referral, staff_user)
    referral_status_change(referral=referral, status="completed", user=staff_user)

    row = row_for(client_a, referral)
    assert (row.reporting, row.attendance, row.completed, row.status) == (False, None, None, NOT_REPORTED)
    detail = client_a.get(reverse("referrers:detail", args=[referral.pk]))
    assert detail.status_code == 200
    assert [change.to_status for change in detail.context["history"]] == ["received", "enrolled"]
    html = detail.content.decode()
    assert "present 1" not in html and "aanwezig 1" not in html
    (header, *lines) = csv_rows(client_a)
    (line,) = [line for line in lines if line[0] == str(referral.pk)]
    assert line[9:13] == ["", "", "", ""]  # present, absent, excused, completed


def test_later_statuses_are_only_told_with_consent(a, staff_user):
    referral = refer(a, name="Dennis Kaag", phone="+31612300055", consent_report_attendance=False)
    follow_course(referral, staff_user)
    referral_status_change(referral=referral, status="completed", user=staff_user)
    told = {message.context["status"] for message in messages_to(referral)}
    assert len(told) == 1  # "enrolled" only; not "active", not "completed"

    follow_course(a.referral, staff_user)
    assert messages_to(a.referral).count() == 2  # enrolled and active


def test_withdrawing_consent_stops_all_reporting_back_from_that_moment(client_a, a, staff_user):
    follow_course(a.referral, staff_user)
    assert row_for(client_a, a.referral).attendance is not None
    before = messages_to(a.referral).count()

    withdrawn = consent_withdraw(
        participant=a.referral.participant, purpose=Consent.Purpose.REPORT_TO_REFERRER
    )
    assert withdrawn == 1

    a.referral.refresh_from_db()
    assert a.referral.consent_report_attendance is False
    assert a.referral.participant.consents.get(purpose="report_to_referrer").withdrawn_at is not None
    row = row_for(client_a, a.referral)
    assert (row.attendance, row.completed, row.status) == (None, None, NOT_REPORTED)
    (_header, *lines) = csv_rows(client_a)
    (line,) = [line for line in lines if line[0] == str(a.referral.pk)]
    assert line[9:13] == ["", "", "", ""]
    referral_status_change(referral=a.referral, status="completed", user=staff_user)
    assert messages_to(a.referral).count() == before  # not told
    assert row_for(client_a, a.referral).completed is None


def test_a_staff_edit_of_the_referral_does_not_bring_withdrawn_consent_back(a, staff_user):
    consent_withdraw(participant=a.referral.participant, purpose=Consent.Purpose.REPORT_TO_REFERRER)
    client = Client()
    client.force_login(staff_user)
    url = reverse("admin:partners_referral_change", args=[a.referral.pk])
    form = client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value not in (None, False)}
    data.update(
        {
            "consent_given_on": a.referral.consent_given_on.strftime("%d-%m-%Y"),
            "note": "Andere notitie",
            "status_changes-TOTAL_FORMS": 0,
            "status_changes-INITIAL_FORMS": 0,
        }
    )
    assert client.post(url, data).status_code == 302
    a.referral.refresh_from_db()
    assert a.referral.note == "Andere notitie" and not a.referral.consent_report_attendance
    assert not a.referral.participant.consents.filter(purpose="report_to_referrer", withdrawn_at__isnull=True)

    # Ticking it again is a new, dated consent.
    data["consent_report_attendance"] = "on"
    client.post(url, data)
    assert (
        a.referral.participant.consents.filter(
            purpose="report_to_referrer", withdrawn_at__isnull=True
        ).count()
        == 1
    )


def test_staff_withdraw_consent_from_the_admin(a, staff_user):
    client = Client()
    client.force_login(staff_user)
    client.post(
        reverse("admin:people_participant_changelist"),
        {"action": "withdraw_report_consent", "_selected_action": [a.referral.participant.pk]},
    )
    a.referral.refresh_from_db()
    assert not a.referral.consent_report_attendance
    contact_consent = a.referral.participant.consents.get(purpose="contact")
    assert contact_consent.withdrawn_at is None  # only the chosen purpose

    client.post(
        reverse("admin:people_consent_changelist"),
        {"action": "withdraw", "_selected_action": [contact_consent.pk]},
    )
    contact_consent.refresh_from_db()
    assert contact_consent.withdrawn_at is not None
    a.referral.refresh_from_db()
    assert not a.referral.consent_contact


def test_filtering_on_a_reported_status_does_not_reveal_people_without_consent(client_a, a, staff_user):
    hidden = refer(a, name="Dennis Kaag", phone="+31612300055", consent_report_attendance=False)
    for referral in (a.referral, hidden):
        referral_status_change(referral=referral, status="no_show", user=staff_user)
    shown = client_a.get(reverse("referrers:dashboard"), {"status": "no_show"}).context["rows"]
    assert [row.referral.pk for row in shown] == [a.referral.pk]
    not_reported = client_a.get(reverse("referrers:dashboard"), {"status": NOT_REPORTED}).context["rows"]
    assert [row.referral.pk for row in not_reported] == [hidden.pk]
    (_header, *lines) = csv_rows(client_a, status="no_show")
    assert [line[0] for line in lines] == [str(a.referral.pk)]


def test_only_attendance_through_this_referral_is_reported(client_a, a, staff_user):
    """The participant's own sign-ups for other things are none of the referrer's business."""
    other = factories.SessionFactory(programme=factories.ProgrammeFactory(library=a.programme.library))
    own = factories.RegistrationFactory(session=other, participant=a.referral.participant)
    Attendance.objects.create(registration=own, session=other, status="present")
    row = row_for(client_a, a.referral)
    assert row.attendance == {"present": 0, "absent": 0, "excused": 0}
    assert row.next_session is None


def test_the_stop_reason_is_shown_only_with_consent(client_a, a, staff_user):
    hidden = refer(a, name="Dennis Kaag", phone="+31612300055", consent_report_attendance=False)
    for referral in (a.referral, hidden):
        referral_status_change(
            referral=referral, status="stopped", user=staff_user, stop_reason="Werk gevonden"
        )
    assert "Werk gevonden" in client_a.get(reverse("referrers:detail", args=[a.referral.pk])).content.decode()
    assert "Werk gevonden" not in client_a.get(reverse("referrers:detail", args=[hidden.pk])).content.decode()


def test_a_referral_without_an_active_consent_record_is_not_reported(client_a, a):
    """The referral's tick alone is not enough: the participant's consent record must be active too."""
    Consent.objects.filter(participant=a.referral.participant, purpose="report_to_referrer").delete()
    Referral.objects.filter(pk=a.referral.pk).update(status="active")
    assert row_for(client_a, a.referral).status == NOT_REPORTED
