"""The coach's own pages: their day on a phone, and a private calendar feed."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sessions.calendar import ics_response

from . import selectors
from .calendar import calendar_for_coach
from .models import Appointment, CoachProfile
from .services import AppointmentNotPossible, appointment_mark, coach_feed_revoke
from .tokens import coach_feed_parts, coach_feed_token


def _coach_or_403(request):
    return selectors.coach_for_user(user=request.user)


def _day(value):
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@login_required
def coach_day(request):
    coach = _coach_or_403(request)
    if coach is None:
        return render(request, "appointments/coach_not_linked.html", status=403)
    day = _day(request.GET.get("datum"))
    feed_url = request.build_absolute_uri(reverse("appointments:coach_feed", args=[coach_feed_token(coach)]))
    return render(
        request,
        "appointments/coach_day.html",
        {
            "coach": coach,
            "day": day,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "today": timezone.localdate(),
            "appointments": selectors.coach_day(coach=coach, day=day),
            "free_count": selectors.coach_day_free_count(coach=coach, day=day),
            "feed_url": feed_url,
        },
    )


@login_required
@require_POST
def coach_mark(request, pk):
    coach = _coach_or_403(request)
    if coach is None:
        raise Http404
    appointment = get_object_or_404(
        Appointment.objects.select_related("slot"), pk=pk, slot__block__coach=coach
    )
    try:
        appointment_mark(appointment=appointment, status=request.POST.get("status", ""))
    except AppointmentNotPossible as refused:
        messages.error(request, refused.message)
    day = timezone.localdate(appointment.slot.starts_at)
    return redirect(f"{reverse('appointments:coach_day')}?datum={day.isoformat()}")


@login_required
@require_POST
def coach_feed_new(request):
    coach = _coach_or_403(request)
    if coach is None:
        raise Http404
    coach_feed_revoke(coach=coach)
    messages.success(request, _("You have a new calendar link. The old link no longer works."))
    return redirect("appointments:coach_day")


def coach_feed(request, token):
    parts = coach_feed_parts(token)
    if parts is None:
        raise Http404
    coach = get_object_or_404(
        CoachProfile.objects.select_related("worker"), pk=parts[0], feed_version=parts[1]
    )
    content = calendar_for_coach(selectors.coach_feed_appointments(coach=coach), coach=coach, request=request)
    response = ics_response(content, "afspraken.ics")
    response["Cache-Control"] = "private, no-store"
    return response
