"""Every database constraint rejects bad data twice over.

* At the database: saving raises IntegrityError that names the constraint, so bad data cannot slip in
  through a script, a bulk update or a form that forgot to validate.
* In validation: ``full_clean()`` (what the admin and ModelForms run) reports the constraint's own
  plain message (its violation_error_message, not Django's generic one), so staff see what to fix.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from partners.models import PartnerContact, Referral
from people.models import Participant
from programmes.models import Programme, ProgrammeMaterial
from sessions.models import Attendance, Registration, Session
from tests import factories

pytestmark = pytest.mark.django_db


def violation_message(model, name):
    """The plain message a constraint defines for staff (not Django's generic "Constraint … is violated")."""
    (constraint,) = [c for c in model._meta.constraints if c.name == name]
    assert constraint.violation_error_message != constraint.default_violation_error_message, name
    return str(constraint.violation_error_message)


def assert_rejected(instance, *, constraint):
    """``instance`` breaks exactly ``constraint``: check validation first, then the database."""
    with pytest.raises(ValidationError) as info:
        instance.full_clean()
    # Next to the field the rule is about, where the model names one (FieldConstraintsMixin).
    field = getattr(instance, "constraint_fields", {}).get(constraint, NON_FIELD_ERRORS)
    assert info.value.message_dict == {field: [violation_message(type(instance), constraint)]}

    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        instance.save()


def assert_accepted(instance):
    instance.full_clean()
    instance.save()
    assert type(instance).objects.filter(pk=instance.pk).exists()


FACTORIES = [
    factories.LibraryFactory,
    factories.BranchFactory,
    factories.ProgrammeFactory,
    factories.ProgrammeMaterialFactory,
    factories.PartnerOrganisationFactory,
    factories.PartnerSiteFactory,
    factories.PartnerContactFactory,
    factories.AgreementFactory,
    factories.ReferralFactory,
    factories.ParticipantFactory,
    factories.ConsentFactory,
    factories.WorkerFactory,
    factories.CourseRunFactory,
    factories.SessionFactory,
    factories.SessionRoleFactory,
    factories.RegistrationFactory,
    factories.SuperUserFactory,
]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_factories_make_valid_rows(factory):
    """The baseline for everything below: a factory's row passes validation and is stored."""
    obj = factory()
    obj.full_clean()
    assert type(obj).objects.filter(pk=obj.pk).exists()


# --- Meetings (sessions) -------------------------------------------------------------------------


class TestSession:
    def test_end_must_be_after_start(self):
        session = factories.SessionFactory()
        session.ends_at = session.starts_at
        assert_rejected(session, constraint="session_ends_after_start")
        session.ends_at = session.starts_at - timedelta(minutes=30)
        assert_rejected(session, constraint="session_ends_after_start")

    def test_one_place_not_both(self, partner_site):
        session = factories.SessionFactory()
        session.partner_site = partner_site
        assert_rejected(session, constraint="session_one_place")

    def test_needs_a_place_or_a_link(self):
        session = factories.SessionFactory()
        session.branch = None
        assert_rejected(session, constraint="session_has_place")

    def test_an_online_link_is_a_place(self):
        session = factories.SessionFactory.build(
            programme=factories.ProgrammeFactory(), branch=None, online_url="https://meet.example/wt"
        )
        assert_accepted(session)
        assert session.is_online and session.place is None

    def test_partner_site_is_a_place(self, programme, partner_site):
        session = factories.SessionFactory.build(programme=programme, branch=None, partner_site=partner_site)
        assert_accepted(session)
        assert session.place == partner_site

    def test_moved_online_needs_link(self):
        session = factories.SessionFactory()
        session.status = Session.Status.MOVED_ONLINE
        assert_rejected(session, constraint="session_moved_online_has_link")
        session.online_url = "https://meet.example/walk-and-talk-online"
        assert_accepted(session)
        assert session.is_online

    def test_cancelled_needs_reason(self):
        session = factories.SessionFactory()
        session.status = Session.Status.CANCELLED
        assert_rejected(session, constraint="session_cancelled_has_reason")
        session.cancellation_reason = "De spreker is ziek."
        assert_accepted(session)

    def test_capacity_positive(self):
        session = factories.SessionFactory()
        session.capacity = 0
        assert_rejected(session, constraint="session_capacity_positive")
        session.capacity = None
        assert_accepted(session)

    @pytest.mark.parametrize("closes_after_opening", [timedelta(0), timedelta(hours=-1)])
    def test_registration_window(self, closes_after_opening):
        session = factories.SessionFactory()
        session.registration_opens_at = session.starts_at - timedelta(days=14)
        session.registration_closes_at = session.registration_opens_at + closes_after_opening
        assert_rejected(session, constraint="session_registration_window")

    def test_registration_window_may_be_open_ended(self):
        session = factories.SessionFactory()
        session.registration_opens_at = session.starts_at - timedelta(days=14)
        assert_accepted(session)
        session.registration_opens_at = None
        session.registration_closes_at = session.starts_at - timedelta(hours=2)
        assert_accepted(session)
        session.registration_opens_at = session.starts_at - timedelta(days=14)
        assert_accepted(session)


def test_course_run_capacity_positive():
    run = factories.CourseRunFactory()
    run.capacity = 0
    assert_rejected(run, constraint="course_run_capacity_positive")


# --- Registrations -------------------------------------------------------------------------------


class TestRegistration:
    def test_session_and_run_at_once_is_rejected(self):
        registration = factories.RegistrationFactory()
        registration.run = factories.CourseRunFactory(programme=registration.session.programme)
        assert_rejected(registration, constraint="registration_session_or_run")

    def test_neither_session_nor_run_is_rejected(self):
        registration = factories.RegistrationFactory()
        registration.session = None
        assert_rejected(registration, constraint="registration_session_or_run")

    def test_course_run_registration_is_accepted(self):
        run = factories.CourseRunFactory()
        registration = factories.RegistrationFactory.build(
            session=None, run=run, participant=factories.ParticipantFactory(library=run.programme.library)
        )
        assert_accepted(registration)

    @pytest.mark.parametrize("first_status", [Registration.Status.CONFIRMED, Registration.Status.WAITLISTED])
    def test_once_per_session(self, first_status):
        first = factories.RegistrationFactory(status=first_status)
        again = Registration(participant=first.participant, session=first.session)
        assert_rejected(again, constraint="registration_once_per_session")

    def test_a_cancelled_registration_does_not_block_signing_up_again(self):
        first = factories.RegistrationFactory(
            status=Registration.Status.CANCELLED, cancelled_at=timezone.now()
        )
        again = Registration(participant=first.participant, session=first.session)
        assert_accepted(again)
        assert first.session.registrations.count() == 2

    def test_another_person_may_sign_up_for_the_same_session(self):
        first = factories.RegistrationFactory()
        other = factories.ParticipantFactory(library=first.participant.library)
        assert_accepted(Registration(participant=other, session=first.session))

    def test_once_per_run(self):
        run = factories.CourseRunFactory()
        first = factories.RegistrationFactory(session=None, run=run)
        again = Registration(participant=first.participant, run=run)
        assert_rejected(again, constraint="registration_once_per_run")

    def test_a_cancelled_run_registration_does_not_block(self):
        run = factories.CourseRunFactory()
        first = factories.RegistrationFactory(
            session=None, run=run, status=Registration.Status.CANCELLED, cancelled_at=timezone.now()
        )
        assert_accepted(Registration(participant=first.participant, run=run))

    def test_cancelled_needs_time(self):
        registration = factories.RegistrationFactory()
        registration.status = Registration.Status.CANCELLED
        assert_rejected(registration, constraint="registration_cancelled_has_time")
        registration.cancelled_at = timezone.now()
        assert_accepted(registration)


# --- Participants --------------------------------------------------------------------------------


class TestParticipant:
    def test_reachable_by_phone_or_email(self, library):
        nobody = Participant(library=library, name="Anoniem")
        assert_rejected(nobody, constraint="participant_reachable")

    @pytest.mark.parametrize(
        ("phone", "email"),
        [("+31612345678", ""), ("", "piet@mail.example"), ("+31612345678", "p@mail.example")],
    )
    def test_phone_or_email_is_enough(self, library, phone, email):
        assert_accepted(Participant(library=library, name="Piet", phone=phone, email=email))

    def test_registered_at_the_desk_needs_no_contact_details(self, library):
        assert_accepted(Participant(library=library, name="Marja", registered_at_desk=True))

    def test_email_channel_needs_email(self, library):
        participant = Participant(
            library=library, name="Kees", phone="+31612345678", preferred_channel="email"
        )
        assert_rejected(participant, constraint="participant_email_channel_has_email")

    @pytest.mark.parametrize("channel", ["sms", "whatsapp", "call"])
    def test_phone_channels_need_phone(self, library, channel):
        participant = Participant(
            library=library, name="Kees", email="kees@mail.example", preferred_channel=channel
        )
        assert_rejected(participant, constraint="participant_phone_channel_has_phone")

    @pytest.mark.parametrize("same_number", ["+31612345678", "06 12345678", "06-12 34 56 78"])
    def test_phone_unique_per_library(self, library, same_number):
        factories.ParticipantFactory(library=library, phone="+31612345678")
        twin = Participant(library=library, name="Tweede", phone=same_number)
        assert_rejected(twin, constraint="participant_unique_phone_per_library")

    def test_same_phone_in_another_library_is_fine(self, library):
        factories.ParticipantFactory(library=library, phone="+31612345678")
        assert_accepted(Participant(library=factories.LibraryFactory(), name="Elders", phone="+31612345678"))

    def test_many_without_phone_in_one_library(self, library):
        factories.ParticipantFactory(
            library=library, phone="", email="een@mail.example", preferred_channel="email"
        )
        assert_accepted(Participant(library=library, name="Twee", email="twee@mail.example"))

    def test_email_unique_per_library_ignoring_case(self, library):
        factories.ParticipantFactory(library=library, email="jan@mail.example")
        twin = Participant(library=library, name="Jan", email="Jan@Mail.Example")
        assert_rejected(twin, constraint="participant_unique_email_per_library")

    def test_email_uniqueness_is_case_insensitive_in_the_database_itself(self, library):
        """bulk_create skips save() (which lower-cases), so this reaches the Lower("email") index."""
        factories.ParticipantFactory(library=library, email="jan@mail.example")
        with (
            pytest.raises(IntegrityError, match="participant_unique_email_per_library"),
            transaction.atomic(),
        ):
            Participant.objects.bulk_create(
                [Participant(library=library, name="Jan", email="JAN@MAIL.EXAMPLE")]
            )

    def test_email_is_stored_lower_case(self, library):
        participant = factories.ParticipantFactory(library=library, email="Jan@Mail.Example")
        participant.refresh_from_db()
        assert participant.email == "jan@mail.example"

    def test_same_email_in_another_library_is_fine(self, library):
        factories.ParticipantFactory(library=library, email="jan@mail.example")
        assert_accepted(Participant(library=factories.LibraryFactory(), name="Jan", email="JAN@mail.example"))

    def test_has_no_citizen_service_number(self):
        """Never a BSN (burgerservicenummer): not as a field, not under another label."""
        for field in Participant._meta.get_fields():
            name = field.name.lower()
            assert "bsn" not in name and "burgerservice" not in name, field.name
            label = str(getattr(field, "verbose_name", "")).lower()
            assert "bsn" not in label and "citizen service" not in label, field.name


# --- Programmes and material ---------------------------------------------------------------------


class TestProgramme:
    def test_walk_in_without_registration(self):
        programme = factories.ProgrammeFactory(walk_in=True)
        programme.registration_required = True
        assert_rejected(programme, constraint="programme_walk_in_without_registration")

    def test_walk_in_takes_no_referrals(self):
        programme = factories.ProgrammeFactory(walk_in=True)
        programme.accepts_referrals = True
        assert_rejected(programme, constraint="programme_walk_in_no_referrals")

    @pytest.mark.parametrize("fmt", [Programme.Format.COURSE, Programme.Format.READING_CIRCLE])
    @pytest.mark.parametrize("meetings", [None, 0])
    def test_course_needs_number_of_meetings(self, fmt, meetings):
        programme = factories.ProgrammeFactory(course=True)
        programme.format = fmt
        programme.number_of_meetings = meetings
        assert_rejected(programme, constraint="programme_course_has_meetings")

    def test_group_meeting_needs_no_number_of_meetings(self):
        programme = factories.ProgrammeFactory.build(
            library=factories.LibraryFactory(), number_of_meetings=None
        )
        assert_accepted(programme)

    def test_capacity_positive(self):
        programme = factories.ProgrammeFactory()
        programme.default_capacity = 0
        assert_rejected(programme, constraint="programme_capacity_positive")


class TestProgrammeMaterial:
    def test_needs_link_or_file(self):
        material = factories.ProgrammeMaterialFactory()
        material.url = ""
        assert_rejected(material, constraint="material_has_link_or_file")

    def test_a_file_is_enough(self):
        material = factories.ProgrammeMaterialFactory.build(programme=factories.ProgrammeFactory(), url="")
        material.file.save("zoek-werk-les-1.pdf", ContentFile(b"%PDF-1.4 les 1"), save=False)
        assert_accepted(material)
        assert ProgrammeMaterial.objects.get(pk=material.pk).file.name.endswith(".pdf")


# --- Partners ------------------------------------------------------------------------------------


def test_partner_contact_reachable():
    contact = factories.PartnerContactFactory()
    contact.email = ""
    assert_rejected(contact, constraint="partner_contact_reachable")
    contact.phone = "+31229123456"
    assert_accepted(contact)
    assert PartnerContact.objects.get(pk=contact.pk).email == ""


def test_partner_contact_account_has_email():
    """A consultant with an account logs in with the contact's e-mail address."""
    contact = factories.ConsultantFactory()
    contact.email = ""
    contact.phone = "+31229123456"
    assert_rejected(contact, constraint="partner_contact_account_has_email")
    contact.user = None
    assert_accepted(contact)


class TestAgreement:
    def test_ends_after_start(self):
        agreement = factories.AgreementFactory()
        agreement.ends_on = agreement.starts_on - timedelta(days=1)
        assert_rejected(agreement, constraint="agreement_ends_after_start")

    def test_one_day_agreement_and_open_end_are_fine(self):
        agreement = factories.AgreementFactory()
        agreement.ends_on = agreement.starts_on
        assert_accepted(agreement)
        agreement.ends_on = None
        assert_accepted(agreement)

    def test_target_positive(self):
        agreement = factories.AgreementFactory()
        agreement.target_participants_per_year = 0
        assert_rejected(agreement, constraint="agreement_target_positive")


class TestReferral:
    @pytest.mark.parametrize("consent", ["consent_contact", "consent_report_attendance"])
    def test_consent_needs_date(self, consent):
        referral = factories.ReferralFactory()
        setattr(referral, consent, True)
        assert_rejected(referral, constraint="referral_consent_has_date")
        referral.consent_given_on = timezone.localdate()
        assert_accepted(referral)

    def test_planned_intake_needs_date(self):
        referral = factories.ReferralFactory()
        referral.status = Referral.Status.INTAKE_PLANNED
        assert_rejected(referral, constraint="referral_intake_has_date")
        referral.intake_at = timezone.now() + timedelta(days=3)
        assert_accepted(referral)

    def test_stop_needs_reason(self):
        referral = factories.ReferralFactory()
        referral.status = Referral.Status.STOPPED
        assert_rejected(referral, constraint="referral_stop_has_reason")
        referral.stop_reason = "Heeft werk gevonden."
        assert_accepted(referral)


# --- Unique names, and a guard that no constraint goes untested ---------------------------------


def _twin_branch(field):
    first = factories.BranchFactory()
    return factories.BranchFactory.build(library=first.library, **{field: getattr(first, field)})


def _twin_programme_slug():
    first = factories.ProgrammeFactory()
    return factories.ProgrammeFactory.build(library=first.library, slug=first.slug)


def _twin_partner_site():
    first = factories.PartnerSiteFactory()
    return factories.PartnerSiteFactory.build(partner=first.partner, name=first.name)


def _twin_worker():
    first = factories.WorkerFactory()
    return factories.WorkerFactory.build(library=first.library, name=first.name, kind=first.kind)


def _twin_session_role():
    first = factories.SessionRoleFactory()
    return factories.SessionRoleFactory.build(session=first.session, worker=first.worker, role=first.role)


def _twin_membership():
    from programmes.models import LibraryMembership

    first = LibraryMembership.objects.create(
        user=factories.SuperUserFactory(), library=factories.LibraryFactory()
    )
    return LibraryMembership(user=first.user, library=first.library)


def _twin_attendance():
    registration = factories.RegistrationFactory()
    Attendance.objects.create(registration=registration, session=registration.session, status="present")
    return Attendance(registration=registration, session=registration.session, status="absent")


def test_walk_in_visit_people_positive():
    visit = factories.WalkInVisitFactory()
    visit.number_of_people = 0
    assert_rejected(visit, constraint="walk_in_visit_people_positive")


@pytest.mark.parametrize(
    ("constraint", "make_twin"),
    [
        ("library_membership_unique", _twin_membership),
        ("branch_unique_slug_per_library", lambda: _twin_branch("slug")),
        ("branch_unique_name_per_library", lambda: _twin_branch("name")),
        ("programme_unique_slug_per_library", _twin_programme_slug),
        ("partner_site_unique_name", _twin_partner_site),
        ("worker_unique_per_library", _twin_worker),
        ("session_role_unique", _twin_session_role),
        ("attendance_once_per_meeting", _twin_attendance),
    ],
)
def test_unique_together(constraint, make_twin):
    twin = make_twin()
    with pytest.raises(ValidationError):
        twin.full_clean()
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        twin.save()


DOMAIN_APPS = [
    "programmes",
    "partners",
    "people",
    "programme_sessions",
    "messaging",
    "appointments",
    "certificates",
    "minilibrary",
    "reports",
    "privacy",
]


def test_every_constraint_of_the_domain_models_is_tested_here():
    """A new constraint needs a test here or in tests/test_constraints_<app>.py (its name, in quotes)."""
    from django.apps import apps

    source = "".join(path.read_text() for path in Path(__file__).parent.glob("test_constraints*.py"))
    names = {
        constraint.name
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        for constraint in model._meta.constraints
    }
    assert len(names) > 30
    assert sorted(name for name in names if f'"{name}"' not in source) == []
