"""Admin pages for working a referral through; both go through the services in partners.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from sessions.services import RegistrationClosed

from .admin_forms import ReferralEnrolForm, ReferralStatusForm
from .services import ReferralRefused, referral_enrol, referral_status_change


def _referral(model_admin, request, pk):
    referral = get_object_or_404(
        model_admin.get_queryset(request).select_related("partner", "programme", "participant"), pk=pk
    )
    if not model_admin.has_change_permission(request, referral):
        raise PermissionDenied
    return referral


def _page(model_admin, request, referral, form, *, title, intro, submit_label):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": referral,
        "title": title,
        "form": form,
        "media": model_admin.media + form.media,
        "intro": intro,
        "submit_label": submit_label,
    }
    return TemplateResponse(request, "admin/form_page.html", context)


def referral_status_view(model_admin, request, pk):
    referral = _referral(model_admin, request, pk)
    form = ReferralStatusForm(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral_status_change(
                referral=referral,
                status=data["status"],
                user=request.user,
                intake_at=data["intake_at"],
                intake_place=data["intake_place"],
                stop_reason=data["stop_reason"],
            )
        except ReferralRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            referral.refresh_from_db()
            model_admin.message_user(
                request,
                _("The referral is now “%(status)s”. The referrer gets a message when they may know.")
                % {"status": referral.get_status_display()},
                messages.SUCCESS,
            )
            return redirect("admin:partners_referral_change", pk)
    intro = [
        _("Now: %(status)s.") % {"status": referral.get_status_display()},
        _("The change is saved with your name and the time, and the referrer is told."),
    ]
    if not form.fields["status"].choices:
        intro.append(_("This referral is finished: its status cannot change any more."))
    return _page(
        model_admin,
        request,
        referral,
        form,
        title=_("Change the status of %(referral)s") % {"referral": referral},
        intro=intro,
        submit_label=_("Save the status"),
    )


def referral_enrol_view(model_admin, request, pk):
    referral = _referral(model_admin, request, pk)
    form = ReferralEnrolForm(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        is_run = target.__class__.__name__ == "CourseRun"
        try:
            result, _change = referral_enrol(
                referral=referral,
                user=request.user,
                session=None if is_run else target,
                run=target if is_run else None,
            )
        except (ReferralRefused, RegistrationClosed) as refused:
            form.add_error(None, refused.message)
        else:
            registration = result.registration
            waiting = registration.status == registration.Status.WAITLISTED
            model_admin.message_user(
                request,
                (_("%(name)s is on the waiting list.") if waiting else _("%(name)s is signed up."))
                % {"name": registration.participant.name},
                messages.WARNING if waiting else messages.SUCCESS,
            )
            return redirect("admin:partners_referral_change", pk)
    intro = [_("The participant gets a place (or a place on the waiting list) and a confirmation.")]
    if not form.fields["target"].choices:
        intro.append(_("There are no upcoming meetings or course runs of this programme. Plan them first."))
    return _page(
        model_admin,
        request,
        referral,
        form,
        title=_("Enrol %(referral)s") % {"referral": referral},
        intro=intro,
        submit_label=_("Enrol"),
    )
