"""Loads the demo data of `programmes.demo_data` (used by `manage.py load_demo_data`).

Safe to run again, also on a later day: every row is looked up by a natural key first, and meetings,
course runs and registrations are only planned for a programme that has no meetings yet. Dates are
relative to the day of the first load, in the portal's time zone.

Registrations are written directly, not through `registration_create`: the demo must not queue
messages to fictional phone numbers.
"""

import random
from datetime import date, datetime, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from partners.models import (
    Agreement,
    PartnerContact,
    PartnerOrganisation,
    PartnerSite,
    Referral,
    ReferralStatusChange,
)
from people.models import Consent, Participant, Worker
from sessions.models import CourseRun, Registration, Session, SessionRole
from sessions.services import session_series_create

from . import demo_data as data
from .models import Branch, Library, LibraryMembership, Programme, ProgrammeMaterial

SUMMARY_MODELS = [
    Library, Branch, Programme, ProgrammeMaterial, PartnerOrganisation, PartnerSite, PartnerContact,
    Agreement, Worker, Participant, Consent, Referral, ReferralStatusChange, CourseRun, Session,
    SessionRole, Registration,
    EmailAddress,
    LibraryMembership,
]  # fmt: skip

_SOURCE = {"online": "online", "desk": "desk", "phone": "phone", "referral": "phone"}


def load_demo_data(*, now=None) -> list[str]:
    """Load (or complete) the demo data in one transaction; return a short summary to print."""
    now = now or timezone.now()
    before = _counts()
    with transaction.atomic():
        _Loader(now).load()
        extra = _load_app_demos(now)
    return _summary(now, before) + extra


# Apps that add their own demo rows (appointments, the mini-library, ...) do so in `<app>/demo.py`
# with `load_demo(*, now) -> list[str]`, called after the rows above exist. It must be idempotent too.
DEMO_EXTENSION_APPS = ["appointments", "certificates", "minilibrary", "reports", "privacy"]


def _load_app_demos(now):
    lines = []
    for label in DEMO_EXTENSION_APPS:
        app = apps.get_app_config(label)
        if module_has_submodule(app.module, "demo"):
            lines += import_module(f"{app.name}.demo").load_demo(now=now)
    return lines


def upsert(model, lookup, values, create_values=None):
    """Find a row by its natural key, then bring it up to date; validate before every write."""
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**{**values, **lookup, **(create_values or {})})
    else:
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        if not changed:
            return obj, False
        for field in changed:
            setattr(obj, field, values[field])
    obj.full_clean()
    obj.save()
    return obj, created


def _create(model, **values):
    obj = model(**values)
    obj.full_clean()
    obj.save()
    return obj


def _pick(spec, *keys):
    return {key: spec[key] for key in keys if key in spec}


