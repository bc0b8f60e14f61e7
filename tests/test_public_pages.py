"""The public pages job seekers use: what they show, and the sign-up form's behaviour."""

import json
import re
from datetime import timedelta
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import Registration
from sessions.tokens import registration_token
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(programme, branch):
    start = timezone.localtime() + timedelta(days=1)
    start = start.replace(hour=10, minute=0, second=0, microsecond=0)
    return factories.SessionFactory(
        programme=programme, branch=branch, starts_at=start, ends_at=start + timedelta(hours=1), capacity=3
    )


def valid_data(**overrides):
    return {
        "name": "Fatima",
        "phone": "06-12 34 56 78",
        "preferred_channel": "sms",
        "consent": "on",
        **overrides,
    }


def test_pages_are_dutch_by_default_even_for_an_english_browser(client, session):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en")
    assert response.status_code == 200
    assert '<html lang="nl">' in response.content.decode()


def test_english_when_chosen(client, session):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


def test_home_lists_this_week_per_branch(client, session):
    content = client.get("/").content.decode()
    assert escape(session.programme.name) in content
    assert escape(session.branch.name) in content
    assert session.get_absolute_url() in content


@pytest.mark.parametrize("taken, expected", [(0, "3"), (3, "wachtlijst")])
def test_agenda_shows_places_left_or_the_waiting_list(client, session, taken, expected):
    factories.RegistrationFactory.create_batch(taken, session=session)
    content = client.get("/agenda/").content.decode()
    assert expected in content


def test_agenda_says_walk_in_for_walk_in_hours(client, library, branch):
    walk_in = factories.SessionFactory(
        programme=factories.ProgrammeFactory(library=library, walk_in=True), branch=branch, capacity=None
    )
    content = client.get("/agenda/").content.decode()
    assert escape(walk_in.programme.name) in content
    assert "binnenlopen" in content.lower()


def test_agenda_filters(client, session, library):
    other = factories.SessionFactory(topic="Iets heel anders")
    online = factories.SessionFactory(
        programme=session.programme, branch=None, online_url="https://meet.example/x", topic="Online sessie"
    )
    by_library = client.get("/agenda/", {"library": library.slug}).content.decode()
    assert session.topic in by_library and other.topic not in by_library
    only_online = client.get("/agenda/", {"mode": "online"}).content.decode()
    assert online.topic in only_online and session.topic not in only_online
    next_month = (timezone.localdate() + timedelta(days=60)).isoformat()
    assert session.topic not in client.get("/agenda/", {"week": next_month}).content.decode()


def test_agenda_is_paginated_with_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, programme
):
    factories.SessionFactory.create_batch(30, programme=programme)
    with django_assert_max_num_queries(8):
        response = client.get("/agenda/")
    assert response.status_code == 200
    assert "page=2" in response.content.decode()


def test_agenda_with_a_bad_week_still_answers(client, session):
    response = client.get("/agenda/", {"week": "gisteren"})
    assert response.status_code == 200
    assert "Dit is geen datum" in response.content.decode()


def test_session_page_has_address_route_and_event_data(client, session):
    content = client.get(session.get_absolute_url()).content.decode()
    assert session.branch.street in content
    assert "openstreetmap.org" in content
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1)
    )
    assert data["@type"] == "Event"
    assert data["eventAttendanceMode"].endswith("OfflineEventAttendanceMode")
    assert data["remainingAttendeeCapacity"] == 3
    assert data["isAccessibleForFree"] is True


def test_sign_up_by_phone_then_cancel_through_the_personal_link(client, session):
    response = client.post(session.get_absolute_url(), valid_data())
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert str(registration.participant.phone) == "+31612345678"
    page = client.get(response["Location"])
    assert "Je bent aangemeld" in page.content.decode()

    token = registration_token(registration)
    assert client.get(reverse("sessions:registration_cancel", args=[token])).status_code == 200
    client.post(reverse("sessions:registration_cancel", args=[token]))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_a_tampered_link_is_not_found(client, session):
    client.post(session.get_absolute_url(), valid_data())
    token = registration_token(Registration.objects.get())
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("sessions:registration", args=[tampered])).status_code == 404
    assert client.get(reverse("sessions:registration", args=["made-up"])).status_code == 404


