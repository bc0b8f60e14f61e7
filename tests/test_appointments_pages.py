"""Public pages (list, booking, personal link), the coach's day and feed, staff booking and scoping."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from appointments import personal_data
from appointments.models import Appointment, AvailabilityBlock
from appointments.services import appointment_book, block_slots_generate
from appointments.tokens import appointment_token, coach_feed_token
from messaging.models import OutboxMessage
from programmes.models import LibraryMembership
from tests import factories
from tests.factories_appointments import AppointmentFactory, AvailabilityBlockFactory, CoachProfileFactory

pytestmark = pytest.mark.django_db

LIST = reverse("appointments:slots")
BOOK = reverse("appointments:book")


@pytest.fixture
def en(client, settings):
    """English on the language switch: new texts are checked against their msgids, whatever the
    Dutch translation (compiled from locale/pending/appointments.json) says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def block():
    block = AvailabilityBlockFactory()
    block_slots_generate(block=block)
    return block


def slots(block):
    return list(block.slots.order_by("starts_at"))


def booking_data(slot, **extra):
    return {
        "tijd": slot.pk,
        "name": "Samira",
        "phone": "06 12345678",
        "preferred_channel": "sms",
        "topic": "Mijn cv",
        "consent": "on",
        **extra,
    }


def personal_url(appointment, name="appointment"):
    return reverse(f"appointments:{name}", args=[appointment_token(appointment)])


# The list of free times -------------------------------------------------------------------------------


def test_the_list_shows_only_free_future_published_times(en, block):
    client = en
    first, second, third = slots(block)
    AppointmentFactory(slot=second)
    hidden = AvailabilityBlockFactory(is_published=False, coach=block.coach, branch=block.branch)
    block_slots_generate(block=hidden)
    past = AvailabilityBlockFactory(date=timezone.localdate() - timedelta(days=2), coach=block.coach)
    block_slots_generate(block=past)

    response = client.get(LIST)

    assert response.status_code == 200
    html = response.content.decode()
    offered = {int(v) for v in __import__("re").findall(r'name="tijd" value="(\d+)"', html)}
    assert offered == {first.pk, third.pk}
    assert "Talk to a career coach" in html
    assert block.branch.name in html


def test_the_list_filters_by_branch_and_date(client, block):
    other = AvailabilityBlockFactory(date=block.date + timedelta(days=1))
    block_slots_generate(block=other)
    response = client.get(LIST, {"branch": other.branch.pk})
    assert [g["place"] for g in response.context["groups"]] == [other.branch]
    response = client.get(LIST, {"day": block.date.isoformat()})
    assert [g["place"] for g in response.context["groups"]] == [block.branch]
    response = client.get(LIST, {"day": "gisteren"})
    assert response.status_code == 200


def _world(n):
    for _ in range(n):
        block = AvailabilityBlockFactory()
        block_slots_generate(block=block)
        AppointmentFactory(slot=block.slots.first())


def test_the_list_runs_the_same_few_queries_for_few_or_many_blocks(client, monkeypatch):
    from sessions.public_forms import AgendaFilterForm

    # The branch list in full whatever the number of libraries (as in tests/test_query_budgets.py).
    monkeypatch.setattr(AgendaFilterForm, "ALL_CHOICES_UP_TO", 10_000)
    _world(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST).status_code == 200
    _world(20)
    with CaptureQueriesContext(connection) as large:
        response = client.get(LIST)
    assert len(response.context["groups"]) == 22
    assert len(small) == len(large) <= 6


def test_with_many_libraries_the_branch_list_waits_for_a_library(client):
    _world(10)  # ten libraries, each a coach with a block at one of its branches
    form = client.get(LIST).context["form"]
    assert list(form.fields["branch"].queryset) == []
    block = AvailabilityBlock.objects.select_related("branch__library").first()
    library = block.branch.library
    form = client.get(LIST, {"library": library.slug}).context["form"]
    assert list(form.fields["branch"].queryset) == [block.branch]


# Booking -----------------------------------------------------------------------------------------------


def test_booking_with_a_phone_number_leads_to_the_personal_page(en, block):
    client = en
    slot = slots(block)[0]
    response = client.post(BOOK, booking_data(slot))

    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == personal_url(appointment) + "?nieuw=1"
    assert str(appointment.participant.phone) == "+31612345678" and appointment.topic == "Mijn cv"
    page = client.get(response["Location"])
    assert "Your appointment is booked!" in page.content.decode()
    assert OutboxMessage.objects.filter(appointment=appointment, kind="appointment_confirmed").exists()


