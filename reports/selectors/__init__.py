"""Reads for the reports: the figures of a selection, its monthly trend, referrals and reach."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from programmes.models import Programme

from .figures import (
    ATTENDANCE_KEYS,
    FIGURE_KEYS,
    REGISTRATION_KEYS,
    SESSION_KEYS,
    attendance_counts,
    finished_people,
    no_show_rate,
    registration_counts,
    session_counts,
    walk_in_counts,
)
from .meetings import meeting_count, meeting_rows
from .minilibrary import minilibrary_figures
from .reach import agreement_reaches, referral_counts
from .scope import ReportScope

__all__ = [
    "Report",
    "ReportScope",
    "agreement_reaches",
    "meeting_count",
    "meeting_rows",
    "month_range",
    "report_build",
]


@dataclass
class ProgrammeRow:
    programme_id: int
    name: str
    library: str
    figures: dict

    @property
    def no_show_rate(self):
        return no_show_rate(self.figures)


@dataclass
class Series:
    name: str
    values: list  # one number per month of the report
    library: str = ""


@dataclass
class Report:
    scope: ReportScope
    now: object
    totals: dict
    rows: list
    months: list
    series: list
    referrals: list
    agreements: list
    walk_ins_apply: bool
    minilibrary: dict | None = None
    meetings: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def no_show_rate(self):
        return no_show_rate(self.totals)

    @property
    def referrals_total(self):
        return sum(number for _status, _label, number in self.referrals)


def month_range(date_from: date, date_to: date):
    month, last, months = date_from.replace(day=1), date_to.replace(day=1), []
    while month <= last:
        months.append(month)
        month = (
            month.replace(year=month.year + 1, month=1)
            if month.month == 12
            else month.replace(month=month.month + 1)
        )
    return months


def report_build(scope: ReportScope, *, now=None) -> Report:
    """Every figure of the report in a fixed number of queries, whatever the amount of data."""
    now = now or timezone.now()
    sessions = session_counts(scope, now)
    monthly, marks, came_total = attendance_counts(scope, now)
    registrations, registration_totals = registration_counts(scope)
    finished, finished_total = finished_people(scope, now)
    walk_ins = walk_in_counts(scope)

    per_programme = {}

    def row(programme_id):
        return per_programme.setdefault(programme_id, dict.fromkeys(FIGURE_KEYS, 0))

    for keys, counts_per_programme in (
        (SESSION_KEYS, sessions),
        ((*ATTENDANCE_KEYS, "came"), marks),
        (REGISTRATION_KEYS, registrations),
    ):
        for programme_id, counts in counts_per_programme.items():
            figures = row(programme_id)
            for key in keys:
                figures[key] = counts[key]
    for programme_id, number in finished.items():
        row(programme_id)["finished"] = number
    for programme_id, counts in (walk_ins or {}).items():
        row(programme_id).update(walk_in_visits=counts["visits"], walk_in_people=counts["people"] or 0)

    totals = dict.fromkeys(FIGURE_KEYS, 0)
    for figures in per_programme.values():
        for key in FIGURE_KEYS:
            totals[key] += figures[key]
    # People are counted once over the whole selection, not summed over programmes.
    totals.update(reached=registration_totals["reached"], came=came_total, finished=finished_total)

    programmes = {
        programme.pk: programme
        for programme in Programme.objects.filter(pk__in=list(per_programme))
        .select_related("library")
        .only("name", "library__name")
    }
    rows = sorted(
        (
            ProgrammeRow(
                programme_id=pk,
                name=programmes[pk].name,
                library=programmes[pk].library.name,
                figures=figures,
            )
            for pk, figures in per_programme.items()
        ),
        key=lambda item: (item.library, item.name, item.programme_id),
    )
    months = month_range(scope.date_from, scope.date_to)
    series = [
        Series(
            name=item.name,
            values=[monthly.get((item.programme_id, month), 0) for month in months],
            library=item.library,
        )
        for item in rows
        if any(monthly.get((item.programme_id, month)) for month in months)
    ]
    return Report(
        scope=scope,
        now=now,
        totals=totals,
        rows=rows,
        months=months,
        series=series,
        referrals=referral_counts(scope),
        agreements=agreement_reaches(scope, now=now),
        walk_ins_apply=walk_ins is not None,
        minilibrary=minilibrary_figures(scope),
        meetings=totals["held"] + totals["cancelled"] + totals["planned"],
    )
