"""factory-boy factories: one per model, each producing a valid row that passes every constraint.

Related objects stay inside one library organisation (a session's branch, a registration's
participant, a referral's programme), as they would in real use.
"""

import time
from datetime import timedelta

import factory
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from messaging.models import MessageTemplate, OutboxMessage
from partners.models import (
    Agreement,
    PartnerContact,
    PartnerOrganisation,
    PartnerSite,
    Referral,
    ReferralAuditEvent,
)
from people.models import Consent, ContactChannel, Participant, Worker
from programmes.models import Branch, Library, Programme, ProgrammeMaterial
from sessions.models import CourseRun, Registration, Session, SessionRole, WalkInVisit

DUTCH = "nl_NL"


def next_week_at_ten():
    """Eight days from now at 10:00 local time: in the future, and outside this week's overview."""
    day = timezone.localtime() + timedelta(days=8)
    return day.replace(hour=10, minute=0, second=0, microsecond=0)


# A fixed authenticator-app secret for test accounts (base32), so tests can compute the codes.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def activate_totp(user, secret=TOTP_SECRET):
    """Give an account an activated authenticator app, as staff and consultants must have."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    return user


def totp_code(secret=TOTP_SECRET, at=None):
    """The code the authenticator app shows now (the same computation allauth checks against).

    allauth accepts only the current period's code: near the end of a period, wait for the next one,
    so that the code is still valid when the request arrives.
    """
    if at is None:
        remaining = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
        if remaining < 3:
            time.sleep(remaining + 0.2)
        at = time.time()
    return format_hotp_value(hotp_value(secret, int(at) // mfa_settings.TOTP_PERIOD))


class SuperUserFactory(DjangoModelFactory):
    """A staff member with every permission, as the foundation's admin users are.

    Has an authenticator app set up (PORTAL_REQUIRE_MFA); pass totp=False for one who has not yet.
    """

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

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            activate_totp(obj)


class ConsultantFactory(DjangoModelFactory):
    """A partner contact with an account for the referral portal (made by invitation in real life)."""

    partner = factory.SubFactory("tests.factories.PartnerOrganisationFactory")
    name = factory.Faker("name", locale=DUTCH)
    role = "Klantmanager"
    email = factory.Sequence(lambda n: f"verwijzer{n}@gemeente.example")
    user = factory.LazyAttribute(
        lambda o: get_user_model().objects.create_user(o.email, o.email, "een-lang-test-wachtwoord")
    )

    class Meta:
        model = PartnerContact
        skip_postgeneration_save = True

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        from allauth.account.models import EmailAddress

        if create:
            EmailAddress.objects.create(user=obj.user, email=obj.email, primary=True, verified=True)
        if create and extracted is not False:
            activate_totp(obj.user)


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


class ReferralAuditEventFactory(DjangoModelFactory):
    referral = factory.SubFactory(ReferralFactory)
    library = factory.SelfAttribute("referral.library")
    referral_number = factory.SelfAttribute("referral.pk")
    user_email = "verwijzer@gemeente.example"
    partner = factory.SelfAttribute("referral.partner")
    action = ReferralAuditEvent.Action.VIEWED

    class Meta:
        model = ReferralAuditEvent


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
