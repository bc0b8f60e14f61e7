"""Each library sees its own: staff of one library never reach another library's rows in the admin."""

import pytest
from django.contrib import admin
from django.urls import reverse

from messaging.models import MessageTemplate, OutboxMessage
from portal.scoping import SCOPE_PATHS, scope_queryset
from portal.staff_groups import staff_groups_ensure
from programmes.models import LibraryMembership, Programme
from sessions.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db


def library_world(name):
    """One row of every model that belongs to a library, all in one new library."""
    library = factories.LibraryFactory(name=f"Bibliotheek {name}", slug=name.lower())
    branch = factories.BranchFactory(library=library)
    programme = factories.ProgrammeFactory(library=library, default_branch=branch)
    partner = factories.PartnerOrganisationFactory(name=f"Gemeente {name}", slug=f"gemeente-{name.lower()}")
    partner.libraries.add(library)
    session = factories.SessionFactory(programme=programme, branch=branch)
    registration = factories.RegistrationFactory(session=session, participant__name=f"Deelnemer {name}")
    run = factories.CourseRunFactory(programme=factories.ProgrammeFactory(library=library, course=True))
    rows = {
        "library": library,
        "branch": branch,
        "programme": programme,
        "material": factories.ProgrammeMaterialFactory(programme=programme),
        "partner": partner,
        "site": factories.PartnerSiteFactory(partner=partner),
        "contact": factories.PartnerContactFactory(partner=partner),
        "agreement": factories.AgreementFactory(library=library, partner=partner),
        "referral": factories.ReferralFactory(library=library, partner=partner),
        "participant": registration.participant,
        "consent": factories.ConsentFactory(participant=registration.participant),
        "worker": factories.WorkerFactory(library=library),
        "run": run,
        "session": session,
        "role": factories.SessionRoleFactory(session=session),
        "registration": registration,
        "run_registration": factories.RegistrationFactory(session=None, run=run),
        "message": factories.OutboxMessageFactory(registration=registration),
        "template": MessageTemplate.objects.create(
            library=library, kind="reminder", language="nl", subject="Hoi", body="Hallo {{ name }}"
        ),
    }
    return rows


@pytest.fixture
def worlds(db):
    return library_world("Aadorp"), library_world("Beekdorp")


@pytest.fixture
def coordinator_client(client, worlds):
    user = factories.SuperUserFactory(username="coordinator", is_superuser=False)
    user.groups.add(staff_groups_ensure()["coordinator"])
    LibraryMembership.objects.create(user=user, library=worlds[0]["library"])
    client.force_login(user)
    client.user = user
    return client


SCOPED_ADMINS = [
    (model, model_admin)
    for model, model_admin in admin.site._registry.items()
    if model._meta.label in SCOPE_PATHS
]
IDS = [model._meta.label for model, _ in SCOPED_ADMINS]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def rows_of(world, model):
    return [row for row in world.values() if type(row) is model]


@pytest.mark.parametrize(("model", "model_admin"), SCOPED_ADMINS, ids=IDS)
def test_changelist_shows_only_the_own_library(coordinator_client, worlds, model, model_admin):
    own, other = worlds
    response = coordinator_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
    assert {row.pk for row in rows_of(own, model)} <= shown
    assert not {row.pk for row in rows_of(other, model)} & shown
    # The count in the header agrees (big lists show only the filtered count, which here is all).
    cl = response.context["cl"]
    assert (cl.full_result_count if model_admin.show_full_result_count else cl.result_count) == len(shown)


@pytest.mark.parametrize(("model", "model_admin"), SCOPED_ADMINS, ids=IDS)
def test_another_librarys_change_page_is_out_of_reach(coordinator_client, worlds, model, model_admin):
    own, other = worlds
    for row in rows_of(other, model):
        response = coordinator_client.get(admin_url(model, "change", row.pk))
        # The admin treats it as not existing: back to the index, nothing of the row shown.
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert response["Location"] == reverse("admin:index")
        assert coordinator_client.post(admin_url(model, "delete", row.pk), {"post": "yes"}).status_code in (
            302,
            404,
        )
        assert model.objects.filter(pk=row.pk).exists()
    for row in rows_of(own, model):
        assert coordinator_client.get(admin_url(model, "change", row.pk)).status_code == 200


