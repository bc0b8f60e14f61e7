"""Public pages: find a free time with a coach, book it without an account, and the personal link."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.page_cache import cache_public_page
from sessions.calendar import ics_response
from sessions.public_forms import CONSENT_TEXT
from sessions.views import ACCEPTED, SPAM, public_form_status

from . import selectors
from .calendar import calendar_for_person
from .forms import BookingForm, MoveForm, SlotFilterForm
from .models import Appointment, Slot
from .services import AppointmentNotPossible, appointment_book, appointment_cancel, appointment_move
from .signals import SCOPE
from .tokens import appointment_public_id_from_token, appointment_token


@cache_public_page(lambda request: [SCOPE])
def slot_list(request):
    form = SlotFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = {k: v for k, v in filters.items() if v not in (None, "")}
    slots = selectors.slot_free_list(**filters)
    limit = selectors.PUBLIC_SLOT_LIMIT if filters else selectors.PUBLIC_SLOT_LIMIT_UNFILTERED
    groups, more = selectors.slot_free_groups(slots, limit=limit)
    return render(
        request,
        "appointments/slot_list.html",
        {
            "form": form,
            "groups": groups,
            "more": more,
            "filtered": bool(filters),
            # The empty search form (with every library) is the same for everyone; a filled one is not.
            "form_cache_seconds": 0 if form.is_bound else settings.PUBLIC_PAGE_CACHE_SECONDS,
        },
    )


def _slot_or_none(value):
    if not str(value or "").isdigit():
        return None
    try:
        return selectors.slot_public_get(pk=int(value))
    except Slot.DoesNotExist:
        return None


@require_http_methods(["GET", "POST"])
def book(request):
    slot = _slot_or_none(request.POST.get("tijd") if request.method == "POST" else request.GET.get("tijd"))
    if slot is None:
        messages.warning(request, _("Choose a time first."))
        return redirect("appointments:slots")
    closed_reason = selectors.slot_closed_reason(slot=slot)
    form = BookingForm(request.POST or None)
    status = 200
    if request.method == "POST" and not closed_reason:
        status = public_form_status(request, form)
        if status == SPAM:
            return render(request, "public/signup_received.html", {"session": None})
        if status == ACCEPTED:
            return _book(request, slot, form)
    return _render_book(request, slot, form, closed_reason, status)


def _render_book(request, slot, form, closed_reason, status):
    context = {"slot": slot, "block": slot.block, "form": form, "closed_reason": closed_reason}
    return render(request, "appointments/book.html", context, status=status)


def _book(request, slot, form):
    data = form.cleaned_data
    try:
        result = appointment_book(
            slot=slot,
            name=data["name"],
            phone=data["phone"] or "",
            email=data["email"],
            preferred_channel=data["preferred_channel"],
            topic=data["topic"],
            language=get_language() or settings.LANGUAGE_CODE,
            consent_text=str(CONSENT_TEXT),
            user=request.user if request.user.is_authenticated else None,
        )
    except AppointmentNotPossible as refused:
        # Taken or closed between showing the form and sending it: say why, keep what was typed.
        form.add_error(None, refused.message)
        return _render_book(request, slot, form, None, 409)
    url = reverse("appointments:appointment", kwargs={"token": appointment_token(result.appointment)})
    return redirect(url + ("?nieuw=1" if result.created else ""))


def _appointment_or_404(token):
    public_id = appointment_public_id_from_token(token)
    if public_id is None:
        raise Http404
    try:
        return selectors.appointment_for_public_id(public_id=public_id)
    except Appointment.DoesNotExist as error:
        raise Http404 from error


def _can_change(appointment):
    return appointment.status == Appointment.Status.BOOKED and appointment.slot.starts_at > timezone.now()


def appointment_detail(request, token):
    appointment = _appointment_or_404(token)
    return render(
        request,
        "appointments/appointment_detail.html",
        {
            "appointment": appointment,
            "slot": appointment.slot,
            "block": appointment.slot.block,
            "token": token,
            "is_new": request.GET.get("nieuw") == "1",
            "can_change": _can_change(appointment),
        },
    )


@require_http_methods(["GET", "POST"])
def appointment_cancel_view(request, token):
    appointment = _appointment_or_404(token)
    if not _can_change(appointment):
        return redirect("appointments:appointment", token=token)
    if request.method == "POST":
        appointment_cancel(appointment=appointment)
        return render(request, "appointments/cancelled.html", {"appointment": appointment})
    return render(request, "appointments/cancel.html", {"appointment": appointment, "token": token})


@require_http_methods(["GET", "POST"])
def appointment_move_view(request, token):
    appointment = _appointment_or_404(token)
    if not _can_change(appointment):
        return redirect("appointments:appointment", token=token)
    free = selectors.slot_free_list(coach=appointment.slot.block.coach)
    form = MoveForm(request.POST or None, slots=free)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                appointment_move(appointment=appointment, slot=form.cleaned_data["slot"])
            except AppointmentNotPossible as refused:
                form.add_error("slot", refused.message)
                status = 409
            else:
                messages.success(
                    request, _("Your appointment is moved. You get a message with the new time.")
                )
                return redirect("appointments:appointment", token=token)
        else:
            status = 400
    return render(
        request,
        "appointments/move.html",
        {"appointment": appointment, "token": token, "form": form, "has_free": free.exists()},
        status=status,
    )


def appointment_ics(request, token):
    appointment = _appointment_or_404(token)
    url = request.build_absolute_uri(reverse("appointments:appointment", kwargs={"token": token}))
    return ics_response(calendar_for_person(appointment, request=request, url=url), "afspraak.ics")
