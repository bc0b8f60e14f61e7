"""Consultant accounts: by invitation only, one organisation each, e-mail log-in with TOTP, rate limits."""

import re
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from partners.models import PartnerContact
from partners.services import InvitationRefused, consultant_invite
from tests import factories

pytest_plugins = ["tests.referral_fixtures"]
pytestmark = pytest.mark.django_db

ACTIVATE = reverse("mfa_activate_totp")
PASSWORD = "een-lang-test-wachtwoord"  # of every account the factories make


def log_in(client, contact, password=PASSWORD):
    response = client.post(reverse("account_login"), {"login": contact.email, "password": password})
    assert response.status_code == 302


def confirm_password(client, password=PASSWORD):
    """allauth asks for the password once more before an authenticator app is added."""
    page = client.get(ACTIVATE)
    assert page["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(page["Location"], {"password": password})
    assert response["Location"] == ACTIVATE


def invite_in_admin(staff_client, *contacts):
    return staff_client.post(
        reverse("admin:partners_partnercontact_changelist"),
        {"action": "invite", "_selected_action": [contact.pk for contact in contacts]},
        follow=True,
    )


def set_password_link(message):
    return re.search(r"https?://\S+/accounts/password/reset/key/\S+", message.body).group(0)


def test_staff_invite_a_contact_who_sets_a_password_and_must_then_set_up_two_step_verification(
    staff_client, django_capture_on_commit_callbacks
):
    contact = factories.PartnerContactFactory(email="Linda.Groot@Drechterland.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = invite_in_admin(staff_client, contact)
    assert response.status_code == 200

    contact.refresh_from_db()
    user = contact.user
    assert user.email == "linda.groot@drechterland.example"
    assert not user.has_usable_password() and not user.is_staff
    assert contact.invited_at is not None
    assert EmailAddress.objects.get(user=user).verified
    (message,) = mail.outbox
    assert message.to == ["linda.groot@drechterland.example"]
    link = set_password_link(message)

    consultant = Client()
    page = consultant.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0]
    consultant.post(
        form_url, {"password1": "Een lang wachtwoord 2026!", "password2": "Een lang wachtwoord 2026!"}
    )
    user.refresh_from_db()
    assert user.check_password("Een lang wachtwoord 2026!")

    logged_in = consultant.post(
        reverse("account_login"),
        {"login": "linda.groot@drechterland.example", "password": "Een lang wachtwoord 2026!"},
    )
    assert logged_in.status_code == 302
    # Before anything else: set up the authenticator app.
    assert consultant.get(reverse("referrers:dashboard"))["Location"] == ACTIVATE
    confirm_password(consultant, "Een lang wachtwoord 2026!")
    assert consultant.get(ACTIVATE).status_code == 200


def test_an_invitation_can_be_sent_again_until_the_password_is_set(
    superuser, django_capture_on_commit_callbacks
):
    contact = factories.PartnerContactFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = consultant_invite(contact=contact, invited_by=superuser)
        again = consultant_invite(contact=contact, invited_by=superuser)
    assert first == again
    assert len(mail.outbox) == 2
    first.set_password("nu-wel-een-wachtwoord")
    first.save()
    with pytest.raises(InvitationRefused):
        consultant_invite(contact=contact, invited_by=superuser)


def test_an_address_that_already_has_an_account_is_not_taken_over(superuser):
    """Someone who signed up with a consultant's address first must not receive that organisation's data."""
    get_user_model().objects.create_user("vroeg", "consulent@gemeente.example", "wachtwoord-van-iemand")
    contact = factories.PartnerContactFactory(email="consulent@gemeente.example")
    with pytest.raises(InvitationRefused):
        consultant_invite(contact=contact, invited_by=superuser)
    contact.refresh_from_db()
    assert contact.user is None


def test_a_contact_without_an_e_mail_address_cannot_be_invited(superuser):
    contact = factories.PartnerContactFactory(email="", phone="+31201234567")
    with pytest.raises(InvitationRefused):
        consultant_invite(contact=contact, invited_by=superuser)


def test_an_account_belongs_to_exactly_one_organisation(a, b):
    with pytest.raises(IntegrityError):
        PartnerContact.objects.filter(pk=b.consultant.pk).update(user=a.consultant.user)


def test_the_account_field_is_not_editable_in_the_admin(staff_client, a):
    url = reverse("admin:partners_partnercontact_change", args=[a.consultant.pk])
    form = staff_client.get(url).context["adminform"].form
    assert "user" not in form.fields


def test_sign_up_is_closed_to_a_consultants_address_but_open_to_job_seekers(client, a):
    refused = client.post(
        reverse("account_signup"),
        {
            "email": a.consultant.email.upper(),
            "password1": "Lang wachtwoord 123!",
            "password2": "Lang wachtwoord 123!",
        },
    )
    assert refused.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in refused.templates]
    assert (
        not get_user_model().objects.filter(email__iexact=a.consultant.email).exclude(pk=a.consultant.user_id)
    )

    opened = client.post(
        reverse("account_signup"),
        {
            "email": "werkzoekende@mail.example",
            "password1": "Lang wachtwoord 123!",
            "password2": "Lang wachtwoord 123!",
        },
    )
    assert opened.status_code == 302
    job_seeker = get_user_model().objects.get(email="werkzoekende@mail.example")
    # A self-made account is never a consultant.
    assert client.get(reverse("referrers:dashboard")).status_code == 403
    assert not PartnerContact.objects.filter(user=job_seeker).exists()


