"""Planning a run of meetings from a rhythm: the date rules, the service, and the admin page for it."""

import re
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from programmes.models import Programme
from sessions.models import CourseRun, Session
from sessions.services import session_dates, session_series_create
from tests import factories

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TUESDAY = 1


def local(*args):
    return datetime(*args, tzinfo=AMSTERDAM)


def as_local(moments):
    return [timezone.localtime(moment, AMSTERDAM) for moment in moments]


def week_of_month(day):
    """1 for the first Tuesday of a month, 2 for the second, ..."""
    return (day.day - 1) // 7 + 1


# --- session_dates: pure date rules --------------------------------------------------------------


def test_weekly():
    dates = as_local(session_dates(first=local(2027, 2, 2, 10, 0), rhythm=Programme.Rhythm.WEEKLY, count=5))
    assert [d.date().isoformat() for d in dates] == [
        "2027-02-02",
        "2027-02-09",
        "2027-02-16",
        "2027-02-23",
        "2027-03-02",
    ]
    assert {(d.hour, d.minute) for d in dates} == {(10, 0)}


def test_every_four_weeks():
    """Werk aan je toekomst (Westfriese Bibliotheken): a themed meeting every four weeks."""
    dates = as_local(
        session_dates(first=local(2027, 1, 12, 19, 30), rhythm=Programme.Rhythm.EVERY_FOUR_WEEKS, count=4)
    )
    assert [d.date().isoformat() for d in dates] == ["2027-01-12", "2027-02-09", "2027-03-09", "2027-04-06"]
    assert {(d.hour, d.minute) for d in dates} == {(19, 30)}


def test_twice_monthly_keeps_weekday_and_time():
    """What both readings of "twice a month" (every other week, or 1st and 3rd Tuesday) agree on."""
    dates = as_local(
        session_dates(first=local(2027, 1, 5, 14, 0), rhythm=Programme.Rhythm.TWICE_MONTHLY, count=8)
    )
    assert len(dates) == 8
    assert dates[0] == local(2027, 1, 5, 14, 0)
    assert dates == sorted(set(dates))
    assert {d.weekday() for d in dates} == {TUESDAY}
    assert {(d.hour, d.minute) for d in dates} == {(14, 0)}
    assert all(
        timedelta(days=14) <= b - a <= timedelta(days=21) for a, b in zip(dates, dates[1:], strict=False)
    )


def test_twice_monthly_means_two_meetings_in_every_calendar_month():
    """BiblioPlus runs Walk & Talk "twice a month": twelve meetings should cover six calendar months."""
    dates = as_local(
        session_dates(first=local(2027, 1, 5, 14, 0), rhythm=Programme.Rhythm.TWICE_MONTHLY, count=12)
    )
    per_month = Counter((d.year, d.month) for d in dates)
    assert per_month == {(2027, month): 2 for month in range(1, 7)}


def test_monthly_keeps_second_tuesday():
    """Walk & Talk every month on the second Tuesday stays on the second Tuesday."""
    dates = as_local(session_dates(first=local(2027, 1, 12, 10, 0), rhythm=Programme.Rhythm.MONTHLY, count=6))
    assert [d.date().isoformat() for d in dates] == [
        "2027-01-12",
        "2027-02-09",
        "2027-03-09",
        "2027-04-13",
        "2027-05-11",
        "2027-06-08",
    ]
    assert {d.weekday() for d in dates} == {TUESDAY}
    assert {week_of_month(d) for d in dates} == {2}
    assert {(d.hour, d.minute) for d in dates} == {(10, 0)}


def test_monthly_from_a_fifth_weekday_keeps_the_last_one():
    """A fifth Tuesday does not exist every month: it becomes "the last Tuesday"."""
    dates = as_local(session_dates(first=local(2027, 3, 30, 10, 0), rhythm=Programme.Rhythm.MONTHLY, count=3))
    assert [d.date().isoformat() for d in dates] == ["2027-03-30", "2027-04-27", "2027-05-25"]


def test_twice_yearly_keeps_place_in_month():
    """The reading circle at Relim: twice a year, here on the first Wednesday."""
    dates = as_local(
        session_dates(first=local(2027, 3, 3, 12, 0), rhythm=Programme.Rhythm.TWICE_YEARLY, count=3)
    )
    assert [d.date().isoformat() for d in dates] == ["2027-03-03", "2027-09-01", "2028-03-01"]


