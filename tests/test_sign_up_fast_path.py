"""The sign-up's lean path: a fixed, small number of queries, and the same outcome as before.

A sign-up reads the meeting without its place or seat counts, counts seats and finds an earlier
sign-up of the same person in one query under the meeting's lock, and records its first messages in
one INSERT (their keys hold the new registration's id, so none can exist yet).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.models import OutboxMessage
from people.models import Consent
from people.services import consent_record, consent_withdraw
from sessions.models import Registration
from sessions.services import registration_create
from tests import factories

pytestmark = pytest.mark.django_db

CONSENT = "Ik vind het goed dat de bibliotheek mij berichten stuurt."


@pytest.fixture
def session(programme, branch):
    start = (timezone.localtime() + timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    return factories.SessionFactory(
        programme=programme, branch=branch, starts_at=start, ends_at=start + timedelta(hours=1), capacity=2
    )


def form(n, **overrides):
    return {
        "name": f"Persoon {n}",
        "phone": f"06-1234{n:04d}",
        "email": "",
        "preferred_channel": "sms",
        "help_wanted": "",
        "consent": "on",
        "website": "",
        **overrides,
    }


def sign_up(session, n, **kwargs):
    return registration_create(
        session=session, name=f"Persoon {n}", phone=f"+3161234{n:04d}", preferred_channel="sms", **kwargs
    )


def test_a_sign_up_post_runs_a_fixed_number_of_queries(client, session, django_assert_max_num_queries):
    # Under the meeting's lock: the meeting with its programme, the person (look-up, insert), seats
    # and an earlier sign-up in one count, the registration, the consent, the messages in one insert.
    for n in range(3):
        with django_assert_max_num_queries(11):
            response = client.post(session.get_absolute_url(), form(n))
        assert response.status_code == 302
    statuses = list(
        Registration.objects.filter(session=session).order_by("pk").values_list("status", flat=True)
    )
    assert statuses == ["confirmed", "confirmed", "waitlisted"]


def test_a_returning_person_signs_up_with_fewer_queries(
    client, session, programme, branch, django_assert_num_queries
):
    other = factories.SessionFactory(
        programme=programme,
        branch=branch,
        starts_at=session.starts_at + timedelta(days=7),
        ends_at=session.ends_at + timedelta(days=7),
    )
    assert client.post(other.get_absolute_url(), form(1)).status_code == 302
    # Under the lock: the meeting, the person found, seats and an earlier sign-up, the registration,
    # the consent, the person's last activity, the messages (their library is the person's own).
    with django_assert_num_queries(9):
        response = client.post(session.get_absolute_url(), form(1))
    assert response.status_code == 302


def test_confirmation_and_reminders_are_recorded_together(session):
    result = sign_up(session, 1, consent_text=CONSENT)
    kinds = sorted(
        OutboxMessage.objects.filter(registration=result.registration).values_list("kind", flat=True)
    )
    assert kinds == sorted(["registration_confirmed", "reminder", "reminder"])
    reminders = OutboxMessage.objects.filter(registration=result.registration, kind="reminder")
    assert {m.due_at for m in reminders} == {
        session.starts_at - timedelta(hours=24),
        session.starts_at - timedelta(hours=2),
    }
    assert all(m.session_id == session.pk for m in reminders)


def test_the_waiting_list_gets_its_message_and_no_reminders(session):
    sign_up(session, 1, consent_text=CONSENT)
    sign_up(session, 2, consent_text=CONSENT)
    third = sign_up(session, 3, consent_text=CONSENT).registration
    assert third.status == Registration.Status.WAITLISTED
    assert list(OutboxMessage.objects.filter(registration=third).values_list("kind", flat=True)) == [
        "registration_waitlisted"
    ]


def test_a_new_person_has_their_sign_up_as_last_activity(session):
    now = timezone.now()
    registration = sign_up(session, 1, consent_text=CONSENT, now=now).registration
    registration.participant.refresh_from_db()
    assert registration.participant.last_activity_at == now


def test_a_second_sign_up_of_the_same_person_sends_the_personal_link_again(session):
    first = sign_up(session, 1, consent_text=CONSENT)
    again = sign_up(session, 1, consent_text=CONSENT)
    assert not again.created and again.registration == first.registration
    assert OutboxMessage.objects.filter(registration=first.registration, kind="personal_link").count() == 1


def test_no_messages_without_consent_after_a_withdrawal(session):
    person = factories.ParticipantFactory(library=session.programme.library, phone="+31612340001")
    consent_record(participant=person, purpose=Consent.Purpose.CONTACT, text=CONSENT, method="online")
    consent_withdraw(participant=person, purpose=Consent.Purpose.CONTACT)
    # Signed up at the desk without a new consent: nothing is recorded.
    registration = sign_up(session, 1, source=Registration.Source.DESK).registration
    assert registration.participant == person
    assert not OutboxMessage.objects.filter(registration=registration).exists()


def test_consent_given_again_in_the_sign_up_allows_messages(session):
    person = factories.ParticipantFactory(library=session.programme.library, phone="+31612340001")
    consent_record(participant=person, purpose=Consent.Purpose.CONTACT, text=CONSENT, method="online")
    consent_withdraw(participant=person, purpose=Consent.Purpose.CONTACT)
    registration = sign_up(session, 1, consent_text=CONSENT).registration
    assert OutboxMessage.objects.filter(registration=registration, kind="registration_confirmed").exists()


def test_a_sign_up_for_a_meeting_that_closed_meanwhile_shows_why(client, session):
    session.status, session.cancellation_reason = "cancelled", "De zaal is niet beschikbaar."
    session.save()
    response = client.post(session.get_absolute_url(), form(1, name="Amina Said"))
    assert response.status_code == 409
    assert "Deze bijeenkomst is afgelast." in response.content.decode()
    assert not Registration.objects.filter(session=session).exists()


def test_a_form_with_mistakes_for_a_closed_meeting_shows_why_it_is_closed(client, session):
    session.starts_at, session.ends_at = (
        timezone.now() - timedelta(hours=3),
        timezone.now() - timedelta(hours=2),
    )
    session.save()
    response = client.post(session.get_absolute_url(), form(1, phone="12"))
    assert response.status_code == 409
    assert "Deze bijeenkomst is voorbij." in response.content.decode()


def test_no_sign_up_for_a_meeting_of_an_unpublished_programme(client, session):
    session.programme.is_published = False
    session.programme.save()
    assert client.post(session.get_absolute_url(), form(1)).status_code == 404
    assert client.post("/bijeenkomst/999999999/", form(1)).status_code == 404
    assert not Registration.objects.exists()


def test_a_sign_up_on_a_course_meeting_enrols_for_the_whole_run(client, library, branch):
    run = factories.CourseRunFactory(programme__library=library, capacity=1)
    start = timezone.now() + timedelta(days=5)
    first = factories.SessionFactory(
        programme=run.programme, run=run, branch=branch, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    factories.SessionFactory(
        programme=run.programme,
        run=run,
        branch=branch,
        starts_at=start + timedelta(days=7),
        ends_at=start + timedelta(days=7, hours=2),
    )
    assert client.post(first.get_absolute_url(), form(1)).status_code == 302
    assert client.post(first.get_absolute_url(), form(2)).status_code == 302
    statuses = list(Registration.objects.filter(run=run).order_by("pk").values_list("status", "session"))
    assert statuses == [("confirmed", None), ("waitlisted", None)]
