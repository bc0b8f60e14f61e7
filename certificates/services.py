"""Issuing certificates: once per person per course run; printing again re-renders the recorded one."""

from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from programmes.models import Programme
from sessions.models import CourseRun, Registration

from .models import Certificate, new_certificate_code
from .selectors import EligibilityRow, RunCertificates, run_certificates


class CertificateRefused(Exception):
    """The certificate cannot be issued; the message is plain words for the staff member."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class Issued(NamedTuple):
    certificate: Certificate
    created: bool


def _refuse_for_run(overview: RunCertificates):
    programme = overview.run.programme
    if not overview.gives_certificates:
        raise CertificateRefused(
            _(
                "%(programme)s gives no certificate. Set the share of meetings under Certificate on the programme."
            )
            % {"programme": programme.name}
        )
    if overview.last_meeting_on is None:
        raise CertificateRefused(_("This course run has no meetings."))
    if not overview.is_open:
        raise CertificateRefused(
            _("Certificates can be issued from the day of the last meeting (%(date)s).")
            % {"date": formats.date_format(overview.last_meeting_on, "j F Y")}
        )


def _refusal(row: EligibilityRow) -> str:
    completion = row.completion
    return _(
        "%(name)s attended %(attended)d of %(held)d meetings (%(percent)d%%); %(required)d%% is needed."
    ) % {
        "name": row.name,
        "attended": completion.attended,
        "held": completion.held,
        "percent": completion.percent,
        "required": completion.required_percent,
    }


def _create(*, overview: RunCertificates, row: EligibilityRow, actor, now) -> Certificate:
    run, programme = overview.run, overview.run.programme
    registration = row.registration
    kind = (
        Certificate.Kind.DIPLOMA
        if programme.format == Programme.Format.READING_CIRCLE
        else Certificate.Kind.CERTIFICATE
    )
    for _attempt in range(5):
        certificate = Certificate(
            code=new_certificate_code(),
            kind=kind,
            library=programme.library,
            programme=programme,
            run=run,
            participant=registration.participant,
            registration=registration,
            name=registration.participant.name,
            programme_name=programme.name,
            library_name=programme.library.name,
            place=overview.place,
            first_meeting_on=overview.first_meeting_on,
            last_meeting_on=overview.last_meeting_on,
            meetings_attended=row.completion.attended,
            meetings_held=row.completion.held,
            issued_at=now,
            issued_by=actor,
        )
        if Certificate.objects.filter(code=certificate.code).exists():
            continue  # one in a billion: draw another number
        certificate.full_clean()
        certificate.save()
        return certificate
    raise IntegrityError("No free certificate number found")  # pragma: no cover


def _lock_run(run: CourseRun) -> CourseRun:
    # One issuer at a time per run: two clicks on "issue" never make two certificates.
    return CourseRun.objects.select_for_update().select_related("programme__library").get(pk=run.pk)


@transaction.atomic
def certificate_issue(*, registration: Registration, actor, now=None) -> Issued:
    """Issue the certificate of one enrolment, or return the one already issued for that person and run.

    Raises CertificateRefused when the person did not attend enough meetings, the programme gives no
    certificate, or the run has not reached the day of its last meeting.
    """
    now = now or timezone.now()
    if registration.run_id is None:
        raise CertificateRefused(_("This sign-up is for a single meeting, not for a course run."))
    run = _lock_run(registration.run)
    existing = Certificate.objects.filter(run=run, participant_id=registration.participant_id).first()
    if existing is not None:
        return Issued(existing, False)
    overview = run_certificates(run=run, registrations=[registration], now=now)
    _refuse_for_run(overview)
    if not overview.rows:
        raise CertificateRefused(_("This sign-up was cancelled."))
    (row,) = overview.rows
    if not row.eligible:
        raise CertificateRefused(_refusal(row))
    if not row.name:
        raise CertificateRefused(_("This person's name was removed, so no certificate can be printed."))
    return Issued(_create(overview=overview, row=row, actor=actor, now=now), True)


@transaction.atomic
def certificates_issue_for_run(*, run: CourseRun, actor, now=None) -> list[Issued]:
    """Issue a certificate for every eligible enrolment of a run (those already issued are returned as
    they are). People who did not attend enough are left out. Sorted by name."""
    now = now or timezone.now()
    run = _lock_run(run)
    overview = run_certificates(run=run, now=now)
    _refuse_for_run(overview)
    results = []
    for row in overview.rows:
        if row.certificate is not None:
            results.append(Issued(row.certificate, False))
        elif row.eligible and row.name:
            results.append(Issued(_create(overview=overview, row=row, actor=actor, now=now), True))
    return results
