from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from portal.page_cache import cache_public_page
from programmes.models import Branch

from . import selectors
from .calendar import calendar_for_sessions, ics_response
from .jsonld import session_jsonld
from .models import Registration, Session
from .public_forms import CONSENT_TEXT, AgendaFilterForm, SignUpForm
from .services import RegistrationClosed, registration_cancel, registration_create
from .tokens import registration_public_id_from_token, registration_token

AGENDA_PAGE_SIZE = 20
HOME_WEEK_LIMIT = 40


@cache_public_page(lambda request: ["sessions"])
def home(request):
    now = timezone.now()
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    weeks = []
    for offset, title in ((0, _("This week")), (7, _("Next week"))):
        day = monday + timedelta(days=offset)
        by_place = defaultdict(list)
        # Enough to see what is on; the agenda has the rest.
        for session in selectors.session_agenda(week=day, now=now)[:HOME_WEEK_LIMIT]:
            by_place[_place_label(session)].append(session)
        weeks.append({"title": title, "monday": day, "places": sorted(by_place.items())})
    return render(request, "public/home.html", {"weeks": weeks})


def _place_label(session):
    if session.is_online:
        return _("Online")
    place = session.place
    if session.branch_id:
        return f"{session.programme.library.name} – {place.name}"
    return str(place)


