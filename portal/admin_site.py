from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .scoping import LibraryScopedAdminMixin, is_scoped, scope_queryset


def _scoped(cls):
    if issubclass(cls, LibraryScopedAdminMixin):
        return cls
    return type(cls.__name__, (LibraryScopedAdminMixin, cls), {"__module__": cls.__module__})


def _audited(cls, models):
    """Admins of personal data log every view and change in the privacy audit log."""
    from privacy.audit import PersonalDataAuditMixin, audited_labels

    if issubclass(cls, PersonalDataAuditMixin) or not any(m._meta.label in audited_labels() for m in models):
        return cls
    return type(cls.__name__, (PersonalDataAuditMixin, cls), {"__module__": cls.__module__})


class PortalAdminSite(admin.AdminSite):
    site_header = _("Library job-seeker programmes")
    site_title = _("Staff portal")
    index_title = _("This week")

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every admin of a library's rows, and each of its inlines, shows only the staff's libraries.

        Done here rather than per class so that no admin, now or later, can forget it.
        """
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        admin_class = admin_class or admin.ModelAdmin
        if any(is_scoped(model) for model in models) or admin_class.inlines:
            admin_class = type(
                admin_class.__name__,
                (admin_class,),
                {
                    "__module__": admin_class.__module__,
                    "inlines": [_scoped(inline) for inline in admin_class.inlines],
                },
            )
            if any(is_scoped(model) for model in models):
                admin_class = _scoped(admin_class)
        admin_class = _audited(admin_class, models)
        return super().register(model_or_iterable, admin_class, **options)

    def login(self, request, extra_context=None):
        """Staff log in on allauth's page, so that its rate limits and two-factor authentication apply.

        allauth's `secure_admin_login`: anonymous users go to allauth's log-in (with `next`), a logged-in
        account that is not staff gets 403 instead of a loop.
        """
        return secure_admin_login(super().login)(request, extra_context)

    def index(self, request, extra_context=None):
        from messaging.models import OutboxMessage
        from partners.models import Referral
        from partners.selectors import referrals_new_for_staff
        from sessions.models import Session
        from sessions.selectors import session_week_overview

        failed = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED)
        new_referrals, new_referrals_count = [], 0
        if request.user.has_perm("partners.view_referral"):
            new_referrals, new_referrals_count = referrals_new_for_staff(
                scope_queryset(Referral.objects.all(), request.user)
            )
        extra_context = {
            **(extra_context or {}),
            **session_week_overview(queryset=scope_queryset(Session.objects.all(), request.user)),
            "failed_messages": scope_queryset(failed, request.user).count(),
            "new_referrals": new_referrals,
            "new_referrals_count": new_referrals_count,
        }
        return super().index(request, extra_context)
