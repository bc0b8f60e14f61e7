"""The report pages in the admin: the index entry, the two-click question, the form, the chart."""

import re
from datetime import timedelta
from html import unescape
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Referral
from portal.staff_groups import staff_groups_ensure
from programmes.models import LibraryMembership
from tests import factories
from tests.factories_reports import Mark, hand_counted_world, mark, refer, sign_up

pytestmark = pytest.mark.django_db

REPORT = "admin:reports_report"
YEAR_2025 = {"period": "custom", "date_from": "2025-01-01", "date_to": "2025-12-31"}


@pytest.fixture
def world():
    return hand_counted_world()


def staff_member(client, library, group="coordinator", username="coordinator-r"):
    user = factories.SuperUserFactory(username=username, is_superuser=False)
    user.groups.add(staff_groups_ensure()[group])
    LibraryMembership.objects.create(user=user, library=library)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def this_year_world():
    """Zoek werk for Drechterland in the current year: two people referred and enrolled, one finished."""
    now = timezone.now()
    start = timezone.localtime(now).replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    elapsed = now - start
    library = factories.LibraryFactory(name="Westfriese Bibliotheken", slug="westfriese")
    branch = factories.BranchFactory(library=library)
    drechterland = factories.PartnerOrganisationFactory(name="Gemeente Drechterland", slug="drechterland-r")
    drechterland.libraries.add(library)
    zoek_werk = factories.ProgrammeFactory(library=library, name="Zoek werk", slug="zoek-werk", course=True)
    zoek_werk.referring_partners.add(drechterland)
    factories.AgreementFactory(
        library=library,
        partner=drechterland,
        programme=zoek_werk,
        title="Zoek werk Drechterland",
        starts_on=start.date(),
        target_participants_per_year=30,
    )
    world = SimpleNamespace(library=library, branch=branch, drechterland=drechterland, zoek_werk=zoek_werk)
    run = factories.CourseRunFactory(programme=world.zoek_werk, title="Zoek werk dit jaar")
    sessions = [
        factories.SessionFactory(
            programme=world.zoek_werk,
            run=run,
            branch=world.branch,
            starts_at=start + elapsed * i / 5,
            ends_at=start + elapsed * i / 5 + timedelta(minutes=1),
        )
        for i in (1, 2, 3)
    ]
    for name, present in (("Fatima", 3), ("Henk", 1)):
        person = factories.ParticipantFactory(library=world.library, name=name)
        referral = refer(world, person, timezone.localdate(start + elapsed / 10), Referral.Status.ENROLLED)
        Referral.objects.filter(pk=referral.pk).update(created_at=start + elapsed / 10)
        enrolment = sign_up(person, run=run, referral=referral)
        for index, session in enumerate(sessions):
            mark(enrolment, session, Mark.PRESENT if index < present else Mark.ABSENT)
    return world


def test_the_coordinators_question_in_two_clicks(client):
    world = this_year_world()
    client = staff_member(client, world.library)

    index = client.get(reverse("admin:index")).content.decode()
    report_url = reverse(REPORT)
    assert f'href="{report_url}"' in index  # click 1: Reports, on the admin home page

    landing = client.get(report_url)
    assert landing.status_code == 200
    html = landing.content.decode()
    link = f"?programme={world.zoek_werk.pk}&amp;partner={world.drechterland.pk}&amp;period=this_year"
    assert f'href="{link}"' in html
    assert "Zoek werk for Gemeente Drechterland, this year" in html

    answer = client.get(report_url + unescape(link))  # click 2: the agreement's link
    assert answer.status_code == 200
    report = answer.context["report"]
    assert (report.totals["reached"], report.totals["finished"]) == (2, 1)
    page = answer.content.decode()
    assert re.search(r'<span class="report-number">2</span> people reached', page)
    assert re.search(r'<span class="report-number">1</span> finished a course', page)


def test_the_agreement_year_on_the_landing_page(client):
    world = this_year_world()
    client = staff_member(client, world.library)
    report = client.get(reverse(REPORT)).context["report"]
    (item,) = report.agreements
    current = item.current
    # This agreement year: Fatima and Henk referred and enrolled; Fatima came to all three meetings.
    assert (current.reach.referred, current.reach.enrolled, current.finished) == (2, 2, 1)


def test_report_page_shows_the_hand_counted_figures(english_staff_client, world):
    response = english_staff_client.get(reverse(REPORT), {**YEAR_2025, "library": world.library.pk})

    assert response.status_code == 200
    summary = dict(response.context["summary"])
    assert summary["People reached (each counted once)"] == 8
    assert summary["Present (all meetings together)"] == 17
    assert summary["No-show rate (%)"] == 15.8
    assert summary["Finished a course"] == 2
    html = response.content.decode()
    assert "What the figures mean" in html
    assert "the share that did not come" in html
    assert 'style="' not in html
    assert "<script>" not in html


