from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .models import Registration, Session


def session_seat_annotations():
    """Per-session counts of taken seats and of the waiting list, for one query over many sessions."""
    return {
        "seats_taken": Count(
            "registrations", filter=Q(registrations__status__in=Registration.SEATED), distinct=True
        ),
        "waitlist_size": Count(
            "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED), distinct=True
        ),
    }


def session_list_between(*, start, end, queryset=None):
    qs = queryset if queryset is not None else Session.objects.all()
    return (
        qs.filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("programme__library", "branch", "partner_site__partner")
        .annotate(**session_seat_annotations())
        .order_by("starts_at")
    )


def session_week_overview(*, now=None):
    """What happens this week (from the start of today, seven days), where, and how full."""
    now = now or timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=7)
    sessions = list(session_list_between(start=start, end=end))
    for session in sessions:
        session.fill_percent = (
            min(100, round(100 * session.seats_taken / session.capacity)) if session.capacity else None
        )
    return {"week_sessions": sessions, "week_start": start, "week_end": end - timedelta(seconds=1)}
