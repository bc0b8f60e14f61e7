"""Two municipalities in the portal at the same time never see each other's people (probes, not assumptions)."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from partners.models import PartnerContact, ReferralAuditEvent
from partners.services import referral_enrol
from portal.staff_groups import staff_groups_ensure
from programmes.demo_data import DEMO_CONSULTANTS, STAFF_PASSWORD
from programmes.models import LibraryMembership
from tests import factories
from tests.referral_support import course_run_for, refer

pytest_plugins = ["tests.referral_fixtures"]
pytestmark = pytest.mark.django_db

Action = ReferralAuditEvent.Action


def referrer_urls(referral_pk, programme_pk):
    """Every page and download of the referral portal, aimed at the given ids."""
    return [
        reverse("referrers:dashboard"),
        f"{reverse('referrers:dashboard')}?programme={programme_pk}",
        reverse("referrers:new"),
        reverse("referrers:detail", args=[referral_pk]),
        reverse("referrers:export"),
        f"{reverse('referrers:export')}?programme={programme_pk}",
    ]


def test_another_organisations_ids_are_404_everywhere(client_a, a, b):
    for url in (
        reverse("referrers:detail", args=[b.referral.pk]),
        f"{reverse('referrers:dashboard')}?programme={b.programme.pk}",
        f"{reverse('referrers:export')}?programme={b.programme.pk}",
        f"{reverse('referrers:dashboard')}?programme=999999",
        f"{reverse('referrers:export')}?programme=999999",
        reverse("referrers:detail", args=[999999]),
    ):
        assert client_a.get(url).status_code == 404, url
    # and the own ones work
    for url in referrer_urls(a.referral.pk, a.programme.pk):
        assert client_a.get(url).status_code == 200, url


def test_nothing_of_the_other_organisation_appears_on_any_page_or_export(client_a, a, b):
    b_name = b.referral.participant_name
    for url in referrer_urls(a.referral.pk, a.programme.pk):
        body = client_a.get(url).content.decode("utf-8-sig")
        assert b_name not in body, url
        assert b.programme.name.replace("&", "&amp;") not in body and b.programme.name not in body, url
        assert b.partner.name not in body, url


def test_the_export_holds_exactly_the_own_referrals(client_a, a, b):
    second = refer(a, name="Jan Koster", phone="+31612300066")
    response = client_a.get(reverse("referrers:export"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert sorted(line[0] for line in lines[1:]) == sorted([str(a.referral.pk), str(second.pk)])


def test_a_person_referred_by_both_is_seen_by_each_only_through_their_own_referral(client_a, a, b):
    """The library knows one participant; A sees its own referral, with the name A typed, nothing of B's."""
    shared = refer(b, name="Mevrouw S. Aydin", phone="+31612300077")
    mine = refer(a, name="Sevda", phone="+31612300077")
    assert mine.participant == shared.participant
    staff = factories.SuperUserFactory(username="staf")
    run, _sessions = course_run_for(b.programme)
    referral_enrol(referral=shared, user=staff, run=run)

    page = client_a.get(reverse("referrers:dashboard"))
    shown = [row.referral.pk for row in page.context["rows"]]
    assert mine.pk in shown and shared.pk not in shown
    html = page.content.decode()
    assert "Mevrouw S. Aydin" not in html and "Sevda" in html
    detail = client_a.get(reverse("referrers:detail", args=[mine.pk]))
    assert detail.context["row"].next_session is None  # B's course is not A's business
    assert client_a.get(reverse("referrers:detail", args=[shared.pk])).status_code == 404


def test_colleagues_of_one_organisation_share_its_referrals(client, a, b):
    client.force_login(a.colleague.user)
    rows = client.get(reverse("referrers:dashboard")).context["rows"]
    assert [row.referral.pk for row in rows] == [a.referral.pk]


def test_two_municipalities_working_at_the_same_time(a, b):
    client_a, client_b = Client(), Client()
    client_a.force_login(a.consultant.user)
    client_b.force_login(b.consultant.user)
    for _round in range(2):
        rows_a = client_a.get(reverse("referrers:dashboard")).context["rows"]
        rows_b = client_b.get(reverse("referrers:dashboard")).context["rows"]
        assert {row.referral.partner_id for row in rows_a} == {a.partner.pk}
        assert {row.referral.partner_id for row in rows_b} == {b.partner.pk}
        assert client_a.get(reverse("referrers:detail", args=[b.referral.pk])).status_code == 404
        assert client_b.get(reverse("referrers:detail", args=[a.referral.pk])).status_code == 404


def test_anonymous_visitors_get_the_log_in_page(client, a):
    for url in referrer_urls(a.referral.pk, a.programme.pk):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login") + "?next="), url


def test_a_consultant_without_two_step_verification_gets_the_set_up_page(client, a):
    contact = factories.ConsultantFactory(partner=a.partner, totp=False)
    client.force_login(contact.user)
    for url in referrer_urls(a.referral.pk, a.programme.pk):
        assert client.get(url)["Location"] == reverse("mfa_activate_totp"), url


