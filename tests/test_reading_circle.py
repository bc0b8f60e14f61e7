"""The reading circle (leeskring) at Relim: planned as a course run of six weekly one-hour meetings at the
partner's site, closing with an activity, and a diploma for who attended enough."""

from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certificates.models import Certificate
from certificates.selectors import run_certificates
from certificates.services import certificate_issue
from programmes.models import Programme
from sessions.models import CourseRun, Session
from sessions.services import session_series_create
from tests.factories_certificates import enrol, reading_circle, run_with_meetings

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
CLOSING = "Afsluiting: we kijken de film en krijgen het diploma"


@pytest.fixture
def circle(library, partner_site):
    programme = reading_circle(library)
    programme.delivering_partners.add(partner_site.partner)
    return programme


def test_planned_as_six_weekly_meetings_of_an_hour_with_the_closing_activity_last(circle, partner_site):
    sessions = session_series_create(
        programme=circle,
        first_start=datetime(2027, 3, 3, 13, 30, tzinfo=AMSTERDAM),
        duration=timedelta(hours=1),
        rhythm=Programme.Rhythm.WEEKLY,
        count=6,
        partner_site=partner_site,
        capacity=8,
        topic="Samen lezen",
        closing_activity=f"  {CLOSING} ",
    )
    run = CourseRun.objects.get(programme=circle)
    stored = list(run.sessions.order_by("starts_at"))
    assert [s.pk for s in sessions] == [s.pk for s in stored]
    assert [timezone.localtime(s.starts_at, AMSTERDAM).date().isoformat() for s in stored] == [
        "2027-03-03",
        "2027-03-10",
        "2027-03-17",
        "2027-03-24",
        "2027-03-31",
        "2027-04-07",
    ]
    assert {s.ends_at - s.starts_at for s in stored} == {timedelta(hours=1)}
    assert {s.partner_site for s in stored} == {partner_site}
    assert [s.topic for s in stored] == ["Samen lezen"] * 5 + [CLOSING]
    assert run.capacity == 8


def test_the_planning_page_offers_the_partner_site_and_a_closing_activity(staff_client, circle, partner_site):
    url = reverse("admin:programmes_programme_generate_sessions", kwargs={"pk": circle.pk})
    form = staff_client.get(url).context["form"]
    assert "closing_activity" in form.fields
    assert form.initial["partner_site"] == partner_site.pk
    assert (form.initial["rhythm"], form.initial["count"], form.initial["duration_minutes"]) == (
        "weekly",
        6,
        60,
    )

    response = staff_client.post(
        url,
        {
            "first_start_0": "2027-09-01",
            "first_start_1": "13:30",
            "duration_minutes": "60",
            "rhythm": "weekly",
            "count": "6",
            "partner_site": str(partner_site.pk),
            "capacity": "8",
            "topic": "",
            "run_title": "Leeskring najaar 2027",
            "closing_activity": CLOSING,
        },
    )
    assert response.status_code == 302
    run = CourseRun.objects.get(title="Leeskring najaar 2027")
    topics = list(run.sessions.order_by("starts_at").values_list("topic", flat=True))
    assert topics == [""] * 5 + [CLOSING]


def test_group_meetings_get_no_closing_activity_field(staff_client, programme):
    url = reverse("admin:programmes_programme_generate_sessions", kwargs={"pk": programme.pk})
    assert "closing_activity" not in staff_client.get(url).context["form"].fields


def test_diploma_for_five_of_six_not_for_four():
    run, sessions = run_with_meetings(reading_circle(), meetings=6)
    five = enrol(run, sessions, present=5, name="Bianca Dautzenberg")
    four = enrol(run, sessions, present=4, name="Math Kleijnen")
    rows = {row.registration.pk: row for row in run_certificates(run=run).rows}
    assert rows[five.pk].eligible and not rows[four.pk].eligible

    diploma = certificate_issue(registration=five, actor=None).certificate
    assert diploma.kind == Certificate.Kind.DIPLOMA
    assert diploma.place == "Relim, Leerwerkplaats Heerlen"
    assert diploma.last_meeting_on == timezone.localdate(sessions[-1].starts_at)
    assert sessions[-1].topic.startswith("Afsluiting")


def test_demo_reading_circle_loads_twice_and_a_coordinator_can_print_the_diploma(staff_client):
    from programmes.demo import load_demo_data

    load_demo_data()
    counts = (CourseRun.objects.count(), Session.objects.count(), Certificate.objects.count())
    load_demo_data()
    assert (CourseRun.objects.count(), Session.objects.count(), Certificate.objects.count()) == counts

    circle = Programme.objects.get(slug="leeskring-relim")
    zoek_werk = Programme.objects.get(slug="zoek-werk")
    assert circle.certificate_min_attendance == 80 and zoek_werk.certificate_min_attendance == 70
    now = timezone.now()
    past = circle.runs.exclude(sessions__starts_at__gte=now).get()
    meetings = list(past.sessions.order_by("starts_at"))
    assert len(meetings) == 6 and {m.partner_site.partner.name for m in meetings} == {"Relim"}
    assert {m.ends_at - m.starts_at for m in meetings} == {timedelta(hours=1)}
    assert meetings[-1].topic.startswith("Afsluiting")

    overview = run_certificates(run=past)
    assert 6 <= len(overview.rows) <= 8
    eligible = [row.name for row in overview.rows if row.eligible]
    assert len(overview.rows) - len(eligible) == 1
    (certificate,) = Certificate.objects.all()
    assert certificate.run == past and certificate.kind == Certificate.Kind.DIPLOMA

    response = staff_client.get(reverse("admin:certificates_certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    (page,) = [p.extract_text() for p in PdfReader(BytesIO(response.content)).pages]
    assert certificate.name in page and "Bibliotheek Landgraaf-Onderbanken" in page
    response = staff_client.get(reverse("admin:certificates_certificate_run", args=[past.pk]))
    assert response.status_code == 200
    assert len(response.context["overview"].eligible_rows) == len(eligible)
