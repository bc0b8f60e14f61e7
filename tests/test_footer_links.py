"""The footer leads each kind of account to its own place: sign-ups, referrals or the staff portal."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def footer(client):
    page = client.get(reverse("sessions:agenda")).content.decode()
    return page[page.index("site-footer") :]


def test_a_job_seeker_with_an_account_sees_their_sign_ups(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("werkzoeker", "w@example.org", "x"))
    assert reverse("sessions:my_registrations") in footer(client)


def test_a_consultant_sees_the_referrals_not_sign_ups(settings):
    settings.PORTAL_REQUIRE_MFA = False
    contact = factories.PartnerContactFactory()
    user = factories.SuperUserFactory(username="consulent", is_superuser=False, is_staff=False)
    contact.user = user
    contact.save()
    client = Client()
    client.force_login(user)
    html = footer(client)
    assert reverse("referrers:dashboard") in html
    assert reverse("sessions:my_registrations") not in html


def test_staff_see_the_staff_portal(staff_client):
    html = footer(staff_client)
    assert reverse("admin:index") in html
    assert reverse("sessions:my_registrations") not in html
