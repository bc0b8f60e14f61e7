"""The check-in page on a small tablet or phone (360 px): keyboard only, no sideways scrolling, axe-clean."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sessions.models import Attendance, Registration
from sessions.services import attendance_mark, attendance_walk_in_add
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def _violations(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]


@pytest.fixture
def staff_page(browser, live_server):
    """A 360 px wide browser, logged in to the admin as a member of staff, in English (source strings)."""
    user = factories.SuperUserFactory()
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
        ]
    )
    page = context.new_page()
    page.user = user
    yield page
    context.close()


@pytest.fixture
def meeting(db):
    library = factories.LibraryFactory(name="Bibliotheek Langedijk", slug="langedijk")
    branch = factories.BranchFactory(library=library, name="Vestiging Broek op Langedijk")
    programme = factories.ProgrammeFactory(library=library, name="Walk & Talk", default_branch=branch)
    start = timezone.now() - timedelta(minutes=15)
    session = factories.SessionFactory(
        programme=programme,
        branch=branch,
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        capacity=3,
        topic="Je pitch oefenen",
    )
    names = ["Anna Jansen", "Bert de Boer", "Mohammed El Amrani-Vandenberghe-Schoonderwoerd"]
    registrations = [factories.RegistrationFactory(session=session, participant__name=name) for name in names]
    factories.RegistrationFactory(
        session=session, participant__name="Wendy Wachtlijst", status=Registration.Status.WAITLISTED
    )
    return session, registrations


def url_of(live_server, name, session):
    return live_server.url + reverse(f"admin:programme_sessions_session_{name}", args=[session.pk])


def test_mark_someone_present_by_keyboard_on_a_small_screen(live_server, staff_page, meeting):
    session, (anna, *_) = meeting
    page = staff_page
    page.goto(url_of(live_server, "check_in", session))
    assert page.locator("#present-count").inner_text() == "0"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Tab from the top of the page to Anna's "Present" button, as someone with a keyboard would.
    target = "Present: Anna Jansen"
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == target:
            break
    else:
        pytest.fail(f"Tab never reached the button {target!r}")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    assert page.evaluate("document.activeElement.getAttribute('aria-pressed')") == "false"

    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.locator("#present-count").inner_text() == "1"
    assert page.url.endswith(f"#person-{anna.pk}")
    button = page.get_by_role("button", name=target, exact=True)
    assert button.get_attribute("aria-pressed") == "true"
    assert Attendance.objects.get(registration=anna).status == Attendance.Status.PRESENT
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_add_a_walk_in_by_keyboard(live_server, staff_page, meeting):
    session, _ = meeting
    page = staff_page
    page.goto(url_of(live_server, "check_in", session))
    page.get_by_label("Name").focus()
    page.keyboard.type("Samira")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#present-count").inner_text() == "1"
    assert page.get_by_text("Samira is on the list as present.").is_visible()
    assert Attendance.objects.get().registration.participant.name == "Samira"


def test_the_day_pages_fit_360_px_and_axe_finds_nothing(live_server, staff_page, meeting):
    session, (anna, bert, _) = meeting
    attendance_mark(session=session, registration=anna, status="present", user=None)
    attendance_mark(session=session, registration=bert, status="excused", user=None)
    attendance_walk_in_add(session=session, name="Jan", user=None)
    walk_in_programme = factories.ProgrammeFactory(
        library=session.programme.library, walk_in=True, name="Openleercentrum"
    )
    walk_in_hour = factories.SessionFactory(
        programme=walk_in_programme,
        branch=session.branch,
        capacity=None,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
    )
    factories.WorkerFactory(library=session.programme.library, name="Vera")
    pages = {
        "check-in": url_of(live_server, "check_in", session),
        "close step": url_of(live_server, "check_in", session) + "?step=close",
        "print": url_of(live_server, "check_in_print", session),
        "tally": url_of(live_server, "tally", walk_in_hour),
    }
    page = staff_page
    found, too_wide = {}, {}
    for name, url in pages.items():
        page.goto(url)
        assert page.evaluate("document.documentElement.lang") == "en"
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[name] = width
        violations = _violations(page)
        if violations:
            found[name] = violations
    assert too_wide == {}
    assert found == {}


def test_the_tally_by_keyboard(live_server, staff_page, meeting):
    session, _ = meeting
    walk_in_programme = factories.ProgrammeFactory(library=session.programme.library, walk_in=True)
    walk_in_hour = factories.SessionFactory(programme=walk_in_programme, branch=session.branch, capacity=None)
    page = staff_page
    page.goto(url_of(live_server, "tally", walk_in_hour))
    page.get_by_role("button", name="+1 CV").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#people-count").inner_text() == "1"
    page.get_by_label("Number of people").fill("2")
    page.get_by_label("Digital skills").focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.get_by_role("button", name="Add to the count").press("Enter")
    assert page.locator("#people-count").inner_text() == "3"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