class _Loader:
    def __init__(self, now):
        self.now = now
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.today = timezone.localtime(now, self.tz).date()
        self.libraries, self.branches, self.partners, self.sites, self.contacts = {}, {}, {}, {}, {}
        self.programmes, self.workers, self.participants, self.via, self.referrals = {}, {}, {}, {}, {}

    def load(self):
        self.load_libraries()
        self.load_partners()
        self.load_programmes()
        self.load_agreements()
        self.load_workers()
        self.load_staff_user()
        self.load_consultants()
        self.load_participants()
        self.load_referrals()
        self.load_sessions()

    # Dates ---------------------------------------------------------------------------------------

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    def day_for(self, anchor) -> date:
        kind, *args = anchor
        if kind == "weekday":
            weekday, weeks = args
            return self.today + timedelta(days=((weekday - self.today.weekday()) % 7 or 7) + 7 * weeks)
        if kind == "month":
            weekday, nth, months = args
            year, month = divmod(self.today.month - 1 + months, 12)
            first = date(self.today.year + year, month + 1, 1)
            return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
        if kind == "week_van_de_loopbaan":
            day, when = args

            def week_day(year):
                october = date(year, 10, 1)
                return october + timedelta(days=(-october.weekday()) % 7 + day)

            this_year = week_day(self.today.year)
            if when == "past":
                return this_year if this_year < self.today else week_day(self.today.year - 1)
            return this_year if this_year > self.today else week_day(self.today.year + 1)
        raise ValueError(f"Unknown anchor {anchor!r}")

    # Organisations and programmes ----------------------------------------------------------------

    def load_libraries(self):
        for spec in data.LIBRARIES:
            library, _ = upsert(
                Library, {"slug": spec["slug"]}, _pick(spec, "name", "website", "email", "phone")
            )
            self.libraries[spec["slug"]] = library
            for branch_spec in spec["branches"]:
                fields = _pick(
                    branch_spec, "name", "street", "postcode", "city", "opening_hours", "directions"
                )
                branch, _ = upsert(Branch, {"library": library, "slug": branch_spec["slug"]}, fields)
                self.branches[spec["slug"], branch_spec["slug"]] = branch

    def load_partners(self):
        for spec in data.PARTNERS:
            partner, _ = upsert(
                PartnerOrganisation,
                {"slug": spec["slug"]},
                _pick(spec, "name", "kind", "description", "website"),
            )
            partner.libraries.add(*(self.libraries[slug] for slug in spec["libraries"]))
            self.partners[spec["slug"]] = partner
            for site_spec in spec.get("sites", []):
                fields = _pick(site_spec, "street", "postcode", "city", "directions")
                site, _ = upsert(PartnerSite, {"partner": partner, "name": site_spec["name"]}, fields)
                self.sites[spec["slug"], site_spec["name"]] = site
            for contact_spec in spec.get("contacts", []):
                fields = _pick(contact_spec, "role", "email", "phone")
                contact, _ = upsert(
                    PartnerContact, {"partner": partner, "name": contact_spec["name"]}, fields
                )
                self.contacts[spec["slug"], contact_spec["name"]] = contact

    def load_programmes(self):
        keys = ["name", "summary", "description", "format", "audience", "language_level", "language_group"]
        keys += ["delivery", "rhythm", "number_of_meetings", "default_capacity", "registration_required"]
        keys += ["accepts_referrals", "what_to_bring"]
        for spec in data.PROGRAMMES:
            library = self.libraries[spec["library"]]
            fields = _pick(spec, *keys)
            fields["session_duration"] = timedelta(minutes=spec["minutes"])
            fields["default_branch"] = self.branches.get((spec["library"], spec.get("branch")))
            programme, _ = upsert(Programme, {"library": library, "slug": spec["slug"]}, fields)
            programme.referring_partners.set([self.partners[slug] for slug in spec.get("referring", [])])
            programme.delivering_partners.set([self.partners[slug] for slug in spec.get("delivering", [])])
            self.programmes[spec["library"], spec["slug"]] = programme
            for material in spec.get("materials", []):
                fields = _pick(material, "kind", "url", "notes")
                fields["provider"] = self.partners.get(material.get("provider"))
                upsert(ProgrammeMaterial, {"programme": programme, "title": material["title"]}, fields)

    def load_agreements(self):
        # The agreements run from the start of the current school year, fixed when first loaded.
        september = date(self.today.year if self.today.month >= 9 else self.today.year - 1, 9, 1)
        for spec in data.AGREEMENTS:
            starts_on = date(*spec["starts_on"]) if "starts_on" in spec else september
            years = spec.get("years")
            upsert(
                Agreement,
                {
                    "library": self.libraries[spec["library"]],
                    "partner": self.partners[spec["partner"]],
                    "title": spec["title"],
                },
                {
                    "programme": self.programmes[spec["library"], spec["programme"]],
                    "target_participants_per_year": spec.get("target_participants_per_year"),
                    "notes": spec["notes"],
                },
                create_values={
                    "starts_on": starts_on,
                    "ends_on": starts_on.replace(year=starts_on.year + years) - timedelta(days=1)
                    if years
                    else None,
                },
            )

    # People --------------------------------------------------------------------------------------

    def load_workers(self):
        for spec in data.WORKERS:
            fields = _pick(spec, "email", "phone", "topics", "availability")
            fields["organisation"] = self.partners.get(spec.get("organisation"))
            worker, _ = upsert(
                Worker,
                {"library": self.libraries[spec["library"]], "name": spec["name"], "kind": spec["kind"]},
                fields,
            )
            self.workers[spec["library"], spec["name"]] = worker

    def load_staff_user(self):
        from portal.staff_groups import staff_groups_ensure

        groups = staff_groups_ensure()
        self._demo_user(data.STAFF_USERNAME, data.STAFF_EMAIL, superuser=True)
        for spec in data.DEMO_STAFF:
            user = self._demo_user(spec["username"], spec["email"], superuser=False, name=spec["name"])
            user.groups.set([groups[spec["group"]]])
            upsert(LibraryMembership, {"user": user, "library": self.libraries[spec["library"]]}, {})

    def load_consultants(self):
        """A portal account for one consultant of each referring organisation (not staff)."""
        for partner_slug, name in data.DEMO_CONSULTANTS:
            contact = self.contacts[partner_slug, name]
            first, _space, last = name.partition(" ")
            user = self._demo_user(
                contact.email, contact.email, superuser=False, staff=False, name=(first, last)
            )
            if contact.user_id != user.pk:
                contact.user = user
                contact.full_clean()
                contact.save(update_fields=["user", "updated_at"])

    def _demo_user(self, username, email, *, superuser, staff=True, name=("Demo", "Medewerker")):
        user, _ = upsert(
            get_user_model(),
            {"username": username},
            {"email": email, "is_staff": staff, "is_superuser": superuser, "is_active": True},
            create_values={
                "first_name": name[0],
                "last_name": name[1],
                "password": make_password(data.STAFF_PASSWORD),
            },
        )
        if not user.check_password(data.STAFF_PASSWORD):
            user.set_password(data.STAFF_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.filter(user=user, primary=True).exclude(email__iexact=email).update(
            primary=False
        )
        upsert(EmailAddress, {"user": user, "email": email}, {"verified": True, "primary": True})
        return user

    def load_participants(self):
        referred = {(spec["library"], spec["participant"]): spec for spec in data.REFERRALS}
        for library_slug, people in data.PARTICIPANTS.items():
            library = self.libraries[library_slug]
            for index, spec in enumerate(people):
                if spec["phone"]:
                    lookup = {"phone": spec["phone"]}
                elif spec["email"]:
                    lookup = {"email": spec["email"]}
                else:
                    lookup = {"name": spec["name"], "registered_at_desk": True}
                fields = _pick(spec, "name", "phone", "email", "preferred_channel", "language")
                fields["registered_at_desk"] = spec["registered_at_desk"]
                referral = referred.get((library_slug, spec["name"]))
                given_at = self.at(
                    self.today - timedelta(days=referral["days_ago"] if referral else 20 + index * 3), 10
                )
                participant, _ = upsert(
                    Participant,
                    {"library": library, **lookup},
                    fields,
                    create_values={"last_activity_at": given_at},
                )
                self.participants[library_slug, spec["name"]] = participant
                self.via[participant.pk] = spec["via"]
                # Someone who left no phone number or e-mail address cannot be contacted: no consent.
                if (spec["phone"] or spec["email"]) and not participant.consents.exists():
                    text = data.CONSENT_CONTACT_TEXT
                    if referral:
                        text = data.CONSENT_REFERRAL_TEXT.format(
                            partner=self.partners[referral["partner"]].name,
                            programme=self.programmes[library_slug, referral["programme"]].name,
                        )
                    _create(
                        Consent,
                        participant=participant,
                        purpose=Consent.Purpose.CONTACT,
                        text=text,
                        method=spec["via"],
                        given_at=given_at,
                    )

    def load_referrals(self):
        for spec in data.REFERRALS:
            participant = self.participants[spec["library"], spec["participant"]]
            programme = self.programmes[spec["library"], spec["programme"]]
            partner = self.partners[spec["partner"]]
            given_on = self.today - timedelta(days=spec["days_ago"])
            intake_at, intake_place = None, ""
            if "intake" in spec:
                anchor, (hour, minute), intake_place = spec["intake"]
                intake_at = self.at(self.day_for(anchor), hour, minute)
            referral, created = upsert(
                Referral,
                {
                    "library": self.libraries[spec["library"]],
                    "partner": partner,
                    "participant": participant,
                    "programme": programme,
                },  # fmt: skip
                {
                    "referrer": self.contacts[spec["partner"], spec["referrer"]],
                    "kind": spec["kind"],
                    "status": spec["status"],
                    "consent_contact": True,
                    "consent_report_attendance": spec.get("report", False),
                    "participant_name": participant.name,
                    "note": spec.get("note", ""),
                    "intake_place": intake_place,
                    "stop_reason": spec.get("stop_reason", ""),
                },
                create_values={"consent_given_on": given_on, "intake_at": intake_at},
            )
            self.referrals[participant.pk, programme.pk] = referral
            if created:
                self.referral_history(referral, given_on)
            if created and referral.consent_report_attendance:
                _create(
                    Consent,
                    participant=participant,
                    purpose=Consent.Purpose.REPORT_TO_REFERRER,
                    text=data.CONSENT_REPORT_TEXT.format(partner=partner.name, programme=programme.name),
                    method=Consent.Method.REFERRAL,
                    given_at=self.at(given_on, 10),
                )

    def referral_history(self, referral, given_on):
        """Referred on the day of consent; the current status (if further) a day later."""
        received = self.at(given_on, 10)
        Referral.objects.filter(pk=referral.pk).update(created_at=received, status_changed_at=received)
        _create(
            ReferralStatusChange, referral=referral, to_status=Referral.Status.RECEIVED, changed_at=received
        )
        if referral.status != Referral.Status.RECEIVED:
            changed = min(self.now, self.at(given_on + timedelta(days=1), 9, 30))
            Referral.objects.filter(pk=referral.pk).update(status_changed_at=changed)
            _create(
                ReferralStatusChange,
                referral=referral,
                from_status=Referral.Status.RECEIVED,
                to_status=referral.status,
                changed_at=changed,
                intake_at=referral.intake_at,
                intake_place=referral.intake_place,
                stop_reason=referral.stop_reason,
            )

    # Meetings and registrations ------------------------------------------------------------------

    def load_sessions(self):
        planned = set()
        for index, spec in enumerate(data.SCHEDULES):
            library_slug, slug = spec["programme"]
            programme = self.programmes[library_slug, slug]
            if programme.pk not in planned and programme.sessions.exists():
                continue  # Planned on an earlier run: leave the meetings (and any changes) alone.
            planned.add(programme.pk)
            self.plan(programme, library_slug, spec, random.Random(f"{library_slug}/{slug}/{index}"))

    def plan(self, programme, library_slug, spec, rng):
        day = self.day_for(spec["anchor"])
        first_start = self.at(day, *spec["at"])
        place = {}
        if "site" in spec:
            place["partner_site"] = self.sites[spec["site"]]
        elif "online" in spec:
            place["online_url"] = spec["online"]
        else:
            place["branch"] = (
                self.branches[library_slug, spec["branch"]]
                if "branch" in spec
                else (programme.default_branch)
            )
        run_title = ""
        if programme.is_enrolment:
            run_title = f"{programme.name}, start {day.day} {data.MONTHS_NL[day.month - 1]} {day.year}"
        created = session_series_create(
            programme=programme,
            first_start=first_start,
            duration=programme.session_duration,
            rhythm=spec.get("rhythm", programme.rhythm),
            count=spec.get("count") or programme.number_of_meetings,
            capacity=spec.get("capacity", programme.default_capacity),
            run_title=run_title,
            **place,
        )
        sessions = list(
            Session.objects.filter(programme=programme, starts_at__in=[s.starts_at for s in created], **place)
        )
        # Libraries are closed on public holidays: such a meeting is cancelled and gets no sign-ups.
        holidays = {session.pk: self.holiday(session) for session in sessions}
        upcoming = [s for s in sessions if s.starts_at >= self.now and not holidays[s.pk]]
        past = [s for s in sessions if s.starts_at < self.now and not holidays[s.pk]]
        for index, session in enumerate(sessions):
            self.describe(session, index, spec, upcoming, library_slug, holidays[session.pk])

        pool = [p for (lib, _name), p in self.participants.items() if lib == library_slug]
        for session in past:
            people = rng.sample(pool, min(spec.get("past", 0), len(pool)))
            for number, person in enumerate(people):
                status = Registration.Status.NO_SHOW if number % 4 == 3 else Registration.Status.ATTENDED
                self.register(person, programme, rng, spec, session=session, status=status)
        counts = list(spec.get("upcoming", []))
        if spec.get("full") and upcoming:
            counts[0] = upcoming[0].capacity + spec["full"]
        for index, session in enumerate(upcoming[: len(counts)]):
            chosen = [
                self.participants[library_slug, name] for name in spec.get("include", {}).get(index, [])
            ]
            rest = [person for person in pool if person not in chosen]
            chosen += rng.sample(rest, min(counts[index] - len(chosen), len(rest)))
            for person in chosen:
                seats = session.registrations.filter(status__in=Registration.SEATED).count()
                status = (
                    Registration.Status.WAITLISTED
                    if session.capacity is not None and seats >= session.capacity
                    else Registration.Status.CONFIRMED
                )
                self.register(person, programme, rng, spec, session=session, status=status)
        if sessions[0].run_id and spec.get("enrol"):
            for name in spec["enrol"]:
                person = self.participants[library_slug, name]
                self.register(person, programme, rng, spec, run=sessions[0].run, status="confirmed")

    def holiday(self, session):
        local_day = timezone.localtime(session.starts_at, self.tz).date()
        return data.HOLIDAYS.get((local_day.month, local_day.day), "")

    def describe(self, session, index, spec, upcoming, library_slug, holiday):
        """Topic, people and state of one planned meeting."""
        topics = spec.get("topics") or [""]
        session.topic = topics[index % len(topics)]
        if spec.get("opens_month_before"):
            # Sign-up opens on the first day of the month before, at nine in the morning.
            month_before = timezone.localtime(session.starts_at, self.tz).date().replace(day=1) - timedelta(1)
            session.registration_opens_at = self.at(month_before.replace(day=1), 9)
        if holiday:
            session.status = Session.Status.CANCELLED
            session.cancellation_reason = data.HOLIDAY_REASON.format(holiday=holiday)
        if session in upcoming:
            position = upcoming.index(session)
            if spec.get("cancel") and spec["cancel"][0] == position:
                session.status = Session.Status.CANCELLED
                session.cancellation_reason = spec["cancel"][1]
            if spec.get("moved_online") and spec["moved_online"][0] == position:
                session.status = Session.Status.MOVED_ONLINE
                session.online_url = spec["moved_online"][1]
                session.description = data.MOVED_ONLINE_NOTE
        session.full_clean()
        session.save()
        roles = list(spec.get("roles", []))
        if spec.get("rotating"):
            roles.append(spec["rotating"][index % len(spec["rotating"])])
        if index in spec.get("speakers", {}):
            roles.append((spec["speakers"][index], SessionRole.Role.SPEAKER))
        for name, role in roles:
            _create(SessionRole, session=session, worker=self.workers[library_slug, name], role=role)

    def register(self, person, programme, rng, spec, *, status, session=None, run=None):
        referral = self.referrals.get((person.pk, programme.pk))
        if referral and referral.status == Referral.Status.STOPPED:
            status = Registration.Status.CANCELLED
        if session is not None and session.status == Session.Status.CANCELLED:
            status = Registration.Status.CANCELLED
        help_wanted = rng.choice(spec["help"]) if spec.get("help") else ""
        _create(
            Registration,
            participant=person,
            session=session,
            run=run,
            status=status,
            source=Registration.Source.REFERRAL if referral else _SOURCE[self.via[person.pk]],
            referral=referral,
            help_wanted=help_wanted,
            cancelled_at=self.now if status == Registration.Status.CANCELLED else None,
        )


# Summary -----------------------------------------------------------------------------------------


def _counts():
    counts = {model: model.objects.count() for model in SUMMARY_MODELS}
    counts[get_user_model()] = get_user_model().objects.count()
    return counts


def _summary(now, before):
    after = _counts()
    added = sum(after[model] - before[model] for model in after)
    sessions = Session.objects.all()
    statuses = dict(Registration.objects.values_list("status").order_by("status").annotate(n=Count("pk")))
    registrations = ", ".join(f"{value} {statuses.get(value, 0)}" for value in Registration.Status.values)
    return [
        f"Demo data loaded ({added} new rows)." if added else "Demo data already loaded: nothing new.",
        f"  Library organisations: {after[Library]}, branches: {after[Branch]}",
        f"  Programmes: {after[Programme]}, materials and scripts: {after[ProgrammeMaterial]}",
        f"  Partners: {after[PartnerOrganisation]}, sites: {after[PartnerSite]}, "
        f"contacts: {after[PartnerContact]}, agreements: {after[Agreement]}",
        f"  Hosts, volunteers and speakers: {after[Worker]}",
        f"  Participants: {after[Participant]}, consents: {after[Consent]}, referrals: {after[Referral]}",
        f"  Meetings: {after[Session]} ({sessions.filter(starts_at__gte=now).count()} upcoming, "
        f"{sessions.filter(starts_at__lt=now).count()} past; "
        f"{sessions.filter(status=Session.Status.CANCELLED).count()} cancelled, "
        f"{sessions.filter(status=Session.Status.MOVED_ONLINE).count()} moved online), "
        f"course runs: {after[CourseRun]}, roles: {after[SessionRole]}",
        f"  Registrations: {after[Registration]} ({registrations})",
        f"  Staff login: {data.STAFF_EMAIL} / {data.STAFF_PASSWORD} (username {data.STAFF_USERNAME})",
        "  Consultant logins (referral portal, /verwijzers/, same password): "
        + ", ".join(_consultant_emails()),
    ]


def _consultant_emails():
    names = {name for _slug, name in data.DEMO_CONSULTANTS}
    contacts = PartnerContact.objects.filter(name__in=names, user__isnull=False).order_by("partner__name")
    return [contact.email for contact in contacts]
