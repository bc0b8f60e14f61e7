from datetime import datetime, time, timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from partners.models import PartnerSite
from programmes.models import Branch

from .models import Registration, Session


def _count(target, statuses):
    # A correlated count per row, rather than joins and GROUP BY over every meeting: the database then
    # counts only for the rows a page actually shows (the agenda's twenty, not all to come).
    registrations = (
        Registration.objects.filter(
            **{target: OuterRef(target if target == "run" else "pk")}, status__in=statuses
        )
        .order_by()
        .values(target)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(registrations), 0)


def session_seat_annotations():
    """Per-session counts of taken seats and of the waiting list, for one query over many sessions.

    A meeting of a course counts the sign-ups of its course run: people enrol for the whole run.
    """
    seated, waiting = Registration.SEATED, [Registration.Status.WAITLISTED]
    return {
        "seats_taken": _count("session", seated) + _count("run", seated),
        "waitlist_size": _count("session", waiting) + _count("run", waiting),
    }


def session_list_between(*, start, end, queryset=None):
    qs = queryset if queryset is not None else Session.objects.all()
    return (
        qs.filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("programme__library", "branch", "partner_site__partner", "run")
        .annotate(**session_seat_annotations())
        .order_by("starts_at")
    )


def session_week_overview(*, now=None, queryset=None):
    """What happens this week (from the start of today, seven days), where, and how full."""
    now = now or timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=7)
    sessions = list(session_list_between(start=start, end=end, queryset=queryset).prefetch_related("roles"))
    for session in sessions:
        session.has_host = any(role.role == "host" for role in session.roles.all())
        capacity = session.seat_capacity
        session.fill_percent = min(100, round(100 * session.seats_taken / capacity)) if capacity else None
    return {"week_sessions": sessions, "week_start": start, "week_end": end - timedelta(seconds=1)}


def registration_closed_reason(*, session=None, run=None, now=None, staff=False):
    """Why a person cannot sign up now, in plain words; None when they can.

    Staff signing someone up at the desk or by phone may do so after the online close time.
    """
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    if run is not None:
        first = run.sessions.order_by("starts_at").first()
        if not run.programme.registration_required:
            return _("You do not need to sign up. Just walk in.")
        if first is None:
            return None if staff else _("The dates are not known yet.")
        closes_at = run.registration_closes_at or first.starts_at
        if first.starts_at <= now and not staff:
            return _("This course has already started.")
        if closes_at <= now and not staff:
            return _("Signing up for this course is closed.")
        return None
    if not session.programme.registration_required:
        return _("You do not need to sign up. Just walk in.")
    if session.status == Session.Status.CANCELLED:
        return _("This meeting is cancelled.")
    if session.ends_at <= now:
        return _("This meeting is over.")
    if staff:
        return None
    if session.starts_at <= now:
        return _("This meeting has already started.")
    if session.registration_opens_at and session.registration_opens_at > now:
        opens = date_format(timezone.localtime(session.registration_opens_at), "l j F, H:i")
        return _("Signing up opens on %(date)s.") % {"date": opens}
    if session.closes_at <= now:
        return _("Signing up for this meeting is closed.")
    return None


