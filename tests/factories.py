"""factory-boy factories: one per model, each producing a valid row that passes every constraint.

Related objects stay inside one library organisation (a session's branch, a registration's
participant, a referral's programme), as they would in real use.
"""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from messaging.models import MessageTemplate, OutboxMessage
from partners.models import Agreement, PartnerContact, PartnerOrganisation, PartnerSite, Referral
from people.models import Consent, ContactChannel, Participant, Worker
from programmes.models import Branch, Library, Programme, ProgrammeMaterial
from sessions.models import CourseRun, Registration, Session, SessionRole, WalkInVisit

DUTCH = "nl_NL"


def next_week_at_ten():
    """Eight days from now at 10:00 local time: in the future, and outside this week's overview."""
    day = timezone.localtime() + timedelta(days=8)
    return day.replace(hour=10, minute=0, second=0, microsecond=0)


class SuperUserFactory(DjangoModelFactory):
    """A staff member with every permission, as the foundation's admin users are."""

    username = factory.Sequence(lambda n: f"medewerker{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@bibliotheek.example")
    password = factory.django.Password("een-lang-test-wachtwoord")
    is_staff = True
    is_superuser = True
    is_active = True

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True


class LibraryFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Bibliotheek Testdorp {n}")
    slug = factory.Sequence(lambda n: f"testdorp-{n}")
    website = factory.LazyAttribute(lambda o: f"https://www.{o.slug}.example")
    email = factory.LazyAttribute(lambda o: f"info@{o.slug}.example")
    phone = "+31201234567"

    class Meta:
        model = Library


class BranchFactory(DjangoModelFactory):
    library = factory.SubFactory(LibraryFactory)
    name = factory.Sequence(lambda n: f"Vestiging {n}")
    slug = factory.Sequence(lambda n: f"vestiging-{n}")
    street = factory.Faker("street_address", locale=DUTCH)
    postcode = "1234 AB"
    city = factory.Faker("city", locale=DUTCH)
    opening_hours = "Ma-vr 10:00-17:00"

    class Meta:
        model = Branch


class PartnerOrganisationFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Gemeente Testland {n}")
    slug = factory.Sequence(lambda n: f"gemeente-testland-{n}")
    kind = PartnerOrganisation.Kind.MUNICIPALITY
    description = "Verwijst mensen met een bijstandsuitkering door."

    class Meta:
        model = PartnerOrganisation


class PartnerSiteFactory(DjangoModelFactory):
    partner = factory.SubFactory(PartnerOrganisationFactory)
    name = factory.Sequence(lambda n: f"Locatie {n}")
    street = factory.Faker("street_address", locale=DUTCH)
    postcode = "5431 AA"
    city = factory.Faker("city", locale=DUTCH)

    class Meta:
        model = PartnerSite


class PartnerContactFactory(DjangoModelFactory):
    partner = factory.SubFactory(PartnerOrganisationFactory)
    name = factory.Faker("name", locale=DUTCH)
    role = "Klantmanager"
    email = factory.Sequence(lambda n: f"consulent{n}@gemeente.example")

    class Meta:
        model = PartnerContact


class ProgrammeFactory(DjangoModelFactory):
    """A monthly Walk & Talk by default; traits give the other formats."""

    library = factory.SubFactory(LibraryFactory)
    name = factory.Sequence(lambda n: f"Walk & Talk {n}")
    slug = factory.Sequence(lambda n: f"walk-and-talk-{n}")
    summary = "Praat met andere werkzoekenden en leer van elkaar."
    description = "Elke maand een korte les. Daarna praat je met elkaar."
    format = Programme.Format.GROUP_MEETING
    rhythm = Programme.Rhythm.MONTHLY
    session_duration = timedelta(minutes=90)
    default_capacity = 15
    registration_required = True

    class Meta:
        model = Programme

    class Params:
        course = factory.Trait(
            format=Programme.Format.COURSE,
            rhythm=Programme.Rhythm.WEEKLY,
            number_of_meetings=10,
            language_level=Programme.LanguageLevel.A1,
            accepts_referrals=True,
        )
        walk_in = factory.Trait(
            format=Programme.Format.WALK_IN,
            rhythm=Programme.Rhythm.WEEKLY,
            registration_required=False,
            default_capacity=None,
        )


class ProgrammeMaterialFactory(DjangoModelFactory):
    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Draaiboek {n}")
    kind = ProgrammeMaterial.Kind.SCRIPT
    url = factory.Sequence(lambda n: f"https://materiaal.example/draaiboek-{n}")

    class Meta:
        model = ProgrammeMaterial


