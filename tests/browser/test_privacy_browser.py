"""The privacy pages in a real browser: an axe-core scan finds nothing, and they fit 320 px."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from people.models import Consent
from sessions.tokens import registration_token
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def privacy_pages(db):
    factories.LibraryFactory(name="Bibliotheek Langedijk", retention_months=12)
    registration = factories.RegistrationFactory()
    factories.ConsentFactory(participant=registration.participant)
    factories.ConsentFactory(participant=registration.participant, purpose=Consent.Purpose.REPORT_TO_REFERRER)
    return {"statement": "/privacy/", "consent": f"/privacy/toestemming/{registration_token(registration)}/"}


def test_axe_finds_nothing_and_nothing_scrolls_sideways(live_server, browser, privacy_pages):
    context = browser.new_context(viewport={"width": 320, "height": 800}, locale="nl-NL")
    tab = context.new_page()
    found, too_wide = {}, {}
    for name, path in privacy_pages.items():
        tab.goto(live_server.url + path)
        violations = Axe().run(tab, options=AXE_OPTIONS).response["violations"]
        if violations:
            found[name] = [violation["id"] for violation in violations]
        width = tab.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[name] = width
    # After taking consent back, the page with its message is checked too.
    tab.goto(live_server.url + privacy_pages["consent"])
    tab.get_by_role("button", name="Stop de berichten").or_(
        tab.get_by_role("button", name="Stop messages")
    ).click()
    violations = Axe().run(tab, options=AXE_OPTIONS).response["violations"]
    if violations:
        found["consent withdrawn"] = [violation["id"] for violation in violations]
    context.close()
    assert found == {}
    assert too_wide == {}
