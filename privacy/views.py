from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from people.models import Consent
from people.services import consent_withdraw
from sessions.models import Registration
from sessions.tokens import registration_public_id_from_token

from .selectors import retention_by_library


def statement(request):
    """What the portal keeps, why and for how long: the numbers come from each library's settings."""
    return render(request, "privacy/statement.html", {"libraries": retention_by_library()})


def _registration_or_404(token):
    public_id = registration_public_id_from_token(token)
    if public_id is None:
        raise Http404
    return get_object_or_404(
        Registration.objects.select_related("participant__library").filter(
            participant__anonymised_at__isnull=True
        ),
        public_id=public_id,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def consent_withdraw_view(request, token):
    """From the personal link of a sign-up: stop messages, or stop telling the referrer. At once."""
    registration = _registration_or_404(token)
    participant = registration.participant
    active = set(
        Consent.objects.filter(participant=participant, withdrawn_at__isnull=True).values_list(
            "purpose", flat=True
        )
    )
    done = None
    if request.method == "POST":
        purpose = request.POST.get("purpose")
        if purpose in Consent.Purpose.values:
            consent_withdraw(participant=participant, purpose=purpose, now=timezone.now())
            done = purpose
            active.discard(purpose)
    return render(
        request,
        "privacy/consent_withdraw.html",
        {
            "token": token,
            "library": participant.library,
            "contact_active": Consent.Purpose.CONTACT in active,
            "report_active": Consent.Purpose.REPORT_TO_REFERRER in active,
            "done": done,
        },
    )