@pytest.mark.parametrize(
    ("first", "before", "after"),
    [
        # The clocks go forward on Sunday 28 March 2027 and back on Sunday 31 October 2027.
        (local(2027, 3, 16, 10, 0), timedelta(hours=1), timedelta(hours=2)),
        (local(2027, 10, 19, 10, 0), timedelta(hours=2), timedelta(hours=1)),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_local_ten_oclock_stays_ten_oclock_across_dst(first, before, after):
    dates = session_dates(first=first, rhythm=Programme.Rhythm.WEEKLY, count=3)
    local_dates = as_local(dates)
    assert {(d.hour, d.minute) for d in local_dates} == {(10, 0)}
    assert [d.utcoffset() for d in local_dates] == [before, before, after]
    # So in UTC the meeting moves by an hour, which is exactly right.
    utc_hours = [d.astimezone(ZoneInfo("UTC")).hour for d in dates]
    assert utc_hours[0] == utc_hours[1] != utc_hours[2]


def test_first_start_given_in_utc_is_read_as_local_time():
    first = local(2027, 3, 23, 10, 0).astimezone(ZoneInfo("UTC"))  # 09:00 UTC
    dates = as_local(session_dates(first=first, rhythm=Programme.Rhythm.WEEKLY, count=2))
    assert [(d.day, d.hour) for d in dates] == [(23, 10), (30, 10)]


@pytest.mark.parametrize("rhythm", [Programme.Rhythm.IRREGULAR, Programme.Rhythm.BY_APPOINTMENT])
def test_irregular_rhythm_raises(rhythm):
    with pytest.raises(ValidationError) as info:
        session_dates(first=local(2027, 1, 5, 10, 0), rhythm=rhythm, count=3)
    assert list(info.value.message_dict) == ["rhythm"]


# --- session_series_create: the service ----------------------------------------------------------


@pytest.mark.django_db
class TestSessionSeriesCreate:
    def test_group_meetings_without_a_run(self, programme, branch):
        sessions = session_series_create(
            programme=programme,
            first_start=local(2027, 3, 16, 10, 0),
            duration=timedelta(minutes=90),
            rhythm=Programme.Rhythm.WEEKLY,
            count=3,
            branch=branch,
            capacity=15,
            topic="Netwerken",
        )
        stored = list(Session.objects.filter(programme=programme).order_by("starts_at"))
        assert [s.pk for s in sessions] == [s.pk for s in stored]
        assert len(stored) == 3
        assert CourseRun.objects.count() == 0
        for session in stored:
            assert session.run is None
            assert session.branch == branch
            assert session.capacity == 15
            assert session.topic == "Netwerken"
            assert session.status == Session.Status.SCHEDULED
            assert session.ends_at - session.starts_at == timedelta(minutes=90)
            starts = timezone.localtime(session.starts_at, AMSTERDAM)
            ends = timezone.localtime(session.ends_at, AMSTERDAM)
            assert (starts.hour, starts.minute, ends.hour, ends.minute) == (10, 0, 11, 30)

    def test_course_gets_one_run_with_all_sessions(self, course_programme, branch):
        sessions = session_series_create(
            programme=course_programme,
            first_start=local(2027, 3, 2, 13, 30),
            duration=timedelta(hours=2),
            rhythm=Programme.Rhythm.WEEKLY,
            count=10,
            branch=branch,
            capacity=12,
            run_title="Zoek werk, voorjaar 2027",
        )
        run = CourseRun.objects.get()
        assert run.programme == course_programme
        assert run.title == "Zoek werk, voorjaar 2027"
        assert run.capacity == 12
        assert run.sessions.count() == 10
        assert {s.run_id for s in sessions} == {run.pk}
        assert Session.objects.filter(programme=course_programme, run__isnull=True).count() == 0

    def test_reading_circle_run_gets_a_default_title(self, library, partner_site):
        circle = factories.ProgrammeFactory(
            library=library,
            name="Leeskring Relim",
            format=Programme.Format.READING_CIRCLE,
            rhythm=Programme.Rhythm.WEEKLY,
            number_of_meetings=6,
        )
        session_series_create(
            programme=circle,
            first_start=local(2027, 4, 7, 12, 0),
            duration=timedelta(hours=1),
            rhythm=Programme.Rhythm.WEEKLY,
            count=6,
            partner_site=partner_site,
        )
        run = CourseRun.objects.get(programme=circle)
        assert run.title == "Leeskring Relim 07-04-2027"
        assert run.sessions.filter(partner_site=partner_site).count() == 6

    def test_irregular_rhythm_raises_and_creates_nothing(self, course_programme, branch):
        with pytest.raises(ValidationError) as info:
            session_series_create(
                programme=course_programme,
                first_start=local(2027, 3, 2, 13, 30),
                duration=timedelta(hours=2),
                rhythm=Programme.Rhythm.IRREGULAR,
                count=10,
                branch=branch,
            )
        assert "rhythm" in info.value.message_dict
        assert CourseRun.objects.count() == 0
        assert Session.objects.count() == 0

    def test_zero_meetings_raises(self, programme, branch):
        with pytest.raises(ValidationError) as info:
            session_series_create(
                programme=programme,
                first_start=local(2027, 3, 2, 10, 0),
                duration=timedelta(hours=1),
                rhythm=Programme.Rhythm.WEEKLY,
                count=0,
                branch=branch,
            )
        assert "count" in info.value.message_dict
        assert Session.objects.count() == 0

    def test_a_bad_place_creates_nothing_not_even_the_run(self, course_programme, branch, partner_site):
        with translation.override("en"), pytest.raises(ValidationError) as info:
            session_series_create(
                programme=course_programme,
                first_start=local(2027, 3, 2, 13, 30),
                duration=timedelta(hours=2),
                rhythm=Programme.Rhythm.WEEKLY,
                count=4,
                branch=branch,
                partner_site=partner_site,
            )
        assert "Choose a branch or a partner site, not both." in info.value.messages
        assert CourseRun.objects.count() == 0
        assert Session.objects.count() == 0


# --- The admin page "Plan a run of meetings" -----------------------------------------------------


def series_url(programme):
    return reverse("admin:programmes_programme_generate_sessions", kwargs={"pk": programme.pk})


def series_post(**overrides):
    data = {
        "first_start_0": "2027-03-16",
        "first_start_1": "10:00",
        "duration_minutes": "90",
        "rhythm": Programme.Rhythm.WEEKLY,
        "count": "3",
        "branch": "",
        "partner_site": "",
        "online_url": "",
        "capacity": "15",
        "topic": "Je sterke punten",
        "run_title": "",
    }
    data.update(overrides)
    return data


def input_value(html, name):
    """The value the page puts back in the <input name=...>, or None when there is none."""
    tag = re.search(rf'<input\b[^>]*\bname="{name}"[^>]*>', html)
    assert tag, f"no input named {name}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


@pytest.mark.django_db
class TestGenerateSessionsAdmin:
    def test_form_is_prefilled_from_the_programme(self, staff_client, course_programme):
        response = staff_client.get(series_url(course_programme))
        assert response.status_code == 200
        form = response.context["form"]
        assert form.initial["rhythm"] == Programme.Rhythm.WEEKLY
        assert form.initial["count"] == 10
        assert form.initial["capacity"] == 15
        assert form.initial["branch"] == course_programme.default_branch_id
        assert form.initial["duration_minutes"] == 90

    def test_post_creates_the_sessions_and_redirects(self, staff_client, programme, branch):
        response = staff_client.post(series_url(programme), series_post(branch=str(branch.pk)))
        assert response.status_code == 302
        assert response["Location"] == (
            reverse("admin:programme_sessions_session_changelist") + f"?programme__id__exact={programme.pk}"
        )
        sessions = list(Session.objects.filter(programme=programme).order_by("starts_at"))
        assert [timezone.localtime(s.starts_at, AMSTERDAM) for s in sessions] == [
            local(2027, 3, 16, 10, 0),
            local(2027, 3, 23, 10, 0),
            local(2027, 3, 30, 10, 0),  # after the change to summer time: still 10:00
        ]
        assert {(s.branch_id, s.capacity, s.topic) for s in sessions} == {(branch.pk, 15, "Je sterke punten")}

    def test_post_for_a_course_makes_one_run(self, staff_client, course_programme, branch):
        response = staff_client.post(
            series_url(course_programme),
            series_post(branch=str(branch.pk), count="10", run_title="Zoek werk, voorjaar 2027"),
        )
        assert response.status_code == 302
        run = CourseRun.objects.get(programme=course_programme)
        assert run.title == "Zoek werk, voorjaar 2027"
        assert run.sessions.count() == 10

    def test_without_a_place_the_form_comes_back_with_the_error_and_the_typed_values(
        self, english_staff_client, programme
    ):
        response = english_staff_client.post(
            series_url(programme), series_post(topic="Sollicitatiegesprek oefenen", count="7")
        )
        assert response.status_code == 200
        with translation.override("en"):
            assert response.context["form"].errors == {
                "branch": ["Choose a branch, a partner site or give an online link."]
            }
        html = response.content.decode()
        assert "Choose a branch, a partner site or give an online link." in html
        assert input_value(html, "topic") == "Sollicitatiegesprek oefenen"
        assert input_value(html, "count") == "7"
        assert input_value(html, "duration_minutes") == "90"
        assert input_value(html, "first_start_0") in ("2027-03-16", "16-03-2027")
        assert input_value(html, "first_start_1") in ("10:00", "10:00:00")
        assert input_value(html, "capacity") == "15"
        assert Session.objects.count() == 0

    def test_branch_of_another_library_is_refused(self, staff_client, programme):
        elsewhere = factories.BranchFactory()
        response = staff_client.post(series_url(programme), series_post(branch=str(elsewhere.pk)))
        assert response.status_code == 200
        assert "branch" in response.context["form"].errors
        assert Session.objects.count() == 0

    def test_irregular_rhythm_is_shown_as_an_error(self, english_staff_client, programme, branch):
        response = english_staff_client.post(
            series_url(programme), series_post(branch=str(branch.pk), rhythm=Programme.Rhythm.IRREGULAR)
        )
        assert response.status_code == 200
        with translation.override("en"):
            assert response.context["form"].errors["rhythm"] == [
                "Choose a regular rhythm, such as every week or every month."
            ]
        assert "Choose a regular rhythm, such as every week or every month." in response.content.decode()
        assert Session.objects.count() == 0

    def test_changelist_action_leads_to_the_page(self, staff_client, programme):
        response = staff_client.post(
            reverse("admin:programmes_programme_changelist"),
            {"action": "generate_sessions", "_selected_action": [str(programme.pk)]},
        )
        assert response.status_code == 302
        assert response["Location"] == series_url(programme)

    def test_page_needs_staff_login(self, client, programme):
        response = client.get(series_url(programme))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
