"""A realistic, reproducible data set at a chosen scale, for load tests and query plans.

Scale 1 is about the five library organisations of the demo; scale 30 about all Dutch libraries:
150 organisations, 1,500 branches, 200,000 meetings, 2,000,000 registrations, 300,000 participants,
50,000 referrals, with walk-in tallies, attendance and the outbox. Each library is generated from its
own random stream (`seed` and its number), so the same seed and day give the same rows.

Use `manage.py generate_data` (see `portal/management/commands/generate_data.py`).
"""

import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import connection

from . import extras, organisations, people, schedule
from .columns import COLUMNS
from .writer import CopyWriter

PAST_WEEKS, FUTURE_WEEKS = 104, 13
GENERATED_APPS = [
    "programmes", "partners", "people", "programme_sessions", "messaging", "appointments", "minilibrary",
    "certificates",
]  # fmt: skip
CHECKED_MODELS = [
    "programmes.Library", "partners.PartnerOrganisation", "people.Participant",
    "programme_sessions.Session", "programme_sessions.Registration", "messaging.OutboxMessage",
]  # fmt: skip


class Refused(Exception):
    """The database or settings are not fit for generated data; the message says why."""


@dataclass
class Generator:
    writer: CopyWriter
    now: datetime
    names: organisations.Names
    existing_partners: dict
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo(settings.TIME_ZONE))
    national: list = field(default_factory=list)

    def __post_init__(self):
        self.today = self.local(self.now).date()
        self.window_start = self.at(self.today - timedelta(weeks=PAST_WEEKS), 0)
        self.window_end = self.at(self.today + timedelta(weeks=FUTURE_WEEKS), 23, 59)
        self.stamp = self.window_start - timedelta(days=400)

    def table(self, model):
        return self.writer.table(model, COLUMNS[model._meta.label])

    def at(self, day, hour, minute=0):
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    def local(self, moment):
        return moment.astimezone(self.tz)


def check_target(*, append=False, force=False):
    """Refuse production settings, other databases than PostgreSQL, and data already there."""
    module = getattr(settings, "SETTINGS_MODULE", "") or ""
    if "production" in module.rsplit(".", 1)[-1]:
        raise Refused(f"Refusing to generate data under production settings ({module}).")
    if connection.vendor != "postgresql":
        raise Refused(f"The generator needs PostgreSQL (COPY); this database is {connection.vendor}.")
    filled = [label for label in CHECKED_MODELS if apps.get_model(label).objects.exists()]
    if filled and not (append or force):
        raise Refused(
            f"The database {connection.settings_dict['NAME']!r} already has data ({', '.join(filled)}). "
            "Use --append to add to it, or --force to empty these apps' tables first."
        )


def empty_tables():
    """TRUNCATE every table of the portal's own apps (not users, not sessions of the site)."""
    tables = set()
    for label in GENERATED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE " + ", ".join(f'"{t}"' for t in sorted(tables)) + " RESTART IDENTITY CASCADE"
        )


def generate(*, scale, seed=1, today=None, append=False, force=False, analyze=True, log=print):
    check_target(append=append, force=force)
    if force and not append:
        empty_tables()
    from partners.models import PartnerOrganisation
    from programmes.models import Library

    started = time.perf_counter()
    now = datetime.now(ZoneInfo(settings.TIME_ZONE)).replace(second=0, microsecond=0)
    if today is not None:
        now = datetime(today.year, today.month, today.day, 12, 0, tzinfo=ZoneInfo(settings.TIME_ZONE))
    taken = [("library", n) for n in Library.objects.values_list("name", flat=True)]
    taken += [("library-slug", s) for s in Library.objects.values_list("slug", flat=True)]
    partners = dict(PartnerOrganisation.objects.values_list("name", "pk"))
    taken += [("partner", n) for n in partners] + [
        ("partner-slug", s) for s in PartnerOrganisation.objects.values_list("slug", flat=True)
    ]
    first_number = Library.objects.count()
    writer = CopyWriter()
    gen = Generator(writer=writer, now=now, names=organisations.Names(taken), existing_partners=partners)
    count = max(1, round(5 * scale))
    log(f"Generating {count} library organisations (scale {scale:g}, seed {seed}, day {gen.today}) ...")
    try:
        gen.national = organisations.national_partners(gen)
        seen = extras.Recorder(gen)
        for position, number in enumerate(range(first_number, first_number + count), start=1):
            rng = random.Random(f"{seed}:{number}")
            lib = organisations.library(gen, rng, number)
            people.participants(gen, rng, lib)
            plans = schedule.plan_programmes(gen, rng, lib)
            organisations.agreements(gen, rng, lib)
            people.referrals(gen, rng, lib)
            schedule.write_sessions(gen, rng, lib, plans)
            extras.for_library(gen, rng, lib, seen)
            if position % max(1, count // 10) == 0 or position == count:
                rows = sum(t.rows + t.buffered for t in writer.tables.values())
                log(f"  {position}/{count} libraries, {rows:,} rows, {time.perf_counter() - started:.0f} s")
        extras.finish(gen, seen)
        generated = time.perf_counter() - started
        timings = writer.finish(analyze=analyze)
    except BaseException:
        writer.abort()
        raise
    total = time.perf_counter() - started
    return _report(writer, generated, total, timings)


def _report(writer, generated, total, timings):
    lines, rows = [], 0
    lines.append(f"{'table':<44} {'rows':>11} {'COPY s':>8} {'rows/s':>10}")
    for table in sorted(writer.tables.values(), key=lambda t: -t.rows):
        rows += table.rows
        rate = table.rows / table.seconds if table.seconds else 0
        lines.append(f"{table.db_table:<44} {table.rows:>11,} {table.seconds:>8.1f} {rate:>10,.0f}")
    lines.append(f"{'total':<44} {rows:>11,} {'':>8} {rows / total:>10,.0f}")
    lines.append(
        f"Generated in {generated:.1f} s (rows streamed to PostgreSQL meanwhile); "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
        + f"; total {total:.1f} s ({total / 60:.1f} min)."
    )
    lines.append(
        "Foreign keys: "
        + (
            "triggers off during the load, every key checked afterwards."
            if writer.fast_fk
            else "checked by PostgreSQL's triggers."
        )
    )
    return lines


def parse_day(text):
    return date.fromisoformat(text)
