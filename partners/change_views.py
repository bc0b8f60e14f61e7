"""Correct or withdraw a referral (/verwijzers/verwijzing/<pk>/corrigeren/ and .../intrekken/).

Like every referrer page, the referral is looked up in the consultant's own organisation's referrals
only: another organisation's number is 404. GET shows the form, POST changes through the services.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .change_forms import ReferralCorrectForm, ReferralWithdrawForm
from .change_selectors import may_correct, may_withdraw, referral_contact_given
from .forms import NO_SENSITIVE_DATA
from .models import ReferralAuditEvent
from .selectors import partner_referrals
from .services import ReferralRefused, referral_audit_record, referral_correct, referral_withdraw
from .views import consultant_required

Action = ReferralAuditEvent.Action


def _own_referral(request, pk):
    return get_object_or_404(partner_referrals(request.contact.partner), pk=pk)


def _viewed(request, referral, page):
    referral_audit_record(
        user=request.user,
        action=Action.VIEWED,
        referrals=[referral],
        partner=request.contact.partner,
        detail=page,
    )


def _refused(form, referral, refused, allowed_now):
    """Show why the service refused; 409 when the referral moved on while the form was open."""
    form.add_error(refused.field if refused.field in form.fields else None, refused.message)
    referral.refresh_from_db(fields=["status"])
    return 400 if allowed_now(referral) else 409


@require_http_methods(["GET", "POST"])
@consultant_required
def correct(request, pk):
    referral = _own_referral(request, pk)
    given = referral_contact_given(referral)
    form = ReferralCorrectForm(request.POST or None, referral=referral, given=given)
    status = 200
    if request.method == "GET":
        _viewed(request, referral, "correct")
    elif not may_correct(referral):
        status = 409
    elif not form.is_valid():
        status = 400
    else:
        data = form.cleaned_data
        try:
            changed = referral_correct(
                referral=referral,
                contact=request.contact,
                user=request.user,
                name=data["name"],
                phone=data["phone"] or "",
                email=data["email"],
                preferred_channel=data["preferred_channel"],
                kind=data["kind"],
                note=data["note"],
                stop_reporting=data.get("stop_reporting", False),
            )
        except ReferralRefused as refused:
            status = _refused(form, referral, refused, may_correct)
        else:
            if changed:
                messages.success(
                    request, _("Thank you. The correction is saved. The library sees it at once.")
                )
            else:
                messages.info(request, _("You did not change anything."))
            return redirect("referrers:detail", referral.pk)
    context = {
        "referral": referral,
        "given": given,
        "form": form,
        "allowed": may_correct(referral),
        "no_sensitive_data": NO_SENSITIVE_DATA,
    }
    return render(request, "referrers/correct.html", context, status=status)


@require_http_methods(["GET", "POST"])
@consultant_required
def withdraw(request, pk):
    referral = _own_referral(request, pk)
    form = ReferralWithdrawForm(request.POST or None)
    status = 200
    if request.method == "GET":
        _viewed(request, referral, "withdraw")
    elif not may_withdraw(referral):
        status = 409
    elif not form.is_valid():
        status = 400
    else:
        try:
            referral_withdraw(
                referral=referral,
                contact=request.contact,
                user=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ReferralRefused as refused:
            status = _refused(form, referral, refused, may_withdraw)
        else:
            messages.success(request, _("The referral is withdrawn. The library sees it, with your reason."))
            return redirect("referrers:detail", referral.pk)
    context = {
        "referral": referral,
        "name": referral.name_for_referrer,
        "form": form,
        "allowed": may_withdraw(referral),
        "no_sensitive_data": NO_SENSITIVE_DATA,
    }
    return render(request, "referrers/withdraw.html", context, status=status)
