"""The referral portal for consultants (/verwijzers/): refer a person, follow what may be followed.

Every query starts from the consultant's own organisation (`partner_referrals`); anything else is 404.
"""

import csv
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from .change_selectors import may_correct, may_withdraw, referral_contact_given, referral_history
from .forms import NO_SENSITIVE_DATA, ReferralFilterForm, ReferralForm
from .models import ReferralAuditEvent
from .selectors import (
    agreement_reach,
    consultant_contact,
    overview_columns,
    partner_referrals,
    referral_views,
    referrals_filter,
    with_registrations,
)
from .services import ReferralRefused, referral_audit_record, referral_create

PAGE_SIZE = 25
Action = ReferralAuditEvent.Action


# The dashboard's reach against the agreements (people per year) may be this old: it moves slowly,
# and counting it is the costliest part of the page.
REACH_COUNTS_CACHE_SECONDS = 120


def consultant_required(view):
    """Logged in (else the log-in page), a consultant (else 403), never cached: pages hold personal data."""

    @wraps(view)
    @login_required
    @never_cache
    def wrapper(request, *args, **kwargs):
        contact = consultant_contact(request.user)
        if contact is None:
            raise PermissionDenied
        request.contact = contact
        return view(request, *args, **kwargs)

    return wrapper


def _filtered(request):
    partner = request.contact.partner
    form = ReferralFilterForm(request.GET or None, partner=partner)
    referrals = partner_referrals(partner)
    if form.is_bound:
        if not form.is_valid() and "programme" in form.errors:
            raise Http404  # another organisation's programme id, or one that does not exist
        filters = (
            {k: v for k, v in form.cleaned_data.items() if v not in (None, "")} if form.is_valid() else {}
        )
        referrals = referrals_filter(referrals, **filters)
    return form, referrals


@require_GET
@consultant_required
def dashboard(request):
    form, referrals = _filtered(request)
    overview = with_registrations(overview_columns(referrals), places=False)
    page = Paginator(overview, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = referral_views(page.object_list)
    referral_audit_record(
        user=request.user,
        action=Action.VIEWED,
        referrals=[row.referral for row in rows],
        partner=request.contact.partner,
        detail="overview",
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "contact": request.contact,
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "reach": agreement_reach(request.contact.partner, counts_cache_seconds=REACH_COUNTS_CACHE_SECONDS),
    }
    return render(request, "referrers/dashboard.html", context)


@require_GET
@consultant_required
def export(request):
    _form, referrals = _filtered(request)
    rows = referral_views(with_registrations(referrals, places=False))
    referral_audit_record(
        user=request.user,
        action=Action.EXPORTED,
        referrals=[row.referral for row in rows],
        partner=request.contact.partner,
        detail="csv",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"verwijzingen-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel then reads the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Number"),
            _("Referred on"),
            _("Name"),
            _("Programme"),
            _("Library"),
            _("Voluntary or mandatory"),
            _("Status"),
            _("Intake"),
            _("Next meeting"),
            _("Present"),
            _("Absent"),
            _("Excused"),
            _("Completed"),
            _("Consultant"),
        ]
    )
    for row in rows:
        writer.writerow([_cell(value) for value in _export_values(row)])
    return response


def _export_values(row):
    referral = row.referral
    attendance = row.attendance or {}
    completed = "" if row.completed is None else (_("yes") if row.completed else _("no"))
    return [
        referral.pk,
        _date(referral.created_at, "%d-%m-%Y"),
        row.name,
        referral.programme.name,
        referral.programme.library.name,
        referral.get_kind_display(),
        row.status_label,
        _date(referral.intake_at, "%d-%m-%Y %H:%M") if referral.status == "intake_planned" else "",
        _date(row.next_session.starts_at, "%d-%m-%Y %H:%M") if row.next_session else "",
        attendance.get("present", ""),
        attendance.get("absent", ""),
        attendance.get("excused", ""),
        completed,
        referral.referrer.name if referral.referrer else "",
    ]


def _date(value, pattern):
    return timezone.localtime(value).strftime(pattern) if value else ""


def _cell(value):
    # A cell starting with = + - @ is a formula to a spreadsheet; names typed in a form must stay text.
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
@consultant_required
def referral_detail(request, pk):
    referral = get_object_or_404(with_registrations(partner_referrals(request.contact.partner)), pk=pk)
    (row,) = referral_views([referral])
    referral_audit_record(
        user=request.user,
        action=Action.VIEWED,
        referrals=[referral],
        partner=request.contact.partner,
        detail="detail",
    )
    context = {
        "row": row,
        "referral": referral,
        "given": referral_contact_given(referral),
        "history": referral_history(row),
        "may_correct": may_correct(referral),
        "may_withdraw": may_withdraw(referral),
    }
    return render(request, "referrers/detail.html", context)


@require_http_methods(["GET", "POST"])
@consultant_required
def referral_new(request):
    contact = request.contact
    form = ReferralForm(request.POST or None, partner=contact.partner)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and _referrals_limited(request):
            # Many referrals in a short time from one account: a script or a stolen password.
            form.add_error(
                None, _("You sent many referrals in a short time. Try again in an hour, or call the library.")
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                referral = referral_create(
                    contact=contact,
                    user=request.user,
                    programme=data["programme"],
                    name=data["name"],
                    phone=data["phone"] or "",
                    email=data["email"],
                    preferred_channel=data["preferred_channel"],
                    kind=data["kind"],
                    consent_contact=data["consent_contact"],
                    consent_report_attendance=data["consent_report_attendance"],
                    consent_given_on=data["consent_given_on"],
                    note=data["note"],
                )
            except ReferralRefused as refused:
                form.add_error(refused.field, refused.message)
            else:
                messages.success(request, _("Thank you. The library has received the referral."))
                return redirect("referrers:detail", referral.pk)
    context = {"form": form, "no_sensitive_data": NO_SENSITIVE_DATA, "contact": contact}
    return render(request, "referrers/referral_form.html", context, status=status)


def _referrals_limited(request):
    return is_ratelimited(
        request,
        group="referral-user",
        key="user",
        rate=settings.REFERRAL_RATE_PER_USER,
        method="POST",
        increment=True,
    )
