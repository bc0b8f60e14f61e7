"""The `load_demo_data` command: what a newcomer sees after `make run`, and that it is safe to run again."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from partners.models import Agreement, Referral
from programmes import demo_data
from programmes.models import Library, Programme
from sessions.models import Registration, Session, SessionRole

LIBRARY_NAMES = {
    "Westfriese Bibliotheken",
    "Bibliotheek Amstelland",
    "Bibliotheek Langedijk",
    "BiblioPlus",
    "Bibliotheek Landgraaf-Onderbanken",
}


def load():
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def programme(library_slug, slug):
    return Programme.objects.get(library__slug=library_slug, slug=slug)


@pytest.mark.django_db
def test_loads_the_five_libraries_and_every_programme():
    output = load()

    assert set(Library.objects.values_list("name", flat=True)) == LIBRARY_NAMES
    assert all(library.branches.exists() for library in Library.objects.all())
    for spec in demo_data.PROGRAMMES:
        loaded = programme(spec["library"], spec["slug"])
        assert loaded.name == spec["name"]
        assert loaded.format == spec["format"]
    assert Programme.objects.count() == len(demo_data.PROGRAMMES)
    assert "staf@bibliotheek.example" in output


@pytest.mark.django_db
def test_programmes_keep_the_facts_of_the_interviews():
    load()

    zoek_werk = programme(demo_data.WFB, "zoek-werk")
    assert (zoek_werk.format, zoek_werk.number_of_meetings, zoek_werk.language_level) == ("course", 10, "A1")
    assert zoek_werk.accepts_referrals
    assert list(zoek_werk.referring_partners.values_list("slug", flat=True)) == ["gemeente-drechterland"]

    walk_in = programme(demo_data.LGD, "openleercentrum")
    assert walk_in.is_walk_in and not walk_in.registration_required and not walk_in.accepts_referrals
    assert not Registration.objects.filter(session__programme=walk_in).exists()

    leeskring = programme(demo_data.LGO, "leeskring-relim")
    assert (leeskring.format, leeskring.number_of_meetings, leeskring.default_capacity) == (
        "reading_circle",
        6,
        8,
    )
    begrijp = programme(demo_data.BPL, "begrijp-je-taal")
    assert begrijp.language_group == "NT1"
    assert {"ibn", "gemeente-cuijk"} <= set(begrijp.referring_partners.values_list("slug", flat=True))
    jobon = programme(demo_data.AMS, "jobon-meet-up")
    assert jobon.materials.filter(kind="script").count() >= 2


@pytest.mark.django_db
def test_drechterland_agreement_targets_thirty_a_year_for_three_years():
    load()

    agreement = Agreement.objects.get(partner__slug="gemeente-drechterland")
    assert agreement.target_participants_per_year == 30
    assert agreement.programme == programme(demo_data.WFB, "zoek-werk")
    assert agreement.ends_on.year - agreement.starts_on.year == 3


@pytest.mark.django_db
def test_every_programme_has_upcoming_meetings_in_every_state():
    load()
    now = timezone.now()

    for loaded in Programme.objects.all():
        assert loaded.sessions.filter(starts_at__gte=now).exists(), loaded
        if loaded.is_enrolment:
            assert not loaded.sessions.filter(run__isnull=True).exists(), loaded
            assert loaded.runs.filter(registrations__isnull=False).exists(), loaded
    assert Session.objects.filter(starts_at__lt=now, registrations__status="attended").exists()
    assert Session.objects.filter(starts_at__lt=now, registrations__status="no_show").exists()
    assert Session.objects.filter(status="cancelled").exclude(cancellation_reason="").exists()
    assert Session.objects.filter(status="moved_online").exclude(online_url="").exists()
    assert Registration.objects.filter(status="waitlisted", session__starts_at__gte=now).exists()
    assert {"active", "stopped", "received", "intake_planned", "enrolled"} <= set(
        Referral.objects.values_list("status", flat=True)
    )
    assert Referral.objects.filter(programme__slug="klik-en-tik-werkpleinaa", kind="mandatory").exists()
    assert not Referral.objects.filter(programme__slug="zoek-werk").exclude(kind="voluntary").exists()


@pytest.mark.django_db
def test_langedijk_walk_and_talk_has_a_guest_speaker_every_other_time():
    load()

    sessions = programme(demo_data.LGD, "walk-and-talk").sessions.order_by("starts_at")
    with_speaker = [s.roles.filter(role=SessionRole.Role.SPEAKER).exists() for s in sessions]
    assert with_speaker == [index % 2 == 0 for index in range(len(with_speaker))]
    assert all(s.roles.filter(role=SessionRole.Role.HOST).exists() for s in sessions)


@pytest.mark.django_db
def test_running_twice_changes_no_counts_even_on_a_later_day():
    load()
    first = row_counts()

    assert "nothing new" in load()
    assert row_counts() == first

    later = timezone.now() + timedelta(days=45)
    with mock.patch("django.utils.timezone.now", return_value=later):
        load()
    assert row_counts() == first


@pytest.mark.django_db
def test_every_row_passes_validation():
    load()

    labels = {"programmes", "partners", "people", "programme_sessions"}
    for model in apps.get_models():
        if model._meta.app_label in labels:
            for obj in model._default_manager.all():
                obj.full_clean()


@pytest.mark.django_db
def test_demo_staff_can_log_in_with_the_e_mail_address(client, settings):
    # As with `make run`: the local settings do not require an authenticator app by default.
    settings.PORTAL_REQUIRE_MFA = False
    load()

    user = get_user_model().objects.get(username="staf")
    assert user.is_staff and user.is_superuser
    assert EmailAddress.objects.filter(
        user=user, email="staf@bibliotheek.example", verified=True, primary=True
    )
    response = client.post(
        "/accounts/login/", {"login": "staf@bibliotheek.example", "password": "demo-wachtwoord"}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
