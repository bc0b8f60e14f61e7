"""A job seeker books a coach from a small phone, and the booking pages pass an axe-core scan."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from appointments.models import Appointment
from appointments.services import appointment_book, block_slots_generate
from appointments.tokens import appointment_token
from tests.factories_appointments import AvailabilityBlockFactory

pytestmark = pytest.mark.django_db(transaction=True)

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# New texts may not be translated yet when this runs: accept the Dutch text or its English msgid.
BOOK_THIS_TIME = re.compile("Boek deze tijd|Book this time")
BOOK_MY_APPOINTMENT = re.compile("Boek mijn afspraak|Book my appointment")
BOOKED = re.compile("Je afspraak is geboekt!|Your appointment is booked!")


def _violations(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]


@pytest.fixture
def block(db):
    block = AvailabilityBlockFactory()
    block_slots_generate(block=block)
    return block


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()


def test_booking_a_coach_with_a_phone_number_on_a_small_phone(live_server, phone, block):
    second = block.slots.order_by("starts_at")[1]
    phone.goto(live_server.url + "/afspraak/")
    # The whole box around a time is the tap target.
    phone.locator(f"label[for=tijd-{second.pk}]").click()
    phone.get_by_role("button", name=BOOK_THIS_TIME).first.click()

    phone.get_by_label("Je naam").fill("Samira")
    phone.get_by_label("Je telefoonnummer").fill("06 12345678")
    phone.locator("#id_topic").fill("Oefenen voor een sollicitatiegesprek")
    phone.get_by_label("Ik vind het goed", exact=False).check()
    phone.get_by_role("button", name=BOOK_MY_APPOINTMENT).click()

    phone.get_by_role("heading", name=BOOKED).wait_for()
    appointment = Appointment.objects.get()
    assert appointment.slot == second
    assert str(appointment.participant.phone) == "+31612345678"
    assert appointment.topic == "Oefenen voor een sollicitatiegesprek"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320


def test_axe_finds_nothing_on_the_booking_pages(live_server, phone, block):
    first = block.slots.order_by("starts_at").first()
    appointment = appointment_book(
        slot=block.slots.order_by("starts_at").last(), name="Ahmed", phone="+31612345679", topic="Mijn cv"
    ).appointment
    token = appointment_token(appointment)
    pages = {
        "list": "/afspraak/",
        "list filtered": f"/afspraak/?branch={block.branch.pk}",
        "booking": f"/afspraak/boeken/?tijd={first.pk}",
        "personal link": f"/afspraak/mijn/{token}/?nieuw=1",
        "move": f"/afspraak/mijn/{token}/verzetten/",
        "cancel": f"/afspraak/mijn/{token}/annuleren/",
    }
    found = {}
    for name, path in pages.items():
        phone.goto(live_server.url + path)
        violations = _violations(phone)
        if violations:
            found[name] = violations
        wide = phone.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 320)"
            ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
        )
        assert phone.evaluate("document.documentElement.scrollWidth") <= 320, (name, wide)
    # A booking form with errors, and a move without a choice.
    phone.goto(live_server.url + pages["booking"])
    phone.get_by_role("button", name=BOOK_MY_APPOINTMENT).click()
    assert phone.locator("[aria-invalid=true]").count() >= 2
    found["booking with errors"] = _violations(phone)
    phone.goto(live_server.url + pages["move"])
    phone.locator("form.slot-picker button[type=submit]").click()
    found["move with errors"] = _violations(phone)
    assert {name: v for name, v in found.items() if v} == {}
