from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import admin_views
from .models import ReportExport
from .permissions import can_view_reports


@admin.register(ReportExport)
class ReportExportAdmin(admin.ModelAdmin):
    """Files of large reports, made in the background. The reports themselves are at `report/`."""

    list_display = ["description", "library", "format", "status", "progress", "created_at", "download"]
    list_filter = ["status", "format"]
    search_fields = ["description"]
    list_select_related = ["library"]
    readonly_fields = [
        "description",
        "library",
        "requested_by",
        "format",
        "status",
        "progress",
        "error",
        "created_at",
        "finished_at",
        "download",
    ]
    fields = readonly_fields
    change_list_template = "admin/reports/reportexport/change_list.html"

    def has_module_permission(self, request):
        return can_view_reports(request.user)

    def has_view_permission(self, request, obj=None):
        return can_view_reports(request.user)

    def has_add_permission(self, request):
        return False  # made from the report page

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("reports.delete_reportexport")

    @admin.display(description=_("file"))
    def download(self, obj):
        if obj.status != ReportExport.Status.DONE:
            url = reverse("admin:reports_reportexport_status", args=[obj.pk])
            return format_html('<a href="{}">{}</a>', url, _("Show progress"))
        url = reverse("admin:reports_reportexport_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("report/", wrap(self.report_view), name="reports_report"),
            path("report/export/", wrap(self.export_view), name="reports_report_export"),
            path("<int:pk>/status/", wrap(self.status_view), name="reports_reportexport_status"),
            path("<int:pk>/download/", wrap(self.download_view), name="reports_reportexport_download"),
            *super().get_urls(),
        ]

    def report_view(self, request):
        return admin_views.report(self, request)

    def export_view(self, request):
        return admin_views.export(self, request)

    def status_view(self, request, pk):
        return admin_views.export_status(self, request, pk)

    def download_view(self, request, pk):
        return admin_views.export_download(self, request, pk)
