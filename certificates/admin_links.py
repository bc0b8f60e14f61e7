"""The way from a course run in the admin to its certificates page (used by CourseRunAdmin)."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CERTIFICATES_TEMPLATE = "admin/programme_sessions/courserun/change_form.html"


@admin.action(description=gettext_lazy("Certificates for this run"))
def certificates_for_run(model_admin, request, queryset):
    if queryset.count() != 1:
        model_admin.message_user(request, _("Choose exactly one course run."), messages.WARNING)
        return None
    return redirect("admin:certificates_certificate_run", run_id=queryset.get().pk)
