"""A large report export made by a real Celery worker (a subprocess) against the test database.

The test settings keep files in memory, which a separate worker process cannot share: both processes use
a folder on disk instead (REPORTS_EXPORT_ROOT, a setting here and an environment variable for the worker).
"""

import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import ReportExport
from tests.factories_reports import hand_counted_world
from tests.outbox_support import wait_for

pytest_plugins = ["tests.conftest_outbox"]
pytestmark = pytest.mark.django_db(transaction=True)

TASK = "reports.tasks.build_report_export"


def test_a_real_worker_makes_the_file_and_the_page_offers_it(
    broker, start_worker, staff_client, settings, tmp_path
):
    files = tmp_path / "exports"
    files.mkdir()
    settings.REPORTS_EXPORT_ROOT = str(files)
    settings.REPORTS_EXPORT_SYNC_MAX_ROWS = 2
    world = hand_counted_world()
    worker = start_worker(backend="file", sms_dir=tmp_path, REPORTS_EXPORT_ROOT=str(files))
    staff_client.cookies["django_language"] = "en"

    query = urlencode(
        {"period": "custom", "date_from": "2025-01-01", "date_to": "2025-12-31", "library": world.library.pk}
    )
    response = staff_client.post(f"{reverse('admin:reports_report_export')}?{query}", {"format": "xlsx"})
    report_export = ReportExport.objects.get()
    assert response["Location"] == reverse("admin:reports_reportexport_status", args=[report_export.pk])

    def finished():
        report_export.refresh_from_db()
        return report_export.is_finished

    wait_for(finished, timeout=120, describe=lambda: worker.log()[-4000:])
    assert report_export.status == ReportExport.Status.DONE, report_export.error
    assert report_export.progress == 100 and report_export.finished_at is not None
    assert (files / report_export.file_name).is_file()  # written by the worker, in the shared folder
    assert "reports.tasks.build_report_export" in worker.log()

    page = staff_client.get(response["Location"]).content.decode()
    download = reverse("admin:reports_reportexport_download", args=[report_export.pk])
    assert download in page and "http-equiv" not in page
    response = staff_client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="rapportage-')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    totals = {row[0]: row[1] for row in workbook["Totals"].iter_rows(min_row=2, values_only=True)}
    assert totals["People reached (each counted once)"] == 8
    assert totals["Finished a course"] == 2
    assert len(list(workbook["Per meeting"].iter_rows(min_row=2))) == 8
