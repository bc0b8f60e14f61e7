"""Every public page: an axe-core scan finds nothing; it fits 320 px and 200 % zoom; focus is visible."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from sessions.tokens import registration_token
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def pages(db):
    """The URL of every kind of public page, with data that shows each state."""
    library = factories.LibraryFactory(name="Bibliotheek Langedijk", slug="langedijk")
    branch = factories.BranchFactory(library=library)
    programme = factories.ProgrammeFactory(library=library, default_branch=branch, what_to_bring="Je cv")
    walk_in = factories.ProgrammeFactory(library=library, walk_in=True, name="Openleercentrum")
    start = (timezone.localtime() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    session = factories.SessionFactory(
        programme=programme, branch=branch, starts_at=start, ends_at=start + timedelta(hours=1), capacity=2
    )
    full = factories.SessionFactory(programme=programme, branch=branch, capacity=1)
    factories.RegistrationFactory(session=full)
    walk_in_session = factories.SessionFactory(programme=walk_in, branch=branch, capacity=None)
    registration = factories.RegistrationFactory(session=session)
    waiting = factories.RegistrationFactory(session=full, status="waitlisted")
    token = registration_token(registration)
    return {
        "home": "/",
        "agenda": "/agenda/",
        "agenda filtered": f"/agenda/?library={library.slug}&mode=in_person",
        "programmes": "/programmas/",
        "programme": programme.get_absolute_url(),
        "walk-in programme": walk_in.get_absolute_url(),
        "session": session.get_absolute_url(),
        "full session": full.get_absolute_url(),
        "walk-in session": walk_in_session.get_absolute_url(),
        "registration": f"/aanmelding/{token}/?nieuw=1",
        "waiting list": f"/aanmelding/{registration_token(waiting)}/",
        "cancel": f"/aanmelding/{token}/afmelden/",
        "not found": "/bestaat-niet/",
        "log in": "/accounts/login/",
    }


def _violations(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]


def test_axe_finds_nothing_on_any_public_page(live_server, page, pages):
    found = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        violations = _violations(page)
        if violations:
            found[name] = violations
    assert found == {}


def test_a_form_with_errors_is_accessible_too(live_server, page, pages):
    page.goto(live_server.url + pages["session"])
    page.get_by_role("button", name="Meld mij aan").click()
    assert page.locator("[aria-invalid=true]").count() >= 2
    assert _violations(page) == []


# 320 CSS pixels is a small phone (and a 1280 px window at 400 %); 640 is that window at 200 % zoom.
@pytest.mark.parametrize("width", [320, 640])
def test_no_sideways_scrolling_on_a_small_screen_or_when_zoomed(live_server, browser, pages, width):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, device_scale_factor=2, locale="nl-NL"
    )
    page = context.new_page()
    too_wide = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > page.viewport_size["width"]:
            too_wide[name] = scroll_width
    context.close()
    assert too_wide == {}


def test_keyboard_focus_is_visible(live_server, page, pages):
    page.goto(live_server.url + pages["session"])
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert page.evaluate("document.activeElement.textContent").strip() != ""
    assert outline != "none"


def test_the_agenda_page_is_light(live_server, page, pages):
    sizes = []
    page.on("response", lambda response: sizes.append(len(response.body())))
    page.goto(live_server.url + pages["agenda"])
    page.wait_for_load_state("networkidle")
    assert sum(sizes) < 150 * 1024


def test_the_scan_itself_catches_a_known_violation(page):
    """Guards the scans above against passing vacuously."""
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    ids = {v.split(":")[0] for v in _violations(page)}
    assert {"image-alt", "html-has-lang", "label"} <= ids
