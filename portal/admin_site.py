from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = _("Library job-seeker programmes")
    site_title = _("Staff portal")
    index_title = _("This week")

    def index(self, request, extra_context=None):
        from messaging.selectors import outbox_failed_count
        from sessions.selectors import session_week_overview

        extra_context = {
            **(extra_context or {}),
            **session_week_overview(),
            "failed_messages": outbox_failed_count(),
        }
        return super().index(request, extra_context)
