"""Every page of the staff admin opens, the index shows the week, and long lists stay cheap."""

import re
from datetime import timedelta
from importlib import import_module
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from messaging.models import MessageTemplate, OutboxMessage
from partners.models import (
    Agreement,
    PartnerContact,
    PartnerOrganisation,
    PartnerSite,
    Referral,
    ReferralAuditEvent,
)
from people.models import Consent, Participant, Worker
from programmes.models import Branch, Library, Programme, ProgrammeMaterial
from sessions.models import CourseRun, Registration, Session, SessionRole, WalkInVisit
from tests import factories

pytestmark = pytest.mark.django_db

# Models without a factory of ours (Django's and allauth's own) get a row made here.
PROJECT_FACTORIES = {
    Library: factories.LibraryFactory,
    Branch: factories.BranchFactory,
    Programme: factories.ProgrammeFactory,
    ProgrammeMaterial: factories.ProgrammeMaterialFactory,
    PartnerOrganisation: factories.PartnerOrganisationFactory,
    PartnerSite: factories.PartnerSiteFactory,
    PartnerContact: factories.PartnerContactFactory,
    Agreement: factories.AgreementFactory,
    Referral: factories.ReferralFactory,
    ReferralAuditEvent: factories.ReferralAuditEventFactory,
    Participant: factories.ParticipantFactory,
    Consent: factories.ConsentFactory,
    Worker: factories.WorkerFactory,
    CourseRun: factories.CourseRunFactory,
    Session: factories.SessionFactory,
    SessionRole: factories.SessionRoleFactory,
    Registration: factories.RegistrationFactory,
    WalkInVisit: factories.WalkInVisitFactory,
    MessageTemplate: factories.MessageTemplateFactory,
    OutboxMessage: factories.OutboxMessageFactory,
}
# Apps added later keep their factories in tests/factories_<app>.py with a FACTORIES = {Model: Factory}.
for _module in sorted(Path(__file__).parent.glob("factories_*.py")):
    PROJECT_FACTORIES.update(import_module(f"tests.{_module.stem}").FACTORIES)


def make_row(model, superuser):
    if model in PROJECT_FACTORIES:
        return PROJECT_FACTORIES[model]()
    label = model._meta.label
    if label == "auth.Group":
        return Group.objects.create(name="Coördinatoren")
    if label == "account.EmailAddress":
        return model.objects.create(user=superuser, email=superuser.email, primary=True, verified=True)
    if label == "mfa.Authenticator":
        return model.objects.create(
            user=superuser, type="recovery_codes", data={"seed": "0" * 40, "used_mask": 0}
        )
    return None


REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
REGISTERED_IDS = [model._meta.label for model, _ in REGISTERED]


@pytest.fixture
def every_model_has_a_row(demo_data_for_class, superuser):
    """One row of every model (demo data when the command exists, else factories). Returns {model: row}."""
    rows = {}
    for model in [*PROJECT_FACTORIES, *(m for m, _ in REGISTERED)]:
        row = model._default_manager.order_by("pk").first() or make_row(model, superuser)
        rows[model] = row
    return rows


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_project_model_is_in_the_admin():
    registered = {model for model, _ in REGISTERED}
    # SessionRole is edited as an inline of a meeting, not on its own page.
    assert set(PROJECT_FACTORIES) - registered == {SessionRole}


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=REGISTERED_IDS)
class TestEveryAdminPage:
    def test_changelist(self, staff_client, every_model_has_a_row, model, model_admin):
        response = staff_client.get(admin_url(model, "changelist"))
        assert response.status_code == 200
        assert response.context["cl"].result_count >= 1

    def test_changelist_search(self, staff_client, every_model_has_a_row, model, model_admin):
        response = staff_client.get(admin_url(model, "changelist"), {"q": "x"})
        assert response.status_code == 200
        assert response.context["cl"].query == "x"

    def test_add_page(self, staff_client, superuser, every_model_has_a_row, model, model_admin, rf):
        request = rf.get("/")
        request.user = superuser
        response = staff_client.get(admin_url(model, "add"))
        if not model_admin.has_add_permission(request):
            # Rows made by the system only (outgoing messages): the add page is refused on purpose.
            assert response.status_code == 403
            return
        assert response.status_code == 200
        assert response.context["add"] is True

    def test_change_page(self, staff_client, every_model_has_a_row, model, model_admin):
        row = every_model_has_a_row[model]
        if row is None:
            pytest.fail(f"No row for {model._meta.label}: add it to make_row() in this module.")
        response = staff_client.get(admin_url(model, "change", row.pk))
        assert response.status_code == 200
        assert response.context["original"] == row


def test_admin_needs_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_search_finds_participant_by_phone_and_email(staff_client):
    wanted = factories.ParticipantFactory(name="Fatima", phone="+31612345678", email="fatima@mail.example")
    factories.ParticipantFactory(name="Henk")
    for query in ["+31612345678", "fatima@mail", "Fatima"]:
        response = staff_client.get(admin_url(Participant, "changelist"), {"q": query})
        assert list(response.context["cl"].result_list) == [wanted], query


def test_search_finds_registration_by_participant_and_topic(staff_client):
    wanted = factories.RegistrationFactory(session__topic="Pitch oefenen", participant__name="Gerda")
    factories.RegistrationFactory(session__topic="Cv maken", participant__name="Wim")
    for query in ["Gerda", "Pitch"]:
        response = staff_client.get(admin_url(Registration, "changelist"), {"q": query})
        assert list(response.context["cl"].result_list) == [wanted], query


