"""Reads for the referral portal. Everything a consultant sees comes from here, narrowed to their
organisation, with attendance and completion only where the participant agreed to report back."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Consent
from programmes.models import Programme
from sessions.models import Attendance, Registration, Session

from .models import Agreement, PartnerContact, Referral

Status = Referral.Status
# After enrolment a status tells whether the person came: that is reporting back, so it needs consent.
REPORTED_STATUSES = (Status.ACTIVE, Status.COMPLETED, Status.STOPPED, Status.NO_SHOW)
NOT_REPORTED = "not_reported"
NOT_REPORTED_LABEL = _("Not reported: no consent to report back")
ENROLLED_OR_LATER = (Status.ENROLLED, Status.ACTIVE, Status.COMPLETED)

_NO_CONTACT = object()


def consultant_contact(user):
    """The partner contact a logged-in consultant is, or None. Cached on the user for one request."""
    if not getattr(user, "is_authenticated", False):
        return None
    contact = getattr(user, "_portal_partner_contact", _NO_CONTACT)
    if contact is _NO_CONTACT:
        contact = (
            PartnerContact.objects.select_related("partner").filter(user=user, user__is_active=True).first()
        )
        user._portal_partner_contact = contact
    return contact


def referable_programmes(partner):
    """Programmes that take referrals from this organisation."""
    return (
        Programme.objects.filter(accepts_referrals=True, referring_partners=partner)
        .select_related("library")
        .order_by("library__name", "name")
    )


def _reporting_allowed():
    active_consent = Consent.objects.filter(
        participant=OuterRef("participant"),
        purpose=Consent.Purpose.REPORT_TO_REFERRER,
        withdrawn_at__isnull=True,
    )
    return ExpressionWrapper(Q(consent_report_attendance=True) & Exists(active_consent), BooleanField())


def partner_referrals(partner):
    """All referrals of one organisation (by any of its consultants), newest first."""
    return (
        Referral.objects.filter(partner=partner)
        .annotate(reporting_allowed=_reporting_allowed())
        .select_related("programme__library", "referrer", "participant")
        .order_by("-created_at", "-pk")
    )


def referrals_filter(referrals, *, status="", programme=None, date_from=None, date_to=None):
    """Filter on what the consultant can see: a status that needs consent matches only with consent."""
    if status == NOT_REPORTED:
        referrals = referrals.filter(status__in=REPORTED_STATUSES, reporting_allowed=False)
    elif status in REPORTED_STATUSES:
        referrals = referrals.filter(status=status, reporting_allowed=True)
    elif status:
        referrals = referrals.filter(status=status)
    if programme is not None:
        referrals = referrals.filter(programme=programme)
    if date_from:
        referrals = referrals.filter(created_at__date__gte=date_from)
    if date_to:
        referrals = referrals.filter(created_at__date__lte=date_to)
    return referrals


def status_filter_choices():
    visible = [(value, label) for value, label in Status.choices]
    return [*visible, (NOT_REPORTED, NOT_REPORTED_LABEL)]


@dataclass
class ReferralView:
    """One referral as its referrer may see it."""

    referral: Referral
    reporting: bool
    status: str
    status_label: str
    next_session: Session | None
    attendance: dict | None
    completed: bool | None

    @property
    def name(self):
        return self.referral.name_for_referrer


def with_registrations(referrals, *, places=True):
    """Prefetch the registrations made through each referral (never the participant's others).

    Without `places`, only what the overview and the export use: when each meeting starts, whether it
    is cancelled, and the attendance marks (not where the meetings are). The prefetched rows are lists
    (`to_attr`), not related managers: no queryset is made per referral and per registration.
    """
    active = Registration.objects.exclude(status=Registration.Status.CANCELLED)
    if places:
        sessions = Session.objects.select_related("branch", "partner_site")
        registrations = active.select_related("session__branch", "session__partner_site", "run")
        marks = Attendance.objects.all()
    else:
        sessions = Session.objects.only("run", "starts_at", "status")
        registrations = active.select_related("session", "run").only(
            "status", "referral", "session__starts_at", "session__status", "run__id"
        )
        marks = Attendance.objects.only("registration", "status")
    registrations = registrations.prefetch_related(
        Prefetch("attendances", queryset=marks, to_attr="attendance_marks"),
        Prefetch("run__sessions", queryset=sessions.order_by("starts_at"), to_attr="run_sessions"),
    )
    return referrals.prefetch_related(
        Prefetch("registrations", queryset=registrations, to_attr="referred_registrations")
    )


def overview_columns(referrals):
    """`partner_referrals` narrowed to what the overview shows of each referral (and logs it viewed)."""
    return (
        referrals.select_related(None)
        .select_related("participant", "programme")
        .only(
            "created_at",
            "library",
            "participant_name",
            "status",
            "intake_at",
            "consent_report_attendance",
            "participant__name",
            "programme__name",
        )
    )


def referral_views(referrals, *, now=None):
    now = now or timezone.now()
    return [_view(referral, now) for referral in referrals]


def _view(referral, now):
    reporting = bool(getattr(referral, "reporting_allowed", False))
    registrations = _prefetched(referral, "referred_registrations", "registrations")
    if referral.status in REPORTED_STATUSES and not reporting:
        status, label = NOT_REPORTED, NOT_REPORTED_LABEL
    else:
        status, label = referral.status, referral.get_status_display()
    # After a withdrawal the person may keep coming on their own: that is no longer the referrer's to see.
    following = referral.status != Status.WITHDRAWN
    return ReferralView(
        referral=referral,
        reporting=reporting,
        status=status,
        status_label=label,
        next_session=_next_session(registrations, now) if following else None,
        attendance=_attendance(registrations) if reporting and following else None,
        completed=(referral.status == Status.COMPLETED) if reporting and following else None,
    )


def _prefetched(obj, name, related):
    """The list `with_registrations` prefetched, or the related rows fetched now (not prefetched)."""
    rows = getattr(obj, name, None)
    return list(getattr(obj, related).all()) if rows is None else rows


def _next_session(registrations, now):
    upcoming = []
    for registration in registrations:
        if registration.status != Registration.Status.CONFIRMED:
            continue
        if registration.session_id:
            sessions = [registration.session]
        else:
            sessions = _prefetched(registration.run, "run_sessions", "sessions")
        upcoming += [s for s in sessions if s.starts_at >= now and s.status != Session.Status.CANCELLED]
    return min(upcoming, key=lambda s: s.starts_at, default=None)


def _attendance(registrations):
    counts = {"present": 0, "absent": 0, "excused": 0}
    for registration in registrations:
        marks = _prefetched(registration, "attendance_marks", "attendances")
        for mark in marks:
            counts[mark.status] += 1
        if not marks and registration.status == Registration.Status.ATTENDED:
            counts["present"] += 1
        elif not marks and registration.status == Registration.Status.NO_SHOW:
            counts["absent"] += 1
    return counts


# Reach against an agreement's target ----------------------------------------------------------------


@dataclass
class ReachYear:
    starts_on: date
    ends_on: date
    target: int
    referred: int
    enrolled: int

    @property
    def percent(self):
        return min(100, round(100 * self.enrolled / self.target)) if self.target else 0


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def agreement_reach(partner, *, today=None, counts_cache_seconds=0):
    """For each agreement of the organisation with a target: people referred and enrolled per year.

    All years of all agreements are counted in one query, so the dashboard costs the same whatever
    the number of agreements. ``counts_cache_seconds``: the counts may be that old (the agreements
    themselves are always read fresh, and a changed agreement is counted again at once).
    """
    return agreements_reach(partners=[partner], today=today, counts_cache_seconds=counts_cache_seconds)


def agreements_reach(*, partners, today=None, counts_cache_seconds=0):
    """agreement_reach for several organisations at once (the reports): still two queries in all."""
    today = today or timezone.localdate()
    agreements = list(
        Agreement.objects.filter(partner__in=partners, target_participants_per_year__isnull=False)
        .select_related("library", "programme")
        .order_by("partner_id", "starts_on", "pk")
    )
    active_registration = Registration.objects.filter(referral=OuterRef("pk")).exclude(
        status=Registration.Status.CANCELLED
    )
    enrolled_q = Q(status__in=ENROLLED_OR_LATER) | Q(Exists(active_registration))
    windows, counts = [], {}
    for agreement in agreements:
        scope = Q(library=agreement.library_id, partner=agreement.partner_id)
        if agreement.programme_id:
            scope &= Q(programme=agreement.programme_id)
        index = 0
        while (start := _add_years(agreement.starts_on, index)) <= today and (
            agreement.ends_on is None or start <= agreement.ends_on
        ):
            end = _add_years(agreement.starts_on, index + 1) - timedelta(days=1)
            if agreement.ends_on:
                end = min(end, agreement.ends_on)
            window = scope & Q(created_at__date__gte=start, created_at__date__lte=end)
            key = len(windows)
            windows.append((agreement, start, end, key))
            counts[f"referred_{key}"] = Count("participant", distinct=True, filter=window)
            counts[f"enrolled_{key}"] = Count("participant", distinct=True, filter=window & enrolled_q)
            index += 1
    totals = _reach_counts(partners, windows, counts, counts_cache_seconds) if counts else {}
    result = [{"agreement": agreement, "years": []} for agreement in agreements]
    by_agreement = {entry["agreement"].pk: entry for entry in result}
    for agreement, start, end, key in windows:
        by_agreement[agreement.pk]["years"].append(
            ReachYear(
                starts_on=start,
                ends_on=end,
                target=agreement.target_participants_per_year,
                referred=totals[f"referred_{key}"],
                enrolled=totals[f"enrolled_{key}"],
            )
        )
    return result


def _reach_counts(partners, windows, counts, cache_seconds):
    def count():
        return Referral.objects.filter(partner__in=partners).aggregate(**counts)

    if not cache_seconds:
        return count()
    # What is counted is in the key: the organisations and every year window of every agreement.
    what = [sorted(partner.pk for partner in partners)] + [
        [agreement.pk, agreement.library_id, agreement.programme_id, str(start), str(end)]
        for agreement, start, end, _key in windows
    ]
    key = "agreement-reach:" + hashlib.sha256(json.dumps(what).encode()).hexdigest()
    return cache.get_or_set(key, count, cache_seconds)


def referrals_new_for_staff(queryset, *, limit=10):
    """New referrals for the admin home page; `queryset` is already narrowed to the staff's libraries."""
    new = queryset.filter(status=Status.RECEIVED).select_related("programme", "partner", "participant")
    return new.order_by("created_at", "pk")[:limit], new.count()


def reporting_allowed(referral):
    """Whether attendance and completion of this referral may go back to the referrer, right now."""
    return (
        referral.consent_report_attendance
        and Consent.objects.filter(
            participant_id=referral.participant_id,
            purpose=Consent.Purpose.REPORT_TO_REFERRER,
            withdrawn_at__isnull=True,
        ).exists()
    )
