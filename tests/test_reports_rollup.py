"""Counting per programme and in total: ROLLUP on PostgreSQL and a query per level elsewhere agree."""

import pytest
from django.db.models import F
from django.utils import timezone

from reports.selectors.figures import REGISTRATION_SQL
from reports.selectors.rollup import rollup
from sessions.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db


def as_sorted(result):
    return sorted(((level, sorted(row.items(), key=str)) for level, row in result), key=str)


def test_a_query_per_level_gives_what_rollup_gives(library, branch):
    for programme_number, statuses in enumerate([["confirmed", "confirmed", "waitlisted"], ["cancelled"]]):
        programme = factories.ProgrammeFactory(
            library=library, name=f"P{programme_number}", slug=f"p{programme_number}"
        )
        session = factories.SessionFactory(programme=programme, branch=branch)
        for status in statuses:
            cancelled_at = timezone.now() if status == "cancelled" else None
            factories.RegistrationFactory(session=session, status=status, cancelled_at=cancelled_at)
    rows = Registration.objects.values("status", "participant_id", programme_id=F("session__programme_id"))
    columns = ["programme_id", "status"]

    native = rollup(rows, columns, REGISTRATION_SQL, grouping_sets=True)
    per_level = rollup(rows, columns, REGISTRATION_SQL, grouping_sets=False)

    assert as_sorted(native) == as_sorted(per_level)
    [(_level, total)] = [(level, row) for level, row in per_level if level == 0]
    assert (
        total["registrations"],
        total["waitlisted"],
        total["registrations_cancelled"],
        total["reached"],
    ) == (
        2,
        1,
        1,
        2,
    )
    assert len([row for level, row in per_level if level == 1]) == 2
