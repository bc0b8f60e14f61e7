from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.scoping import scope_queryset
from sessions.models import CourseRun, Registration

from .models import Certificate
from .pdf import certificates_pdf
from .selectors import run_certificates
from .services import CertificateRefused, certificate_issue, certificates_issue_for_run

ISSUE_PERMISSION = "certificates.add_certificate"


def pdf_response(certificates, filename):
    response = HttpResponse(certificates_pdf(certificates), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read-mostly: certificates are issued from a course run's certificates page, never added here."""

    list_display = ["code", "name", "kind", "programme", "run", "last_meeting_on", "issued_at", "pdf_link"]
    list_filter = ["kind", "library", "programme"]
    search_fields = ["code", "name", "run__title", "programme__name", "programme_name"]
    list_select_related = ["programme", "run"]
    date_hierarchy = "issued_at"
    fields = [
        "code",
        "kind",
        "name",
        "programme_name",
        "run",
        "library_name",
        "place",
        "first_meeting_on",
        "last_meeting_on",
        "meetings_attended",
        "meetings_held",
        "issued_at",
        "issued_by",
    ]
    readonly_fields = [name for name in fields if name != "name"]
    change_form_template = "admin/certificates/certificate/change_form.html"

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("print"))
    def pdf_link(self, obj):
        if not obj.name:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:certificates_certificate_pdf", args=[obj.pk]), _("PDF")
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("run/<int:run_id>/", view(self.run_view), name="certificates_certificate_run"),
            path(
                "run/<int:run_id>/issue/",
                view(self.run_issue_view),
                name="certificates_certificate_run_issue",
            ),
            path(
                "run/<int:run_id>/issue/<int:registration_id>/",
                view(self.issue_one_view),
                name="certificates_certificate_issue_one",
            ),
            path("run/<int:run_id>/pdf/", view(self.run_pdf_view), name="certificates_certificate_run_pdf"),
            path("<int:pk>/pdf/", view(self.pdf_view), name="certificates_certificate_pdf"),
            *super().get_urls(),
        ]

    # --- helpers ---------------------------------------------------------------------------------

    def _run(self, request, run_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        runs = scope_queryset(CourseRun.objects.select_related("programme__library"), request.user)
        return get_object_or_404(runs, pk=run_id)

    def _may_issue(self, request):
        return request.user.has_perm(ISSUE_PERMISSION)

    def _run_url(self, run):
        return reverse("admin:certificates_certificate_run", args=[run.pk])

    # --- views -----------------------------------------------------------------------------------

    def run_view(self, request, run_id):
        run = self._run(request, run_id)
        overview = run_certificates(run=run)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "run_opts": CourseRun._meta,
            "run": run,
            "overview": overview,
            "may_issue": self._may_issue(request),
            "title": _("Certificates for %(run)s") % {"run": run},
        }
        return TemplateResponse(request, "admin/certificates/run.html", context)

    def run_issue_view(self, request, run_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        run = self._run(request, run_id)
        if not self._may_issue(request):
            raise PermissionDenied
        try:
            results = certificates_issue_for_run(run=run, actor=request.user)
        except CertificateRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
            return redirect(self._run_url(run))
        new = sum(1 for result in results if result.created)
        if not results:
            self.message_user(
                request, _("Nobody attended enough meetings for a certificate."), messages.WARNING
            )
            return redirect(self._run_url(run))
        self.message_user(
            request,
            ngettext("%(count)d certificate issued.", "%(count)d certificates issued.", new) % {"count": new},
            messages.SUCCESS,
        )
        return redirect("admin:certificates_certificate_run_pdf", run_id=run.pk)

    def issue_one_view(self, request, run_id, registration_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        run = self._run(request, run_id)
        if not self._may_issue(request):
            raise PermissionDenied
        registration = get_object_or_404(Registration.objects.filter(run=run), pk=registration_id)
        try:
            result = certificate_issue(registration=registration, actor=request.user)
        except CertificateRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
            return redirect(self._run_url(run))
        if result.created:
            self.message_user(
                request,
                _("Certificate %(code)s issued for %(name)s.")
                % {"code": result.certificate.code, "name": result.certificate.name},
                messages.SUCCESS,
            )
        return redirect("admin:certificates_certificate_pdf", pk=result.certificate.pk)

    def run_pdf_view(self, request, run_id):
        run = self._run(request, run_id)
        certificates = sorted(
            Certificate.objects.filter(run=run).exclude(name=""), key=lambda c: (c.name.casefold(), c.pk)
        )
        if not certificates:
            self.message_user(
                request, _("No certificates have been issued for this run yet."), messages.WARNING
            )
            return redirect(self._run_url(run))
        return pdf_response(certificates, f"certificaten-{run.pk}.pdf")

    def pdf_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        certificate = get_object_or_404(self.get_queryset(request), pk=pk)
        if not certificate.name:
            self.message_user(
                request,
                _("The name on this certificate was removed, so it cannot be printed."),
                messages.ERROR,
            )
            return redirect("admin:certificates_certificate_change", certificate.pk)
        return pdf_response([certificate], f"{certificate.kind}-{certificate.code}.pdf")
