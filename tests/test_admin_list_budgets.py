"""Every admin list runs the same number of SQL queries for a few rows as for more (no N+1).

Each row comes from the model's factory, which makes its own related rows (library, programme, place,
participant...), so a column that reads a relation per row shows up as extra queries.
tests/test_query_budgets.py holds the budgets of the busiest lists; this module covers all of them.
"""

import re
from collections import Counter

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from messaging.models import MessageTemplate
from tests import factories
from tests.test_admin_pages import PROJECT_FACTORIES, admin_url

pytestmark = pytest.mark.django_db

FEW, MORE = 2, 7
# Lists that open on a default filter: show every row.
QUERY = {"programme_sessions.session": {"when": "all"}}


def _library_template():
    # The factory gets or creates the one template for all libraries: a row per library instead.
    return MessageTemplate.objects.create(
        library=factories.LibraryFactory(),
        kind="reminder",
        language="nl",
        subject="Denk je eraan?",
        body="Hallo.",
    )


MAKE = {MessageTemplate: _library_template}

LISTS = sorted(
    ((model, factory) for model, factory in PROJECT_FACTORIES.items() if model in admin.site._registry),
    key=lambda item: item[0]._meta.label,
)


def _queries(client, model):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(model, "changelist"), QUERY.get(model._meta.label, {}))
    assert response.status_code == 200
    return [query["sql"] for query in queries], response.context["cl"].result_count


@pytest.mark.parametrize(("model", "factory"), LISTS, ids=[model._meta.label for model, _ in LISTS])
def test_admin_list_queries_do_not_grow_with_rows(staff_client, model, factory):
    make = MAKE.get(model, factory)
    for _ in range(FEW):
        make()
    _queries(staff_client, model)  # the first visit fills per-process caches (content types, ...)
    few, few_rows = _queries(staff_client, model)

    for _ in range(MORE - FEW):
        make()
    more, more_rows = _queries(staff_client, model)

    assert more_rows > few_rows, "the list should show the new rows"
    grown = Counter(map(_shape, more)) - Counter(map(_shape, few))
    assert len(more) == len(few), f"{len(few)} queries for {few_rows} rows, {len(more)} for {more_rows}; " + (
        "more often: " + "\n".join(f"{n} x {sql[:300]}" for sql, n in grown.items())
    )


def _shape(sql):
    return re.sub(r"\b\d+\b", "N", sql)
