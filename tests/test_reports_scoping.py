"""Staff of one library never see another library's figures: not on the page, in exports or downloads."""

import csv
import io

import pytest
from django.urls import reverse

from reports.models import ReportExport
from tests.factories_reports import ReportExportFactory, hand_counted_world
from tests.test_reports_admin import staff_member

pytestmark = pytest.mark.django_db

REPORT = "admin:reports_report"
YEAR_2025 = {"period": "custom", "date_from": "2025-01-01", "date_to": "2025-12-31"}


@pytest.fixture
def world():
    return hand_counted_world()


@pytest.fixture
def other_coordinator(client, world):
    """A coordinator of the other library (Langedijk), which has one meeting, tally and agreement."""
    return staff_member(client, world.other_library, username="coordinator-langedijk")


def test_the_report_counts_only_the_own_library(other_coordinator, world):
    response = other_coordinator.get(reverse(REPORT), YEAR_2025)

    report = response.context["report"]
    assert "library" not in response.context["form"].fields  # one library: nothing to choose
    assert "Walk & Talk Langedijk" in [row.name for row in report.rows]
    assert {row.library for row in report.rows} == {"Bibliotheek Langedijk"}
    assert (report.totals["held"], report.totals["present"], report.totals["reached"]) == (1, 1, 1)
    assert report.totals["walk_in_people"] == 7
    assert report.referrals_total == 1
    assert [item.agreement.title for item in report.agreements] == ["Langedijk Drechterland"]
    html = response.content.decode()
    assert "Zoek werk" not in html and "Westfriese" not in html


def test_another_librarys_choices_are_refused(other_coordinator, world):
    for field, value in (
        ("programme", world.zoek_werk.pk),
        ("branch", world.branch.pk),
    ):
        response = other_coordinator.get(reverse(REPORT), {**YEAR_2025, field: value})
        assert response.context["report"] is None
        assert field in response.context["form"].errors
    # A library choice is not offered, so it is ignored: still only the own library.
    response = other_coordinator.get(reverse(REPORT), {**YEAR_2025, "library": world.library.pk})
    assert {row.library for row in response.context["report"].rows} == {"Bibliotheek Langedijk"}


def test_the_export_holds_only_the_own_library(other_coordinator, world):
    url = f"{reverse('admin:reports_report_export')}?period=custom&date_from=2025-01-01&date_to=2025-12-31"
    content = other_coordinator.post(url, {"format": "csv"}).content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(content[1:]), delimiter=";"))
    text = " ".join(" ".join(row) for row in rows)
    assert "Westfriese" not in text and "Zoek werk" not in text
    assert "Walk & Talk Langedijk" in text


def test_a_large_export_of_one_library_is_only_for_that_librarys_staff(other_coordinator, world, client):
    own = ReportExportFactory(library=world.other_library)
    foreign = ReportExportFactory(library=world.library)
    everything = ReportExportFactory(library=None)

    listed = other_coordinator.get(reverse("admin:reports_reportexport_changelist"))
    assert listed.status_code == 200
    assert set(listed.context["cl"].queryset) == {own}
    for report_export in (foreign, everything):
        for view in ("status", "download"):
            url = reverse(f"admin:reports_reportexport_{view}", args=[report_export.pk])
            assert other_coordinator.get(url).status_code == 404
        change = reverse("admin:reports_reportexport_change", args=[report_export.pk])
        assert other_coordinator.get(change).status_code in (302, 404)
    assert (
        other_coordinator.get(reverse("admin:reports_reportexport_status", args=[own.pk])).status_code == 200
    )
    assert ReportExport.objects.count() == 3


def test_a_superuser_chooses_any_library(english_staff_client, world):
    form = english_staff_client.get(reverse(REPORT), YEAR_2025).context["form"]
    assert set(form.fields["library"].queryset) == {world.library, world.other_library}
    report = english_staff_client.get(reverse(REPORT), YEAR_2025).context["report"]
    assert report.scope.library_ids is None
    assert {row.library for row in report.rows} == {"Westfriese Bibliotheken", "Bibliotheek Langedijk"}


def test_a_large_export_for_all_libraries_belongs_to_no_library(english_staff_client, world, settings):
    settings.REPORTS_EXPORT_SYNC_MAX_ROWS = 0
    url = f"{reverse('admin:reports_report_export')}?period=custom&date_from=2025-01-01&date_to=2025-12-31"
    english_staff_client.post(url, {"format": "csv"})
    report_export = ReportExport.objects.get()
    assert report_export.library is None and report_export.parameters["library_ids"] is None
