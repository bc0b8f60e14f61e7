"""The report as tables of labelled numbers: the same figures on the page, in CSV and in XLSX."""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sessions.models import Session

from .selectors import meeting_rows

FIGURES = [
    ("held", gettext_lazy("Meetings held")),
    ("cancelled", gettext_lazy("Meetings cancelled")),
    ("planned", gettext_lazy("Meetings still to come")),
    ("registrations", gettext_lazy("Sign-ups with a place")),
    ("reached", gettext_lazy("People reached (each counted once)")),
    ("came", gettext_lazy("People who came at least once")),
    ("present", gettext_lazy("Present (all meetings together)")),
    ("walk_ins", gettext_lazy("Of whom walked in without signing up")),
    ("no_show", gettext_lazy("Did not come (no-shows)")),
    ("excused", gettext_lazy("Excused")),
    ("no_show_rate", gettext_lazy("No-show rate (%)")),
    ("waitlisted", gettext_lazy("On the waiting list")),
    ("registrations_cancelled", gettext_lazy("Sign-ups cancelled")),
    ("finished", gettext_lazy("Finished a course")),
    ("walk_in_visits", gettext_lazy("Walk-in hour: visits counted")),
    ("walk_in_people", gettext_lazy("Walk-in hour: people helped")),
]
MEETING_FIGURES = [
    ("present", gettext_lazy("Present")),
    ("walk_ins", gettext_lazy("Walked in")),
    ("no_show", gettext_lazy("Did not come")),
    ("excused", gettext_lazy("Excused")),
]


@dataclass
class Table:
    key: str
    title: str
    headers: list
    rows: object  # a list, or a generator for the meetings


def figure_value(figures, key, rate):
    if key == "no_show_rate":
        return "" if rate is None else rate
    return figures.get(key, 0)


def figure_keys(report):
    keys = [key for key, _label in FIGURES]
    if not report.walk_ins_apply:
        keys = [key for key in keys if not key.startswith("walk_in_")]
    return keys


def summary_rows(report):
    labels = dict(FIGURES)
    return [
        (labels[key], figure_value(report.totals, key, report.no_show_rate)) for key in figure_keys(report)
    ]


def report_tables(report, *, describe_scope, with_meetings=True, now=None):
    """Every table of the report, in page order. `describe_scope` is a list of (label, value)."""
    labels = dict(FIGURES)
    keys = figure_keys(report)
    tables = [
        Table("choices", _("Report"), [_("Choice"), _("Value")], [list(pair) for pair in describe_scope]),
        Table(
            "summary",
            _("Totals"),
            [_("Figure"), _("How many")],
            [list(pair) for pair in summary_rows(report)],
        ),
        Table(
            "programmes",
            _("Per programme"),
            [_("Programme"), _("Library organisation"), *[str(labels[key]) for key in keys]],
            [
                [row.name, row.library, *[figure_value(row.figures, key, row.no_show_rate) for key in keys]]
                for row in report.rows
            ],
        ),
        Table(
            "trend",
            _("Present per month"),
            [_("Month"), *[series.name for series in report.series]],
            [
                [date_format(month, "F Y"), *[series.values[i] for series in report.series]]
                for i, month in enumerate(report.months)
            ],
        ),
        Table(
            "referrals",
            _("Referrals made in the period, by status now"),
            [_("Status"), _("How many")],
            [[str(label), number] for _status, label, number in report.referrals]
            + [[_("Total"), report.referrals_total]],
        ),
        Table(
            "agreements",
            _("Reach against the target per agreement year"),
            [
                _("Agreement"),
                _("Partner"),
                _("Programme"),
                _("From"),
                _("Up to and including"),
                _("Target"),
                _("Referred"),
                _("Enrolled"),
                _("Finished"),
                _("Of target (%)"),
            ],
            [
                [
                    item.agreement.title,
                    item.agreement.partner.name,
                    item.agreement.programme.name if item.agreement.programme else "",
                    date_format(year.starts_on, "d-m-Y"),
                    date_format(year.ends_on, "d-m-Y"),
                    year.reach.target,
                    year.reach.referred,
                    year.reach.enrolled,
                    year.finished,
                    year.reach.percent,
                ]
                for item in report.agreements
                for year in item.years
            ],
        ),
    ]
    if report.minilibrary is not None:
        tables.append(
            Table(
                "minilibrary",
                _("Mini-library"),
                [_("Figure"), _("How many")],
                minilibrary_rows(report.minilibrary),
            )
        )
    if with_meetings:
        tables.append(
            Table(
                "meetings",
                _("Per meeting"),
                [
                    _("Date"),
                    _("Time"),
                    _("Programme"),
                    _("Library organisation"),
                    _("Place"),
                    _("Status"),
                    *[str(label) for _key, label in MEETING_FIGURES],
                ],
                _meeting_lines(report, now),
            )
        )
    return tables


def minilibrary_rows(figures):
    labels = {
        "visits": _("Visits"),
        "loans": _("Books lent"),
        "returns": _("Books returned"),
        "requests": _("Books asked for"),
        "requests_fulfilled": _("Books asked for and brought"),
    }
    return [[labels[key], figures.get(key, 0)] for key in labels]


def _meeting_lines(report, now):
    statuses = dict(Session.Status.choices)
    for row in meeting_rows(report.scope, now=now or report.now):
        yield [
            row["starts_at"].strftime("%d-%m-%Y"),
            row["starts_at"].strftime("%H:%M"),
            row["programme"],
            row["library"],
            row["place"],
            str(statuses.get(row["status"], row["status"])),
            *[row[key] for key, _label in MEETING_FIGURES],
        ]
