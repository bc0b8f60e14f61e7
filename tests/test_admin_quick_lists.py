"""The meetings and registrations lists do less work per page (portal.quick_admin.QuickListMixin) and show the
same page: the HTML is compared with what Django's own changelist renders for the same rows."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse
from django.utils import timezone

from people.personal_data import erase
from portal import scoping
from portal.rendered import RenderedOnce
from portal.scoping import CHOICE_LABEL_FIELDS, RenderedOnceFilterMixin, choice_labels
from programmes.models import LibraryMembership
from sessions.models import Registration, Session, SessionRole
from tests import factories

pytestmark = pytest.mark.django_db

SESSIONS = reverse("admin:programme_sessions_session_changelist")
REGISTRATIONS = reverse("admin:programme_sessions_registration_changelist")


@pytest.fixture
def rows(programme, branch, partner_site, course_programme):
    """Meetings of every kind of place and host, and sign-ups of every kind, in two libraries."""
    start = timezone.now() + timedelta(days=1)

    def at(hours):
        return {"starts_at": start + timedelta(hours=hours), "ends_at": start + timedelta(hours=hours + 1)}

    at_branch = factories.SessionFactory(programme=programme, branch=branch, topic="Cv & <brief>", **at(0))
    factories.SessionRoleFactory(session=at_branch, role=SessionRole.Role.HOST)
    factories.SessionRoleFactory(session=at_branch, role=SessionRole.Role.HOST)
    factories.SessionRoleFactory(session=at_branch, role=SessionRole.Role.SPEAKER)
    at_site = factories.SessionFactory(programme=programme, branch=None, partner_site=partner_site, **at(2))
    online = factories.SessionFactory(
        programme=programme, branch=None, online_url="https://meet.example/x", capacity=None, **at(4)
    )
    factories.SessionFactory(
        programme=programme, branch=branch, status="cancelled", cancellation_reason="Ziek", **at(6)
    )
    run = factories.CourseRunFactory(programme=course_programme, capacity=12)
    factories.SessionFactory(programme=course_programme, run=run, branch=branch, capacity=None, **at(8))
    for session in (at_branch, at_site, online):
        factories.RegistrationFactory(session=session)
    factories.RegistrationFactory(session=at_branch, status=Registration.Status.WAITLISTED)
    factories.RegistrationFactory(session=None, run=run)
    gone = factories.RegistrationFactory(session=at_site, participant__name="Iemand Anders")
    erase(gone.participant)
    other = factories.LibraryFactory(name="Bibliotheek Elders")
    factories.SessionFactory(programme=factories.ProgrammeFactory(library=other), **at(10))


def _page(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


@pytest.fixture
def django_rendering(monkeypatch):
    """Switch the quick ways off: Django's changelist, checkbox, filter template and full rows."""

    def switch_off():
        for model in (Session, Registration):
            model_admin = admin.site._registry[model]
            monkeypatch.setattr(model_admin, "change_list_template", None)
            monkeypatch.setattr(model_admin, "get_changelist", lambda request, **kwargs: ChangeList)
            plain_checkbox = admin.ModelAdmin.action_checkbox.__get__(model_admin)
            monkeypatch.setattr(model_admin, "action_checkbox", plain_checkbox)
            monkeypatch.setattr(model_admin, "list_only", ())
        monkeypatch.setattr(RenderedOnceFilterMixin, "template", "admin/filter.html")

    return switch_off


PAGES = [
    (SESSIONS, {}),
    (SESSIONS, {"when": "coming", "o": "-7"}),
    (SESSIONS, {"q": "Cv"}),
    (REGISTRATIONS, {}),
    (REGISTRATIONS, {"status__exact": "confirmed"}),
]


def test_the_lists_render_as_django_renders_them(staff_client, rows, django_rendering, monkeypatch):
    for number in (50, 2):  # one page, then several (links keep the list's filters)
        for model in (Session, Registration):
            monkeypatch.setattr(admin.site._registry[model], "list_per_page", number)
        quick = [_page(staff_client, url, params) for url, params in PAGES]
        quick_again = [_page(staff_client, url, params) for url, params in PAGES]  # from the kept HTML
        with monkeypatch.context() as switched:
            switched.setattr(scoping, "_RENDERED_FILTERS", RenderedOnce())
            django_rendering()
            plain = [_page(staff_client, url, params) for url, params in PAGES]
        for (url, params), mine, again, django in zip(PAGES, quick, quick_again, plain, strict=True):
            assert mine == django, f"{url} {params}"
            assert again == django, f"{url} {params}"
        assert "current-model" in quick[0] and 'href="/admin/programme_sessions/session/"' in quick[0]


def test_the_checkbox_is_djangos(rows):
    for model in (Session, Registration):
        model_admin = admin.site._registry[model]
        for obj in model.objects.all():
            assert model_admin.action_checkbox(obj) == admin.ModelAdmin.action_checkbox(model_admin, obj)


def test_the_sessions_list_reads_no_more_than_it_shows(staff_client, rows, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = staff_client.get(SESSIONS)
    session = next(s for s in response.context["cl"].result_list if s.topic == "Cv & <brief>")
    assert {"description", "cancellation_reason", "room"} <= session.get_deferred_fields()
    assert len(session.host_roles) == 2


def test_filter_choice_labels_are_the_models_names(rows):
    from tests.factories_appointments import CoachProfileFactory

    CoachProfileFactory.create_batch(2)
    for label in CHOICE_LABEL_FIELDS:
        from django.apps import apps

        model = apps.get_model(label)
        queryset = model._default_manager.order_by("pk")
        assert queryset.exists(), label
        assert choice_labels(queryset) == [(obj.pk, str(obj)) for obj in queryset]


def test_the_library_filter_of_sign_ups_lists_the_staff_members_own_libraries(client, rows, library):
    user = factories.SuperUserFactory(username="coordinator", is_superuser=False)
    user.user_permissions.add(*_view_permissions())
    LibraryMembership.objects.create(user=user, library=library)
    client.force_login(user)
    response = client.get(REGISTRATIONS)
    html = response.content.decode()
    assert f"?library={library.pk}" in html
    assert "Bibliotheek Elders" not in html


def _view_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename__in=["view_registration", "view_session"])
