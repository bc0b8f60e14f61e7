"""One consultant's account can send only so many referrals an hour; what was typed is kept."""

import pytest
from django.core.cache import cache
from django.test import Client

from partners.models import Referral
from tests.test_referrals_form import NEW, valid

pytest_plugins = ["tests.referral_fixtures"]
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_an_hour(settings):
    settings.REFERRAL_RATE_PER_USER = "2/h"
    cache.clear()
    yield
    cache.clear()


def test_past_the_limit_the_form_says_so_and_keeps_what_was_typed(client_a, a):
    for number in range(2):
        response = client_a.post(
            NEW, valid(a.programme, name=f"Persoon {number}", phone=f"06 1230010{number}")
        )
        assert response.status_code == 302
    response = client_a.post(NEW, valid(a.programme, name="Persoon drie", phone="06 12300109"))
    assert response.status_code == 429
    assert "veel verwijzingen" in response.content.decode()
    assert response.context["form"]["name"].value() == "Persoon drie"
    assert not Referral.objects.filter(participant__name="Persoon drie").exists()


def test_mistakes_do_not_count(client_a, a):
    for _attempt in range(3):
        assert client_a.post(NEW, valid(a.programme, name="")).status_code == 400
    assert client_a.post(NEW, valid(a.programme, name="Persoon een", phone="06 12300101")).status_code == 302


def test_another_consultant_has_a_limit_of_their_own(client_a, a, b):
    for number in range(2):
        client_a.post(NEW, valid(a.programme, name=f"Persoon {number}", phone=f"06 1230010{number}"))
    other = Client()
    other.force_login(b.consultant.user)
    response = other.post(NEW, valid(b.programme, name="Persoon van B", phone="06 12300201"))
    assert response.status_code == 302
