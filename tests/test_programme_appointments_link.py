"""A programme of one-to-one appointments leads to the free times of its library's coaches."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_appointment_programme_links_to_free_times():
    programme = factories.ProgrammeFactory(format="appointments", rhythm="by_appointment")
    page = Client().get(programme.get_absolute_url())
    assert page.status_code == 200
    assert f"{reverse('appointments:slots')}?library={programme.library.slug}" in page.content.decode()


def test_group_meeting_programme_has_no_coach_link():
    programme = factories.ProgrammeFactory()
    assert (
        f"{reverse('appointments:slots')}?library="
        not in Client().get(programme.get_absolute_url()).content.decode()
    )
