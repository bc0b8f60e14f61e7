"""Demo rows: the Amstelland career coach in the Week van de Loopbaan, BiblioPlus's volunteer coach.

Called by `manage.py load_demo_data` after the core rows exist; running it again adds nothing.
"""

from datetime import date, time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from messaging.models import OutboxMessage
from people.models import Worker
from programmes import demo_data as data
from programmes.demo import upsert
from programmes.models import Branch, Programme

from .models import Appointment, AvailabilityBlock, CoachProfile
from .services import AppointmentNotPossible, appointment_book, block_slots_generate

# (library, worker, public title, public name, limit, account e-mail)
COACHES = [
    (data.AMS, "Ingrid Smit", "Loopbaancoach", "Ingrid", 1, "loopbaancoach@amstelland.example"),
    (data.BPL, "Theo Hermens", "Vrijwillige loopbaancoach", "Theo", 2, "loopbaancoach@biblioplus.example"),
]
WEEK_VAN_DE_LOOPBAAN_BRANCHES = [(0, "amstelveen-stadsplein"), (1, "aalsmeer"), (2, "ouderkerk")]
WVDL_TOPICS = "Wat wil ik echt?, Ander werk vinden, Je cv"
BPL_TOPICS = "Sollicitatiegesprek oefenen, Je cv maken, Ontdekken wat je goed kunt"
BPL_WEEKS = 6
# Fictional people who booked (name, phone, what they want to work on).
BOOKERS = [
    ("Yasmina El Idrissi", "+31655501001", "Ik wil iets anders, maar weet niet wat."),
    ("Henk de Boer", "+31655501002", "Hoe vind ik werk na mijn vijftigste?"),
    ("Marloes Kuipers", "+31655501003", "Past mijn cv bij wat ik wil?"),
    ("Tomasz Nowak", "+31655501004", "Oefenen voor een sollicitatiegesprek."),
    ("Fenna Smits", "+31655501005", "Mijn cv maken."),
]


def _week_van_de_loopbaan(today):
    def monday(year):
        october = date(year, 10, 1)
        return october + timedelta(days=(-october.weekday()) % 7)

    this_year = monday(today.year)
    return this_year if this_year > today else monday(today.year + 1)


def _coach(library_slug, worker_name, title, public_name, limit, email):
    worker = Worker.objects.get(library__slug=library_slug, name=worker_name)
    coach, _ = upsert(
        CoachProfile,
        {"worker": worker},
        {"public_title": title, "public_name": public_name, "max_future_appointments": limit},
    )
    user, _ = upsert(
        get_user_model(),
        {"username": email},
        {"email": email, "is_active": True},
        create_values={"first_name": public_name, "password": make_password(data.STAFF_PASSWORD)},
    )
    upsert(EmailAddress, {"user": user, "email": email}, {"verified": True, "primary": True})
    if worker.user_id is None:
        worker.user = user
        worker.save(update_fields=["user", "updated_at"])
    return coach


def _block(coach, *, day, start, end, minutes, pause, branch, programme, topics):
    block, created = upsert(
        AvailabilityBlock,
        {"coach": coach, "date": day, "start_time": start},
        {
            "end_time": end,
            "slot_minutes": minutes,
            "pause_minutes": pause,
            "branch": branch,
            "programme": programme,
            "topics": topics,
        },
    )
    block_slots_generate(block=block)
    return block


def _book_some(block, bookers, *, now):
    """The first times of the block go to these people, once: a second load finds them booked."""
    for slot, (name, phone, topic) in zip(block.slots.order_by("starts_at"), bookers, strict=False):
        if Appointment.objects.filter(slot=slot).exists():
            continue
        try:
            result = appointment_book(
                slot=slot, name=name, phone=phone, preferred_channel="sms", topic=topic, now=now
            )
        except AppointmentNotPossible:
            continue
        # Like the other demo rows: no messages to fictional phone numbers.
        OutboxMessage.objects.filter(appointment=result.appointment).delete()


def load_demo(*, now) -> list[str]:
    before = (AvailabilityBlock.objects.count(), Appointment.objects.count())
    today = timezone.localdate(now)
    ingrid, theo = (_coach(*spec) for spec in COACHES)

    # Dates are relative to the first load: a later load (on a later day) adds no new blocks.
    if not ingrid.blocks.exists():
        _load_week_van_de_loopbaan(ingrid, today, now)
    if not theo.blocks.exists():
        _load_weekly(theo, today, now)

    after = (AvailabilityBlock.objects.count(), Appointment.objects.count())
    return [
        f"  Appointments with a coach: {after[0]} blocks ({after[0] - before[0]} new), "
        f"{after[1]} appointments ({after[1] - before[1]} new); coach logins: "
        + ", ".join(spec[5] for spec in COACHES),
    ]


def _load_week_van_de_loopbaan(ingrid, today, now):
    wvdl = Programme.objects.get(library__slug=data.AMS, slug="loopbaancoach-week-van-de-loopbaan")
    monday = _week_van_de_loopbaan(today)
    for index, (offset, branch_slug) in enumerate(WEEK_VAN_DE_LOOPBAAN_BRANCHES):
        block = _block(
            ingrid,
            day=monday + timedelta(days=offset),
            start=time(13, 0),
            end=time(16, 30),
            minutes=30,
            pause=10,
            branch=Branch.objects.get(library__slug=data.AMS, slug=branch_slug),
            programme=wvdl,
            topics=WVDL_TOPICS,
        )
        _book_some(block, [BOOKERS[:2], BOOKERS[2:3], []][index], now=now)


def _load_weekly(theo, today, now):
    coach_programme = Programme.objects.get(library__slug=data.BPL, slug="persoonlijke-loopbaancoach")
    boxmeer = Branch.objects.get(library__slug=data.BPL, slug="boxmeer")
    friday = today + timedelta(days=(4 - today.weekday()) % 7 or 7)
    for week in range(BPL_WEEKS):
        block = _block(
            theo,
            day=friday + timedelta(weeks=week),
            start=time(10, 0),
            end=time(12, 0),
            minutes=40,
            pause=0,
            branch=boxmeer,
            programme=coach_programme,
            topics=BPL_TOPICS,
        )
        if week < 2:
            _book_some(block, [BOOKERS[3 + week]], now=now)
