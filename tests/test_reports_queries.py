"""The report costs a fixed number of queries, however much data there is (benchmarked at 2 M sign-ups)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.selectors import ReportScope, report_build
from tests.factories_reports import NOW, YEAR_2025, grow, hand_counted_world

pytestmark = pytest.mark.django_db

# Figures, trend, referrals, agreement reach (two per partner), mini-library.
MAX_REPORT_QUERIES = 25


def count_queries(function):
    with CaptureQueriesContext(connection) as queries:
        result = function()
    return len(queries), result


@pytest.mark.parametrize("partner", [False, True], ids=["everything", "one partner"])
def test_report_queries_do_not_grow_with_the_data(partner):
    world = hand_counted_world()
    scope = ReportScope(
        date_from=YEAR_2025[0],
        date_to=YEAR_2025[1],
        library_ids=frozenset([world.library.pk]),
        partner_id=world.drechterland.pk if partner else None,
    )
    grow(world, 2)
    few, small = count_queries(lambda: report_build(scope, now=NOW))

    grow(world, 20)
    many, large = count_queries(lambda: report_build(scope, now=NOW))

    assert large.totals["reached"] > small.totals["reached"]
    assert large.totals["finished"] > small.totals["finished"]
    assert many == few
    assert many <= MAX_REPORT_QUERIES


def test_report_page_queries_do_not_grow_with_the_data(staff_client):
    world = hand_counted_world()
    url = reverse("admin:reports_report")
    query = {
        "period": "custom",
        "date_from": "2025-01-01",
        "date_to": "2025-12-31",
        "library": world.library.pk,
    }
    grow(world, 2)
    with CaptureQueriesContext(connection) as few:
        response = staff_client.get(url, query)
    assert response.status_code == 200
    grow(world, 20)
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url, query)
    assert response.status_code == 200
    assert len(many) == len(few)