def test_form_errors_are_dutch_next_to_the_field_and_input_is_kept(client, block):
    response = client.post(BOOK, booking_data(slots(block)[0], name="", phone="123", consent=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_name_error"' in html and "Vul je naam in." in html
    assert 'id="id_phone_error"' in html and "Typ het zo: 06 12345678." in html
    assert 'value="123"' in html and "Mijn cv" in html
    assert not Appointment.objects.exists()


def test_a_taken_time_says_so_and_keeps_what_was_typed(en, block):
    client = en
    slot = slots(block)[0]
    AppointmentFactory(slot=slot)
    response = client.get(BOOK, {"tijd": slot.pk})
    assert "Someone else just took this time" in response.content.decode()
    response = client.post(BOOK, booking_data(slot))
    assert response.status_code == 200
    assert "Someone else just took this time" in response.content.decode()
    assert Appointment.objects.count() == 1


def test_the_limit_per_person_is_explained(en, block):
    client = en
    first, second, _third = slots(block)
    client.post(BOOK, booking_data(first))
    response = client.post(BOOK, booking_data(second))
    assert response.status_code == 409
    assert "You already have an appointment with this coach" in response.content.decode()
    assert 'value="Samira"' in response.content.decode()


def test_no_time_chosen_goes_back_to_the_list(client):
    response = client.get(BOOK)
    assert response.status_code == 302 and response["Location"] == LIST
    assert client.get(BOOK, {"tijd": "999999"}).status_code == 302


def test_the_honeypot_books_nothing(client, block):
    response = client.post(BOOK, booking_data(slots(block)[0], website="http://spam.example"))
    assert response.status_code == 200
    assert not Appointment.objects.exists()


# The personal link ------------------------------------------------------------------------------------------


def test_a_made_up_or_changed_token_is_not_found(client, block):
    appointment = AppointmentFactory(slot=slots(block)[0])
    token = appointment_token(appointment)
    for bad in ["made-up", token[:-2] + "xx", appointment.public_id.hex]:
        assert client.get(reverse("appointments:appointment", args=[bad])).status_code == 404
        assert client.post(reverse("appointments:cancel", args=[bad])).status_code == 404
        assert client.get(reverse("appointments:ics", args=[bad])).status_code == 404


def test_cancel_with_the_personal_link(client, block):
    appointment = appointment_book(slot=slots(block)[0], name="Ahmed", phone="+31612345679").appointment
    assert "Kun je niet komen?" in client.get(personal_url(appointment, "cancel")).content.decode()
    response = client.post(personal_url(appointment, "cancel"))
    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert OutboxMessage.objects.filter(appointment=appointment, kind="appointment_cancelled").exists()
    # No second cancel, and no more move.
    assert client.get(personal_url(appointment, "move")).status_code == 302


def test_move_with_the_personal_link(client, block):
    first, second, third = slots(block)
    appointment = appointment_book(slot=first, name="Ahmed", phone="+31612345679").appointment
    AppointmentFactory(slot=second)
    page = client.get(personal_url(appointment, "move"))
    assert [choice.pk for choice in page.context["form"].fields["slot"].queryset] == [third.pk]

    assert client.post(personal_url(appointment, "move"), {"slot": second.pk}).status_code == 400
    assert client.post(personal_url(appointment, "move"), {}).status_code == 400
    response = client.post(personal_url(appointment, "move"), {"slot": third.pk})

    assert response.status_code == 302 and response["Location"] == personal_url(appointment)
    appointment.refresh_from_db()
    assert appointment.slot == third
    assert OutboxMessage.objects.filter(appointment=appointment, kind="appointment_moved").exists()


def test_the_calendar_file_of_an_appointment(client, block):
    appointment = AppointmentFactory(slot=slots(block)[0])
    response = client.get(personal_url(appointment, "ics"))
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == appointment.slot.starts_at
    assert block.branch.address in str(event["location"])


# The coach ----------------------------------------------------------------------------------------------------


@pytest.fixture
def coach_client(client, block):
    user = get_user_model().objects.create_user("coach", "coach@example.org", "een-lang-wachtwoord")
    worker = block.coach.worker
    worker.user = user
    worker.save()
    client.force_login(user)
    return client


def test_the_coach_sees_only_their_own_day(coach_client, block):
    mine = AppointmentFactory(slot=slots(block)[0], participant__name="Gerda", topic="Sollicitatiegesprek")
    other_block = AvailabilityBlockFactory(date=block.date)
    block_slots_generate(block=other_block)
    AppointmentFactory(slot=other_block.slots.first(), participant__name="Wim")

    response = coach_client.get(reverse("appointments:coach_day"), {"datum": block.date.isoformat()})

    assert list(response.context["appointments"]) == [mine]
    html = response.content.decode()
    assert "Gerda" in html and "Sollicitatiegesprek" in html and "Wim" not in html
    assert response.context["free_count"] == 2


def test_the_coach_marks_came_and_not_someone_elses(coach_client, block):
    mine = AppointmentFactory(slot=slots(block)[0])
    theirs = AppointmentFactory()
    response = coach_client.post(reverse("appointments:coach_mark", args=[mine.pk]), {"status": "attended"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Appointment.Status.ATTENDED
    assert (
        coach_client.post(
            reverse("appointments:coach_mark", args=[theirs.pk]), {"status": "attended"}
        ).status_code
        == 404
    )


def test_the_day_page_needs_a_login_and_a_linked_coach(client, block):
    assert client.get(reverse("appointments:coach_day")).status_code == 302
    user = get_user_model().objects.create_user("someone", "someone@example.org", "een-lang-wachtwoord")
    client.force_login(user)
    assert client.get(reverse("appointments:coach_day")).status_code == 403


def test_the_coach_feed_holds_their_appointments_and_can_be_revoked(coach_client, block, settings):
    coach_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    appointment = AppointmentFactory(slot=slots(block)[0], participant__name="Gerda")
    AppointmentFactory(participant__name="Wim")
    url = reverse("appointments:coach_feed", args=[coach_feed_token(block.coach)])

    response = coach_client.get(url)

    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Appointment: Gerda"]
    assert events[0].decoded("dtstart") == appointment.slot.starts_at
    assert coach_client.post(reverse("appointments:coach_feed_new")).status_code == 302
    assert coach_client.get(url).status_code == 404
    block.coach.refresh_from_db()
    assert (
        coach_client.get(reverse("appointments:coach_feed", args=[coach_feed_token(block.coach)])).status_code
        == 200
    )
    assert coach_client.get(reverse("appointments:coach_feed", args=["1.1:forged"])).status_code == 404


# Staff -------------------------------------------------------------------------------------------------------


def test_staff_book_a_time_for_someone_at_the_desk(english_staff_client, superuser, block):
    staff_client = english_staff_client
    slot = slots(block)[0]
    url = reverse("admin:appointments_slot_book", args=[slot.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {"name": "Piet", "source": "phone", "help_wanted": "Cv"})
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert (appointment.source, appointment.topic, appointment.booked_by) == ("phone", "Cv", superuser)
    # The time is taken now.
    response = staff_client.post(url, {"name": "Klaas", "source": "desk"})
    assert "Someone else just took this time" in response.content.decode()


def test_staff_of_another_library_see_nothing_of_these_appointments(client, block):
    mine = AppointmentFactory(slot=slots(block)[0])
    other = AppointmentFactory()
    user = factories.SuperUserFactory(username="coordinator-a", is_superuser=False)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="appointments"))
    LibraryMembership.objects.create(user=user, library=block.coach.worker.library)
    client.force_login(user)

    for model, own, foreign in [
        ("appointment", mine, other),
        ("slot", mine.slot, other.slot),
        ("availabilityblock", mine.slot.block, other.slot.block),
        ("coachprofile", mine.slot.block.coach, other.slot.block.coach),
    ]:
        response = client.get(reverse(f"admin:appointments_{model}_changelist"))
        shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
        assert own.pk in shown and foreign.pk not in shown, model
        assert client.get(reverse(f"admin:appointments_{model}_change", args=[foreign.pk])).status_code in (
            302,
            404,
        )
    assert client.get(reverse("admin:appointments_slot_book", args=[other.slot.pk])).status_code == 404


def test_saving_a_block_in_the_admin_makes_its_times(staff_client):
    coach = CoachProfileFactory()
    branch = factories.BranchFactory(library=coach.worker.library)
    day = timezone.localdate() + timedelta(days=3)
    response = staff_client.post(
        reverse("admin:appointments_availabilityblock_add"),
        {
            "coach": coach.pk,
            "date": day.isoformat(),
            "start_time": "10:00",
            "end_time": "12:00",
            "branch": branch.pk,
            "slot_minutes": 45,
            "pause_minutes": 15,
            "is_published": "on",
            "slots-TOTAL_FORMS": 0,
            "slots-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert coach.blocks.get().slots.count() == 2


# Privacy ---------------------------------------------------------------------------------------------------------


def test_personal_data_export_and_erase():
    appointment = AppointmentFactory(topic="Mijn cv na een burn-out")
    exported = personal_data.export(appointment.participant)
    (rows,) = exported.values()
    assert "Mijn cv na een burn-out" in rows[0].values()
    personal_data.erase(appointment.participant)
    appointment.refresh_from_db()
    assert appointment.topic == "" and Appointment.objects.filter(pk=appointment.pk).exists()