@cache_public_page(lambda request: ["sessions"])
def agenda(request):
    form = AgendaFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    sessions = selectors.session_agenda(**{k: v for k, v in filters.items() if v not in (None, "")})
    page = Paginator(sessions, AGENDA_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "public/agenda.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _session_or_404(pk, *, place=True, page=True):
    try:
        return selectors.session_public_get(pk=pk, place=place, page=page)
    except Session.DoesNotExist as error:
        raise Http404 from error


@require_http_methods(["GET", "POST"])
@cache_public_page(lambda request, pk: ["sessions", f"session:{pk}"])
def session_detail(request, pk):
    if request.method == "POST":
        return _sign_up(request, pk)
    session = _session_or_404(pk)
    closed_reason = selectors.registration_closed_reason(session=session, run=session.run)
    return _render_detail(request, session, SignUpForm(), closed_reason, 200)


def _render_detail(request, session, form, closed_reason, status):
    context = {
        "session": session,
        "programme": session.programme,
        "form": form,
        "closed_reason": closed_reason,
        "jsonld": session_jsonld(session, request=request),
        "other_sessions": session.run.sessions.order_by("starts_at") if session.run_id else None,
    }
    return render(request, "public/session_detail.html", context, status=status)


# What public_form_status says besides an HTTP status for the page with the form.
ACCEPTED, SPAM = "accepted", "spam"


def public_form_status(request, form):
    """The checks of every no-account form (a meeting's sign-up, booking a coach), in order.

    Returns ACCEPTED (go ahead), SPAM (the honeypot was filled: answer as if it worked), or the
    status of the page shown again with the reason next to the form: 429 (too many tries from this
    computer or for this phone number / e-mail address) or 400 (a mistake in the form).
    """
    if _ip_limited(request):
        form.is_valid()
        form.add_error(
            None, _("Too many sign-ups from this computer. Try again in an hour, or call the library.")
        )
        return 429
    if not form.is_valid():
        return 400
    if form.is_spam:
        return SPAM
    if _contact_limited(request, form.cleaned_data):
        form.add_error(None, _("You tried many times. Try again in an hour, or call the library."))
        return 429
    return ACCEPTED


def _ip_limited(request):
    return is_ratelimited(
        request, group="signup-ip", key="ip", rate=settings.SIGNUP_RATE_PER_IP, method="POST", increment=True
    )


def _contact_limited(request, data):
    contact = str(data.get("phone") or "") or (data.get("email") or "").lower()
    return is_ratelimited(
        request,
        group="signup-contact",
        key=lambda _group, _request: contact,
        rate=settings.SIGNUP_RATE_PER_CONTACT,
        method="POST",
        increment=True,
    )


def _sign_up(request, pk):
    # The form is checked first: the meeting is read once, under its lock, by the sign-up itself;
    # the page is read only to show it again.
    form = SignUpForm(request.POST)
    status = public_form_status(request, form)
    if status == ACCEPTED:
        data = form.cleaned_data
        try:
            result = registration_create(
                session_id=pk,
                name=data["name"],
                phone=data["phone"] or "",
                email=data["email"],
                preferred_channel=data["preferred_channel"],
                help_wanted=data["help_wanted"],
                language=get_language() or settings.LANGUAGE_CODE,
                consent_text=str(CONSENT_TEXT),
                user=request.user if request.user.is_authenticated else None,
            )
        except Session.DoesNotExist as error:
            raise Http404 from error
        except RegistrationClosed as closed:
            # Closed between showing the form and sending it: the page says why, as on a plain visit.
            return _render_detail(request, _session_or_404(pk), form, closed.message, 409)
        if not result.created:
            return render(request, "public/already_registered.html", {"registration": result.registration})
        return redirect(
            reverse("sessions:registration", kwargs={"token": registration_token(result.registration)})
            + "?nieuw=1"
        )
    session = _session_or_404(pk)
    if status == SPAM:
        return render(request, "public/signup_received.html", {"session": session})
    closed_reason = selectors.registration_closed_reason(session=session, run=session.run)
    return _render_detail(request, session, form, closed_reason, 409 if closed_reason else status)


def _registration_or_404(token):
    public_id = registration_public_id_from_token(token)
    if public_id is None:
        raise Http404
    return get_object_or_404(
        Registration.objects.select_related(
            "participant",
            "session__programme__library",
            "session__branch",
            "session__partner_site__partner",
            "run__programme__library",
        ),
        public_id=public_id,
    )


def registration_detail(request, token):
    registration = _registration_or_404(token)
    sessions = _registration_sessions(registration)
    return render(
        request,
        "public/registration_detail.html",
        {
            "registration": registration,
            "sessions": sessions,
            "first": sessions[0] if sessions else None,
            "programme": (registration.session or registration.run).programme,
            "token": token,
            "is_new": request.GET.get("nieuw") == "1",
            "waitlist_position": selectors.registration_waitlist_position(registration=registration),
            "can_cancel": _can_cancel(registration),
        },
    )


def _registration_sessions(registration):
    if registration.run_id:
        return list(
            registration.run.sessions.select_related("branch", "partner_site__partner", "programme").order_by(
                "starts_at"
            )
        )
    return [registration.session]


def _can_cancel(registration):
    if registration.status not in (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED):
        return False
    sessions = _registration_sessions(registration)
    return bool(sessions) and sessions[-1].ends_at > timezone.now()


@require_http_methods(["GET", "POST"])
def registration_cancel_view(request, token):
    registration = _registration_or_404(token)
    if not _can_cancel(registration):
        return redirect("sessions:registration", token=token)
    if request.method == "POST":
        registration_cancel(registration=registration)
        return render(request, "public/registration_cancelled.html", {"registration": registration})
    return render(request, "public/registration_cancel.html", {"registration": registration, "token": token})


def registration_ics(request, token):
    registration = _registration_or_404(token)
    sessions = _registration_sessions(registration)
    programme = (registration.session or registration.run).programme
    confirmed = registration.status == Registration.Status.CONFIRMED
    content = calendar_for_sessions(
        sessions, name=programme.name, request=request, include_online_url=confirmed
    )
    return ics_response(content, "aanmelding.ics")


def session_ics(request, pk):
    session = _session_or_404(pk, page=False)
    return ics_response(
        calendar_for_sessions([session], name=session.programme.name, request=request),
        f"bijeenkomst-{pk}.ics",
    )


def branch_feed(request, library, slug):
    branch = get_object_or_404(Branch.objects.select_related("library"), library__slug=library, slug=slug)
    sessions = selectors.session_public_list().filter(branch=branch)
    name = f"{branch.library.name} – {branch.name}"
    return ics_response(calendar_for_sessions(sessions, name=name, request=request), f"{branch.slug}.ics")


@login_required
def my_registrations(request):
    registrations = [
        (registration, registration_token(registration))
        for registration in selectors.registration_list_for_user(user=request.user)
    ]
    return render(request, "public/my_registrations.html", {"registrations": registrations})


def rate_limited(request, exception):
    return render(request, "public/rate_limited.html", status=429)
