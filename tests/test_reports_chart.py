"""The trend chart and its table stay readable: a few programmes of their own, the rest added up."""

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from reports.admin_views import programme_rows
from reports.chart import MARKERS, MAX_LINES, chart_series, trend_chart
from reports.selectors import ProgrammeRow, Series
from tests import factories
from tests.factories_reports import Mark, mark, meeting, sign_up

REPORT = "admin:reports_report"
YEAR_2025 = {"period": "custom", "date_from": "2025-01-01", "date_to": "2025-12-31"}


@pytest.fixture(autouse=True)
def english():
    # The labels these tests read are English; a request in an earlier test may leave Dutch active.
    with translation.override("en"):
        yield


def series(name, *values, library="Bibliotheek Hoorn"):
    return Series(name=name, values=list(values), library=library)


def test_few_programmes_keep_a_line_each():
    few = [series(f"P{i}", i, 1) for i in range(MAX_LINES)]
    assert chart_series(few) == few


def test_more_programmes_the_largest_own_a_line_and_the_rest_is_added_up():
    # Totals 1..8; ties are no issue here, order is the report's (by name).
    many = [series(f"P{i}", i, 0, 1) for i in range(8)]

    lines = chart_series(many)

    assert len(lines) == MAX_LINES == len(MARKERS)
    assert [line.name for line in lines] == ["P3", "P4", "P5", "P6", "P7", "Other programmes"]
    assert lines[-1].values == [0 + 1 + 2, 0, 3]
    # Every figure is still in the chart: the largest ones apart, the others in their sum.
    assert [sum(month) for month in zip(*(line.values for line in lines), strict=True)] == [28, 0, 8]
    assert len(many) == 8  # the report's own series stay as they are (the download has them all)


def test_equal_totals_keep_the_report_order():
    many = [series(f"P{i}", 5) for i in range(9)]
    assert [line.name for line in chart_series(many)] == ["P0", "P1", "P2", "P3", "P4", "Other programmes"]


def test_several_libraries_name_the_library():
    two = [
        series("Zoek werk", 3, library="Bibliotheek Hoorn"),
        series("Zoek werk", 2, library="KB Enkhuizen"),
    ]
    assert [line.name for line in chart_series(two)] == [
        "Zoek werk (Bibliotheek Hoorn)",
        "Zoek werk (KB Enkhuizen)",
    ]


def test_every_line_has_its_own_marker_and_dash():
    many = [series(f"P{i}", i, i + 1) for i in range(20)]
    lines = trend_chart([date(2025, 1, 1), date(2025, 2, 1)], chart_series(many))["lines"]
    assert len(lines) == MAX_LINES
    assert len({line.dash for line in lines}) == MAX_LINES
    # The shape of a marker is in its path without the numbers: letters and signs.
    assert len({re.sub(r"[0-9.]", "", line.points[0].marker) for line in lines}) == MAX_LINES


@pytest.fixture
def eight_programmes(db):
    """Eight programmes at one library in 2025; programme n has n people present, in month n."""
    library = factories.LibraryFactory(name="Bibliotheek Hoorn", slug="hoorn-chart")
    branch = factories.BranchFactory(library=library)
    programmes = []
    for n in range(1, 9):
        programme = factories.ProgrammeFactory(library=library, name=f"Programma {n}", slug=f"programma-{n}")
        session = meeting(programme, date(2025, n, 10), branch=branch)
        for _ in range(n):
            person = factories.ParticipantFactory(library=library)
            mark(sign_up(person, session=session), session, Mark.PRESENT)
        programmes.append(programme)
    return library, programmes


def test_the_page_shows_the_largest_programmes_and_the_others_added_up(
    english_staff_client, eight_programmes
):
    library, _programmes = eight_programmes
    response = english_staff_client.get(reverse(REPORT), {**YEAR_2025, "library": library.pk})
    html = response.content.decode()
    svg = re.search(r'<svg [^>]*role="img".*?</svg>', html, re.S).group(0)

    labels = [unescape(label) for label in re.findall(r'class="chart-label"[^>]*>([^<]+)</text>', svg)]
    assert labels == [
        "Programma 4",
        "Programma 5",
        "Programma 6",
        "Programma 7",
        "Programma 8",
        "Other programmes",
    ]
    assert svg.count("<polyline") == MAX_LINES
    assert "one line for all other programmes together" in svg

    # The table of the chart: the same six columns; programmes 1, 2 and 3 in "Other programmes".
    table = re.search(r'<table class="report-trend-table">.*?</table>', html, re.S).group(0)
    headers = [unescape(h) for h in re.findall(r'<th scope="col" class="number">([^<]+)</th>', table)]
    assert headers == labels
    rows = response.context["trend_rows"]
    assert [values[-1] for _month, values in rows] == [1, 2, 3] + [0] * 9
    assert rows[7][1] == [0, 0, 0, 0, 8, 0]  # August: Programma 8
    assert "3 other programmes are added up in “Other programmes”" in unescape(html)

    # The table per programme still has every programme.
    assert [row.name for row, _cells in response.context["programme_rows"]] == [
        f"Programma {n}" for n in range(1, 9)
    ]
    section = html[html.index('id="programmes-heading"') : html.index('id="trend-heading"')]
    assert all(f"Programma {n}<br>" in section for n in range(1, 9))


def test_the_added_up_line_in_dutch(staff_client, eight_programmes):
    library, _programmes = eight_programmes
    html = unescape(staff_client.get(reverse(REPORT), {**YEAR_2025, "library": library.pk}).content.decode())
    assert "Andere programma's" in html
    assert "3 andere programma's zijn opgeteld" in html


def test_a_few_programmes_have_no_added_up_line(english_staff_client, eight_programmes):
    library, programmes = eight_programmes
    response = english_staff_client.get(
        reverse(REPORT), {**YEAR_2025, "library": library.pk, "programme": programmes[0].pk}
    )
    html = response.content.decode()
    assert "Other programmes" not in html
    assert response.context["trend_others"] == 0
    assert [series.name for series in response.context["trend_series"]] == ["Programma 1"]


def test_the_table_per_programme_has_every_figure(english_staff_client, eight_programmes):
    library, _programmes = eight_programmes
    response = english_staff_client.get(reverse(REPORT), {**YEAR_2025, "library": library.pk})
    html = response.content.decode()
    row = re.search(r"<tr><th scope=\"row\">Programma 8<br>.*?</tr>", html).group(0)
    cells = re.findall(r'<td class="number">([^<]*)</td>', row)
    figures = dict(zip([key for key, _label in response.context["figure_columns"]], cells, strict=True))
    assert figures == {
        "held": "1",
        "cancelled": "0",
        "planned": "0",
        "registrations": "8",
        "reached": "8",
        "came": "8",
        "present": "8",
        "walk_ins": "0",
        "no_show": "0",
        "excused": "0",
        "no_show_rate": "0",
        "waitlisted": "0",
        "registrations_cancelled": "0",
        "finished": "0",
        "walk_in_visits": "0",
        "walk_in_people": "0",
    }


def test_the_no_show_rate_per_programme_has_the_languages_decimal_mark():
    row = ProgrammeRow(
        programme_id=1, name="Walk & Talk", library="Hoorn", figures={"no_show": 1, "present_signed_up": 2}
    )
    for language, expected in [("nl", "33,3"), ("en", "33.3")]:
        with translation.override(language):
            [(_row, cells)] = programme_rows([row], ["no_show", "no_show_rate"])
        assert cells == f'<td class="number">1</td><td class="number">{expected}</td>'
