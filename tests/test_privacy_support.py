"""Helpers for the privacy tests: a person with data in every corner, and a scan of every text column."""

from datetime import timedelta

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from messaging.models import OutboxMessage
from partners.models import Referral, ReferralStatusChange
from people.models import Consent
from sessions.models import Attendance, Registration
from tests import factories

NAME = "Zwaantje Oosterbroek-Kayacan"
PHONE = "+31687654321"
PHONE_NATIONAL = "0687654321"
EMAIL = "zwaantje.kayacan@mail.example"
TERMS = [NAME, PHONE, PHONE_NATIONAL, EMAIL, "Zwaantje", "Kayacan"]

TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb")


def text_columns():
    """(table, column) for every text, char and JSON column of every table in the database."""
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = ANY(%s)",
            [list(TEXT_TYPES)],
        )
        return [(table, column) for table, column in cursor.fetchall() if table in tables]


def scan(terms=TERMS):
    """Every (table, column, term) where a term still appears, case-insensitively."""
    qn = connection.ops.quote_name
    hits = []
    with connection.cursor() as cursor:
        for table, column in text_columns():
            # Table and column names come from the database's own catalogue, quoted.
            cursor.execute(
                f"SELECT DISTINCT {qn(column)}::text FROM {qn(table)} WHERE {qn(column)}::text ILIKE ANY(%s)",  # noqa: S608
                [[f"%{term}%" for term in terms]],
            )
            values = " ".join(row[0] for row in cursor.fetchall()).lower()
            hits.extend((table, column, term) for term in terms if term.lower() in values)
    return hits


def person_with_everything(*, library=None, staff=None):
    """One person with data in every app: sign-ups, attendance, consent, a referral, messages, log."""
    now = timezone.now()
    library = library or factories.LibraryFactory()
    participant = factories.ParticipantFactory(library=library, name=NAME, phone=PHONE, email=EMAIL)
    programme = factories.ProgrammeFactory(library=library)
    past = factories.SessionFactory(
        programme=programme, starts_at=now - timedelta(days=30), ends_at=now - timedelta(days=30, hours=-1)
    )
    registration = factories.RegistrationFactory(
        session=past,
        participant=participant,
        status=Registration.Status.ATTENDED,
        help_wanted=f"Mijn cv. Bel {NAME} op {PHONE_NATIONAL}",
    )
    Attendance.objects.create(registration=registration, session=past, status=Attendance.Status.PRESENT)
    course = factories.ProgrammeFactory(library=library, course=True)
    run = factories.CourseRunFactory(programme=course)
    meetings = [
        factories.SessionFactory(
            programme=course,
            run=run,
            starts_at=now - timedelta(days=days),
            ends_at=now - timedelta(days=days, hours=-2),
        )
        for days in (21, 14)
    ]
    enrolment = factories.RegistrationFactory(
        session=None, run=run, participant=participant, help_wanted=f"Mail {EMAIL}"
    )
    for meeting, status in zip(meetings, [Attendance.Status.PRESENT, Attendance.Status.ABSENT], strict=True):
        Attendance.objects.create(registration=enrolment, session=meeting, status=status)
    factories.ConsentFactory(participant=participant)
    factories.ConsentFactory(
        participant=participant, purpose=Consent.Purpose.REPORT_TO_REFERRER, method=Consent.Method.REFERRAL
    )
    partner = factories.PartnerOrganisationFactory()
    partner.libraries.add(library)
    referral = factories.ReferralFactory(
        library=library,
        partner=partner,
        participant=participant,
        programme=course,
        participant_name=NAME,
        note=f"{NAME} heeft geen computer. Telefoon {PHONE_NATIONAL}.",
        status=Referral.Status.STOPPED,
        stop_reason=f"{NAME} is verhuisd",
        consent_contact=True,
        consent_given_on=timezone.localdate(),
    )
    ReferralStatusChange.objects.create(
        referral=referral, from_status="received", to_status="stopped", stop_reason=f"{NAME} is verhuisd"
    )
    factories.OutboxMessageFactory(
        registration=registration, context={"message": f"Hallo {NAME}"}, last_error=f"Nummer {PHONE} weigert"
    )
    factories.OutboxMessageFactory(
        registration=enrolment,
        status=OutboxMessage.Status.SENT,
        sent_at=now,
        channel="email",
        context={"name": NAME, "to": EMAIL},
    )
    OutboxMessage.objects.create(
        library=library,
        contact=referral.referrer,
        kind=OutboxMessage.Kind.REFERRAL_STATUS,
        channel="email",
        context={"participant": NAME, "status": "Gestopt"},
        due_at=now,
        idempotency_key=f"referral_status:{referral.pk}:1",
    )
    if staff is not None:
        LogEntry.objects.create(
            user=staff,
            content_type=ContentType.objects.get_for_model(Registration),
            object_id=str(registration.pk),
            object_repr=str(registration),
            action_flag=CHANGE,
            change_message=f'[{{"changed": {{"fields": ["Status"]}}, "note": "{NAME}"}}]',
        )
    return participant


def totals(library):
    """The counts reports are made of; they must not change when someone is anonymised."""
    from sessions.completion import run_completions

    registrations = Registration.objects.filter(participant__library=library)
    return {
        "participants": library.participants.count(),
        "registrations": registrations.count(),
        "registrations by status": sorted(registrations.values_list("status", flat=True)),
        "attendance": sorted(
            Attendance.objects.filter(registration__participant__library=library).values_list(
                "status", flat=True
            )
        ),
        "referrals": sorted(Referral.objects.filter(library=library).values_list("status", flat=True)),
        "status changes": ReferralStatusChange.objects.filter(referral__library=library).count(),
        "consents": Consent.objects.filter(participant__library=library).count(),
        "messages": OutboxMessage.objects.filter(library=library).count(),
        "completed": sum(c.completed for c in run_completions(registrations=registrations)),
    }


def other_apps_rows(participant):
    """A row with this person's name in every other app's model that points at a participant, made
    with that app's factory (tests/factories_<app>.py), when the app has one by now."""
    from importlib import import_module
    from pathlib import Path

    from people.models import Participant

    made = []
    for path in sorted(Path(__file__).parent.glob("factories_*.py")):
        for model, factory in import_module(f"tests.{path.stem}").FACTORIES.items():
            links = [
                field.name
                for field in model._meta.concrete_fields
                if field.is_relation and field.related_model is Participant
            ]
            if not links:
                continue
            row = factory(**{links[0]: participant})
            texts = {
                field.name: NAME
                for field in model._meta.concrete_fields
                if field.name in ("name", "topic", "participant_name", "notes", "note") and not field.choices
            }
            if texts:
                model.objects.filter(pk=row.pk).update(**texts)
            made.append(row)
    return made
