"""Staff book a time for someone at the desk or on the phone, through the same booking service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from sessions.public_forms import CONSENT_TEXT

from .forms import StaffBookingForm
from .services import AppointmentNotPossible, appointment_book


def staff_book(model_admin, request, pk):
    slot = get_object_or_404(model_admin.get_queryset(request), pk=pk)
    if not request.user.has_perm("appointments.add_appointment"):
        raise PermissionDenied
    form = StaffBookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = appointment_book(
                slot=slot,
                name=data["name"],
                phone=data["phone"] or "",
                email=data["email"],
                preferred_channel=data["preferred_channel"],
                topic=data["help_wanted"],
                source=data["source"],
                consent_text=str(CONSENT_TEXT) if data["consent"] else "",
                booked_by=request.user,
            )
        except AppointmentNotPossible as refused:
            form.add_error(None, refused.message)
        else:
            appointment = result.appointment
            text = _("%(name)s has this time.") if result.created else _("%(name)s already had this time.")
            model_admin.message_user(
                request,
                text % {"name": appointment.participant.name},
                messages.SUCCESS if result.created else messages.WARNING,
            )
            return redirect("admin:appointments_appointment_change", appointment.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": slot,
        "title": _("Book %(slot)s with %(coach)s for someone") % {"slot": slot, "coach": slot.block.coach},
        "form": form,
        "media": model_admin.media + form.media,
        "intro": [
            _("For someone at the desk or on the phone. A name is enough."),
            _("Note a phone number or e-mail address only when the person agrees."),
        ],
        "submit_label": _("Book"),
    }
    return TemplateResponse(request, "admin/form_page.html", context)
