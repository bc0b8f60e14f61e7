"""The public list of free times: cached for anonymous visitors, stale at once after a booking or a
change of hours, and short until the person chooses a library, branch or date."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from appointments import selectors
from appointments.services import appointment_book, block_slots_generate
from tests.factories_appointments import AvailabilityBlockFactory

pytestmark = pytest.mark.django_db

LIST = reverse("appointments:slots")


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def block():
    block = AvailabilityBlockFactory()
    block_slots_generate(block=block)
    return block


def times_in(response):
    return response.content.decode().count('name="tijd"')


def test_a_second_visit_is_served_without_queries(block, django_assert_num_queries):
    count = block.slots.count()
    assert times_in(Client().get(LIST)) == count
    with django_assert_num_queries(0):
        assert times_in(Client().get(LIST)) == count


def test_a_booked_time_is_gone_at_once(block, django_capture_on_commit_callbacks):
    before = times_in(Client().get(LIST))
    slot = block.slots.order_by("starts_at").first()
    with django_capture_on_commit_callbacks(execute=True):
        appointment_book(slot=slot, name="Samira", phone="0612345678", preferred_channel="sms")
    page = Client().get(LIST).content.decode()
    assert page.count('name="tijd"') == before - 1
    assert f'value="{slot.pk}"' not in page


def test_new_hours_show_at_once(block, django_capture_on_commit_callbacks):
    before = times_in(Client().get(LIST))
    with django_capture_on_commit_callbacks(execute=True):
        other = AvailabilityBlockFactory(coach=block.coach, date=block.date + timedelta(days=1))
        block_slots_generate(block=other)
    assert times_in(Client().get(LIST)) == before + other.slots.count()


def test_a_short_list_until_the_person_chooses(block, monkeypatch, settings):
    settings.LANGUAGE_CODE = "en"
    monkeypatch.setattr(selectors, "PUBLIC_SLOT_LIMIT_UNFILTERED", 2)
    assert block.slots.count() > 2
    page = Client().get(LIST, HTTP_ACCEPT_LANGUAGE="en")
    assert times_in(page) == 2
    assert "There are more free times. Choose your library or a date to see them." in page.content.decode()
    chosen = Client().get(LIST, {"library": block.coach.worker.library.slug}, HTTP_ACCEPT_LANGUAGE="en")
    assert times_in(chosen) == block.slots.count()
    assert "There are more free times" not in chosen.content.decode()


def test_a_renamed_branch_shows_at_once(block, django_capture_on_commit_callbacks):
    assert block.branch.name in Client().get(LIST).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        block.branch.name = "Bibliotheek Nieuw-Vennep"
        block.branch.save()
    assert "Bibliotheek Nieuw-Vennep" in Client().get(LIST).content.decode()
