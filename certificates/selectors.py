"""Who may get a certificate for a course run, on top of `sessions.completion.run_completions`.

A person is eligible when the programme gives certificates (`certificate_min_attendance` is set), they
attended at least that share of the run's held meetings (cancelled meetings do not count; excused
counts as not attended), and the run has reached the day of its last meeting, so that diplomas can
be printed that morning and handed out at the closing activity.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from sessions.completion import Completion, run_completions
from sessions.models import CourseRun, Registration, Session

from .models import Certificate


@dataclass
class EligibilityRow:
    registration: Registration
    completion: Completion
    certificate: Certificate | None
    eligible: bool

    @property
    def name(self):
        return self.registration.participant.name


@dataclass
class RunCertificates:
    run: CourseRun
    required_percent: int | None  # None: this programme gives no certificate
    first_meeting_on: date | None
    last_meeting_on: date | None
    place: str
    is_open: bool  # the day of the last meeting has come
    rows: list[EligibilityRow] = field(default_factory=list)

    @property
    def gives_certificates(self):
        return self.required_percent is not None

    @property
    def eligible_rows(self):
        return [row for row in self.rows if row.eligible]

    @property
    def to_issue(self):
        return [row for row in self.rows if row.eligible and row.certificate is None]

    @property
    def issued(self):
        return [row.certificate for row in self.rows if row.certificate is not None]


def place_label(session: Session | None) -> str:
    """Where the run met: "Relim, Leerwerkplaats Heerlen" for a partner site, else the branch."""
    if session is None:
        return ""
    if session.partner_site_id:
        site = session.partner_site
        return f"{site.partner.name}, {site.name}"
    if session.branch_id:
        return session.branch.name
    return ""


def run_certificates(*, run: CourseRun, registrations=None, now=None) -> RunCertificates:
    """Eligibility of every enrolment (not cancelled) in a run, with attended/held/required shown.

    A fixed number of queries, however many enrolments. ``registrations`` narrows the rows.
    """
    now = now or timezone.now()
    programme = run.programme
    meetings = list(
        run.sessions.exclude(status=Session.Status.CANCELLED)
        .select_related("partner_site__partner", "branch")
        .order_by("starts_at", "pk")
    )
    first_on = timezone.localdate(meetings[0].starts_at) if meetings else None
    last_on = timezone.localdate(meetings[-1].starts_at) if meetings else None
    overview = RunCertificates(
        run=run,
        required_percent=programme.certificate_min_attendance,
        first_meeting_on=first_on,
        last_meeting_on=last_on,
        place=place_label(meetings[-1] if meetings else None),
        is_open=last_on is not None and timezone.localdate(now) >= last_on,
    )
    queryset = Registration.objects.filter(run=run)
    if registrations is not None:
        queryset = queryset.filter(pk__in=[r.pk for r in registrations])
    completions = run_completions(registrations=queryset, now=now)
    by_pk = queryset.select_related("participant").in_bulk([c.registration_id for c in completions])
    certificates = {c.participant_id: c for c in Certificate.objects.filter(run=run)}
    for completion in completions:
        registration = by_pk[completion.registration_id]
        overview.rows.append(
            EligibilityRow(
                registration=registration,
                completion=completion,
                certificate=certificates.get(completion.participant_id),
                eligible=overview.gives_certificates and overview.is_open and completion.completed,
            )
        )
    overview.rows.sort(key=lambda row: (row.name.casefold(), row.registration.pk))
    return overview
