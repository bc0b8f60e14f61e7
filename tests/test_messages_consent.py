"""No new message goes to someone who withdrew consent to be contacted, or who was erased."""

import pytest
from django.utils import timezone

from messaging.models import OutboxMessage
from messaging.services import message_record
from people.models import Consent
from people.services import consent_record, consent_withdraw
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration():
    registration = factories.RegistrationFactory()
    consent_record(
        participant=registration.participant,
        purpose=Consent.Purpose.CONTACT,
        text="Ik vind het goed dat de bibliotheek mij een bericht stuurt.",
        method=Consent.Method.ONLINE,
    )
    return registration


def messages_for(registration):
    return OutboxMessage.objects.filter(registration=registration)


def test_a_message_is_recorded_while_consent_holds(registration):
    message_record(kind=OutboxMessage.Kind.REGISTRATION_CONFIRMED, registration=registration)
    assert messages_for(registration).count() == 1


def test_no_new_message_after_withdrawing(registration):
    consent_withdraw(participant=registration.participant, purpose=Consent.Purpose.CONTACT)
    assert message_record(kind=OutboxMessage.Kind.SESSION_MOVED, registration=registration) is None
    assert not messages_for(registration).exists()


def test_consent_given_again_allows_messages_again(registration):
    consent_withdraw(participant=registration.participant, purpose=Consent.Purpose.CONTACT)
    consent_record(
        participant=registration.participant,
        purpose=Consent.Purpose.CONTACT,
        text="Ik vind het goed dat de bibliotheek mij een bericht stuurt.",
        method=Consent.Method.DESK,
    )
    message_record(kind=OutboxMessage.Kind.REGISTRATION_CONFIRMED, registration=registration)
    assert messages_for(registration).count() == 1


def test_withdrawing_report_back_consent_does_not_stop_messages(registration):
    consent_withdraw(participant=registration.participant, purpose=Consent.Purpose.REPORT_TO_REFERRER)
    message_record(kind=OutboxMessage.Kind.REGISTRATION_CONFIRMED, registration=registration)
    assert messages_for(registration).count() == 1


def test_no_message_to_an_anonymised_person(registration):
    registration.participant.anonymised_at = timezone.now()
    assert message_record(kind=OutboxMessage.Kind.REGISTRATION_CONFIRMED, registration=registration) is None