class AgreementFactory(DjangoModelFactory):
    library = factory.SubFactory(LibraryFactory)
    partner = factory.SubFactory(PartnerOrganisationFactory)
    programme = factory.SubFactory(ProgrammeFactory, library=factory.SelfAttribute("..library"), course=True)
    title = factory.Sequence(lambda n: f"Afspraak Zoek werk {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate())
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=3 * 365))
    target_participants_per_year = 30

    class Meta:
        model = Agreement


class ParticipantFactory(DjangoModelFactory):
    library = factory.SubFactory(LibraryFactory)
    name = factory.Faker("name", locale=DUTCH)
    phone = factory.Sequence(lambda n: f"+3161{n:07d}")
    email = factory.Sequence(lambda n: f"deelnemer{n}@mail.example")
    preferred_channel = ContactChannel.SMS

    class Meta:
        model = Participant


class ConsentFactory(DjangoModelFactory):
    participant = factory.SubFactory(ParticipantFactory)
    purpose = Consent.Purpose.CONTACT
    text = "De bibliotheek mag mij een bericht sturen over deze bijeenkomst."
    method = Consent.Method.ONLINE
    given_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Consent


class WorkerFactory(DjangoModelFactory):
    library = factory.SubFactory(LibraryFactory)
    name = factory.Faker("name", locale=DUTCH)
    kind = Worker.Kind.VOLUNTEER
    topics = "Een cv maken"

    class Meta:
        model = Worker


class ReferralFactory(DjangoModelFactory):
    library = factory.SubFactory(LibraryFactory)
    partner = factory.SubFactory(PartnerOrganisationFactory)
    referrer = factory.SubFactory(PartnerContactFactory, partner=factory.SelfAttribute("..partner"))
    participant = factory.SubFactory(ParticipantFactory, library=factory.SelfAttribute("..library"))
    programme = factory.SubFactory(ProgrammeFactory, library=factory.SelfAttribute("..library"), course=True)
    kind = Referral.Kind.VOLUNTARY

    class Meta:
        model = Referral


class CourseRunFactory(DjangoModelFactory):
    programme = factory.SubFactory(ProgrammeFactory, course=True)
    title = factory.Sequence(lambda n: f"Zoek werk, voorjaar {n}")
    capacity = 12

    class Meta:
        model = CourseRun


class SessionFactory(DjangoModelFactory):
    """One meeting at a branch of the programme's own library, next week at 10:00."""

    programme = factory.SubFactory(ProgrammeFactory)
    starts_at = factory.LazyFunction(next_week_at_ten)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=90))
    branch = factory.SubFactory(BranchFactory, library=factory.SelfAttribute("..programme.library"))
    capacity = 15
    topic = "Je pitch oefenen"

    class Meta:
        model = Session


class SessionRoleFactory(DjangoModelFactory):
    session = factory.SubFactory(SessionFactory)
    worker = factory.SubFactory(WorkerFactory, library=factory.SelfAttribute("..session.programme.library"))
    role = SessionRole.Role.HOST

    class Meta:
        model = SessionRole


class RegistrationFactory(DjangoModelFactory):
    """A confirmed place at one meeting; pass run=... and session=None for a course run."""

    session = factory.SubFactory(SessionFactory)
    run = None
    participant = factory.SubFactory(
        ParticipantFactory,
        library=factory.LazyAttribute(
            lambda o: (o.factory_parent.session or o.factory_parent.run).programme.library
        ),
    )
    status = Registration.Status.CONFIRMED
    source = Registration.Source.ONLINE

    class Meta:
        model = Registration


class MessageTemplateFactory(DjangoModelFactory):
    kind = "reminder"
    language = "nl"
    subject = "Denk je eraan? {{ programme }}"
    body = "Hallo {{ name }}.\nDatum: {{ date }}\nTijd: {{ time }}\nPlaats: {{ place }}"

    class Meta:
        model = MessageTemplate
        django_get_or_create = ["kind", "language"]


class OutboxMessageFactory(DjangoModelFactory):
    """A confirmation waiting to be sent, by SMS, for a registration."""

    registration = factory.SubFactory(RegistrationFactory)
    participant = factory.SelfAttribute("registration.participant")
    library = factory.SelfAttribute("participant.library")
    kind = "registration_confirmed"
    channel = ContactChannel.SMS
    due_at = factory.LazyFunction(timezone.now)
    idempotency_key = factory.Sequence(lambda n: f"test-message-{n}")

    class Meta:
        model = OutboxMessage


class WalkInVisitFactory(DjangoModelFactory):
    """A counted visit at a walk-in hour of the branch's library: numbers and topics, no personal data."""

    branch = factory.SubFactory(BranchFactory)
    programme = factory.SubFactory(
        ProgrammeFactory, library=factory.SelfAttribute("..branch.library"), walk_in=True
    )
    date = factory.LazyFunction(timezone.localdate)
    number_of_people = 1
    topics = factory.LazyFunction(lambda: ["cv"])

    class Meta:
        model = WalkInVisit