def test_the_chart_reads_without_colour_and_has_a_table(english_staff_client, world):
    response = english_staff_client.get(reverse(REPORT), {**YEAR_2025, "library": world.library.pk})
    html = response.content.decode()
    svg = re.search(r'<svg [^>]*role="img".*?</svg>', html, re.S).group(0)

    assert 'role="img"' in svg and 'aria-labelledby="trend-title trend-desc"' in svg
    assert '<title id="trend-title">' in svg and '<desc id="trend-desc">' in svg
    assert svg.count("<polyline") == 2
    dashes = re.findall(r'<polyline [^>]*?(?:stroke-dasharray="([^"]+)")?/>', svg)
    assert len(set(dashes)) == 2  # one solid, one dashed
    series = re.findall(r'<g class="chart-series[^"]*">(.*?)</g>', svg, re.S)
    assert [len(re.findall(r"<path d=", group)) for group in series] == [12, 12]  # a marker every month
    # The shape of a marker is in the letters of its path (circle: arcs, square: h/v lines ...).
    shapes = [
        {re.sub(r"[^A-Za-z]", "", d) for d in re.findall(r'<path d="([^"]+)"', group)} for group in series
    ]
    assert all(len(shape) == 1 for shape in shapes) and shapes[0] != shapes[1]
    labels = re.findall(r'<text [^>]*class="chart-label"[^>]*>([^<]+)</text>', svg)
    assert [unescape(label) for label in labels] == ["Walk & Talk", "Zoek werk"]
    # The table under the chart has the same figures.
    assert response.context["trend_rows"][1][1] == [0, 11]
    assert response.context["trend_rows"][2][1] == [3, 0]
    assert "The figures of the chart" in html


def test_marker_shapes_differ_per_line():
    from reports.chart import MARKERS, marker_path

    shapes = {marker_path(shape, 10, 10) for shape in MARKERS}
    assert len(shapes) == len(MARKERS)


def test_period_choices(english_staff_client, world):
    today = timezone.localdate()
    for period, first in (
        ("this_year", today.replace(month=1, day=1)),
        ("last_year", today.replace(year=today.year - 1, month=1, day=1)),
        ("this_month", today.replace(day=1)),
    ):
        scope = english_staff_client.get(reverse(REPORT), {"period": period}).context["report"].scope
        assert scope.date_from == first, period
    scope = english_staff_client.get(reverse(REPORT), {"period": "last_12_months"}).context["report"].scope
    assert (
        len(english_staff_client.get(reverse(REPORT), {"period": "last_12_months"}).context["report"].months)
        == 12
    )
    assert scope.date_to >= today


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"period": "custom"}, "date_from", "Give the first day."),
        (
            {"period": "custom", "date_from": "2025-05-01", "date_to": "2025-04-01"},
            "date_to",
            "The last day cannot be before the first day.",
        ),
        (
            {"period": "custom", "date_from": "1-1-2025x", "date_to": "2025-04-01"},
            "date_from",
            "Enter a valid date.",
        ),
    ],
)
def test_bad_choices_are_explained_next_to_the_field(english_staff_client, data, field, message):
    response = english_staff_client.get(reverse(REPORT), data)
    assert response.status_code == 200
    assert response.context["report"] is None
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()


def test_a_volunteer_cannot_open_the_reports(client, world):
    client = staff_member(client, world.library, group="host", username="vrijwilliger-r")
    assert client.get(reverse(REPORT)).status_code == 403
    assert "Reports: reach" not in client.get(reverse("admin:index")).content.decode()


def test_the_export_list_links_to_the_reports(english_staff_client):
    response = english_staff_client.get(reverse("admin:reports_reportexport_changelist"))
    assert response.status_code == 200
    assert reverse(REPORT) in response.content.decode()


def test_the_period_is_a_set_of_labelled_radio_buttons(english_staff_client):
    html = english_staff_client.get(reverse(REPORT), {"period": "last_year"}).content.decode()
    for value, label in (("this_year", "This year"), ("last_year", "Last year"), ("custom", "Choose dates")):
        match = re.search(rf'<input type="radio" name="period" value="{value}"[^>]*id="(id_period_\d)"', html)
        assert match, value
        assert f'<label for="{match.group(1)}">{label}</label>' in html
    assert re.search(r'<input type="radio" name="period" value="last_year"[^>]*checked', html)
