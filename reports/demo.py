"""Demo history for the reports, so that a coordinator sees real figures right after `make run`.

- Check-in marks (Attendance) for the past meetings of the core demo, whose sign-ups already say
  "came" or "did not come": the reports count marks, as the check-in page makes them.
- A year of Walk & Talk in Langedijk whose attendance falls to a steady group (the seed's story).
- A finished Zoek werk run for people referred by Drechterland this agreement year, so that
  "how many did Zoek werk reach for Drechterland, and how many finished" has an answer.

Idempotent: each part is added once (a second load, also on a later day, adds nothing).
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from partners.models import PartnerContact, PartnerOrganisation, Referral, ReferralStatusChange
from people.models import Consent, Participant
from programmes import demo_data as data
from programmes.demo import upsert
from programmes.models import Programme
from sessions.models import Attendance, Registration, Session, SessionRole
from sessions.services import session_series_create

# Langedijk's Walk & Talk, month by month (oldest first): present, and who did not come.
WALK_AND_TALK_PRESENT = [14, 14, 13, 12, 12, 11, 10, 9, 9, 8, 7, 7]
WALK_AND_TALK_TOPICS = [
    "Een netwerkgesprek oefenen",
    "Solliciteren met een video",
    "Je kwaliteiten ontdekken",
    "Werken na je zestigste",
    "Het grote sollicitatiegesprekkenspel",
    "Vrijwilligerswerk als opstap",
]
# Fictional regulars; the first seven are the steady group that stays.
LANGEDIJK_PEOPLE = [
    ("Gerda Zwart", "+31655502001"),
    ("Wim Kos", "+31655502002"),
    ("Annie Bakker-Groot", "+31655502003"),
    ("Joop Dekker", "+31655502004"),
    ("Ria Schermer", "+31655502005"),
    ("Kees Ooijevaar", "+31655502006"),
    ("Truus Blom", "+31655502007"),
    ("Sanne Visser", "+31655502008"),
    ("Mehmet Yilmaz", "+31655502009"),
    ("Lotte de Wit", "+31655502010"),
    ("Bram Pronk", "+31655502011"),
    ("Nadia El Amrani", "+31655502012"),
    ("Jeroen Kuiper", "+31655502013"),
    ("Iris Mol", "+31655502014"),
    ("Daan Stam", "+31655502015"),
    ("Fatma Demir", "+31655502016"),
]
# Zoek werk for Drechterland: name, phone, meetings present of ten.
ZOEK_WERK_PEOPLE = [
    ("Hamid Rahimi", "+31655503001", 10),
    ("Olga Kowalska", "+31655503002", 9),
    ("Tesfay Gebremedhin", "+31655503003", 9),
    ("Samira Haddou", "+31655503004", 8),
    ("Piotr Zielinski", "+31655503005", 7),
    ("Amina Yusuf", "+31655503006", 6),
    ("Rosa Mendes", "+31655503007", 4),
    ("Yusuf Karaman", "+31655503008", 2),
]
ZOEK_WERK_TITLE = "Zoek werk, najaar (afgerond)"


def load_demo(*, now) -> list[str]:
    marks = _mark_past_attendance(now)
    walk_and_talk = _langedijk_year(now)
    zoek_werk = _zoek_werk_finished(now)
    lines = [f"  Reports: {marks} check-in marks for past meetings"]
    if walk_and_talk:
        lines.append(f"  Reports: a year of Walk & Talk in Langedijk ({walk_and_talk} meetings)")
    if zoek_werk:
        lines.append(f"  Reports: a finished Zoek werk run for Drechterland ({zoek_werk} people)")
    return lines


def _mark_past_attendance(now):
    """A mark for every sign-up that says whether the person came, where the meeting has none yet."""
    registrations = (
        Registration.objects.filter(
            session__isnull=False,
            session__starts_at__lt=now,
            status__in=[Registration.Status.ATTENDED, Registration.Status.NO_SHOW],
        )
        .exclude(attendances__isnull=False)
        .select_related("session")
    )
    marks = [
        Attendance(
            registration=registration,
            session=registration.session,
            status=Attendance.Status.PRESENT
            if registration.status == Registration.Status.ATTENDED
            else Attendance.Status.ABSENT,
            marked_at=registration.session.starts_at + timedelta(minutes=10),
        )
        for registration in registrations
    ]
    Attendance.objects.bulk_create(marks)
    return len(marks)


def _person(library, name, phone, *, given_at, method=Consent.Method.DESK):
    participant, created = upsert(
        Participant,
        {"library": library, "phone": phone},
        {"name": name, "preferred_channel": "sms"},
        create_values={"last_activity_at": given_at},
    )
    if created:
        Consent.objects.create(
            participant=participant,
            purpose=Consent.Purpose.CONTACT,
            text=data.CONSENT_CONTACT_TEXT,
            method=method,
            given_at=given_at,
        )
    return participant


def _close(session, registrations, present):
    """Check-in marks and the stored numbers of a meeting that took place."""
    for registration in registrations:
        Attendance.objects.create(
            registration=registration,
            session=session,
            status=Attendance.Status.PRESENT if registration in present else Attendance.Status.ABSENT,
            marked_at=session.starts_at + timedelta(minutes=10),
        )
    Session.objects.filter(pk=session.pk).update(
        count_registered=len(registrations),
        count_present=len(present),
        count_no_show=len(registrations) - len(present),
        count_walk_ins=0,
        closed_at=session.ends_at,
    )


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _langedijk_year(now):
    programme = Programme.objects.get(library__slug=data.LGD, slug="walk-and-talk")
    if programme.sessions.filter(starts_at__lt=now - timedelta(days=200)).exists():
        return 0
    # The year before the meetings the core demo planned, so that the two do not mix.
    earliest = programme.sessions.order_by("starts_at").values_list("starts_at", flat=True).first() or now
    year_ago = earliest - timedelta(days=372)
    first = timezone.localdate(year_ago).replace(day=1) + timedelta(days=7)
    created = session_series_create(
        programme=programme,
        first_start=_at(first, 19),
        duration=programme.session_duration,
        rhythm=Programme.Rhythm.MONTHLY,
        count=len(WALK_AND_TALK_PRESENT),
        capacity=programme.default_capacity,
        branch=programme.default_branch,
    )
    people = [_person(programme.library, name, phone, given_at=year_ago) for name, phone in LANGEDIJK_PEOPLE]
    steady, others = people[:7], people[7:]
    # The same host and guest speakers as the meetings to come: a speaker every other time.
    roles = SessionRole.objects.filter(session__programme=programme).select_related("worker")
    host = roles.filter(role=SessionRole.Role.HOST).first()
    speakers = list({role.worker for role in roles.filter(role=SessionRole.Role.SPEAKER)})
    rng = random.Random("langedijk-walk-and-talk")
    sessions = sorted(created, key=lambda s: s.starts_at)
    for index, (session, present_count) in enumerate(zip(sessions, WALK_AND_TALK_PRESENT, strict=False)):
        session.topic = WALK_AND_TALK_TOPICS[index % len(WALK_AND_TALK_TOPICS)]
        session.save(update_fields=["topic", "updated_at"])
        if host:
            SessionRole.objects.create(session=session, worker=host.worker, role=SessionRole.Role.HOST)
        if speakers and index % 2 == 0:
            speaker = speakers[(index // 2) % len(speakers)]
            SessionRole.objects.create(session=session, worker=speaker, role=SessionRole.Role.SPEAKER)
        present = steady[: min(7, present_count)] + rng.sample(others, max(0, present_count - 7))
        no_shows = rng.sample([p for p in people if p not in present], 2 if index < 8 else 1)
        registrations = []
        for person in present + no_shows:
            registrations.append(
                Registration.objects.create(
                    participant=person,
                    session=session,
                    status=Registration.Status.ATTENDED if person in present else Registration.Status.NO_SHOW,
                    source=Registration.Source.DESK,
                )
            )
        Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
            created_at=session.starts_at - timedelta(days=10)
        )
        attended = [r for r in registrations if r.status == Registration.Status.ATTENDED]
        _close(session, registrations, attended)
    return len(sessions)


def _zoek_werk_finished(now):
    programme = Programme.objects.get(library__slug=data.WFB, slug="zoek-werk")
    if programme.runs.filter(title=ZOEK_WERK_TITLE).exists():
        return 0
    partner = PartnerOrganisation.objects.get(slug="gemeente-drechterland")
    referrer = PartnerContact.objects.get(partner=partner, name="Linda Groot")
    today = timezone.localdate(now)
    # Ten weekly meetings, the last one last week.
    first = today - timedelta(weeks=10, days=today.weekday() - 1)
    created = session_series_create(
        programme=programme,
        first_start=_at(first, 9, 30),
        duration=programme.session_duration,
        rhythm=Programme.Rhythm.WEEKLY,
        count=10,
        capacity=10,
        branch=programme.default_branch,
        run_title=ZOEK_WERK_TITLE,
    )
    sessions = sorted(created, key=lambda s: s.starts_at)
    run = sessions[0].run
    referred_on = first - timedelta(days=14)
    for name, phone, present_count in ZOEK_WERK_PEOPLE:
        person = _person(
            programme.library, name, phone, given_at=_at(referred_on, 10), method=Consent.Method.REFERRAL
        )
        finished = present_count * 100 >= (programme.certificate_min_attendance or 80) * len(sessions)
        status = Referral.Status.COMPLETED if finished else Referral.Status.STOPPED
        referral = Referral.objects.create(
            library=programme.library,
            partner=partner,
            referrer=referrer,
            participant=person,
            programme=programme,
            participant_name=person.name,
            kind=Referral.Kind.VOLUNTARY,
            status=status,
            consent_contact=True,
            consent_report_attendance=True,
            consent_given_on=referred_on,
            stop_reason="" if finished else "Kwam niet vaak genoeg.",
        )
        Consent.objects.create(
            participant=person,
            purpose=Consent.Purpose.REPORT_TO_REFERRER,
            text=data.CONSENT_REPORT_TEXT.format(partner=partner.name, programme=programme.name),
            method=Consent.Method.REFERRAL,
            given_at=_at(referred_on, 10),
        )
        received, enrolled, ended = _at(referred_on, 10), _at(referred_on, 15), sessions[-1].ends_at
        Referral.objects.filter(pk=referral.pk).update(created_at=received, status_changed_at=ended)
        for before, after, at in (
            ("", Referral.Status.RECEIVED, received),
            (Referral.Status.RECEIVED, Referral.Status.ENROLLED, enrolled),
            (Referral.Status.ENROLLED, status, ended),
        ):
            ReferralStatusChange.objects.create(
                referral=referral,
                from_status=before,
                to_status=after,
                changed_at=at,
                stop_reason=referral.stop_reason if after == Referral.Status.STOPPED else "",
            )
        registration = Registration.objects.create(
            participant=person,
            run=run,
            status=Registration.Status.CONFIRMED,
            source=Registration.Source.REFERRAL,
            referral=referral,
        )
        Registration.objects.filter(pk=registration.pk).update(created_at=enrolled)
        for index, session in enumerate(sessions):
            Attendance.objects.create(
                registration=registration,
                session=session,
                status=Attendance.Status.PRESENT if index < present_count else Attendance.Status.ABSENT,
                marked_at=session.starts_at + timedelta(minutes=10),
            )
    for session in sessions:
        marks = session.attendances.all()
        Session.objects.filter(pk=session.pk).update(
            count_registered=marks.count(),
            count_present=marks.filter(status=Attendance.Status.PRESENT).count(),
            count_no_show=marks.exclude(status=Attendance.Status.PRESENT).count(),
            count_walk_ins=0,
            closed_at=session.ends_at,
        )
    return len(ZOEK_WERK_PEOPLE)
