"""Factories for the reports app."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from partners.models import Referral
from reports.models import ReportExport
from sessions.models import Attendance, Registration, Session
from tests import factories
from tests.factories import LibraryFactory


class ReportExportFactory(DjangoModelFactory):
    """A finished export of one library's report (the file itself is not made here)."""

    library = factory.SubFactory(LibraryFactory)
    parameters = factory.LazyAttribute(
        lambda o: {
            "date_from": "2026-01-01",
            "date_to": "2026-12-31",
            "library_ids": [o.library.pk] if o.library else None,
            "programme_id": None,
            "branch_id": None,
            "partner_id": None,
        }
    )
    description = "Alle programma's, 01-01-2026 – 31-12-2026"
    format = ReportExport.Format.XLSX
    status = ReportExport.Status.DONE
    progress = 100
    file_name = factory.Sequence(lambda n: f"reports/test/{n}.xlsx")
    finished_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = ReportExport


# --- A small world with hand-counted numbers (tests/test_reports*.py) -----------------------------------

# Everything below is in 2025; "now" is the middle of 2026.
NOW = timezone.make_aware(datetime(2026, 6, 15, 12, 0))
YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))
Status = Registration.Status
Mark = Attendance.Status


def at(day, hour=10):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


@dataclass
class World:
    library: object
    other_library: object
    branch: object
    branch_2: object
    walk_and_talk: object
    zoek_werk: object
    open_leercentrum: object
    drechterland: object
    agreement: object
    people: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)


def meeting(programme, day, *, branch, run=None, **extra):
    start = at(day)
    return factories.SessionFactory(
        programme=programme,
        run=run,
        branch=branch,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        **extra,
    )


def sign_up(person, *, session=None, run=None, status=Status.CONFIRMED, referral=None):
    return Registration.objects.create(
        participant=person,
        session=session,
        run=run,
        status=status,
        referral=referral,
        cancelled_at=NOW if status == Status.CANCELLED else None,
    )


def mark(registration, session, status, walk_in=False):
    return Attendance.objects.create(
        registration=registration, session=session, status=status, walk_in=walk_in
    )


def refer(world, person, day, status, programme=None, partner=None, library=None):
    referral = factories.ReferralFactory(
        library=library or world.library,
        partner=partner or world.drechterland,
        participant=person,
        programme=programme or world.zoek_werk,
        status=status,
        stop_reason="Verhuisd" if status == Referral.Status.STOPPED else "",
    )
    Referral.objects.filter(pk=referral.pk).update(created_at=at(day))
    return referral


