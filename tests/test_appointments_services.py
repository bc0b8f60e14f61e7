"""Slot generation, booking rules, cancel and move, and the messages they leave in the outbox."""

from datetime import time, timedelta

import pytest
from django.utils import timezone, translation

from appointments.models import Appointment, Slot
from appointments.services import (
    AppointmentNotPossible,
    appointment_book,
    appointment_cancel,
    appointment_mark,
    appointment_move,
    block_slots_generate,
    slot_times,
)
from messaging.dispatch import message_deliver, outbox_claim_due
from messaging.models import MessageKind, OutboxMessage
from messaging.rendering import render_message
from messaging.sms.backends import locmem
from people.models import Consent
from tests import factories
from tests.factories_appointments import AppointmentFactory, AvailabilityBlockFactory, CoachProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The refusals are matched in English here; the Dutch texts come from the catalogue."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.SMS_BACKEND = "messaging.sms.backends.locmem.SmsBackend"
    locmem.outbox.clear()
    return locmem.outbox


@pytest.fixture
def block():
    block = AvailabilityBlockFactory(
        start_time=time(13, 0), end_time=time(15, 0), slot_minutes=30, pause_minutes=10
    )
    block_slots_generate(block=block)
    return block


def local_times(block):
    return [
        (timezone.localtime(s.starts_at).strftime("%H:%M"), timezone.localtime(s.ends_at).strftime("%H:%M"))
        for s in block.slots.filter(is_withdrawn=False).order_by("starts_at")
    ]


def book(slot, n=1, **kwargs):
    return appointment_book(
        slot=slot,
        name=kwargs.pop("name", f"Persoon {n}"),
        phone=kwargs.pop("phone", f"+3165{n:07d}"),
        preferred_channel=kwargs.pop("preferred_channel", "sms"),
        **kwargs,
    )


def first_slot(block):
    return block.slots.order_by("starts_at").first()


# Slot generation ---------------------------------------------------------------------------------


def test_slots_have_the_length_and_the_pause_and_stop_at_the_end_of_the_block(block):
    # 13:00-13:30, pause, 13:40-14:10, pause, 14:20-14:50; 15:00-15:30 would run past 15:00.
    assert local_times(block) == [("13:00", "13:30"), ("13:40", "14:10"), ("14:20", "14:50")]


def test_without_a_pause_the_slots_fill_the_block_exactly():
    block = AvailabilityBlockFactory(
        start_time=time(10, 0), end_time=time(12, 0), slot_minutes=40, pause_minutes=0
    )
    assert [(a.strftime("%H:%M"), b.strftime("%H:%M")) for a, b in slot_times(block=block)] == [
        ("10:00", "10:40"),
        ("10:40", "11:20"),
        ("11:20", "12:00"),
    ]


def test_generating_again_adds_nothing(block):
    result = block_slots_generate(block=block)
    assert (result.created, result.removed, result.withdrawn) == (0, 0, 0)
    assert block.slots.count() == 3


def test_regenerating_never_drops_a_booked_slot(block):
    booked = book(block.slots.order_by("starts_at")[1]).appointment
    block.slot_minutes, block.pause_minutes = 45, 0
    block.save()

    result = block_slots_generate(block=block)

    booked.refresh_from_db()
    assert booked.slot.block == block and booked.status == Appointment.Status.BOOKED
    assert result.kept_booked == [booked.slot]
    # 45 minutes without a pause: 13:00-13:45 and 13:45-14:30 would both overlap the booked 13:40-14:10,
    # so neither is offered (the free 13:00 is removed); the booked time stays as it was.
    assert local_times(block) == [("13:40", "14:10")]
    assert (result.created, result.removed) == (0, 2)


def test_a_slot_with_only_a_cancelled_appointment_is_withdrawn_not_deleted(block):
    slot = block.slots.order_by("starts_at").last()
    appointment_cancel(appointment=book(slot).appointment)
    block.end_time = time(14, 0)
    block.save()

    result = block_slots_generate(block=block)

    slot.refresh_from_db()
    assert slot.is_withdrawn and result.withdrawn == 1 and result.removed == 1
    assert local_times(block) == [("13:00", "13:30")]


# Booking -------------------------------------------------------------------------------------------


