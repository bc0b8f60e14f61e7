"""Sign-up rules: waiting list, courses, duplicates, close times, and what must be sent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.models import OutboxMessage
from people.models import Consent, Participant
from sessions.models import Registration, Session
from sessions.selectors import registration_waitlist_position
from sessions.services import RegistrationClosed, registration_cancel, registration_create
from tests import factories

pytestmark = pytest.mark.django_db


def sign_up(session, n=1, **kwargs):
    return registration_create(
        session=session,
        name=kwargs.pop("name", f"Persoon {n}"),
        phone=kwargs.pop("phone", f"+3162{n:07d}"),
        preferred_channel=kwargs.pop("preferred_channel", "sms"),
        consent_text="De bibliotheek mag mij berichten sturen.",
        **kwargs,
    )


def test_sign_ups_beyond_capacity_go_on_the_waiting_list_in_order():
    session = factories.SessionFactory(capacity=2)
    results = [sign_up(session, n) for n in range(4)]

    assert [r.registration.status for r in results] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [r.waitlist_position for r in results] == [None, None, 1, 2]


def test_a_cancellation_promotes_the_first_on_the_waiting_list_and_records_the_messages():
    session = factories.SessionFactory(capacity=1)
    first, second, third = (sign_up(session, n).registration for n in range(3))

    registration_cancel(registration=first)

    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == Registration.Status.CONFIRMED
    assert third.status == Registration.Status.WAITLISTED
    assert registration_waitlist_position(registration=third) == 1
    kinds = set(OutboxMessage.objects.filter(registration=second).values_list("kind", flat=True))
    assert kinds == {"registration_waitlisted", "waitlist_promoted", "reminder"}
    assert OutboxMessage.objects.filter(registration=first, kind="registration_cancelled").exists()


def test_cancelling_twice_changes_nothing():
    session = factories.SessionFactory(capacity=1)
    registration = sign_up(session).registration
    registration_cancel(registration=registration)
    registration_cancel(registration=registration)
    assert OutboxMessage.objects.filter(registration=registration, kind="registration_cancelled").count() == 1


def test_no_promotion_for_a_meeting_that_has_started():
    session = factories.SessionFactory(capacity=1)
    first = sign_up(session, 1).registration
    waiting = sign_up(session, 2).registration
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(minutes=5))

    registration_cancel(registration=first)

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.WAITLISTED


def test_one_sign_up_enrols_for_the_whole_course():
    run = factories.CourseRunFactory(capacity=12)
    sessions = factories.SessionFactory.create_batch(3, programme=run.programme, run=run, capacity=None)

    result = sign_up(sessions[1])

    assert result.registration.run == run
    assert result.registration.session is None
    assert Registration.objects.count() == 1


def test_the_same_phone_number_twice_gives_the_existing_registration():
    session = factories.SessionFactory()
    first = sign_up(session, phone="+31612345678")
    second = sign_up(session, name="Other spelling", phone="+31612345678")

    assert second.created is False
    assert second.registration == first.registration
    assert Participant.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="personal_link").count() == 1


def test_the_same_email_in_other_capitals_is_the_same_person():
    session = factories.SessionFactory()
    sign_up(session, phone="", email="Anna@Mail.example", preferred_channel="email")
    again = sign_up(session, phone="", email="anna@mail.example", preferred_channel="email")
    assert again.created is False


def test_a_cancelled_registration_does_not_block_signing_up_again():
    session = factories.SessionFactory()
    first = sign_up(session).registration
    registration_cancel(registration=first)
    again = sign_up(session)
    assert again.created is True
    assert again.registration.status == Registration.Status.CONFIRMED


def test_the_same_person_in_another_library_is_another_record():
    sign_up(factories.SessionFactory(), phone="+31612345678")
    sign_up(factories.SessionFactory(), phone="+31612345678")
    assert Participant.objects.count() == 2


@pytest.mark.parametrize(
    "change, message",
    [
        ({"status": "cancelled", "cancellation_reason": "Ziek"}, "cancelled"),
        ({"registration_closes_at_delta": -timedelta(minutes=1)}, "closed"),
        ({"starts_at_delta": -timedelta(minutes=10)}, "started"),
    ],
)
def test_sign_up_is_refused_when_closed(change, message):
    session = factories.SessionFactory()
    now = timezone.now()
    if "registration_closes_at_delta" in change:
        session.registration_closes_at = now + change["registration_closes_at_delta"]
    elif "starts_at_delta" in change:
        session.starts_at = now + change["starts_at_delta"]
    else:
        session.status, session.cancellation_reason = change["status"], change["cancellation_reason"]
    session.save()

    with pytest.raises(RegistrationClosed):
        sign_up(session)
    assert not Registration.objects.exists()


def test_staff_may_sign_up_someone_at_the_desk_with_only_a_name_after_online_close():
    session = factories.SessionFactory(registration_closes_at=timezone.now() - timedelta(hours=1))
    result = registration_create(session=session, name="Meneer Jansen", source=Registration.Source.DESK)

    participant = result.registration.participant
    assert participant.registered_at_desk is True
    assert participant.phone == "" and participant.email == ""
    assert result.registration.source == "desk"
    # Nobody to send a message to: nothing is recorded.
    assert not OutboxMessage.objects.exists()


def test_walk_in_hours_take_no_sign_ups():
    session = factories.SessionFactory(programme=factories.ProgrammeFactory(walk_in=True), capacity=None)
    with pytest.raises(RegistrationClosed):
        sign_up(session)


def test_consent_is_recorded_with_the_words_and_how():
    registration = sign_up(factories.SessionFactory()).registration
    consent = Consent.objects.get(participant=registration.participant)
    assert consent.text == "De bibliotheek mag mij berichten sturen."
    assert consent.method == Consent.Method.ONLINE
    assert consent.withdrawn_at is None


def test_the_message_goes_by_the_chosen_channel():
    registration = sign_up(
        factories.SessionFactory(), phone="+31612345678", email="a@mail.example", preferred_channel="email"
    ).registration
    message = OutboxMessage.objects.get(registration=registration, kind="registration_confirmed")
    assert message.channel == "email"
    assert message.status == "pending"