AUTOCOMPLETE_FIELDS = [
    (model, field)
    for model, model_admin in admin.site._registry.items()
    for field in model_admin.autocomplete_fields
    if model._meta.get_field(field).related_model._meta.label in SCOPE_PATHS
]


@pytest.mark.parametrize(
    ("model", "field"), AUTOCOMPLETE_FIELDS, ids=[f"{m._meta.label}.{f}" for m, f in AUTOCOMPLETE_FIELDS]
)
def test_autocomplete_offers_only_the_own_library(coordinator_client, worlds, model, field):
    own, other = worlds
    target = model._meta.get_field(field).related_model
    response = coordinator_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field,
            "term": "",
        },
    )
    assert response.status_code == 200
    offered = {int(result["id"]) for result in response.json()["results"]}
    assert not offered & {row.pk for row in rows_of(other, target)}
    assert offered <= set(
        scope_queryset(target.objects.all(), coordinator_client.user).values_list("pk", flat=True)
    )


def test_form_choices_offer_only_the_own_library(coordinator_client, worlds):
    own, other = worlds
    form = coordinator_client.get(admin_url(type(own["session"]), "add")).context["adminform"].form
    offered = set(form.fields["programme"].queryset)
    assert offered == set(Programme.objects.filter(library=own["library"]))
    assert other["programme"] not in offered
    response = coordinator_client.post(
        admin_url(type(own["session"]), "add"),
        {"programme": other["programme"].pk, "branch": other["branch"].pk, "status": "scheduled"},
    )
    assert response.status_code == 200
    assert "programme" in response.context["adminform"].form.errors


def test_actions_cannot_touch_another_library(coordinator_client, worlds):
    own, other = worlds
    coordinator_client.post(
        admin_url(Registration, "changelist"),
        {"action": "cancel_registrations", "_selected_action": [other["registration"].pk]},
    )
    other["registration"].refresh_from_db()
    assert other["registration"].status == Registration.Status.CONFIRMED


def test_the_home_page_counts_only_the_own_library(coordinator_client, worlds):
    own, other = worlds
    for world in worlds:
        OutboxMessage.objects.filter(pk=world["message"].pk).update(status="failed")
    response = coordinator_client.get(reverse("admin:index"))
    assert response.context["failed_messages"] == 1
    assert set(response.context["week_sessions"]) <= {own["session"]}


def test_a_staff_member_without_a_library_sees_nothing(client, worlds):
    user = factories.SuperUserFactory(username="nieuw", is_superuser=False)
    user.groups.add(staff_groups_ensure()["coordinator"])
    client.force_login(user)
    response = client.get(admin_url(Registration, "changelist"))
    assert response.context["cl"].result_count == 0


def test_superusers_see_every_library(staff_client, worlds):
    response = staff_client.get(admin_url(Registration, "changelist"))
    assert response.context["cl"].result_count == 4


def test_a_volunteer_sees_meetings_but_cannot_change_programmes(client, worlds):
    user = factories.SuperUserFactory(username="vrijwilliger", is_superuser=False)
    user.groups.add(staff_groups_ensure()["host"])
    LibraryMembership.objects.create(user=user, library=worlds[0]["library"])
    client.force_login(user)
    assert client.get(admin_url(type(worlds[0]["session"]), "changelist")).status_code == 200
    assert (
        client.get(admin_url(type(worlds[0]["programme"]), "change", worlds[0]["programme"].pk)).status_code
        == 200
    )
    response = client.post(
        admin_url(type(worlds[0]["programme"]), "change", worlds[0]["programme"].pk), {"name": "Anders"}
    )
    assert response.status_code == 403
