"""Factories for certificates, and helpers that build a course run with held meetings and attendance."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from certificates.models import Certificate
from partners.models import PartnerOrganisation, PartnerSite
from programmes.models import Programme
from sessions.models import Attendance, Session
from tests import factories


class CertificateFactory(DjangoModelFactory):
    run = factory.SubFactory(factories.CourseRunFactory)
    programme = factory.SelfAttribute("run.programme")
    library = factory.SelfAttribute("run.programme.library")
    participant = factory.SubFactory(factories.ParticipantFactory, library=factory.SelfAttribute("..library"))
    registration = factory.SubFactory(
        factories.RegistrationFactory,
        session=None,
        run=factory.SelfAttribute("..run"),
        participant=factory.SelfAttribute("..participant"),
    )
    kind = Certificate.Kind.CERTIFICATE
    name = factory.SelfAttribute("participant.name")
    programme_name = factory.SelfAttribute("programme.name")
    library_name = factory.SelfAttribute("library.name")
    place = "Vestiging Hoorn"
    first_meeting_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=35))
    last_meeting_on = factory.LazyFunction(timezone.localdate)
    meetings_attended = 5
    meetings_held = 6

    class Meta:
        model = Certificate


FACTORIES = {Certificate: CertificateFactory}


def reading_circle(library=None, *, threshold=80, **kwargs):
    """The reading circle at a partner's site: six weekly meetings of an hour, a diploma at 80 %."""
    return factories.ProgrammeFactory(
        **({"library": library} if library else {}),
        name=kwargs.pop("name", "Leeskring bij Relim"),
        format=Programme.Format.READING_CIRCLE,
        rhythm=Programme.Rhythm.TWICE_YEARLY,
        number_of_meetings=6,
        session_duration=timedelta(hours=1),
        default_capacity=8,
        certificate_min_attendance=threshold,
        **kwargs,
    )


def run_with_meetings(programme, *, meetings=6, cancelled=(), last_in_days=-1, site=None):
    """A course run of weekly meetings; the last one starts ``last_in_days`` from now (negative: past).

    Meetings at ``cancelled`` indices are cancelled. Returns (run, sessions in order).
    """
    run = factories.CourseRunFactory(programme=programme, title=f"{programme.name}, voorjaar")
    if site is None:
        relim = PartnerOrganisation.objects.filter(
            name="Relim"
        ).first() or factories.PartnerOrganisationFactory(
            name="Relim", slug="relim", kind=PartnerOrganisation.Kind.WORK_LEARNING
        )
        relim.libraries.add(programme.library)
        site = PartnerSite.objects.filter(partner=relim).first() or factories.PartnerSiteFactory(
            partner=relim, name="Leerwerkplaats Heerlen"
        )
    last = timezone.now() + timedelta(days=last_in_days)
    sessions = []
    for index in range(meetings):
        starts = last - timedelta(weeks=meetings - 1 - index)
        session = Session.objects.create(
            programme=programme,
            run=run,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            partner_site=site,
            topic="Afsluiting: de film" if index == meetings - 1 else "Samen lezen",
        )
        if index in cancelled:
            session.status = Session.Status.CANCELLED
            session.cancellation_reason = "De vrijwilliger is ziek."
            session.save()
        sessions.append(session)
    return run, sessions


def enrol(run, sessions, *, present, excused=0, **participant):
    """Enrol someone; mark them present at the first ``present`` held meetings, then excused, then absent.

    Only meetings that started are marked (as at the door).
    """
    registration = factories.RegistrationFactory(
        run=run, session=None, **{f"participant__{key}": value for key, value in participant.items()}
    )
    now = timezone.now()
    held = [s for s in sessions if s.status != Session.Status.CANCELLED and s.starts_at < now]
    for index, session in enumerate(held):
        if index < present:
            status = Attendance.Status.PRESENT
        elif index < present + excused:
            status = Attendance.Status.EXCUSED
        else:
            status = Attendance.Status.ABSENT
        Attendance.objects.create(registration=registration, session=session, status=status)
    return registration
