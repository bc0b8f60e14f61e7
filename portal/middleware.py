from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the person chose another language with the switch on the page.

    The browser's language is ignored on purpose: a library site in the Netherlands speaks Dutch
    first, and a phone set to another language should not silently change that.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RequireMFAMiddleware:
    """Staff and consultants set up an authenticator app (TOTP) before they see anything else.

    allauth's own pages stay reachable (log in, log out, the two-factor set-up and recovery codes),
    and so do static files, the health check and the language switch. `PORTAL_REQUIRE_MFA` turns it
    off for local development with the demo logins.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt = tuple(
            prefix
            for prefix in (
                "/accounts/",
                "/healthz",
                "/i18n/",
                _absolute(settings.STATIC_URL),
                _absolute(settings.MEDIA_URL),
            )
            if prefix not in ("", "/")
        )

    def __call__(self, request):
        if settings.PORTAL_REQUIRE_MFA and not request.path_info.startswith(self.exempt):
            if needs_mfa_setup(request.user):
                return redirect("mfa_activate_totp")
        return self.get_response(request)


def _absolute(url):
    url = url or ""
    return url if url.startswith(("/", "http")) else f"/{url}"


def needs_mfa_setup(user):
    """A staff member or consultant without an activated authenticator app."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    from partners.selectors import consultant_contact

    if not getattr(user, "is_authenticated", False):
        return False
    if not (user.is_staff or consultant_contact(user)):
        return False
    return not is_mfa_enabled(user, [Authenticator.Type.TOTP])
