"""Who is on duty: the roster per programme, and the warning for a meeting without a host."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Worker
from sessions.models import SessionRole
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def monday_evenings(programme, branch):
    """Four meetings: a host at each but the last, a guest speaker every other time."""
    host = factories.WorkerFactory(library=programme.library, name="Tereza", kind=Worker.Kind.STAFF)
    speaker = factories.WorkerFactory(
        library=programme.library, name="Gastspreker Sam", kind=Worker.Kind.SPEAKER
    )
    sessions = []
    for week in range(4):
        start = timezone.now() + timedelta(days=7 * week + 1)
        session = factories.SessionFactory(
            programme=programme, branch=branch, starts_at=start, ends_at=start + timedelta(hours=1)
        )
        if week < 3:
            SessionRole.objects.create(session=session, worker=host, role=SessionRole.Role.HOST)
        if week % 2 == 0:
            SessionRole.objects.create(session=session, worker=speaker, role=SessionRole.Role.SPEAKER)
        sessions.append(session)
    return sessions


def test_roster_shows_who_is_on_duty_and_the_speaker_every_other_time(
    english_staff_client, programme, monday_evenings
):
    response = english_staff_client.get(reverse("admin:programmes_programme_roster", args=[programme.pk]))
    assert response.status_code == 200
    rows = response.context["sessions"]
    speakers = [dict(s.on_duty)["speaker"] for s in rows]
    assert [bool(s) for s in speakers] == [True, False, True, False]
    assert response.context["without_host"] == 1
    assert "1 meeting has no host yet." in response.content.decode()


def test_meetings_list_warns_and_filters_meetings_without_a_host(english_staff_client, monday_evenings):
    url = reverse("admin:programme_sessions_session_changelist")
    content = english_staff_client.get(url).content.decode()
    assert "No host!" in content
    without = english_staff_client.get(url, {"host": "no"}).context["cl"].queryset
    assert list(without) == [monday_evenings[3]]


def test_the_home_page_warns_about_a_meeting_without_a_host(english_staff_client, programme, branch):
    start = timezone.now() + timedelta(hours=3)
    factories.SessionFactory(
        programme=programme, branch=branch, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    assert "No host!" in english_staff_client.get(reverse("admin:index")).content.decode()


def test_roster_uses_a_bounded_number_of_queries(
    english_staff_client, programme, monday_evenings, django_assert_max_num_queries
):
    factories.SessionFactory.create_batch(10, programme=programme)
    with django_assert_max_num_queries(12):
        english_staff_client.get(reverse("admin:programmes_programme_roster", args=[programme.pk]))
