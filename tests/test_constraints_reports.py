"""Every database constraint of the reports app, in validation and in the database."""

import pytest
from django.utils import timezone

from reports.models import ReportExport
from tests.factories import LibraryFactory
from tests.factories_reports import ReportExportFactory
from tests.test_constraints import assert_accepted, assert_rejected

pytestmark = pytest.mark.django_db


def build(**kwargs):
    """An unsaved export of a saved library (build() would leave the library unsaved too)."""
    return ReportExportFactory.build(library=LibraryFactory(), **kwargs)


def test_report_export_progress_range():
    assert_rejected(build(progress=101), constraint="report_export_progress_range")
    assert_accepted(build(progress=100))


def test_report_export_done_has_file():
    assert_rejected(build(file_name=""), constraint="report_export_done_has_file")
    assert_rejected(build(finished_at=None), constraint="report_export_done_has_file")
    assert_accepted(build(status=ReportExport.Status.RUNNING, file_name="", finished_at=None))


def test_report_export_failed_has_error():
    failed = {"status": ReportExport.Status.FAILED, "file_name": "", "finished_at": timezone.now()}
    assert_rejected(build(**failed), constraint="report_export_failed_has_error")
    assert_accepted(build(**failed, error="De database was weg."))
