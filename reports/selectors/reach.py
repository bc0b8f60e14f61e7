"""Referrals by status, and reach against each agreement's target per year (partners.selectors)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from partners.models import Agreement, PartnerOrganisation, Referral
from partners.selectors import ENROLLED_OR_LATER, ReachYear, agreements_reach
from sessions.completion import run_completions
from sessions.models import CourseRun, Registration, Session

from .scope import ReportScope


def referral_counts(scope: ReportScope):
    """[(status, label, number)] of referrals made in the period, in the order of the statuses."""
    referrals = Referral.objects.filter(created_at__gte=scope.start, created_at__lt=scope.end)
    if scope.library_ids is not None:
        referrals = referrals.filter(library_id__in=scope.library_ids)
    if scope.programme_id:
        referrals = referrals.filter(programme_id=scope.programme_id)
    if scope.partner_id:
        referrals = referrals.filter(partner_id=scope.partner_id)
    counts = dict(referrals.values_list("status").annotate(n=Count("pk")).order_by())
    return [(status, label, counts.get(status, 0)) for status, label in Referral.Status.choices]


@dataclass
class AgreementYear:
    reach: ReachYear
    finished: int
    current: bool

    @property
    def starts_on(self):
        return self.reach.starts_on

    @property
    def ends_on(self):
        return self.reach.ends_on


@dataclass
class AgreementReach:
    agreement: Agreement
    years: list

    @property
    def current(self):
        return next((year for year in self.years if year.current), None)


def _agreements(scope: ReportScope):
    agreements = Agreement.objects.filter(target_participants_per_year__isnull=False)
    if scope.library_ids is not None:
        agreements = agreements.filter(library_id__in=scope.library_ids)
    if scope.programme_id:
        agreements = agreements.filter(programme_id=scope.programme_id)
    if scope.partner_id:
        agreements = agreements.filter(partner_id=scope.partner_id)
    return agreements


def agreement_reaches(scope: ReportScope, *, now=None):
    """Every year of every agreement in the report's libraries: target, referred, enrolled, finished.

    Referred and enrolled come from partners.selectors.agreements_reach (two queries in all);
    finished counts the enrolled people of that year who finished a course run of the agreement's
    programme that is over (sessions.completion.run_completions).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    wanted = dict(_agreements(scope).values_list("pk", "partner_id"))
    if not wanted:
        return []
    partners = PartnerOrganisation.objects.in_bulk(set(wanted.values()))
    partner_ids = sorted(partners)
    entries = [
        entry
        for entry in agreements_reach(partners=partner_ids, today=today)
        if entry["agreement"].pk in wanted
    ]
    for entry in entries:
        entry["agreement"].partner = partners[entry["agreement"].partner_id]
    enrolled, completed = _enrolled_and_completed([entry["agreement"] for entry in entries], now)
    result = []
    for entry in entries:
        agreement = entry["agreement"]
        years = []
        for year in entry["years"]:
            people = {
                participant
                for participant, day in enrolled[agreement.pk]
                if year.starts_on <= day <= year.ends_on
            }
            years.append(
                AgreementYear(
                    reach=year,
                    finished=len(people & completed[agreement.pk]),
                    current=year.starts_on <= today <= year.ends_on,
                )
            )
        result.append(AgreementReach(agreement=agreement, years=years))
    return sorted(result, key=lambda item: (item.agreement.library.name, item.agreement.title))


def _finished_programmes(referrals, now):
    """{participant: {programme}} for referred people who finished a course run that is over."""
    to_come = Session.objects.filter(run=OuterRef("run"), starts_at__gte=now).exclude(
        status=Session.Status.CANCELLED
    )
    registrations = Registration.objects.filter(
        participant__in=referrals.values("participant_id"), run__isnull=False
    ).exclude(Exists(to_come))
    completions = [c for c in run_completions(registrations=registrations, now=now) if c.completed]
    programmes = dict(
        CourseRun.objects.filter(pk__in={c.run_id for c in completions}).values_list("pk", "programme_id")
    )
    finished = defaultdict(set)
    for completion in completions:
        finished[completion.participant_id].add(programmes[completion.run_id])
    return finished


def _enrolled_and_completed(agreements, now):
    """Per agreement: {(participant, referral day)} enrolled, and {participant} who finished a run."""
    enrolled, completed = defaultdict(set), defaultdict(set)
    in_scope = Q(pk__in=[])
    for agreement in agreements:
        part = Q(library_id=agreement.library_id, partner_id=agreement.partner_id)
        if agreement.programme_id:
            part &= Q(programme_id=agreement.programme_id)
        in_scope |= part
    active = Registration.objects.filter(referral=OuterRef("pk")).exclude(
        status=Registration.Status.CANCELLED
    )
    referrals = Referral.objects.filter(in_scope).filter(Q(status__in=ENROLLED_OR_LATER) | Q(Exists(active)))
    rows = list(
        referrals.values_list("participant_id", "library_id", "partner_id", "programme_id", "created_at")
    )
    finished = _finished_programmes(referrals, now)
    # Each agreement visits only the rows of its own library and partner.
    by_pair = defaultdict(list)
    for participant, library, partner, programme, created in rows:
        by_pair[(library, partner)].append((participant, programme, timezone.localdate(created)))
    for agreement in agreements:
        for participant, programme, day in by_pair.get((agreement.library_id, agreement.partner_id), ()):
            if agreement.programme_id and programme != agreement.programme_id:
                continue
            enrolled[agreement.pk].add((participant, day))
            if programme in finished.get(participant, ()):
                completed[agreement.pk].add(participant)
    return enrolled, completed
