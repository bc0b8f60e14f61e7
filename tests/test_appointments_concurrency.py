"""One person per time under real parallel requests against PostgreSQL."""

import pytest
from django.test import Client
from django.urls import reverse

from appointments.models import Appointment
from appointments.services import appointment_book, appointment_move, block_slots_generate
from tests.factories_appointments import AvailabilityBlockFactory
from tests.test_registration_concurrency import _in_parallel

pytestmark = pytest.mark.django_db(transaction=True)


def _book_job(slot, n, statuses):
    def job():
        response = Client().post(
            reverse("appointments:book"),
            {
                "tijd": slot.pk,
                "name": f"Persoon {n}",
                "phone": f"06 3{n:07d}",
                "preferred_channel": "sms",
                "consent": "on",
            },
        )
        statuses.append(response.status_code)

    return job


def test_thirty_people_at_once_for_one_time_give_exactly_one_appointment():
    block = AvailabilityBlockFactory()
    block_slots_generate(block=block)
    slot = block.slots.order_by("starts_at").first()
    statuses = []

    _in_parallel([_book_job(slot, n, statuses) for n in range(32)])

    assert Appointment.objects.filter(slot=slot).count() == 1
    # The others are told the time is taken: on the form (409), or, when the booking was already
    # committed as their request came in, on the page itself (200). Never a 500.
    assert statuses.count(302) == 1 and set(statuses) <= {200, 302, 409} and len(statuses) == 32


def test_one_person_booking_every_time_at_once_stays_within_the_limit():
    block = AvailabilityBlockFactory()
    block_slots_generate(block=block)
    slots = list(block.slots.order_by("starts_at"))
    statuses = []

    _in_parallel([_book_job(slot, 7, statuses) for slot in slots for _ in range(4)])

    assert Appointment.objects.count() == block.coach.max_future_appointments == 1
    # The requests for the time that was booked all land on the personal page (the same appointment).
    assert 1 <= statuses.count(302) <= 4 and set(statuses) <= {200, 302, 409}


def test_moving_into_a_time_someone_books_at_the_same_moment_gives_it_once():
    block = AvailabilityBlockFactory()
    block_slots_generate(block=block)
    first, second, _third = block.slots.order_by("starts_at")
    mover = appointment_book(slot=first, name="Ahmed", phone="+31612345679").appointment
    outcomes = []

    def move():
        try:
            appointment_move(appointment=mover, slot=second)
            outcomes.append("moved")
        except Exception as error:  # noqa: BLE001 - one of the two is refused
            outcomes.append(type(error).__name__)

    def book():
        try:
            appointment_book(slot=second, name="Bea", phone="+31612345680")
            outcomes.append("booked")
        except Exception as error:  # noqa: BLE001
            outcomes.append(type(error).__name__)

    _in_parallel([move, book] * 5)

    assert Appointment.objects.filter(slot=second).exclude(status="cancelled").count() == 1
    assert sorted(set(outcomes)) in (
        ["AppointmentNotPossible", "moved"],
        ["AppointmentNotPossible", "booked"],
    )
