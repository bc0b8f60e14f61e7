"""The public privacy page, and taking consent back from the personal link of a sign-up."""

import pytest
from django.urls import reverse
from django.utils import timezone

from messaging.models import OutboxMessage
from people.models import Consent
from people.services import consent_withdraw
from sessions.tokens import registration_token
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_privacy_page_says_how_long_each_library_keeps_data(client):
    langedijk = factories.LibraryFactory(
        name="Bibliotheek Langedijk", retention_months=12, email="info@langedijk.example"
    )
    factories.LibraryFactory(name="BiblioPlus", retention_months=6)
    response = client.get(reverse("privacy:statement"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bibliotheek Langedijk" in text and "BiblioPlus" in text
    assert "12" in text and "info@langedijk.example" in text
    assert "BSN" in text

    langedijk.retention_months = 18
    langedijk.save()
    text = client.get(reverse("privacy:statement")).content.decode()
    assert "18" in text


def test_every_public_page_links_to_it(client):
    assert reverse("privacy:statement") in client.get(reverse("sessions:agenda")).content.decode()


@pytest.fixture
def signed_up(db):
    registration = factories.RegistrationFactory()
    participant = registration.participant
    factories.ConsentFactory(participant=participant)
    factories.ConsentFactory(participant=participant, purpose=Consent.Purpose.REPORT_TO_REFERRER)
    factories.OutboxMessageFactory(registration=registration, kind="reminder")
    factories.OutboxMessageFactory(registration=registration, status=OutboxMessage.Status.QUEUED)
    factories.OutboxMessageFactory(
        registration=registration, status=OutboxMessage.Status.SENT, sent_at=timezone.now()
    )
    return registration


def test_withdrawing_contact_consent_cancels_the_waiting_messages_at_once(signed_up):
    participant = signed_up.participant
    assert consent_withdraw(participant=participant, purpose=Consent.Purpose.CONTACT) == 1
    statuses = sorted(OutboxMessage.objects.filter(participant=participant).values_list("status", flat=True))
    assert statuses == ["cancelled", "cancelled", "sent"]


def test_withdrawing_only_the_report_back_consent_keeps_the_messages(signed_up):
    participant = signed_up.participant
    consent_withdraw(participant=participant, purpose=Consent.Purpose.REPORT_TO_REFERRER)
    assert OutboxMessage.objects.filter(participant=participant, status="pending").count() == 1


def test_the_personal_page_links_to_taking_consent_back(client, signed_up):
    token = registration_token(signed_up)
    page = client.get(reverse("sessions:registration", args=[token])).content.decode()
    assert reverse("privacy:consent_withdraw", args=[token]) in page


def test_a_participant_stops_messages_from_their_personal_link(client, signed_up):
    url = reverse("privacy:consent_withdraw", args=[registration_token(signed_up)])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["contact_active"] and page.context["report_active"]
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]

    response = client.post(url, {"purpose": "contact"})
    assert response.status_code == 200
    assert response.context["done"] == "contact"
    assert not response.context["contact_active"]
    consent = signed_up.participant.consents.get(purpose=Consent.Purpose.CONTACT)
    assert consent.withdrawn_at is not None
    assert not OutboxMessage.objects.filter(participant=signed_up.participant, status="pending").exists()

    client.post(url, {"purpose": "report_to_referrer"})
    assert not signed_up.participant.consents.filter(withdrawn_at__isnull=True).exists()


def test_a_made_up_link_finds_nothing(client):
    assert client.get(reverse("privacy:consent_withdraw", args=["made-up"])).status_code == 404
