from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse


class PortalAccountAdapter(DefaultAccountAdapter):
    """Log-in and sign-up rules of the portal.

    Job seekers may make an account of their own (to see their sign-ups) while `PORTAL_PUBLIC_SIGNUP`
    is on. Consultants of municipalities and partners never sign up: their account comes from an
    invitation by library staff, which is also the only way an account is tied to an organisation.
    """

    def is_open_for_signup(self, request):
        if not settings.PORTAL_PUBLIC_SIGNUP:
            return False
        from partners.models import PartnerContact

        email = (request.POST.get("email") or "").strip() if request.method == "POST" else ""
        return not (email and PartnerContact.objects.filter(email__iexact=email).exists())

    def get_login_redirect_url(self, request):
        from partners.selectors import consultant_contact

        if consultant_contact(request.user):
            return reverse("referrers:dashboard")
        if request.user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)
