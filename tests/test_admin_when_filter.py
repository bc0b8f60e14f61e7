"""The admin meetings list filters by when (instead of a date hierarchy that scans every meeting).

It opens on the meetings to come, soonest first; the past ones come latest first.
"""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


def at(day, hour=10):
    start = timezone.make_aware(datetime.combine(day, time(hour)))
    return {"starts_at": start, "ends_at": start + timedelta(hours=1)}


@pytest.fixture
def meetings(programme, branch):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    make = lambda day, topic: factories.SessionFactory(  # noqa: E731
        programme=programme, branch=branch, topic=topic, **at(day)
    )
    return {
        "last week": make(monday - timedelta(days=3), "last week"),
        "next week": make(monday + timedelta(days=8), "next week"),
        "in two months": make(today + timedelta(days=62), "in two months"),
    }


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("coming", {"next week", "in two months"}),
        ("past", {"last week"}),
        ("next_week", {"next week"}),
        ("all", {"last week", "next week", "in two months"}),
        ("", {"next week", "in two months"}),
    ],
)
def test_when_filter(staff_client, meetings, when, expected):
    url = reverse("admin:programme_sessions_session_changelist")
    response = staff_client.get(url, {"when": when} if when else {})
    assert response.status_code == 200
    assert {session.topic for session in response.context["cl"].result_list} == expected


def test_the_list_opens_on_what_is_coming_and_says_so(staff_client, meetings):
    response = staff_client.get(reverse("admin:programme_sessions_session_changelist"))
    assert [session.topic for session in response.context["cl"].result_list] == ["next week", "in two months"]
    page = response.content.decode()
    assert '<li class="selected">\n    <a href="?when=coming"' in page
    assert 'href="?when=all"' in page


def test_past_meetings_come_latest_first(staff_client, programme, branch, meetings):
    earlier = factories.SessionFactory(
        programme=programme,
        branch=branch,
        topic="a month ago",
        **at(timezone.localdate() - timedelta(days=30)),
    )
    response = staff_client.get(reverse("admin:programme_sessions_session_changelist"), {"when": "past"})
    assert [session.topic for session in response.context["cl"].result_list] == ["last week", earlier.topic]


def test_registrations_list_shows_the_latest_first(staff_client, programme, branch):
    session = factories.SessionFactory(programme=programme, branch=branch)
    first = factories.RegistrationFactory(session=session)
    latest = factories.RegistrationFactory(session=session)
    response = staff_client.get(reverse("admin:programme_sessions_registration_changelist"))
    assert list(response.context["cl"].result_list) == [latest, first]