def registration_waitlist_position(*, registration):
    """1 for the first person on the waiting list; None when not on it."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    target = (
        {"run_id": registration.run_id} if registration.run_id else {"session_id": registration.session_id}
    )
    ahead = Registration.objects.filter(status=Registration.Status.WAITLISTED, **target).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def session_public_list(*, now=None):
    """Meetings job seekers can see: published programmes, not yet over, soonest first."""
    now = now or timezone.now()
    return (
        # The start bound lets the starts_at index do the work; no meeting lasts a day.
        Session.objects.filter(
            programme__is_published=True, ends_at__gt=now, starts_at__gt=now - timedelta(days=1)
        )
        .select_related("programme__library", "branch", "partner_site__partner", "run")
        .annotate(**session_seat_annotations())
        .order_by("starts_at", "pk")
    )


def session_agenda(*, library=None, branch=None, programme=None, mode="", week=None, now=None):
    qs = session_public_list(now=now)
    if library is not None:
        qs = qs.filter(programme__library=library)
    if branch is not None:
        qs = qs.filter(branch=branch)
    if programme is not None:
        qs = qs.filter(programme=programme)
    if mode == "online":
        qs = qs.filter(
            Q(status=Session.Status.MOVED_ONLINE) | Q(branch__isnull=True, partner_site__isnull=True)
        )
    elif mode == "in_person":
        qs = qs.exclude(status=Session.Status.MOVED_ONLINE).filter(
            Q(branch__isnull=False) | Q(partner_site__isnull=False)
        )
    if week is not None:
        monday = week - timedelta(days=week.weekday())
        start = timezone.make_aware(datetime.combine(monday, time.min))
        qs = qs.filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=7))
    return qs


def session_public_get(*, pk, place=True, page=True):
    """A published meeting with its programme and course run; ``place`` adds its branch or partner
    site, ``page`` what its public page shows besides: seat counts and guest speakers. A sign-up needs
    neither: it counts the seats itself, under the meeting's lock.

    A few small queries rather than one join of nine tables: PostgreSQL takes longer to plan that
    join than to run it, and the ORM longer still to build its columns.
    """
    # Most meetings are not part of a course run: it is read only when there is one.
    session = (
        Session.objects.filter(programme__is_published=True).select_related("programme__library").get(pk=pk)
    )
    if session.run_id and session.run.programme_id == session.programme_id:
        session.run.programme = session.programme
    if place:
        _place_load(session)
    if page:
        _seats_and_speakers_load(session)
    return session


def _place_load(session):
    if session.branch_id:
        session.branch = Branch.objects.get(pk=session.branch_id)
        if session.branch.library_id == session.programme.library_id:
            session.branch.library = session.programme.library
    elif session.partner_site_id:
        session.partner_site = PartnerSite.objects.select_related("partner").get(pk=session.partner_site_id)


def _seats_and_speakers_load(session):
    # A registration is for a meeting or for a course run, never both (a constraint).
    mine = Q(session_id=session.pk) | Q(run_id=session.run_id) if session.run_id else Q(session_id=session.pk)
    by_status = dict(Registration.objects.filter(mine).order_by().values_list("status").annotate(Count("pk")))
    session.seats_taken = sum(by_status.get(status, 0) for status in Registration.SEATED)
    session.waitlist_size = by_status.get(Registration.Status.WAITLISTED, 0)
    # Only names, only when staff chose to show them.
    session.public_speakers = (
        [role.worker.name for role in session.roles.filter(role="speaker").select_related("worker")]
        if session.show_speakers
        else []
    )


def registration_list_for_user(*, user):
    """The registrations of the participants linked to an account, or sharing its verified e-mail."""
    from allauth.account.models import EmailAddress

    emails = list(EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True))
    match = Q(participant__user=user)
    for email in emails:
        match |= Q(participant__email__iexact=email)
    return (
        Registration.objects.filter(match)
        .select_related("session__programme", "session__branch", "session__partner_site", "run__programme")
        .order_by("-created_at")
    )


def session_roster(*, programme, start=None, weeks=12):
    """Who is on duty at each coming meeting of a programme: hosts, volunteers, speakers, coaches."""
    from .models import SessionRole

    start = start or timezone.now() - timedelta(days=1)
    sessions = list(
        Session.objects.filter(
            programme=programme, starts_at__gte=start, starts_at__lt=start + timedelta(weeks=weeks)
        )
        .select_related("branch", "partner_site__partner")
        .prefetch_related(Prefetch("roles", queryset=SessionRole.objects.select_related("worker")))
        .order_by("starts_at")
    )
    for session in sessions:
        by_role = {}
        for role in session.roles.all():
            by_role.setdefault(role.role, []).append(role.worker)
        session.on_duty = [(code, by_role.get(code, [])) for code, _label in SessionRole.Role.choices]
        session.has_host = bool(by_role.get(SessionRole.Role.HOST))
    return sessions
