"""Walk-in hours count visits without personal data: the model, its checks, the tally page, the totals."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from sessions.checkin_selectors import walk_in_totals
from sessions.models import WalkInVisit
from sessions.services import AttendanceNotPossible, walk_in_visit_record
from tests import factories

pytestmark = pytest.mark.django_db

TOPICS = ["cv", "vacancy", "letter", "digital", "language", "other"]


WalkInVisitFactory = factories.WalkInVisitFactory


@pytest.fixture
def walk_in_programme(library, branch):
    return factories.ProgrammeFactory(
        library=library, name="Openleercentrum", slug="openleercentrum", walk_in=True, default_branch=branch
    )


@pytest.fixture
def walk_in_hour(walk_in_programme, branch):
    start = timezone.now() - timedelta(minutes=10)
    return factories.SessionFactory(
        programme=walk_in_programme,
        branch=branch,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=None,
    )


def tally_url(session):
    return reverse("admin:programme_sessions_session_tally", args=[session.pk])


# --- No personal data ------------------------------------------------------------------------------

PERSONAL = {
    "name",
    "first_name",
    "last_name",
    "phone",
    "email",
    "note",
    "notes",
    "comment",
    "description",
    "remarks",
}


def test_a_walk_in_visit_has_no_field_for_personal_data():
    fields = WalkInVisit._meta.get_fields()
    names = {f.name for f in fields}
    assert not any(part in PERSONAL for name in names for part in [name, *name.split("_")])
    assert names == {
        "id",
        "date",
        "branch",
        "session",
        "programme",
        "number_of_people",
        "topics",
        "volunteer",
        "created_by",
        "created_at",
    }
    # No free text: no text or character field at all; the only JSON field holds the fixed codes.
    free_text = [f.name for f in fields if isinstance(f, models.TextField | models.CharField)]
    assert free_text == []
    assert [f.name for f in fields if isinstance(f, models.JSONField)] == ["topics"]
    assert sorted(WalkInVisit.Topic.values) == sorted(TOPICS)


@pytest.mark.parametrize(
    "topics",
    [["cv", "Jan de Vries, 06 12345678"], ["CV"], "cv", {"cv": True}, ["cv", "cv"], [], [1]],
    ids=["free text", "wrong case", "not a list", "an object", "twice", "none", "a number"],
)
def test_only_known_topics_are_accepted(walk_in_programme, branch, topics):
    visit = WalkInVisit(branch=branch, programme=walk_in_programme, number_of_people=1, topics=topics)
    with pytest.raises(ValidationError) as error:
        visit.full_clean()
    assert "topics" in error.value.message_dict


def test_all_known_topics_together_are_fine(walk_in_programme, branch):
    WalkInVisit(branch=branch, programme=walk_in_programme, number_of_people=2, topics=TOPICS).full_clean()


@pytest.mark.parametrize("topics", [["cv", "Jan de Vries"], "cv", {"cv": 1}])
def test_the_database_refuses_unknown_topics_too(topics):
    visit = WalkInVisitFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        WalkInVisit.objects.filter(pk=visit.pk).update(topics=topics)


def test_the_database_refuses_zero_people():
    visit = WalkInVisitFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        WalkInVisit.objects.filter(pk=visit.pk).update(number_of_people=0)


def test_the_programme_must_be_a_walk_in_programme(programme, branch, walk_in_programme):
    visit = WalkInVisit(branch=branch, programme=programme, number_of_people=1, topics=["cv"])
    with pytest.raises(ValidationError) as error:
        visit.full_clean()
    assert "programme" in error.value.message_dict

    elsewhere = factories.BranchFactory()
    volunteer = factories.WorkerFactory()
    visit = WalkInVisit(
        branch=elsewhere, programme=walk_in_programme, number_of_people=1, topics=["cv"], volunteer=volunteer
    )
    with pytest.raises(ValidationError) as error:
        visit.full_clean()
    assert {"branch", "volunteer"} <= set(error.value.message_dict)


# --- Recording and the tally page ----------------------------------------------------------------


def test_record_a_visit_at_a_walk_in_hour(walk_in_hour, superuser):
    volunteer = factories.WorkerFactory(library=walk_in_hour.programme.library)
    visit = walk_in_visit_record(
        session=walk_in_hour, number_of_people=2, topics=["cv", "letter"], volunteer=volunteer, user=superuser
    )
    assert (visit.branch, visit.programme, visit.session) == (
        walk_in_hour.branch,
        walk_in_hour.programme,
        walk_in_hour,
    )
    assert visit.date == timezone.localdate(walk_in_hour.starts_at)
    assert (visit.number_of_people, visit.topics, visit.volunteer, visit.created_by) == (
        2,
        ["cv", "letter"],
        volunteer,
        superuser,
    )
    with pytest.raises(AttendanceNotPossible):
        walk_in_visit_record(session=walk_in_hour, number_of_people=1, topics=["Piet"], user=superuser)
    assert WalkInVisit.objects.count() == 1


def test_the_tally_page_counts_with_one_tap_or_a_small_form(english_staff_client, walk_in_hour, superuser):
    volunteer = factories.WorkerFactory(library=walk_in_hour.programme.library, name="Vera Vrijwilliger")
    url = tally_url(walk_in_hour)
    page = english_staff_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="checkbox"' in html and "Vera Vrijwilliger" in html
    # Nowhere to type a name or a note.
    assert 'type="text"' not in html and "<textarea" not in html

    response = english_staff_client.post(
        url,
        {"action": "add", "number_of_people": 3, "topics": ["vacancy", "digital"], "volunteer": volunteer.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url}#counted"
    # The quick button counts one person and keeps the volunteer on duty.
    english_staff_client.post(url, {"action": "quick", "topic": "cv"})
    first, quick = WalkInVisit.objects.order_by("pk")
    assert (first.number_of_people, first.topics, first.volunteer) == (3, ["vacancy", "digital"], volunteer)
    assert (quick.number_of_people, quick.topics, quick.volunteer) == (1, ["cv"], volunteer)
    assert quick.created_by == superuser

    refused = english_staff_client.post(url, {"action": "add", "number_of_people": 0})
    assert refused.status_code == 200
    assert "Tick at least one topic." in refused.content.decode()
    assert english_staff_client.post(url, {"action": "quick", "topic": "Jan"}).status_code == 400
    assert WalkInVisit.objects.count() == 2

    page = english_staff_client.get(url)
    assert page.context["today"]["people"] == 4
    assert 'id="people-count">4<' in page.content.decode()

    english_staff_client.post(url, {"action": "remove", "visit": quick.pk})
    assert list(WalkInVisit.objects.all()) == [first]


def test_a_volunteer_counts_and_takes_back_only_their_own_count(client, walk_in_hour, django_user_model):
    from portal.staff_groups import staff_groups_ensure
    from programmes.models import LibraryMembership

    groups = staff_groups_ensure()
    someone_else = WalkInVisitFactory(
        branch=walk_in_hour.branch, programme=walk_in_hour.programme, session=walk_in_hour
    )
    volunteer = django_user_model.objects.create_user("vera", "vera@bibliotheek.example", "x", is_staff=True)
    factories.activate_totp(volunteer)  # staff need an authenticator app (PORTAL_REQUIRE_MFA)
    volunteer.groups.add(groups["host"])
    LibraryMembership.objects.create(user=volunteer, library=walk_in_hour.programme.library)
    client.force_login(volunteer)
    url = tally_url(walk_in_hour)

    assert client.get(url).status_code == 200
    client.post(url, {"action": "quick", "topic": "digital"})
    mine = WalkInVisit.objects.exclude(pk=someone_else.pk).get()
    assert mine.created_by == volunteer
    page = client.get(url)
    removable = {visit.pk for visit in page.context["today"]["entries"] if visit.may_remove}
    assert removable == {mine.pk}

    assert client.post(url, {"action": "remove", "visit": someone_else.pk}).status_code == 403
    assert client.post(url, {"action": "remove", "visit": mine.pk}).status_code == 302
    assert list(WalkInVisit.objects.all()) == [someone_else]


def test_a_visit_of_another_walk_in_hour_cannot_be_removed_here(staff_client, walk_in_hour):
    other = WalkInVisitFactory()
    response = staff_client.post(tally_url(walk_in_hour), {"action": "remove", "visit": other.pk})
    assert response.status_code == 404
    assert WalkInVisit.objects.filter(pk=other.pk).exists()


def test_the_tally_needs_the_permission_to_add_visits(client, walk_in_hour, monkeypatch, django_user_model):
    from django.contrib import admin
    from django.contrib.auth.models import Permission

    from sessions.models import Session

    monkeypatch.setattr(admin.site._registry[Session], "get_queryset", lambda request: Session.objects.all())
    user = django_user_model.objects.create_user("vrijwilliger", "v@bibliotheek.example", "x", is_staff=True)
    factories.activate_totp(user)  # staff need an authenticator app (PORTAL_REQUIRE_MFA)
    user.user_permissions.add(
        Permission.objects.get(codename="view_session", content_type__app_label="programme_sessions")
    )
    client.force_login(user)
    assert client.get(tally_url(walk_in_hour)).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="add_walkinvisit"))
    user = django_user_model.objects.get(pk=user.pk)
    client.force_login(user)
    assert client.get(tally_url(walk_in_hour)).status_code == 200


# --- The admin for walk-in visits -----------------------------------------------------------------


def test_walk_in_visit_admin_pages(english_staff_client, walk_in_programme, branch, superuser):
    visit = WalkInVisitFactory(branch=branch, programme=walk_in_programme, topics=["cv", "language"])
    changelist = english_staff_client.get(reverse("admin:programme_sessions_walkinvisit_changelist"))
    assert changelist.status_code == 200
    assert "CV, Language" in changelist.content.decode()
    for query in ({"date__year": visit.date.year}, {"branch__id__exact": branch.pk}, {"q": "x"}):
        assert (
            english_staff_client.get(
                reverse("admin:programme_sessions_walkinvisit_changelist"), query
            ).status_code
            == 200
        )

    add = english_staff_client.get(reverse("admin:programme_sessions_walkinvisit_add"))
    assert add.status_code == 200
    html = add.content.decode()
    assert html.count('type="checkbox" name="topics"') == len(TOPICS)

    response = english_staff_client.post(
        reverse("admin:programme_sessions_walkinvisit_add"),
        {
            "date": timezone.localdate().strftime("%Y-%m-%d"),
            "branch": branch.pk,
            "programme": walk_in_programme.pk,
            "number_of_people": 2,
            "topics": ["letter"],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = WalkInVisit.objects.latest("pk")
    assert (added.topics, added.created_by) == (["letter"], superuser)
    change = english_staff_client.get(reverse("admin:programme_sessions_walkinvisit_change", args=[added.pk]))
    assert change.status_code == 200


# --- Totals for reports ----------------------------------------------------------------------------


def test_walk_in_totals_equal_the_counts_from_raw_rows(library, branch, walk_in_programme):
    other_branch = factories.BranchFactory()
    rows = [
        (branch, date(2027, 1, 4), 1, ["cv"]),
        (branch, date(2027, 1, 4), 3, ["cv", "vacancy"]),
        (branch, date(2027, 1, 11), 2, ["digital"]),
        (branch, date(2027, 2, 1), 1, ["language", "other", "letter"]),
        (other_branch, date(2027, 1, 4), 5, ["cv"]),
    ]
    for place, day, people, topics in rows:
        programme = (
            walk_in_programme
            if place == branch
            else factories.ProgrammeFactory(library=place.library, walk_in=True)
        )
        WalkInVisitFactory(
            branch=place, programme=programme, date=day, number_of_people=people, topics=topics
        )

    def raw(queryset):
        expected = {
            "visits": queryset.count(),
            "people": queryset.aggregate(n=Sum("number_of_people"))["n"] or 0,
        }
        for code in TOPICS:
            with_topic = queryset.filter(topics__contains=[code])
            expected[code] = (with_topic.count(), with_topic.aggregate(n=Sum("number_of_people"))["n"] or 0)
        return expected

    def flat(totals):
        return {
            "visits": totals["visits"],
            "people": totals["people"],
            **{code: (t["visits"], t["people"]) for code, t in totals["topics"].items()},
        }

    everything = WalkInVisit.objects.all()
    assert flat(walk_in_totals()) == raw(everything)
    ours = everything.filter(branch__library=library)
    assert flat(walk_in_totals(library=library)) == raw(ours)
    january = ours.filter(date__gte=date(2027, 1, 1), date__lte=date(2027, 1, 31))
    assert flat(walk_in_totals(library=library.pk, start=date(2027, 1, 1), end=date(2027, 1, 31))) == raw(
        january
    )
    assert flat(walk_in_totals(library=library, start=date(2027, 1, 1), end=date(2027, 1, 31))) == {
        "visits": 3,
        "people": 6,
        "cv": (2, 4),
        "vacancy": (1, 3),
        "letter": (0, 0),
        "digital": (1, 2),
        "language": (0, 0),
        "other": (0, 0),
    }
    assert walk_in_totals(start=date(2030, 1, 1))["visits"] == 0
    assert walk_in_totals()["topics"]["cv"]["label"] == "CV"
