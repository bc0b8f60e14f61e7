"""The report's figures against a data set counted by hand (tests/factories_reports.py)."""

from datetime import date

import pytest

from reports.selectors import ReportScope, report_build
from tests.factories_reports import NOW, YEAR_2025, hand_counted_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return hand_counted_world()


def scope(world, **kwargs):
    values = {
        "date_from": YEAR_2025[0],
        "date_to": YEAR_2025[1],
        "library_ids": frozenset([world.library.pk]),
    }
    values.update(kwargs)
    return ReportScope(**values)


def by_name(report):
    return {row.name: row.figures for row in report.rows}


def test_totals_for_the_library_in_2025(world):
    report = report_build(scope(world), now=NOW)

    totals = report.totals
    # Meetings: Walk & Talk 10 Mar and 14 Apr held, 12 May cancelled; Zoek werk 3, 10, 17, 24 Feb and 3 Nov.
    assert (totals["held"], totals["cancelled"], totals["planned"]) == (7, 1, 0)
    # Places: W&T 10 Mar A, B, C, G; 14 Apr A, B, H; Zoek werk P, Q, A (run 1) and U (run 2).
    assert totals["registrations"] == 11
    # A goes to both programmes and counts once: A, B, C, G, H, P, Q, U.
    assert totals["reached"] == 8
    assert totals["waitlisted"] == 2  # E (W&T), T (Zoek werk)
    assert totals["registrations_cancelled"] == 2  # D (excused), F; I's meeting was cancelled
    # Present: W&T 3 + 2, Zoek werk 3 + 3 + 3 + 2 and U in November.
    assert totals["present"] == 17
    assert totals["walk_ins"] == 1  # G
    assert totals["no_show"] == 3  # C, B (14 Apr), Q (24 Feb)
    assert totals["excused"] == 1  # D
    assert totals["came"] == 7  # A, B, G, H, P, Q, U
    assert report.no_show_rate == 15.8  # 3 / (3 + 16 present with a place)
    # Run 1 is over: P 4 of 4, A 4 of 4 finished, Q 3 of 4 (75 %) did not. Run 2 is still going.
    assert totals["finished"] == 2
    assert (totals["walk_in_visits"], totals["walk_in_people"]) == (2, 3)


def test_per_programme(world):
    rows = by_name(report_build(scope(world), now=NOW))

    assert set(rows) == {"Walk & Talk", "Zoek werk", "Open leercentrum"}
    wt, zw, olc = rows["Walk & Talk"], rows["Zoek werk"], rows["Open leercentrum"]
    assert (wt["held"], wt["cancelled"], wt["registrations"], wt["reached"], wt["waitlisted"]) == (
        2,
        1,
        7,
        5,
        1,
    )
    assert (wt["present"], wt["walk_ins"], wt["no_show"], wt["excused"], wt["came"]) == (5, 1, 2, 1, 4)
    assert wt["finished"] == 0
    assert (zw["held"], zw["registrations"], zw["reached"], zw["waitlisted"]) == (5, 4, 4, 1)
    assert (zw["present"], zw["no_show"], zw["came"], zw["finished"]) == (12, 1, 4, 2)
    assert (olc["walk_in_visits"], olc["walk_in_people"], olc["present"]) == (2, 3, 0)


def test_no_show_rate_per_programme(world):
    report = report_build(scope(world), now=NOW)
    rates = {row.name: row.no_show_rate for row in report.rows}
    assert rates == {"Walk & Talk": 33.3, "Zoek werk": 7.7, "Open leercentrum": None}  # 2/6, 1/13


def test_zoek_werk_for_drechterland_this_year(world):
    """The coordinator's question: how many people did Zoek werk reach for Drechterland, how many finished."""
    report = report_build(
        scope(world, programme_id=world.zoek_werk.pk, partner_id=world.drechterland.pk), now=NOW
    )

    totals = report.totals
    assert totals["reached"] == 3  # P, Q, U; A came on her own
    assert totals["finished"] == 1  # P; Q came to 3 of 4
    assert (totals["held"], totals["present"], totals["no_show"], totals["waitlisted"]) == (5, 8, 1, 0)
    assert report.walk_ins_apply is False