@pytest.mark.parametrize(
    "data, field, message",
    [
        (valid_data(name=""), "name", "Vul je naam in"),
        (valid_data(phone=""), "phone", "telefoonnummer of een e-mailadres"),
        (valid_data(phone="12"), "phone", "06 12345678"),
        (valid_data(phone="", email="niet-een-adres"), "email", "geen e-mailadres"),
        (valid_data(preferred_channel="email"), "email", "e-mailadres"),
        (valid_data(consent=""), "consent", "Zet een vinkje"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_kept(client, session, data, field, message):
    response = client.post(session.get_absolute_url(), data)
    content = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in content
    assert message in content
    assert 'aria-invalid="true"' in content
    if data["name"]:
        assert f'value="{data["name"]}"' in content
    assert not Registration.objects.exists()


def test_the_honeypot_stops_scripts_without_telling_them(client, session):
    response = client.post(session.get_absolute_url(), valid_data(website="http://spam.example"))
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_nothing_typed_ends_up_as_html(client, session):
    response = client.post(
        session.get_absolute_url(), valid_data(name="<script>alert(1)</script>", phone="x")
    )
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()


def test_rate_limit_per_contact(client, session, settings):
    settings.SIGNUP_RATE_PER_CONTACT = "2/h"
    from django.core.cache import cache

    cache.clear()
    others = factories.SessionFactory.create_batch(3, programme=session.programme, branch=session.branch)
    statuses = [client.post(s.get_absolute_url(), valid_data()).status_code for s in others]
    assert statuses == [302, 302, 429]
    assert (
        "Probeer het over een uur" in client.post(others[2].get_absolute_url(), valid_data()).content.decode()
    )


def test_a_past_or_cancelled_meeting_says_so(client, session):
    session.status, session.cancellation_reason = "cancelled", "De zaal is niet beschikbaar."
    session.save()
    content = client.get(session.get_absolute_url()).content.decode()
    assert "afgelast" in content.lower()
    assert 'name="consent"' not in content


def test_calendar_file_and_feeds(client, session):
    ics = client.get(reverse("sessions:ics", args=[session.pk]))
    body = ics.content.decode()
    assert ics["Content-Type"].startswith("text/calendar")
    assert f"UID:session-{session.pk}@" in body
    assert "BEGIN:VTIMEZONE" in body and "TZID:Europe/Amsterdam" in body
    assert "DTSTAMP:" in body
    branch_feed = client.get(
        reverse("sessions:branch_feed", args=[session.branch.library.slug, session.branch.slug])
    ).content.decode()
    assert f"UID:session-{session.pk}@" in branch_feed
    programme_feed = client.get(
        reverse("programmes:feed", args=[session.programme.library.slug, session.programme.slug])
    ).content.decode()
    assert f"UID:session-{session.pk}@" in programme_feed


def test_hsds_export_lists_programmes_as_services(client, session):
    data = client.get(reverse("programmes:hsds")).json()
    organisation = next(o for o in data["organizations"] if o["name"] == session.programme.library.name)
    assert organisation["services"][0]["name"] == session.programme.name
    assert organisation["locations"][0]["addresses"][0]["postal_code"] == session.branch.postcode
    assert "participants" not in json.dumps(data)


def test_the_online_link_is_only_for_confirmed_people(client, programme):
    online = factories.SessionFactory(
        programme=programme, branch=None, online_url="https://meet.example/geheim"
    )
    assert "meet.example/geheim" not in client.get(online.get_absolute_url()).content.decode()
    response = client.post(online.get_absolute_url(), valid_data())
    assert "meet.example/geheim" in client.get(response["Location"]).content.decode()


def test_guest_speakers_appear_only_when_staff_choose_to_show_them(client, session):
    speaker = factories.WorkerFactory(
        library=session.programme.library, name="Sam Carrièreswitch", kind="speaker", phone="+31612345678"
    )
    factories.SessionRoleFactory(session=session, worker=speaker, role="speaker")
    assert "Sam Carrièreswitch" not in client.get(session.get_absolute_url()).content.decode()
    session.show_speakers = True
    session.save()
    content = client.get(session.get_absolute_url()).content.decode()
    assert "Gastspreker: Sam Carrièreswitch" in content
    assert "612345678" not in content


def test_with_many_libraries_the_agenda_lists_branches_of_the_chosen_library_only(client, session):
    factories.BranchFactory.create_batch(9)  # nine more libraries, one branch each
    content = client.get("/agenda/").content.decode()
    assert "Kies eerst een bibliotheek." in content
    assert escape(session.branch.name) not in content.split('name="branch"')[1].split("</select>")[0]
    chosen = client.get("/agenda/", {"library": session.programme.library.slug}).content.decode()
    options = chosen.split('name="branch"')[1].split("</select>")[0]
    assert escape(session.branch.name) in options
    assert options.count("<option") == 2  # "All branches" and the library's one branch