def test_booking_finds_or_makes_the_participant_records_consent_and_a_confirmation(block):
    result = book(
        first_slot(block), name="Samira", phone="+31612345678", topic="Mijn cv", consent_text="Akkoord"
    )

    appointment = result.appointment
    assert result.created and appointment.status == Appointment.Status.BOOKED
    assert appointment.participant.library == block.coach.worker.library
    assert appointment.topic == "Mijn cv"
    assert Consent.objects.filter(participant=appointment.participant, method="online").count() == 1
    confirmation = OutboxMessage.objects.get(appointment=appointment, kind=MessageKind.APPOINTMENT_CONFIRMED)
    assert confirmation.channel == "sms" and confirmation.participant == appointment.participant


def test_reminders_are_due_the_coachs_hours_before_the_start(block):
    block.coach.reminder_hours = "24,2"
    block.coach.save()
    appointment = book(first_slot(block)).appointment

    reminders = OutboxMessage.objects.filter(appointment=appointment, kind=MessageKind.APPOINTMENT_REMINDER)
    start = appointment.slot.starts_at
    assert sorted(m.due_at for m in reminders) == [start - timedelta(hours=24), start - timedelta(hours=2)]
    assert all(m.status == OutboxMessage.Status.PENDING for m in reminders)


def test_no_reminder_is_made_for_a_time_already_past():
    block = AvailabilityBlockFactory(date=timezone.localdate() + timedelta(days=1))
    block_slots_generate(block=block)
    now = first_slot(block).starts_at - timedelta(hours=3)
    appointment = book(first_slot(block), now=now).appointment
    due = list(
        OutboxMessage.objects.filter(appointment=appointment, kind="appointment_reminder").values_list(
            "due_at", flat=True
        )
    )
    assert due == [appointment.slot.starts_at - timedelta(hours=2)]


def test_a_taken_slot_cannot_be_booked_by_someone_else(block):
    slot = first_slot(block)
    book(slot, 1)
    with pytest.raises(AppointmentNotPossible, match="Someone else just took this time"):
        book(slot, 2)
    assert Appointment.objects.filter(slot=slot).count() == 1


def test_the_same_person_twice_for_the_same_slot_gets_the_same_appointment(block):
    slot = first_slot(block)
    first = book(slot, 1).appointment
    again = book(slot, 1)
    assert not again.created and again.appointment == first


def test_one_person_has_a_limited_number_of_future_appointments_per_coach(block):
    slots = list(block.slots.order_by("starts_at"))
    book(slots[0], 1)
    with pytest.raises(AppointmentNotPossible, match="already have an appointment"):
        book(slots[1], 1)
    # Another person may; and with a higher limit the first person may too.
    assert book(slots[1], 2).created
    block.coach.max_future_appointments = 2
    block.coach.save()
    assert book(slots[2], 1).created


def test_the_limit_is_per_coach(block):
    book(first_slot(block), 1)
    other = AvailabilityBlockFactory(
        coach=CoachProfileFactory(worker__library=block.coach.worker.library), branch=block.branch
    )
    block_slots_generate(block=other)
    assert book(first_slot(other), 1).created


def test_a_cancelled_or_past_appointment_does_not_count_for_the_limit(block):
    slots = list(block.slots.order_by("starts_at"))
    appointment_cancel(appointment=book(slots[0], 1).appointment)
    assert book(slots[1], 1).created


def test_past_unpublished_and_withdrawn_slots_cannot_be_booked_online(block):
    slot = first_slot(block)
    with pytest.raises(AppointmentNotPossible, match="passed"):
        book(slot, now=slot.starts_at + timedelta(minutes=1))
    block.is_published = False
    block.save()
    with pytest.raises(AppointmentNotPossible, match="no longer offered"):
        book(slot)
    # Staff at the desk can still book an unpublished time.
    assert book(slot, source=Appointment.Source.DESK).created
    Slot.objects.filter(pk=block.slots.last().pk).update(is_withdrawn=True)
    with pytest.raises(AppointmentNotPossible, match="no longer offered"):
        book(block.slots.last(), 3, source=Appointment.Source.PHONE)


def test_staff_book_without_contact_details_and_nothing_is_sent(block):
    result = appointment_book(slot=first_slot(block), name="Piet", source=Appointment.Source.DESK)
    assert result.appointment.participant.registered_at_desk
    assert not OutboxMessage.objects.filter(appointment=result.appointment).exists()


# Cancel, move, mark --------------------------------------------------------------------------------


