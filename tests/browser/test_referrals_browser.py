"""In a real browser: a consultant logs in with a code from the authenticator app, refers someone, and
sees the status change after staff plan the intake. Every referrer page passes the axe-core scan."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone, translation

from partners.models import Referral
from tests import factories
from tests.referral_support import refer

pytestmark = pytest.mark.django_db(transaction=True)

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
PASSWORD = "een-lang-test-wachtwoord"  # of every account the factories make


def violations(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]]


def dutch(status):
    with translation.override("nl"):
        return str(Referral.Status(status).label)


def dutch_text(text):
    with translation.override("nl"):
        return translation.gettext(text)


@pytest.fixture
def setting(db):
    library = factories.LibraryFactory(name="Westfriese Bibliotheken", slug="westfriese")
    branch = factories.BranchFactory(library=library, name="Bibliotheek Hoorn", slug="hoorn")
    partner = factories.PartnerOrganisationFactory(name="Gemeente Drechterland", slug="drechterland")
    partner.libraries.add(library)
    factories.PartnerSiteFactory(partner=partner, name="Werkplein Hoogkarspel")
    programme = factories.ProgrammeFactory(
        library=library, name="Zoek werk", slug="zoek-werk", course=True, default_branch=branch
    )
    programme.referring_partners.add(partner)
    factories.AgreementFactory(
        library=library, partner=partner, programme=programme, title="Zoek werk Drechterland"
    )
    consultant = factories.ConsultantFactory(
        partner=partner, name="Linda Groot", email="linda@drechterland.example"
    )
    staff = factories.SuperUserFactory(username="staf", email="staf@bibliotheek.example")
    return {"programme": programme, "consultant": consultant, "staff": staff, "partner": partner}


def log_in(page, base_url, email, *, next_path, scan=None):
    page.goto(f"{base_url}{next_path}")
    page.wait_for_url("**/accounts/login/**")
    if scan is not None:
        scan["log in"] = violations(page)
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    if scan is not None:
        scan["two-step code"] = violations(page)
    page.fill("input[name=code]", factories.totp_code())
    page.locator("main form:has(input[name=code]) button[type=submit]").first.click()
    page.wait_for_url(f"{base_url}{next_path}")


def test_a_consultant_refers_someone_and_sees_the_intake_staff_planned(live_server, browser, page, setting):
    base = live_server.url
    log_in(page, base, setting["consultant"].email, next_path="/verwijzers/")

    page.goto(f"{base}/verwijzers/verwijzen/")
    page.fill("#id_name", "Kevin de Boer")
    page.fill("#id_phone", "06 12345001")
    page.check("#id_preferred_channel_1")  # WhatsApp
    page.select_option("#id_programme", str(setting["programme"].pk))
    page.check("#id_kind_0")  # voluntary
    page.check("#id_consent_contact")
    page.check("#id_consent_report_attendance")
    page.fill("#id_consent_given_on", timezone.localdate().isoformat())
    page.fill("#id_note", "Wil graag in de groenvoorziening werken.")
    page.locator("main form button[type=submit]").click()

    page.wait_for_url("**/verwijzers/verwijzing/*/")
    referral = Referral.objects.get(participant_name="Kevin de Boer")
    assert referral.status == Referral.Status.RECEIVED
    assert dutch("received") in page.locator("main").inner_text()

    # Staff plan the intake in the admin, in a browser of their own.
    staff_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    staff_page = staff_context.new_page()
    status_path = f"/admin/partners/referral/{referral.pk}/status/"
    log_in(staff_page, base, setting["staff"].email, next_path=status_path)
    intake = timezone.localtime() + timedelta(days=3)
    staff_page.select_option("#id_status", "intake_planned")
    staff_page.fill("#id_intake_at_0", intake.strftime("%d-%m-%Y"))
    staff_page.fill("#id_intake_at_1", "13:30")
    staff_page.fill("#id_intake_place", "Werkplein Hoogkarspel, spreekkamer 3")
    staff_page.locator("#content-main form input[type=submit]").click()
    staff_page.wait_for_url(f"{base}/admin/partners/referral/{referral.pk}/change/")
    staff_context.close()

    referral.refresh_from_db()
    assert referral.status == Referral.Status.INTAKE_PLANNED
    page.reload()
    main = page.locator("main").inner_text()
    assert dutch("intake_planned") in main
    assert "Werkplein Hoogkarspel, spreekkamer 3" in main
    page.goto(f"{base}/verwijzers/")
    assert dutch("intake_planned") in page.locator("table.table-striped").inner_text()


def test_axe_finds_nothing_on_any_referrer_page(live_server, page, setting):
    base = live_server.url
    found = {}
    log_in(page, base, setting["consultant"].email, next_path="/verwijzers/", scan=found)
    found["dashboard (empty)"] = violations(page)

    page.goto(f"{base}/verwijzers/verwijzen/")
    found["referral form"] = violations(page)
    page.fill("#id_name", "Kevin de Boer")
    page.fill("#id_phone", "123")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 3
    found["referral form with errors"] = violations(page)

    page.fill("#id_phone", "06 12345001")
    page.check("#id_preferred_channel_0")
    page.select_option("#id_programme", str(setting["programme"].pk))
    page.check("#id_kind_1")
    page.check("#id_consent_contact")
    page.fill("#id_consent_given_on", timezone.localdate().isoformat())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/verwijzers/verwijzing/*/")
    found["referral detail"] = violations(page)
    page.goto(f"{base}/verwijzers/?status=received")
    found["dashboard with a referral, reach and filters"] = violations(page)

    referral = Referral.objects.get(participant_name="Kevin de Boer")
    page.goto(f"{base}/verwijzers/verwijzing/{referral.pk}/corrigeren/")
    found["correct a referral"] = violations(page)
    page.fill("#id_phone", "12")
    page.fill("#id_email", "geen-adres")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 2
    found["correct a referral, with errors"] = violations(page)
    page.fill("#id_phone", "06 12345002")
    page.fill("#id_email", "")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/verwijzers/verwijzing/{referral.pk}/")
    found["referral detail after a correction"] = violations(page)

    page.goto(f"{base}/verwijzers/verwijzing/{referral.pk}/intrekken/")
    found["withdraw a referral"] = violations(page)
    page.check("input[name=reason][value=other]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 1
    found["withdraw a referral, with errors"] = violations(page)
    page.fill("#id_note", "Gaat een opleiding doen.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/verwijzers/verwijzing/{referral.pk}/")
    found["referral detail after withdrawing"] = violations(page)
    page.goto(f"{base}/verwijzers/verwijzing/{referral.pk}/corrigeren/")
    found["correct a referral, no longer allowed"] = violations(page)

    assert {name: v for name, v in found.items() if v} == {}


def test_a_consultant_corrects_and_withdraws_at_320_pixels_without_javascript(live_server, browser, setting):
    """The narrowest phone, scripts off: both forms work, and nothing is wider than the screen."""
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, locale="nl-NL", java_script_enabled=False
    )
    page = context.new_page()
    base = live_server.url
    log_in(page, base, setting["consultant"].email, next_path="/verwijzers/")
    referral = refer(setting["consultant"], programme=setting["programme"], name="Anouk Vermeer")

    page.goto(f"{base}/verwijzers/verwijzing/{referral.pk}/")
    page.locator("main a", has_text=dutch_text("Correct the details")).click()
    page.wait_for_url(f"**/verwijzing/{referral.pk}/corrigeren/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.fill("#id_note", "Bel na 11 uur.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/verwijzers/verwijzing/{referral.pk}/")
    assert "Bel na 11 uur." in page.locator("main").inner_text()

    page.locator("main a", has_text=dutch_text("Withdraw the referral")).click()
    page.wait_for_url(f"**/verwijzing/{referral.pk}/intrekken/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    button = page.locator("main form button[type=submit]").bounding_box()
    assert button["height"] >= 44
    page.check("input[name=reason][value=found_work]")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/verwijzers/verwijzing/{referral.pk}/")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN
    assert dutch("withdrawn") in page.locator("main").inner_text()
    context.close()


def test_axe_finds_nothing_on_the_two_step_set_up_pages(live_server, page, setting):
    """A consultant without an authenticator app: password again, scan the code, recovery codes."""
    base = live_server.url
    newcomer = factories.ConsultantFactory(
        partner=setting["partner"], email="nieuw@drechterland.example", totp=False
    )
    found = {}
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", newcomer.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.goto(f"{base}/verwijzers/")
    page.wait_for_url("**/accounts/reauthenticate/**")  # via the set-up page: allauth asks again
    found["confirm password"] = violations(page)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    found["set up the app"] = violations(page)

    page.locator("main form button[type=submit]").first.click()  # no code: an error
    page.wait_for_load_state()
    found["set up the app, with an error"] = violations(page)

    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", factories.totp_code(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    found["recovery codes"] = violations(page)
    page.locator("main a[href='/verwijzers/']").click()
    page.wait_for_url(f"{base}/verwijzers/")

    assert {name: v for name, v in found.items() if v} == {}