def test_accounts_that_are_not_consultants_get_no_access(client, a):
    for user in (
        factories.SuperUserFactory(username="staf"),
        factories.SuperUserFactory(username="publiek", is_staff=False, is_superuser=False),
    ):
        client.force_login(user)
        for url in referrer_urls(a.referral.pk, a.programme.pk):
            assert client.get(url).status_code == 403, (user, url)


def test_a_contact_whose_account_is_unlinked_loses_access(client, a):
    user = a.consultant.user
    a.consultant.user = None
    a.consultant.save()
    client.force_login(user)
    assert client.get(reverse("referrers:dashboard")).status_code == 403


def test_pages_with_personal_data_are_not_cached(client_a, a):
    response = client_a.get(reverse("referrers:detail", args=[a.referral.pk]))
    assert "no-store" in response["Cache-Control"]


# --- Audit log -------------------------------------------------------------------------------------------


def test_views_exports_and_changes_are_logged(client_a, a):
    events = ReferralAuditEvent.objects.filter(referral=a.referral)
    assert list(events.values_list("action", flat=True)) == [Action.CREATED]

    client_a.get(reverse("referrers:detail", args=[a.referral.pk]))
    client_a.get(reverse("referrers:dashboard"))
    client_a.get(reverse("referrers:export"))
    logged = list(events.order_by("at", "pk").values_list("action", "detail", "user", "partner"))
    user, partner = a.consultant.user_id, a.partner.pk
    assert logged[1:] == [
        (Action.VIEWED, "detail", user, partner),
        (Action.VIEWED, "overview", user, partner),
        (Action.EXPORTED, "csv", user, partner),
    ]

    staff = Client()
    staff_user = factories.SuperUserFactory(username="staf")
    staff.force_login(staff_user)
    staff.get(reverse("admin:partners_referral_change", args=[a.referral.pk]))
    staff.post(reverse("admin:partners_referral_status", args=[a.referral.pk]), {"status": "no_show"})
    assert list(events.filter(user=staff_user).order_by("at", "pk").values_list("action", "partner")) == [
        (Action.VIEWED, None),
        (Action.CHANGED, None),
    ]


def test_the_audit_log_is_read_only_in_the_admin(a):
    staff = Client()
    staff.force_login(factories.SuperUserFactory(username="staf"))
    event = ReferralAuditEvent.objects.filter(referral=a.referral).first()
    assert staff.get(reverse("admin:partners_referralauditevent_changelist")).status_code == 200
    assert staff.get(reverse("admin:partners_referralauditevent_add")).status_code == 403
    page = staff.get(reverse("admin:partners_referralauditevent_change", args=[event.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    staff.post(reverse("admin:partners_referralauditevent_delete", args=[event.pk]), {"post": "yes"})
    assert ReferralAuditEvent.objects.filter(pk=event.pk).exists()


def test_the_audit_log_survives_the_erasure_of_a_participant(a):
    number = a.referral.pk
    a.referral.participant.delete()
    assert ReferralAuditEvent.objects.filter(referral_number=number, referral__isnull=True).exists()


def coordinator_of(library):
    user = factories.SuperUserFactory(username=f"coordinator-{library.slug}", is_superuser=False)
    user.groups.add(staff_groups_ensure()["coordinator"])
    LibraryMembership.objects.create(user=user, library=library)
    client = Client()
    client.force_login(user)
    return client


def test_staff_of_another_library_see_neither_the_referrals_nor_their_log(a):
    elsewhere = coordinator_of(factories.LibraryFactory())
    assert list(elsewhere.get(reverse("admin:index")).context["new_referrals"]) == []
    log = elsewhere.get(reverse("admin:partners_referralauditevent_changelist"))
    assert log.context["cl"].result_count == 0
    assert elsewhere.get(reverse("admin:partners_referral_status", args=[a.referral.pk])).status_code == 404

    own = coordinator_of(a.programme.library)
    assert a.referral in own.get(reverse("admin:index")).context["new_referrals"]
    assert own.get(reverse("admin:partners_referralauditevent_changelist")).context["cl"].result_count >= 1


def test_a_host_sees_no_referrals_on_the_home_page(a):
    user = factories.SuperUserFactory(username="gastheer", is_superuser=False)
    user.groups.add(staff_groups_ensure()["host"])
    LibraryMembership.objects.create(user=user, library=a.programme.library)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("admin:index")).context["new_referrals_count"] == 0


def test_the_demo_consultants_each_see_only_their_own_organisation(client, demo_data, settings):
    settings.PORTAL_REQUIRE_MFA = False  # as with `make run`
    seen = {}
    for slug, name in DEMO_CONSULTANTS:
        contact = PartnerContact.objects.get(partner__slug=slug, name=name)
        response = client.post(reverse("account_login"), {"login": contact.email, "password": STAFF_PASSWORD})
        assert response["Location"] == reverse("referrers:dashboard")
        rows = client.get(reverse("referrers:dashboard")).context["rows"]
        assert rows and {row.referral.partner.slug for row in rows} == {slug}
        seen[slug] = {row.referral.pk for row in rows}
        client.post(reverse("account_logout"))
    assert not set.intersection(*seen.values())
