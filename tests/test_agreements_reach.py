"""Reach against targets for many organisations at once (the reports) costs two queries, not two each."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners.selectors import agreement_reach, agreements_reach
from tests import factories

pytestmark = pytest.mark.django_db


def test_same_figures_as_one_by_one_in_two_queries():
    agreements = [
        factories.AgreementFactory(starts_on=timezone.localdate() - timedelta(days=400)) for _ in range(4)
    ]
    for number, agreement in enumerate(agreements):
        for _ in range(number + 1):
            factories.ReferralFactory(
                library=agreement.library, partner=agreement.partner, programme=agreement.programme
            )
    partners = [agreement.partner for agreement in agreements]

    with CaptureQueriesContext(connection) as queries:
        together = agreements_reach(partners=partners)
    assert len(queries) == 2

    one_by_one = [entry for partner in partners for entry in agreement_reach(partner)]
    summary = lambda entries: sorted(  # noqa: E731
        (e["agreement"].pk, [(y.starts_on, y.referred, y.enrolled) for y in e["years"]]) for e in entries
    )
    assert summary(together) == summary(one_by_one)
    referred = {e["agreement"].pk: sum(y.referred for y in e["years"]) for e in together}
    assert referred == {agreement.pk: number + 1 for number, agreement in enumerate(agreements)}


def test_the_dashboard_may_reuse_counts_but_never_for_a_changed_agreement():
    from django.core.cache import cache

    cache.clear()
    agreement = factories.AgreementFactory(starts_on=timezone.localdate() - timedelta(days=30))

    def referred(**kwargs):
        (entry,) = agreement_reach(agreement.partner, **kwargs)
        return [year.referred for year in entry["years"]]

    def refer():
        factories.ReferralFactory(
            library=agreement.library, partner=agreement.partner, programme=agreement.programme
        )

    refer()
    assert referred(counts_cache_seconds=60) == [1]
    refer()
    assert referred(counts_cache_seconds=60) == [1]  # counted a moment ago
    assert referred() == [2]  # the reports and every other caller count afresh
    agreement.starts_on -= timedelta(days=400)  # now two years: counted again at once
    agreement.save()
    assert referred(counts_cache_seconds=60) == [0, 2]
    cache.clear()
