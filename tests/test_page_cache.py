"""Public pages are cached for anonymous visitors, with each visitor's own CSRF token, and go stale on change."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from sessions.models import Registration
from sessions.services import registration_create
from tests import factories
from tests.test_public_pages import valid_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def session(db):
    return factories.SessionFactory(capacity=3, topic="Je cv in één middag")


def token_in(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.parametrize("path", ["/", "/agenda/", "session"])
def test_a_second_visit_is_served_without_queries(session, path, django_assert_num_queries):
    url = session.get_absolute_url() if path == "session" else path
    first = Client().get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = Client().get(url)
    assert second.status_code == 200
    assert second.content.replace(token_in(second).encode(), b"") == first.content.replace(
        token_in(first).encode(), b""
    )


def test_each_visitor_gets_a_token_that_works_for_them(session):
    Client().get(session.get_absolute_url())  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(session.get_absolute_url())
    assert "csrftoken" in page.cookies
    response = visitor.post(
        session.get_absolute_url(), {**valid_data(), "csrfmiddlewaretoken": token_in(page)}
    )
    assert response.status_code == 302
    assert Registration.objects.filter(session=session).count() == 1


def seats_text(response):
    return re.search(r'<span class="seats-free">.*?</span>', response.content.decode(), re.S).group(0)


def test_a_sign_up_shows_at_once_on_the_meeting_page(session, django_capture_on_commit_callbacks):
    english = {"HTTP_COOKIE": "django_language=en"}
    assert "3 places left" in seats_text(Client().get(session.get_absolute_url(), **english))
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(session=session, name="Ahmed", phone="0612345679", preferred_channel="sms")
    assert "2 places left" in seats_text(Client().get(session.get_absolute_url(), **english))


def test_a_changed_meeting_shows_at_once_on_the_agenda(session, django_capture_on_commit_callbacks):
    assert "Je cv in één middag" in Client().get("/agenda/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        session.topic = "Sollicitatiegesprek oefenen"
        session.save()
    page = Client().get("/agenda/").content.decode()
    assert "Sollicitatiegesprek oefenen" in page


def test_logged_in_people_always_get_a_live_page(session, staff_client, django_assert_max_num_queries):
    Client().get("/agenda/")  # cached for anonymous visitors
    with django_assert_max_num_queries(30) as queries:
        response = staff_client.get("/agenda/")
    assert response.status_code == 200
    assert any("programme_sessions_session" in query["sql"] for query in queries.captured_queries)


def test_off_when_set_to_zero(session, settings, django_assert_max_num_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    Client().get("/agenda/")
    with django_assert_max_num_queries(20) as queries:
        Client().get("/agenda/")
    assert len(queries) > 0


def test_a_form_with_mistakes_is_never_the_cached_empty_form(session, programme, branch):
    other = factories.SessionFactory(programme=programme, branch=branch)
    Client().get(other.get_absolute_url())  # the empty form is now cached
    english = {"HTTP_COOKIE": "django_language=en"}
    response = Client().post(session.get_absolute_url(), valid_data(name="", phone="12"), **english)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="12"' in page  # what was typed is kept
    assert "is-invalid" in page


def test_a_renamed_partner_site_shows_at_once(partner_site, django_capture_on_commit_callbacks):
    session = factories.SessionFactory(branch=None, partner_site=partner_site, topic="Bij de partner")
    url = session.get_absolute_url()
    assert partner_site.name in Client().get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        partner_site.name = "Buurthuis De Schakel"
        partner_site.save()
    assert "Buurthuis De Schakel" in Client().get(url).content.decode()
