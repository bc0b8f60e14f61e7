"""Exports of the report: CSV and XLSX contents, formula safety, and a large export made in the background."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from reports import export as export_module
from reports.models import ReportExport
from reports.services import report_export_build
from tests.factories_reports import NOW, hand_counted_world

pytestmark = pytest.mark.django_db

EXPORT = "admin:reports_report_export"


@pytest.fixture
def world():
    return hand_counted_world()


def query(world, **extra):
    return {
        "period": "custom",
        "date_from": "2025-01-01",
        "date_to": "2025-12-31",
        "library": world.library.pk,
        **extra,
    }


def export_url(world, **extra):
    from urllib.parse import urlencode

    return f"{reverse(EXPORT)}?{urlencode(query(world, **extra))}"


def csv_blocks(content):
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    blocks, current = {}, None
    for row in rows:
        if not row:
            current = None
        elif current is None:
            current = row[0]
            blocks[current] = []
        else:
            blocks[current].append(row)
    return blocks


def test_csv_has_every_table_with_the_hand_counted_numbers(english_staff_client, world):
    response = english_staff_client.post(export_url(world), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="rapportage-' in response["Content-Disposition"]
    blocks = csv_blocks(response.content)
    assert list(blocks) == [
        "Report",
        "Totals",
        "Per programme",
        "Present per month",
        "Referrals made in the period, by status now",
        "Reach against the target per agreement year",
        "Mini-library",
        "Per meeting",
    ]
    totals = dict(blocks["Totals"][1:])
    assert totals["People reached (each counted once)"] == "8"
    assert totals["Present (all meetings together)"] == "17"
    assert totals["No-show rate (%)"] == "15.8"
    assert totals["Finished a course"] == "2"
    header, *programmes = blocks["Per programme"]
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in programmes}
    assert rows["Walk & Talk"]["People reached (each counted once)"] == "5"
    assert rows["Zoek werk"]["Finished a course"] == "2"
    header, *meetings = blocks["Per meeting"]
    assert len(meetings) == 8  # 7 held and 1 cancelled in 2025
    assert sum(int(row[header.index("Present")]) for row in meetings) == 17
    assert ["Cancelled"] == [
        row[header.index("Status")] for row in meetings if row[2] == "Walk & Talk" and row[0] == "12-05-2025"
    ]
    agreement = blocks["Reach against the target per agreement year"][1]
    assert agreement[0] == "Zoek werk Drechterland" and agreement[5:9] == ["30", "4", "3", "1"]


def test_xlsx_has_a_sheet_per_table_with_numbers_as_numbers(english_staff_client, world):
    response = english_staff_client.post(export_url(world), {"format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"] == export_module.CONTENT_TYPES["xlsx"]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames[:3] == ["Report", "Totals", "Per programme"]
    totals = {row[0]: row[1] for row in workbook["Totals"].iter_rows(min_row=2, values_only=True)}
    assert totals["People reached (each counted once)"] == 8
    assert totals["No-show rate (%)"] == 15.8
    meetings = list(workbook["Per meeting"].iter_rows(min_row=2, values_only=True))
    assert len(meetings) == 8


def test_text_that_looks_like_a_formula_stays_text(english_staff_client, world):
    world.walk_and_talk.name = '=HYPERLINK("http://evil.example","klik")'
    world.walk_and_talk.save()

    blocks = csv_blocks(english_staff_client.post(export_url(world), {"format": "csv"}).content)
    names = [row[0] for row in blocks["Per programme"][1:]]
    assert '\'=HYPERLINK("http://evil.example","klik")' in names
    assert not any(name.startswith("=") for name in names)

    content = english_staff_client.post(export_url(world), {"format": "xlsx"}).content
    workbook = load_workbook(io.BytesIO(content))
    cells = [row[0] for row in workbook["Per programme"].iter_rows(min_row=2)]
    evil = next(cell for cell in cells if "HYPERLINK" in str(cell.value))
    assert evil.data_type == "s" and evil.value.startswith("'=")


def test_a_bad_format_or_bad_choices_go_back_to_the_report(english_staff_client, world):
    response = english_staff_client.post(export_url(world), {"format": "pdf"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:reports_report"))
    response = english_staff_client.post(export_url(world, date_to="gisteren"), {"format": "csv"})
    assert response.status_code == 302
    assert english_staff_client.get(export_url(world)).status_code == 405  # only by POST


def test_a_large_export_is_made_in_the_background_with_progress(
    english_staff_client, world, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.REPORTS_EXPORT_SYNC_MAX_ROWS = 3
    with django_capture_on_commit_callbacks() as callbacks:
        response = english_staff_client.post(export_url(world), {"format": "xlsx"})

    report_export = ReportExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:reports_reportexport_status", args=[report_export.pk])
    assert len(callbacks) == 1  # the task is sent once the row is committed
    assert report_export.library == world.library and report_export.status == "pending"
    page = english_staff_client.get(response["Location"])
    assert '<meta http-equiv="refresh" content="3">' in page.content.decode()
    assert "Waiting for its turn." in page.content.decode()

    monkeypatch.setattr(export_module, "PROGRESS_EVERY", 1)
    with CaptureQueriesContext(connection) as queries:
        report_export_build(export_id=report_export.pk, now=NOW)
    progress = [
        int(q["sql"].split('"progress" = ')[1].split(" ")[0].rstrip(","))
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "reports_reportexport" SET "progress" = ')
    ]
    assert progress == sorted(progress) and len(progress) >= 4  # steps while the meetings are written

    report_export.refresh_from_db()
    assert (report_export.status, report_export.progress) == ("done", 100)
    page = english_staff_client.get(reverse("admin:reports_reportexport_status", args=[report_export.pk]))
    html = page.content.decode()
    assert "http-equiv" not in html
    download = reverse("admin:reports_reportexport_download", args=[report_export.pk])
    assert download in html
    response = english_staff_client.get(download)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    totals = {row[0]: row[1] for row in workbook["Totals"].iter_rows(min_row=2, values_only=True)}
    assert totals["People reached (each counted once)"] == 8


def test_a_background_export_is_in_the_language_of_who_asked(staff_client, world, settings):
    settings.REPORTS_EXPORT_SYNC_MAX_ROWS = 3
    staff_client.post(export_url(world), {"format": "xlsx"})  # Dutch: the default
    report_export = ReportExport.objects.get()
    assert report_export.language == "nl"
    with translation.override("en"):  # whatever language the worker runs in
        report_export_build(export_id=report_export.pk, now=NOW)
    download = reverse("admin:reports_reportexport_download", args=[report_export.pk])
    workbook = load_workbook(
        io.BytesIO(b"".join(staff_client.get(download).streaming_content)), read_only=True
    )
    assert "Totalen" in workbook.sheetnames and "Totals" not in workbook.sheetnames


def test_a_failed_export_says_why(english_staff_client, world):
    report_export = ReportExport.objects.create(
        library=world.library, parameters={"date_from": "nonsense"}, format="csv"
    )
    report_export_build(export_id=report_export.pk)
    report_export.refresh_from_db()
    assert report_export.status == "failed" and report_export.error
    html = english_staff_client.get(
        reverse("admin:reports_reportexport_status", args=[report_export.pk])
    ).content
    assert b"The file could not be made." in html
    download = reverse("admin:reports_reportexport_download", args=[report_export.pk])
    assert english_staff_client.get(download).status_code == 404
