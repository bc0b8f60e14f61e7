"""The certificates pages in the admin: per run, per person, the list; scoping and permissions."""

from io import BytesIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from certificates.models import Certificate
from certificates.services import certificate_issue
from portal.staff_groups import staff_groups_ensure
from programmes.models import LibraryMembership
from sessions.models import CourseRun
from tests import factories
from tests.factories_certificates import CertificateFactory, enrol, reading_circle, run_with_meetings

pytestmark = pytest.mark.django_db

CERTIFICATE_PERMISSIONS = ["view_certificate", "add_certificate", "change_certificate"]


def url(name, *args):
    return reverse(f"admin:certificates_certificate_{name}", args=args)


def pdf_pages(response):
    assert response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(BytesIO(response.content)).pages]


def circle_world(library_name):
    library = factories.LibraryFactory(name=library_name)
    run, sessions = run_with_meetings(reading_circle(library), meetings=6)
    people = {
        name: enrol(run, sessions, present=present, name=name)
        for name, present in [("Bianca Dautzenberg", 6), ("Roy Bemelmans", 5), ("Math Kleijnen", 3)]
    }
    return {"library": library, "run": run, "sessions": sessions, "people": people}


@pytest.fixture
def worlds(db):
    return circle_world("Bibliotheek Landgraaf-Onderbanken"), circle_world("Bibliotheek Amstelland")


def staff_client(client, library, permissions, username="coordinator", group=None):
    """A staff member of one library: in ``group``, or else with only the given certificate permissions
    (and to see course runs)."""
    user = factories.SuperUserFactory(username=username, is_superuser=False)
    if group:
        user.groups.add(staff_groups_ensure()[group])
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="certificates", codename__in=permissions),
        *Permission.objects.filter(content_type__app_label="programme_sessions", codename="view_courserun"),
    )
    LibraryMembership.objects.create(user=user, library=library)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def coordinator(client, worlds):
    return staff_client(client, worlds[0]["library"], CERTIFICATE_PERMISSIONS, group="coordinator")


# --- The run's page and issuing --------------------------------------------------------------------


def test_run_page_lists_enrolments_with_attended_held_and_eligibility(coordinator, worlds):
    run = worlds[0]["run"]
    response = coordinator.get(url("run", run.pk))
    assert response.status_code == 200
    rows = {row.name: row for row in response.context["overview"].rows}
    assert {name: (r.completion.attended, r.completion.held, r.eligible) for name, r in rows.items()} == {
        "Bianca Dautzenberg": (6, 6, True),
        "Roy Bemelmans": (5, 6, True),
        "Math Kleijnen": (3, 6, False),
    }
    html = response.content.decode()
    assert url("run_issue", run.pk) in html
    assert url("issue_one", run.pk, worlds[0]["people"]["Roy Bemelmans"].pk) in html
    assert url("issue_one", run.pk, worlds[0]["people"]["Math Kleijnen"].pk) not in html


def test_issue_and_print_for_all_eligible(coordinator, worlds):
    run = worlds[0]["run"]
    response = coordinator.post(url("run_issue", run.pk))
    assert response.status_code == 302 and response["Location"] == url("run_pdf", run.pk)
    issued = Certificate.objects.filter(run=run)
    assert sorted(issued.values_list("name", flat=True)) == ["Bianca Dautzenberg", "Roy Bemelmans"]
    assert set(issued.values_list("issued_by", flat=True)) == {coordinator.user.pk}

    pages = pdf_pages(coordinator.get(response["Location"]))
    assert len(pages) == 2
    assert "Bianca Dautzenberg" in pages[0] and "Roy Bemelmans" in pages[1]
    # Again: nothing new is issued, the same certificates print.
    coordinator.post(url("run_issue", run.pk))
    assert Certificate.objects.filter(run=run).count() == 2


def test_issue_and_print_for_one_person(coordinator, worlds):
    run, people = worlds[0]["run"], worlds[0]["people"]
    response = coordinator.post(url("issue_one", run.pk, people["Roy Bemelmans"].pk))
    certificate = Certificate.objects.get(run=run)
    assert response["Location"] == url("pdf", certificate.pk)
    (page,) = pdf_pages(coordinator.get(response["Location"]))
    assert "Roy Bemelmans" in page and "Leeskring bij Relim" in page


def test_issuing_for_someone_short_of_the_threshold_shows_why(coordinator, worlds):
    run, people = worlds[0]["run"], worlds[0]["people"]
    response = coordinator.post(url("issue_one", run.pk, people["Math Kleijnen"].pk), follow=True)
    assert response.status_code == 200
    assert "Math Kleijnen attended 3 of 6 meetings (50%); 80% is needed." in [
        str(m) for m in response.context["messages"]
    ]
    assert not Certificate.objects.exists()


def test_issuing_needs_a_post(coordinator, worlds):
    run = worlds[0]["run"]
    assert coordinator.get(url("run_issue", run.pk)).status_code == 405
    assert (
        coordinator.get(url("issue_one", run.pk, worlds[0]["people"]["Roy Bemelmans"].pk)).status_code == 405
    )
    assert not Certificate.objects.exists()


def test_run_page_queries_do_not_grow_with_enrolments(coordinator, worlds):
    run, sessions = worlds[0]["run"], worlds[0]["sessions"]
    coordinator.post(url("run_issue", run.pk))
    with CaptureQueriesContext(connection) as few:
        assert coordinator.get(url("run", run.pk)).status_code == 200
    for present in range(8):
        enrol(run, sessions, present=present % 7)
    coordinator.post(url("run_issue", run.pk))
    with CaptureQueriesContext(connection) as many:
        response = coordinator.get(url("run", run.pk))
    assert len(response.context["overview"].rows) == 11
    assert len(many) == len(few)


