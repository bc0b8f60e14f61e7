"""Admin lists of millions of rows take PostgreSQL's estimate for an unfiltered count; filtered ones count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import paginators
from portal.paginators import EstimatedCountPaginator
from sessions.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrations():
    session = factories.SessionFactory(capacity=None)
    rows = [factories.RegistrationFactory(session=session) for _ in range(12)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE programme_sessions_registration")
    return rows


def count_of(queryset):
    with CaptureQueriesContext(connection) as queries:
        count = EstimatedCountPaginator(queryset, 5).count
    return count, [q["sql"] for q in queries.captured_queries]


def test_a_big_unfiltered_list_uses_the_estimate(registrations, monkeypatch):
    monkeypatch.setattr(paginators, "EXACT_UP_TO", 0)  # these 12 rows stand in for millions
    count, sql = count_of(Registration.objects.all())
    assert count == 12  # right after ANALYZE the estimate is exact
    assert not any("COUNT(" in statement for statement in sql)


def test_a_small_table_is_counted_exactly(registrations):
    count, sql = count_of(Registration.objects.all())
    assert count == 12
    assert any("COUNT(" in statement for statement in sql)


def test_a_filtered_list_is_counted_exactly(registrations, monkeypatch):
    monkeypatch.setattr(paginators, "EXACT_UP_TO", 0)
    one = registrations[0]
    count, sql = count_of(Registration.objects.filter(participant=one.participant))
    assert count == 1
    assert any("COUNT(" in statement for statement in sql)