def hand_counted_world():
    """The data set whose numbers are written out by hand in tests/test_reports.py.

    Westfriese Bibliotheken, 2025: Walk & Talk (three meetings, one cancelled), a Zoek werk course of
    four meetings (over) and a second run still going, walk-in hour tallies; Gemeente Drechterland
    refers to Zoek werk. A second library has data of its own that must never show up.
    """
    library = factories.LibraryFactory(name="Westfriese Bibliotheken", slug="westfriese")
    other = factories.LibraryFactory(name="Bibliotheek Langedijk", slug="langedijk-r")
    branch = factories.BranchFactory(library=library, name="Hoorn", slug="hoorn")
    branch_2 = factories.BranchFactory(library=library, name="Enkhuizen", slug="enkhuizen")
    drechterland = factories.PartnerOrganisationFactory(name="Gemeente Drechterland", slug="drechterland-r")
    drechterland.libraries.add(library, other)
    walk_and_talk = factories.ProgrammeFactory(
        library=library, name="Walk & Talk", slug="wt", default_branch=branch
    )
    zoek_werk = factories.ProgrammeFactory(
        library=library, name="Zoek werk", slug="zoek-werk", course=True, number_of_meetings=4
    )
    zoek_werk.referring_partners.add(drechterland)
    open_leercentrum = factories.ProgrammeFactory(
        library=library, name="Open leercentrum", slug="olc", walk_in=True, default_branch=branch
    )
    agreement = factories.AgreementFactory(
        library=library,
        partner=drechterland,
        programme=zoek_werk,
        title="Zoek werk Drechterland",
        starts_on=date(2025, 1, 1),
        ends_on=date(2027, 12, 31),
        target_participants_per_year=30,
    )
    world = World(
        library, other, branch, branch_2, walk_and_talk, zoek_werk, open_leercentrum, drechterland, agreement
    )
    people = world.people
    for name in "ABCDEFGHIPQTUVW":
        people[name] = factories.ParticipantFactory(library=library, name=f"Persoon {name}")

    # Walk & Talk. S0 is in 2024 (outside the year), S3 was cancelled.
    s0 = meeting(walk_and_talk, date(2024, 11, 11), branch=branch)
    mark(sign_up(people["A"], session=s0, status=Status.ATTENDED), s0, Mark.PRESENT)
    s1 = meeting(walk_and_talk, date(2025, 3, 10), branch=branch)
    mark(sign_up(people["A"], session=s1, status=Status.ATTENDED), s1, Mark.PRESENT)
    mark(sign_up(people["B"], session=s1, status=Status.ATTENDED), s1, Mark.PRESENT)
    mark(sign_up(people["C"], session=s1, status=Status.NO_SHOW), s1, Mark.ABSENT)
    mark(sign_up(people["D"], session=s1, status=Status.CANCELLED), s1, Mark.EXCUSED)
    sign_up(people["E"], session=s1, status=Status.WAITLISTED)
    sign_up(people["F"], session=s1, status=Status.CANCELLED)
    mark(sign_up(people["G"], session=s1, status=Status.ATTENDED), s1, Mark.PRESENT, walk_in=True)
    s2 = meeting(walk_and_talk, date(2025, 4, 14), branch=branch_2)
    mark(sign_up(people["A"], session=s2, status=Status.ATTENDED), s2, Mark.PRESENT)
    mark(sign_up(people["B"], session=s2, status=Status.NO_SHOW), s2, Mark.ABSENT)
    mark(sign_up(people["H"], session=s2, status=Status.ATTENDED), s2, Mark.PRESENT)
    s3 = meeting(
        walk_and_talk,
        date(2025, 5, 12),
        branch=branch,
        status=Session.Status.CANCELLED,
        cancellation_reason="Ziek",
    )
    sign_up(people["I"], session=s3)

    # Zoek werk, run 1: four meetings in February 2025, over. P and Q were referred by Drechterland.
    run_1 = factories.CourseRunFactory(programme=zoek_werk, title="Zoek werk voorjaar 2025")
    z = [meeting(zoek_werk, date(2025, 2, d), branch=branch, run=run_1) for d in (3, 10, 17, 24)]
    ref_p = refer(world, people["P"], date(2025, 1, 20), Referral.Status.COMPLETED)
    ref_q = refer(world, people["Q"], date(2025, 1, 21), Referral.Status.ACTIVE)
    enrol_p = sign_up(people["P"], run=run_1, referral=ref_p)
    enrol_q = sign_up(people["Q"], run=run_1, referral=ref_q)
    enrol_a = sign_up(people["A"], run=run_1)
    sign_up(people["T"], run=run_1, status=Status.WAITLISTED)
    for session in z:
        mark(enrol_p, session, Mark.PRESENT)
        mark(enrol_a, session, Mark.PRESENT)
        mark(enrol_q, session, Mark.PRESENT if session != z[3] else Mark.ABSENT)
    # Run 2: one meeting in November 2025, one still to come in July 2026.
    run_2 = factories.CourseRunFactory(programme=zoek_werk, title="Zoek werk najaar 2025")
    z5 = meeting(zoek_werk, date(2025, 11, 3), branch=branch, run=run_2)
    meeting(zoek_werk, date(2026, 7, 1), branch=branch, run=run_2)
    ref_u = refer(world, people["U"], date(2025, 10, 15), Referral.Status.ENROLLED)
    mark(sign_up(people["U"], run=run_2, referral=ref_u), z5, Mark.PRESENT)
    refer(world, people["V"], date(2025, 6, 1), Referral.Status.RECEIVED)
    refer(world, people["W"], date(2024, 12, 1), Referral.Status.STOPPED)

    # Walk-in hour tallies: no names, only numbers.
    for day, place, number in (
        (date(2025, 3, 3), branch, 2),
        (date(2025, 3, 10), branch_2, 1),
        (date(2024, 12, 30), branch, 5),
    ):
        factories.WalkInVisitFactory(
            branch=place, programme=open_leercentrum, date=day, number_of_people=number
        )

    # The other library: a meeting, a referral from the same municipality, a tally. Never counted for A.
    other_programme = factories.ProgrammeFactory(library=other, name="Walk & Talk Langedijk", slug="wt-l")
    other_branch = factories.BranchFactory(library=other)
    o1 = meeting(other_programme, date(2025, 3, 10), branch=other_branch)
    stranger = factories.ParticipantFactory(library=other, name="Persoon X")
    mark(sign_up(stranger, session=o1, status=Status.ATTENDED), o1, Mark.PRESENT)
    refer(
        world, stranger, date(2025, 3, 1), Referral.Status.RECEIVED, programme=other_programme, library=other
    )
    factories.AgreementFactory(
        library=other,
        partner=drechterland,
        programme=other_programme,
        title="Langedijk Drechterland",
        starts_on=date(2025, 1, 1),
        target_participants_per_year=10,
    )
    factories.WalkInVisitFactory(
        branch=other_branch,
        programme=factories.ProgrammeFactory(library=other, walk_in=True),
        date=date(2025, 3, 10),
        number_of_people=7,
    )
    world.sessions = {"s1": s1, "s2": s2, "s3": s3, "z": z, "z5": z5, "o1": o1}
    return world


def grow(world, n):
    """Add n more of everything to the world: meetings with sign-ups and marks, a course run whose
    people finish, referrals and tallies (for the query-count tests)."""
    people = [factories.ParticipantFactory(library=world.library) for _ in range(3 * n)]
    for i in range(n):
        session = meeting(world.walk_and_talk, date(2025, 1 + i % 12, 1 + i % 28), branch=world.branch)
        for j, person in enumerate(people[3 * i : 3 * i + 3]):
            status = [Status.ATTENDED, Status.NO_SHOW, Status.WAITLISTED][j]
            registration = sign_up(person, session=session, status=status)
            if j < 2:
                mark(registration, session, Mark.PRESENT if j == 0 else Mark.ABSENT)
        factories.WalkInVisitFactory(
            branch=world.branch,
            programme=world.open_leercentrum,
            date=date(2025, 1 + i % 12, 2),
            number_of_people=2,
        )
    run = factories.CourseRunFactory(programme=world.zoek_werk)
    sessions = [meeting(world.zoek_werk, date(2025, 9, d), branch=world.branch, run=run) for d in (1, 8, 15)]
    for person in people[:n]:
        referral = refer(world, person, date(2025, 8, 1), Referral.Status.ENROLLED)
        enrolment = sign_up(person, run=run, referral=referral)
        for session in sessions:
            mark(enrolment, session, Mark.PRESENT)


FACTORIES = {ReportExport: ReportExportFactory}
