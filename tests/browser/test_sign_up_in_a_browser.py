"""A person finds a meeting, signs up with a phone number and cancels, in a real browser."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sessions.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def session(db):
    programme = factories.ProgrammeFactory(name="Walk & Talk", slug="walk-talk")
    start = (timezone.localtime() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    return factories.SessionFactory(
        programme=programme,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=10,
        topic="Je pitch",
    )


def test_from_the_home_page_to_a_seat_by_phone_and_back_out(live_server, page, session):
    page.goto(live_server.url)
    page.get_by_role("link", name="Aanmelden").first.click()
    page.wait_for_url(f"**{session.get_absolute_url()}*")  # title() does not wait for the new page
    assert "Walk & Talk" in page.title()

    page.get_by_label("Je naam").fill("Samira")
    page.get_by_label("Je telefoonnummer").fill("06 12345678")
    page.get_by_label("Ik vind het goed", exact=False).check()
    page.get_by_role("button", name="Meld mij aan").click()

    page.get_by_role("heading", name="Je bent aangemeld!").wait_for()
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert str(registration.participant.phone) == "+31612345678"

    page.get_by_role("link", name="Ik kan niet komen").click()
    page.get_by_role("button", name="Ja, meld mij af").click()
    page.get_by_role("heading", name="Je bent afgemeld").wait_for()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_sign_up_by_keyboard_alone_with_javascript_off(live_server, browser, session):
    context = browser.new_context(
        java_script_enabled=False, locale="nl-NL", viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    page.goto(live_server.url + session.get_absolute_url())
    page.focus("#id_name")
    page.keyboard.type("Piet")
    page.keyboard.press("Tab")
    page.keyboard.type("0612345679")
    # Tab on through e-mail, the channel choice and the help field to the consent box.
    while page.evaluate("document.activeElement.id") != "id_consent":
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Je bent aangemeld!").wait_for()
    assert Registration.objects.filter(participant__name="Piet").exists()
    context.close()


def test_errors_are_announced_next_to_the_field_and_input_is_kept(live_server, page, session):
    page.goto(live_server.url + session.get_absolute_url())
    page.get_by_label("Je naam").fill("Ahmed")
    page.get_by_label("Je telefoonnummer").fill("123")
    page.get_by_role("button", name="Meld mij aan").click()
    phone = page.get_by_label("Je telefoonnummer")
    assert phone.get_attribute("aria-invalid") == "true"
    assert phone.input_value() == "123"
    assert page.get_by_label("Je naam").input_value() == "Ahmed"
    described = phone.get_attribute("aria-describedby")
    assert "id_phone_error" in described
    assert "06 12345678" in page.locator("#id_phone_error").inner_text()
