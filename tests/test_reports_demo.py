"""The demo answers the coordinator's question: Zoek werk for Drechterland, this year, reached and finished."""

from html import unescape

import pytest
from django.urls import reverse

from partners.models import PartnerOrganisation
from programmes import demo_data as seed
from programmes.models import Programme
from reports.demo import ZOEK_WERK_PEOPLE, ZOEK_WERK_TITLE
from sessions.completion import run_completions
from sessions.models import Attendance, Registration

pytestmark = pytest.mark.django_db


def test_two_clicks_give_a_real_answer_after_make_run(demo_data, staff_client):
    programme = Programme.objects.get(library__slug=seed.WFB, slug="zoek-werk")
    partner = PartnerOrganisation.objects.get(slug="gemeente-drechterland")
    landing = staff_client.get(reverse("admin:reports_report")).content.decode()
    link = f"?programme={programme.pk}&amp;partner={partner.pk}&amp;period=this_year"
    assert f'href="{link}"' in landing

    report = staff_client.get(reverse("admin:reports_report") + unescape(link)).context["report"]
    finished_run = programme.runs.get(title=ZOEK_WERK_TITLE)
    completed = [
        c for c in run_completions(registrations=Registration.objects.filter(run=finished_run)) if c.completed
    ]
    assert len(completed) == sum(1 for *_person, present in ZOEK_WERK_PEOPLE if present >= 7) == 5
    assert report.totals["finished"] == len(completed)
    assert report.totals["reached"] >= len(ZOEK_WERK_PEOPLE)


def test_past_sign_ups_that_say_who_came_have_check_in_marks(demo_data):
    past = Registration.objects.filter(
        session__isnull=False, status__in=[Registration.Status.ATTENDED, Registration.Status.NO_SHOW]
    )
    assert past.exists()
    assert not past.filter(attendances__isnull=True).exists()
    assert Attendance.objects.filter(registration__in=past, status=Attendance.Status.PRESENT).exists()


def test_langedijk_walk_and_talk_attendance_falls_over_the_year(demo_data):
    programme = Programme.objects.get(library__slug=seed.LGD, slug="walk-and-talk")
    closed = programme.sessions.filter(closed_at__isnull=False).order_by("starts_at")
    present = list(closed.values_list("count_present", flat=True))[:12]
    assert present[0] >= 13 and present[-1] <= 8
    assert present == sorted(present, reverse=True)