def test_cancelling_frees_the_slot_cancels_reminders_and_sends_a_cancellation(block):
    slot = first_slot(block)
    appointment = book(slot).appointment

    appointment_cancel(appointment=appointment)

    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED and appointment.cancelled_at
    messages = OutboxMessage.objects.filter(appointment=appointment)
    assert set(messages.filter(kind="appointment_reminder").values_list("status", flat=True)) == {"cancelled"}
    assert messages.get(kind="appointment_cancelled").status == "pending"
    assert book(slot, 2).created
    # Cancelling twice changes nothing.
    appointment_cancel(appointment=appointment)
    assert messages.filter(kind="appointment_cancelled").count() == 1


def test_moving_keeps_the_link_replaces_the_reminders_and_sends_the_new_time(block):
    slots = list(block.slots.order_by("starts_at"))
    appointment = book(slots[0]).appointment
    public_id = appointment.public_id

    moved = appointment_move(appointment=appointment, slot=slots[2])

    assert moved.public_id == public_id and moved.slot == slots[2]
    reminders = OutboxMessage.objects.filter(appointment=appointment, kind="appointment_reminder")
    assert {m.due_at for m in reminders.filter(status="pending")} == {
        slots[2].starts_at - timedelta(hours=24),
        slots[2].starts_at - timedelta(hours=2),
    }
    assert reminders.filter(status="cancelled").count() == 2
    assert OutboxMessage.objects.filter(appointment=appointment, kind="appointment_moved").count() == 1
    # The old time is free again.
    assert book(slots[0], 2).created


def test_moving_to_a_taken_slot_or_another_coach_is_refused(block):
    slots = list(block.slots.order_by("starts_at"))
    appointment = book(slots[0], 1).appointment
    book(slots[1], 2)
    with pytest.raises(AppointmentNotPossible, match="Someone else"):
        appointment_move(appointment=appointment, slot=slots[1])
    other = AvailabilityBlockFactory()
    block_slots_generate(block=other)
    with pytest.raises(AppointmentNotPossible, match="same coach"):
        appointment_move(appointment=appointment, slot=first_slot(other))
    appointment.refresh_from_db()
    assert appointment.slot == slots[0]


def test_marking_came_or_did_not_come(block):
    appointment = book(first_slot(block)).appointment
    appointment_mark(appointment=appointment, status=Appointment.Status.NO_SHOW)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.NO_SHOW
    assert not OutboxMessage.objects.filter(
        appointment=appointment, kind="appointment_reminder", status="pending"
    ).exists()
    with pytest.raises(AppointmentNotPossible):
        appointment_mark(appointment=appointment, status="cancelled")


# Sending ---------------------------------------------------------------------------------------------


def test_the_confirmation_reads_well_and_carries_the_personal_link(block):
    appointment = book(first_slot(block), name="Samira", topic="Mijn cv").appointment
    message = OutboxMessage.objects.get(appointment=appointment, kind="appointment_confirmed")
    rendered = render_message(message)
    start = timezone.localtime(appointment.slot.starts_at)
    assert rendered.body.startswith("Hallo Samira.\nJe hebt een afspraak met:")
    assert f"Tijd: {start:%H:%M} – " in rendered.body
    assert block.branch.address in rendered.body
    assert "/afspraak/mijn/" in rendered.body
    assert rendered.subject == "Je afspraak: " + block.coach.public_title


def test_a_reminder_of_a_cancelled_or_moved_appointment_is_not_sent(block, sms_outbox):
    slots = list(block.slots.order_by("starts_at"))
    cancelled = book(slots[0], 1).appointment
    moved = book(slots[1], 2).appointment
    stale = list(OutboxMessage.objects.filter(kind="appointment_reminder"))
    # Simulate a claim that happened just before the change.
    OutboxMessage.objects.filter(pk__in=[m.pk for m in stale]).update(
        status="queued", queued_at=timezone.now()
    )
    Appointment.objects.filter(pk=cancelled.pk).update(status="cancelled", cancelled_at=timezone.now())
    Appointment.objects.filter(pk=moved.pk).update(slot=slots[2])

    for message in stale:
        assert message_deliver(message_id=message.pk) == OutboxMessage.Status.CANCELLED
    assert sms_outbox == []


def test_due_appointment_messages_are_sent(block, sms_outbox):
    book(first_slot(block), 1, phone="+31612345670")
    for message_id in outbox_claim_due():
        message_deliver(message_id=message_id)
    assert [m.to for m in sms_outbox] == ["+31612345670"]
    assert "afspraak" in sms_outbox[0].body


def test_factory_appointment_is_valid():
    appointment = AppointmentFactory()
    appointment.full_clean()
    assert appointment.participant.library == appointment.slot.block.coach.worker.library
    assert factories  # the shared factories are used through the appointment factories
