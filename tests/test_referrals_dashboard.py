"""The referrer's dashboard: status, programme, next meeting, filters, CSV, reach against the target."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Referral
from partners.selectors import agreement_reach
from partners.services import referral_enrol, referral_status_change
from tests import factories
from tests.referral_support import course_run_for, refer

pytest_plugins = ["tests.referral_fixtures"]
pytestmark = pytest.mark.django_db

DASHBOARD = reverse("referrers:dashboard")


@pytest.fixture
def staff_user(db):
    return factories.SuperUserFactory(username="medewerker")


def shown(client, **params):
    return [row.referral.pk for row in client.get(DASHBOARD, params).context["rows"]]


def test_the_dashboard_shows_status_programme_and_the_next_meeting(client_a, a, staff_user):
    intake = timezone.now() + timedelta(days=2)
    referral_status_change(
        referral=a.referral,
        status="intake_planned",
        user=staff_user,
        intake_at=intake,
        intake_place="Werkplein",
    )
    response = client_a.get(DASHBOARD)
    (row,) = response.context["rows"]
    assert row.status == "intake_planned" and row.next_session is None
    html = response.content.decode()
    assert "Fatma Yilmaz" in html and "Zoek werk" in html

    run, sessions = course_run_for(a.programme)
    referral_enrol(referral=a.referral, user=staff_user, run=run)
    (row,) = client_a.get(DASHBOARD).context["rows"]
    assert row.status == "enrolled"
    assert row.next_session == sessions[0]
    detail = client_a.get(reverse("referrers:detail", args=[a.referral.pk])).content.decode()
    assert a.programme.default_branch.name in detail


def test_a_cancelled_or_past_meeting_is_not_the_next_one(client_a, a, staff_user):
    run, sessions = course_run_for(a.programme)
    referral_enrol(referral=a.referral, user=staff_user, run=run)
    sessions[0].status = "cancelled"
    sessions[0].cancellation_reason = "De docent is ziek."
    sessions[0].save()
    (row,) = client_a.get(DASHBOARD).context["rows"]
    assert row.next_session == sessions[1]


def test_filter_on_status_programme_and_period(client_a, a, staff_user):
    second_programme = factories.ProgrammeFactory(
        library=a.programme.library, course=True, name="Klik en Tik"
    )
    second_programme.referring_partners.add(a.partner)
    older = refer(a, programme=second_programme, name="Jan Koster", phone="+31612300088")
    Referral.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=40))
    referral_status_change(referral=older, status="no_show", user=staff_user)

    assert set(shown(client_a)) == {a.referral.pk, older.pk}
    assert shown(client_a, status="received") == [a.referral.pk]
    assert shown(client_a, status="no_show") == [older.pk]
    assert shown(client_a, programme=second_programme.pk) == [older.pk]
    last_week = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert shown(client_a, date_from=last_week) == [a.referral.pk]
    assert shown(client_a, date_to=last_week) == [older.pk]

    response = client_a.get(reverse("referrers:export"), {"programme": second_programme.pk})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [line[0] for line in lines[1:]] == [str(older.pk)]


def test_a_wrong_date_in_the_filter_is_explained_not_an_error(client_a, a):
    response = client_a.get(DASHBOARD, {"date_from": "gisteren"})
    assert response.status_code == 200
    assert "date_from" in response.context["form"].errors


def test_the_csv_download_keeps_the_filters_and_escapes_formulas(client_a, a):
    refer(a, name="=HYPERLINK(1)", phone="+31612300099")
    html = client_a.get(DASHBOARD, {"status": "received"}).content.decode()
    assert f"{reverse('referrers:export')}?status=received" in html
    response = client_a.get(reverse("referrers:export"))
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    assert "\n=HYPERLINK" not in text and ";=HYPERLINK" not in text


def test_reach_against_the_target_per_year_of_the_agreement(a, staff_user):
    """Drechterland: about 30 participants a year, for three years."""
    today = timezone.localdate()
    start = date(today.year - 1, today.month, 1)
    agreement = factories.AgreementFactory(
        library=a.programme.library,
        partner=a.partner,
        programme=a.programme,
        starts_on=start,
        ends_on=date(start.year + 3, start.month, 1) - timedelta(days=1),
        target_participants_per_year=30,
    )
    last_year = refer(a, name="Jan Koster", phone="+31612300101")
    Referral.objects.filter(pk=last_year.pk).update(created_at=timezone.now() - timedelta(days=300))
    referral_status_change(referral=last_year, status="enrolled", user=staff_user)
    refer(a, name="Priya Ramdin", phone="+31612300102")  # this year, not enrolled yet
    factories.AgreementFactory(
        library=a.programme.library, partner=a.partner, target_participants_per_year=None
    )

    (item,) = agreement_reach(a.partner, today=today)
    assert item["agreement"] == agreement
    first, second = item["years"]
    assert (first.referred, first.enrolled, first.target) == (1, 1, 30)
    assert (second.referred, second.enrolled) == (2, 0)
    assert first.starts_on == start and second.starts_on == date(start.year + 1, start.month, 1)
    assert first.percent == 3


def test_reach_is_on_the_dashboard_of_that_organisation_only(client, a, b):
    factories.AgreementFactory(
        library=a.programme.library,
        partner=a.partner,
        programme=a.programme,
        title="Zoek werk voor Drechterland",
    )
    client.force_login(a.consultant.user)
    assert "Zoek werk voor Drechterland" in client.get(DASHBOARD).content.decode()
    client.force_login(b.consultant.user)
    assert "Zoek werk voor Drechterland" not in client.get(DASHBOARD).content.decode()


def test_the_list_is_paged(client_a, a, monkeypatch):
    from partners import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(3):
        refer(a, name=f"Deelnemer {n}", phone=f"+3161230020{n}")
    first = client_a.get(DASHBOARD)
    assert len(first.context["rows"]) == 2 and first.context["page"].paginator.num_pages == 2
    assert len(client_a.get(DASHBOARD, {"page": 2}).context["rows"]) == 2


def test_referrer_pages_contain_nothing_the_csp_blocks(client_a, a):
    from tests.test_settings import INLINE_CODE

    for url in (DASHBOARD, reverse("referrers:new"), reverse("referrers:detail", args=[a.referral.pk])):
        html = client_a.get(url).content.decode()
        for pattern in INLINE_CODE:
            assert not pattern.search(html), (url, pattern.search(html).group(0))


# Less work per page, the same page ------------------------------------------------------------------


def test_the_overview_reads_less_and_shows_the_same(a, staff_user):
    from partners.selectors import overview_columns, partner_referrals, referral_views, with_registrations

    run, sessions = course_run_for(a.programme)
    referral_enrol(referral=a.referral, user=staff_user, run=run)
    second = refer(a, name="Jan Koster", phone="+31612300088")
    referral_status_change(
        referral=second, status="intake_planned", user=staff_user, intake_at=timezone.now()
    )
    referrals = partner_referrals(a.partner)
    full = referral_views(with_registrations(referrals))
    light = referral_views(with_registrations(overview_columns(referrals), places=False))
    as_shown = lambda row: (  # noqa: E731
        row.referral.pk,
        row.name,
        row.referral.programme.name,
        row.referral.created_at,
        row.referral.intake_at,
        row.status,
        row.status_label,
        row.next_session,
        row.attendance,
        row.completed,
    )
    assert [as_shown(row) for row in light] == [as_shown(row) for row in full]
    assert light[-1].next_session == sessions[0]


@pytest.mark.parametrize("data", [None, {}, {"status": "received", "date_from": "gisteren"}])
def test_the_filter_form_is_rendered_as_crispy_renders_it(a, data, rf):
    from django.template import Context, Template

    from partners.forms import ReferralFilterForm

    form = ReferralFilterForm(data, partner=a.partner)
    if data is not None:
        form.is_valid()
    crispy = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))
    assert form.rendered() == crispy
    assert form.rendered() == crispy  # kept
    assert a.programme.name in crispy
