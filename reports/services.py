"""Writes of the reports app: requesting a background export and building its file."""

import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import export
from .describe import scope_description, scope_title
from .models import ReportExport
from .selectors import ReportScope, meeting_count, report_build
from .storage import export_storage
from .tables import report_tables

logger = logging.getLogger(__name__)


@transaction.atomic
def report_export_request(*, user, scope: ReportScope, file_format: str, library=None) -> ReportExport:
    """Record an export and hand it to a worker once the row is committed."""
    from .tasks import build_report_export

    report_export = ReportExport.objects.create(
        library=library,
        requested_by=user,
        parameters=scope.as_parameters(),
        description=scope_title(scope),
        format=file_format,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    build_report_export.delay_on_commit(report_export.pk)
    return report_export


def _set_progress(export_id, percent, last):
    if percent - last[0] >= 5 or percent == 100:
        ReportExport.objects.filter(pk=export_id).update(progress=percent)
        last[0] = percent


def report_export_build(*, export_id: int, now=None) -> ReportExport | None:
    """Build the file of an export, reporting progress as it goes; a failure is stored, not raised.

    Running it again (a redelivered task) builds the file again; a finished export is left alone.
    """
    with transaction.atomic():
        report_export = ReportExport.objects.select_for_update().filter(pk=export_id).first()
        if report_export is None or report_export.status == ReportExport.Status.DONE:
            return report_export
        report_export.status, report_export.progress, report_export.error = ReportExport.Status.RUNNING, 1, ""
        report_export.save(update_fields=["status", "progress", "error"])
    with translation.override(report_export.language):
        return _build(report_export, export_id, now)


def _build(report_export, export_id, now):
    try:
        scope = ReportScope.from_parameters(report_export.parameters)
        report = report_build(scope, now=now)
        total = max(1, meeting_count(scope))
        last = [10]
        ReportExport.objects.filter(pk=export_id).update(progress=10)
        tables = report_tables(report, describe_scope=scope_description(scope), now=now)
        meetings_index = len(tables) - 1

        def progress(table_index, count):
            if table_index == meetings_index and count:
                _set_progress(export_id, min(95, 10 + 85 * count // total), last)

        content = export.render(tables, report_export.format, progress=progress)
        name = f"reports/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{report_export.format}"
        name = export_storage().save(name, ContentFile(content))
    except Exception as error:
        logger.exception("Report export %s failed", export_id)
        ReportExport.objects.filter(pk=export_id).update(
            status=ReportExport.Status.FAILED,
            error=(_("The file could not be made: %(error)s") % {"error": error})[:500],
            finished_at=timezone.now(),
        )
        report_export.refresh_from_db()
        return report_export
    ReportExport.objects.filter(pk=export_id).update(
        status=ReportExport.Status.DONE, progress=100, file_name=name, finished_at=timezone.now()
    )
    report_export.refresh_from_db()
    return report_export


def report_export_file_name(report_export):
    """The name a download gets: werkportaal-rapport-<date>.<format>."""
    return f"rapportage-{timezone.localtime(report_export.created_at):%Y-%m-%d}-{report_export.pk}.{report_export.format}"