def test_sign_up_can_be_closed_altogether(client, settings):
    settings.PORTAL_PUBLIC_SIGNUP = False
    response = client.get(reverse("account_signup"))
    assert "account/signup_closed.html" in [t.name for t in response.templates]


# --- Logging in: e-mail, password, authenticator code -------------------------------------------------


def test_a_consultant_logs_in_with_e_mail_password_and_a_code(client, a):
    response = client.post(
        reverse("account_login"), {"login": a.consultant.email, "password": "een-lang-test-wachtwoord"}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("referrers:dashboard")).status_code == 302  # not logged in yet

    response = client.post(reverse("mfa_authenticate"), {"code": factories.totp_code()})
    assert response["Location"] == reverse("referrers:dashboard")
    assert client.get(reverse("referrers:dashboard")).status_code == 200


def test_staff_log_in_to_the_admin_through_allauth(client):
    staff = factories.SuperUserFactory(username="coord", email="coord@bibliotheek.example")
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("admin:login"))
    response = client.get(response["Location"])
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2F"

    client.post(
        response["Location"], {"login": "coord@bibliotheek.example", "password": "een-lang-test-wachtwoord"}
    )
    done = client.post(reverse("mfa_authenticate"), {"code": factories.totp_code()})
    assert done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert staff.is_staff


def test_the_admin_log_in_page_refuses_a_logged_in_non_staff_account_without_a_loop(client_a):
    assert client_a.get(reverse("admin:login")).status_code == 403


def test_the_admin_log_in_ignores_a_next_address_on_another_site(client):
    response = client.get(reverse("admin:login"), {"next": "https://elders.example/"})
    assert response["Location"].startswith(f"{reverse('account_login')}?next=%2Fadmin%2Flogin%2F")


def test_wrong_passwords_lock_one_account_not_the_whole_office(client):
    """Five failures lock that address for a while; a colleague behind the same IP still gets in."""
    unique = uuid.uuid4().hex[:8]
    mine = factories.ConsultantFactory(email=f"ik-{unique}@gemeente.example")
    colleague = factories.ConsultantFactory(email=f"collega-{unique}@gemeente.example", partner=mine.partner)
    for _attempt in range(5):
        client.post(reverse("account_login"), {"login": mine.email, "password": "fout"})
    locked = client.post(
        reverse("account_login"), {"login": mine.email, "password": "een-lang-test-wachtwoord"}
    )
    assert locked.status_code == 200  # the form again, with the "too many attempts" error
    assert locked.context["form"].errors

    other = Client()
    response = other.post(
        reverse("account_login"), {"login": colleague.email, "password": "een-lang-test-wachtwoord"}
    )
    assert response["Location"] == reverse("mfa_authenticate")


# --- Two-step verification is required before anything is shown -------------------------------------


def test_a_consultant_without_an_authenticator_app_is_sent_to_set_it_up(client):
    contact = factories.ConsultantFactory(totp=False)
    log_in(client, contact)
    for url in ("/", reverse("referrers:dashboard"), reverse("referrers:new")):
        assert client.get(url)["Location"] == ACTIVATE, url
    confirm_password(client)
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    # allauth's own pages, log-out, the health check and the language switch stay reachable.
    assert client.get(reverse("healthz")).status_code in (200, 503)
    assert client.get(reverse("account_logout")).status_code == 200


def test_staff_without_an_authenticator_app_see_no_admin_page(client):
    client.force_login(factories.SuperUserFactory(username="zonder", totp=False))
    assert client.get(reverse("admin:index"))["Location"] == ACTIVATE
    assert client.get(reverse("admin:partners_referral_changelist"))["Location"] == ACTIVATE


def test_setting_up_the_app_with_a_code_gives_recovery_codes_and_access(client):
    from allauth.mfa.models import Authenticator

    contact = factories.ConsultantFactory(totp=False)
    log_in(client, contact)
    confirm_password(client)
    secret = client.get(ACTIVATE).context["form"].secret
    response = client.post(ACTIVATE, {"code": factories.totp_code(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    page = client.get(response["Location"])
    assert reverse("referrers:dashboard") in page.content.decode()
    assert set(Authenticator.objects.filter(user=contact.user).values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }
    assert client.get(reverse("referrers:dashboard")).status_code == 200


def test_job_seekers_with_an_account_are_not_asked_for_two_step_verification(client):
    user = get_user_model().objects.create_user("sara", "sara@mail.example", "een-lang-wachtwoord")
    client.force_login(user)
    assert client.get("/").status_code == 200


def test_the_requirement_can_be_switched_off_for_local_development(client, settings):
    settings.PORTAL_REQUIRE_MFA = False
    client.force_login(factories.SuperUserFactory(username="lokaal", totp=False))
    assert client.get(reverse("admin:index")).status_code == 200