# --- Scoping ---------------------------------------------------------------------------------------


def test_another_librarys_pages_and_pdfs_are_out_of_reach(coordinator, worlds):
    other = worlds[1]
    certificate = certificate_issue(
        registration=other["people"]["Bianca Dautzenberg"], actor=None
    ).certificate
    run = other["run"]
    assert coordinator.get(url("run", run.pk)).status_code == 404
    assert coordinator.get(url("run_pdf", run.pk)).status_code == 404
    assert coordinator.get(url("pdf", certificate.pk)).status_code == 404
    assert coordinator.post(url("run_issue", run.pk)).status_code == 404
    assert coordinator.post(url("issue_one", run.pk, other["people"]["Roy Bemelmans"].pk)).status_code == 404
    # Their own run, with someone from the other library: not found either.
    own_run = worlds[0]["run"]
    assert (
        coordinator.post(url("issue_one", own_run.pk, other["people"]["Roy Bemelmans"].pk)).status_code == 404
    )
    assert Certificate.objects.count() == 1
    assert coordinator.get(url("change", certificate.pk)).status_code in (302, 404)


def test_the_list_shows_only_the_own_librarys_certificates(coordinator, worlds):
    own = certificate_issue(registration=worlds[0]["people"]["Roy Bemelmans"], actor=None).certificate
    certificate_issue(registration=worlds[1]["people"]["Roy Bemelmans"], actor=None)
    response = coordinator.get(url("changelist"))
    assert list(response.context["cl"].result_list) == [own]
    assert url("pdf", own.pk) in response.content.decode()
    response = coordinator.get(url("changelist"), {"q": own.code})
    assert list(response.context["cl"].result_list) == [own]


# --- Permissions -----------------------------------------------------------------------------------


def test_without_the_add_permission_one_can_look_and_reprint_but_not_issue(client, worlds):
    reader = staff_client(client, worlds[0]["library"], ["view_certificate"], username="lezer")
    run = worlds[0]["run"]
    certificate = certificate_issue(registration=worlds[0]["people"]["Roy Bemelmans"], actor=None).certificate
    response = reader.get(url("run", run.pk))
    assert response.status_code == 200
    assert url("run_issue", run.pk) not in response.content.decode()
    assert reader.post(url("run_issue", run.pk)).status_code == 403
    assert (
        reader.post(url("issue_one", run.pk, worlds[0]["people"]["Bianca Dautzenberg"].pk)).status_code == 403
    )
    assert Certificate.objects.count() == 1
    assert len(pdf_pages(reader.get(url("pdf", certificate.pk)))) == 1


def test_without_any_certificate_permission_the_pages_are_refused(client, worlds):
    plain = staff_client(client, worlds[0]["library"], [], username="zonder")
    run = worlds[0]["run"]
    certificate = certificate_issue(registration=worlds[0]["people"]["Roy Bemelmans"], actor=None).certificate
    assert plain.get(url("run", run.pk)).status_code == 403
    assert plain.get(url("run_pdf", run.pk)).status_code == 403
    assert plain.get(url("pdf", certificate.pk)).status_code == 403
    change = plain.get(reverse("admin:programme_sessions_courserun_change", args=[run.pk]))
    assert url("run", run.pk) not in change.content.decode()


def test_certificates_cannot_be_added_by_hand_and_only_the_name_can_change(coordinator, worlds):
    assert coordinator.get(url("add")).status_code == 403
    certificate = certificate_issue(registration=worlds[0]["people"]["Roy Bemelmans"], actor=None).certificate
    response = coordinator.post(url("change", certificate.pk), {"name": "Roy Bemelmans-Kessels", "code": "X"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.name == "Roy Bemelmans-Kessels" and certificate.code != "X"
    (page,) = pdf_pages(coordinator.get(url("pdf", certificate.pk)))
    assert "Roy Bemelmans-Kessels" in page


def test_an_erased_name_is_not_printed(coordinator, worlds):
    certificate = certificate_issue(registration=worlds[0]["people"]["Roy Bemelmans"], actor=None).certificate
    Certificate.objects.filter(pk=certificate.pk).update(name="")
    response = coordinator.get(url("pdf", certificate.pk))
    assert response.status_code == 302 and response["Location"] == url("change", certificate.pk)
    assert coordinator.get(url("run_pdf", worlds[0]["run"].pk)).status_code == 302


# --- From the course run ---------------------------------------------------------------------------


def test_the_course_run_links_to_its_certificates(coordinator, worlds):
    run = worlds[0]["run"]
    change = coordinator.get(reverse("admin:programme_sessions_courserun_change", args=[run.pk]))
    assert change.status_code == 200
    assert url("run", run.pk) in change.content.decode()
    response = coordinator.post(
        reverse("admin:programme_sessions_courserun_changelist"),
        {"action": "certificates_for_run", "_selected_action": [run.pk]},
    )
    assert response.status_code == 302 and response["Location"] == url("run", run.pk)


def test_the_certificate_list_stays_cheap(staff_client):
    run = factories.CourseRunFactory()
    CertificateFactory.create_batch(2, run=run)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url("changelist"))
    CertificateFactory.create_batch(20, run=run)
    CertificateFactory.create_batch(5)
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url("changelist"))
    assert response.context["cl"].result_count == 27
    assert len(many) == len(few)
    assert CourseRun.objects.count() == 6


def test_the_shipped_coordinator_group_can_issue_and_print(client, worlds):
    coordinator = staff_client(client, worlds[0]["library"], [], username="coordinator2", group="coordinator")
    run = worlds[0]["run"]
    response = coordinator.post(url("run_issue", run.pk))
    assert response.status_code == 302
    assert len(pdf_pages(coordinator.get(response["Location"]))) == 2