# --- The index: this week's meetings -------------------------------------------------------------


def start_of_today():
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def test_index_shows_this_weeks_meetings_and_how_full(english_staff_client, programme, branch):
    soon = timezone.now() + timedelta(hours=1)
    session = factories.SessionFactory(
        programme=programme,
        branch=branch,
        starts_at=soon,
        ends_at=soon + timedelta(minutes=90),
        capacity=12,
        topic="Het sollicitatiespel",
    )
    factories.RegistrationFactory.create_batch(3, session=session)
    factories.RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)
    factories.RegistrationFactory(
        session=session, status=Registration.Status.CANCELLED, cancelled_at=timezone.now()
    )
    later = factories.SessionFactory(
        programme=programme, branch=branch, topic="Volgende maand"
    )  # 8 days away
    earlier = factories.SessionFactory(
        programme=programme,
        branch=branch,
        starts_at=start_of_today() - timedelta(hours=2),
        ends_at=start_of_today() - timedelta(hours=1),
        topic="Gisteren",
    )

    response = english_staff_client.get(reverse("admin:index"))

    assert response.status_code == 200
    week = response.context["week_sessions"]
    assert [s.pk for s in week] == [session.pk]
    assert (week[0].seats_taken, week[0].waitlist_size, week[0].fill_percent) == (3, 1, 25)
    html = response.content.decode()
    assert "Het sollicitatiespel" in html
    assert reverse("admin:programme_sessions_session_change", args=[session.pk]) in html
    assert "3 of 12" in html
    assert re.search(r'<meter min="0" max="12" value="3"[^>]*>25%</meter>', html)
    assert "1 on the waiting list" in html
    assert str(branch) in html
    assert later.topic not in html and earlier.topic not in html


def test_index_week_overview_for_walk_in_online_and_cancelled(english_staff_client, library):
    soon = timezone.now() + timedelta(hours=2)
    walk_in = factories.ProgrammeFactory(library=library, walk_in=True, name="Open leercentrum")
    factories.SessionFactory(
        programme=walk_in, starts_at=soon, ends_at=soon + timedelta(hours=1), capacity=None
    )
    online = factories.SessionFactory(
        starts_at=soon, ends_at=soon + timedelta(hours=1), branch=None, online_url="https://meet.example/wt"
    )
    cancelled = factories.SessionFactory(
        starts_at=soon,
        ends_at=soon + timedelta(hours=1),
        status=Session.Status.CANCELLED,
        cancellation_reason="De spreker is ziek.",
    )

    response = english_staff_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert len(response.context["week_sessions"]) == 3
    html = response.content.decode()
    assert "Walk in, no sign-up" in html
    assert "Online" in html
    assert '<tr class="cancelled">' in html
    assert "<strong>Cancelled</strong>" in html
    assert escape(online.programme.name) in html and escape(cancelled.programme.name) in html


def test_index_counts_course_enrolments_for_a_course_meeting(english_staff_client, course_programme, branch):
    soon = timezone.now() + timedelta(hours=1)
    run = factories.CourseRunFactory(programme=course_programme, capacity=12)
    factories.SessionFactory(
        programme=course_programme,
        run=run,
        branch=branch,
        starts_at=soon,
        ends_at=soon + timedelta(hours=2),
        capacity=12,
    )
    factories.RegistrationFactory.create_batch(5, session=None, run=run)

    response = english_staff_client.get(reverse("admin:index"))

    assert response.status_code == 200
    (week_session,) = response.context["week_sessions"]
    assert week_session.seats_taken == 5
    assert "5 of 12" in response.content.decode()


def test_index_with_an_empty_week(english_staff_client):
    response = english_staff_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["week_sessions"] == []
    assert "No meetings in the coming seven days." in response.content.decode()


# --- Long lists stay cheap -----------------------------------------------------------------------

# Session, user and permission look-ups, counts, filters, date hierarchy and the rows themselves.
MAX_CHANGELIST_QUERIES = 12


def fill_sessions(programme, branch, how_many):
    """Meetings at a branch, at a partner site and online, each with sign-ups, a waiting list and a host."""
    site = factories.PartnerSiteFactory()
    for i in range(how_many):
        place = [
            {"branch": branch},
            {"branch": None, "partner_site": site},
            {"branch": None, "online_url": "https://meet.example/wt"},
        ][i % 3]
        session = factories.SessionFactory(programme=programme, **place)
        factories.RegistrationFactory.create_batch(2, session=session)
        factories.RegistrationFactory(session=session, status=Registration.Status.WAITLISTED)
        factories.SessionRoleFactory(session=session)
    run = factories.CourseRunFactory(programme__library=programme.library)
    factories.RegistrationFactory.create_batch(how_many, session=None, run=run)


def changelist_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.context["cl"].result_count


@pytest.mark.parametrize("model", [Session, Registration, CourseRun], ids=lambda m: m._meta.label)
def test_changelist_queries_do_not_grow_with_rows(
    staff_client, programme, branch, model, django_assert_max_num_queries
):
    url = admin_url(model, "changelist")
    fill_sessions(programme, branch, 2)
    few_queries, few_rows = changelist_queries(staff_client, url)

    fill_sessions(programme, branch, 30)
    with django_assert_max_num_queries(MAX_CHANGELIST_QUERIES):
        response = staff_client.get(url)
    assert response.status_code == 200
    many_queries, many_rows = changelist_queries(staff_client, url)

    assert many_rows > few_rows
    assert many_queries == few_queries
