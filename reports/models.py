from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportExport(models.Model):
    """A report file made in the background (a Celery task) because it is too large to make at once.

    It holds counts only, never names or contact details. The file lives in `reports.storage`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", _("Excel (XLSX)")

    # Empty only for a superuser's report over every library: then only superusers can open it.
    library = models.ForeignKey(
        "programmes.Library",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("library organisation"),
        help_text=_("Empty: all libraries."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    parameters = models.JSONField(_("report choices"), default=dict)
    description = models.CharField(_("report"), max_length=300, blank=True)
    format = models.CharField(_("file type"), max_length=4, choices=Format.choices, default=Format.XLSX)
    # The file is written in the language of the person who asked for it, not the worker's.
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="nl")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file_name = models.CharField(_("file"), max_length=255, blank=True, editable=False)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="report_export_progress_range",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(file_name="") & Q(finished_at__isnull=False)),
                name="report_export_done_has_file",
                violation_error_message=_("A finished export needs its file and the time it was finished."),
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""),
                name="report_export_failed_has_error",
                violation_error_message=_("Say why the export failed."),
            ),
        ]
        indexes = [models.Index(fields=["library", "created_at"])]

    def __str__(self):
        return self.description or _("Report export %(number)s") % {"number": self.pk}

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
