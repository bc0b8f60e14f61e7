"""Admin pages beyond create/change: signing someone up at the desk or by phone."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .forms import StaffMessageForm, StaffSignUpForm
from .public_forms import CONSENT_TEXT
from .services import RegistrationClosed, registration_create, session_message_send


def staff_sign_up(model_admin, request, pk, *, run=False):
    target = get_object_or_404(model_admin.get_queryset(request), pk=pk)
    if not model_admin.has_change_permission(request, target):
        raise PermissionDenied
    form = StaffSignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = registration_create(
                session=None if run else target,
                run=target if run else None,
                name=data["name"],
                phone=data["phone"] or "",
                email=data["email"],
                preferred_channel=data["preferred_channel"],
                help_wanted=data["help_wanted"],
                source=data["source"],
                consent_text=str(CONSENT_TEXT) if data["consent"] else "",
            )
        except RegistrationClosed as closed:
            form.add_error(None, closed.message)
        else:
            registration = result.registration
            if not result.created:
                text = _("%(name)s was already signed up (%(status)s).")
            elif registration.status == registration.Status.WAITLISTED:
                text = _("%(name)s is on the waiting list.")
            else:
                text = _("%(name)s is signed up.")
            model_admin.message_user(
                request,
                text % {"name": registration.participant.name, "status": registration.get_status_display()},
                messages.SUCCESS if result.created else messages.WARNING,
            )
            return redirect(f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_change", pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": target,
        "title": _("Sign someone up for %(target)s") % {"target": target},
        "form": form,
        "media": model_admin.media + form.media,
        "intro": [
            _("For someone at the desk or on the phone. A name is enough."),
            _("Note a phone number or e-mail address only when the person agrees."),
        ],
        "submit_label": _("Sign up"),
    }
    return TemplateResponse(request, "admin/form_page.html", context)


def staff_message(model_admin, request, pk):
    session = get_object_or_404(model_admin.get_queryset(request), pk=pk)
    if not model_admin.has_change_permission(request, session):
        raise PermissionDenied
    form = StaffMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = session_message_send(session=session, text=form.cleaned_data["text"])
        model_admin.message_user(
            request,
            ngettext("The message goes to %(count)d person.", "The message goes to %(count)d people.", count)
            % {"count": count},
            messages.SUCCESS,
        )
        return redirect("admin:programme_sessions_session_change", pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": session,
        "title": _("Message everyone signed up for %(session)s") % {"session": session},
        "form": form,
        "media": model_admin.media + form.media,
        "intro": [
            _(
                "Everyone with a place or on the waiting list gets it, by text message or e-mail as they chose."
            ),
            _("Write short sentences. One idea per sentence."),
        ],
        "submit_label": _("Send"),
    }
    return TemplateResponse(request, "admin/form_page.html", context)