def test_partner_without_programme_counts_only_its_people_and_programmes(world):
    report = report_build(scope(world, partner_id=world.drechterland.pk), now=NOW)
    assert [row.name for row in report.rows] == ["Zoek werk"]
    assert report.totals["reached"] == 3


def test_branch(world):
    report = report_build(scope(world, branch_id=world.branch_2.pk), now=NOW)
    rows = by_name(report)
    # Only W&T on 14 April was in Enkhuizen, and one tally.
    assert rows["Walk & Talk"]["held"] == 1
    assert (rows["Walk & Talk"]["present"], rows["Walk & Talk"]["reached"]) == (2, 3)
    assert rows["Open leercentrum"]["walk_in_people"] == 1
    assert "Zoek werk" not in rows


def test_a_shorter_period(world):
    report = report_build(scope(world, date_from=date(2025, 3, 1), date_to=date(2025, 3, 31)), now=NOW)
    totals = report.totals
    assert (totals["held"], totals["present"], totals["reached"], totals["finished"]) == (1, 3, 4, 0)
    assert (totals["walk_in_visits"], totals["walk_in_people"]) == (2, 3)


def test_trend_per_month(world):
    report = report_build(scope(world), now=NOW)
    assert len(report.months) == 12
    series = {item.name: item.values for item in report.series}
    assert series == {
        "Walk & Talk": [0, 0, 3, 2, 0, 0, 0, 0, 0, 0, 0, 0],
        "Zoek werk": [0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
    }
    assert sum(sum(values) for values in series.values()) == report.totals["present"]


def test_referrals_by_status(world):
    report = report_build(scope(world), now=NOW)
    counts = {status: number for status, _label, number in report.referrals}
    # Made in 2025: P completed, Q active, U enrolled, V received. W's referral was in 2024.
    assert counts == {
        "received": 1,
        "intake_planned": 0,
        "enrolled": 1,
        "active": 1,
        "completed": 1,
        "stopped": 0,
        "no_show": 0,
        "withdrawn": 0,
    }
    assert report.referrals_total == 4


def test_agreement_reach_per_year(world):
    report = report_build(scope(world), now=NOW)

    (item,) = report.agreements
    assert item.agreement == world.agreement
    first, second = item.years
    assert (first.starts_on, first.ends_on) == (date(2025, 1, 1), date(2025, 12, 31))
    # Referred P, Q, U, V; enrolled P, Q, U; finished P.
    assert (first.reach.target, first.reach.referred, first.reach.enrolled, first.finished) == (30, 4, 3, 1)
    assert first.reach.percent == 10
    assert (second.reach.referred, second.reach.enrolled, second.finished, second.current) == (0, 0, 0, True)
    assert item.current is second


def test_other_librarys_data_never_counts(world):
    report = report_build(scope(world), now=NOW)
    assert "Walk & Talk Langedijk" not in by_name(report)
    assert [item.agreement.title for item in report.agreements] == ["Zoek werk Drechterland"]
    # All libraries (a superuser): the other library's meeting, tally and referral are added.
    everything = report_build(scope(world, library_ids=None), now=NOW)
    assert everything.totals["held"] == 8
    assert everything.totals["walk_in_people"] == 10
    assert everything.referrals_total == 5
    assert len(everything.agreements) == 2


def test_a_staff_member_without_a_library_sees_nothing(world):
    report = report_build(scope(world, library_ids=frozenset()), now=NOW)
    assert report.rows == [] and report.agreements == [] and report.referrals_total == 0
    assert report.totals["reached"] == 0


def test_the_mini_library_section_comes_from_its_app(world):
    report = report_build(scope(world), now=NOW)
    # minilibrary.selectors.minilibrary_report exists: its five figures are in the report (none here).
    assert report.minilibrary == {
        "visits": 0,
        "loans": 0,
        "returns": 0,
        "requests": 0,
        "requests_fulfilled": 0,
    }
