"""Booking, cancelling and moving one-to-one appointments.

Every change that can take a time runs under a row lock on the coach's profile, so that parallel
bookings of one coach queue there: a time is never given twice, and the per-person limit holds. The
partial unique index `appointment_one_per_slot` is the database's own guarantee behind it.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from messaging.models import MessageKind, OutboxMessage
from messaging.services import (
    appointment_message_record,
    appointment_reminders_cancel,
    appointment_reminders_schedule,
)
from people.models import Consent
from people.services import consent_record, participant_find_or_create

from ..models import Appointment, CoachProfile, Slot
from ..selectors import person_future_count, slot_closed_reason


class AppointmentNotPossible(Exception):
    """The appointment cannot be made or changed; the message is plain Dutch for the person trying."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class BookingResult:
    appointment: Appointment
    created: bool


def _lock(slot_pk):
    """The slot with its block and coach, after locking the coach's row (where bookings queue)."""
    coach_id = Slot.objects.filter(pk=slot_pk).values_list("block__coach_id", flat=True).get()
    coach = CoachProfile.objects.select_for_update().select_related("worker__library").get(pk=coach_id)
    slot = Slot.objects.select_related("block__coach", "block__programme").get(pk=slot_pk)
    slot.block.coach = coach
    return slot, coach


def _taken():
    return AppointmentNotPossible(_("Someone else just took this time. Choose another time."))


@transaction.atomic
def appointment_book(
    *,
    slot: Slot,
    name: str,
    phone: str = "",
    email: str = "",
    preferred_channel: str = "",
    topic: str = "",
    source: str = Appointment.Source.ONLINE,
    language: str = "nl",
    consent_text: str = "",
    user=None,
    booked_by=None,
    now=None,
) -> BookingResult:
    """Book one time for one person: the same no-account details as a meeting's sign-up."""
    now = now or timezone.now()
    slot, coach = _lock(slot.pk)
    staff = source != Appointment.Source.ONLINE
    reason = slot_closed_reason(slot=slot, now=now, staff=staff, ignore_taken=True)
    if reason:
        raise AppointmentNotPossible(reason)
    participant = participant_find_or_create(
        library=coach.worker.library,
        name=name,
        phone=phone,
        email=email,
        preferred_channel=preferred_channel,
        language=language,
        user=user,
    )
    current = Appointment.objects.filter(slot=slot).exclude(status=Appointment.Status.CANCELLED).first()
    if current is not None:
        if current.participant_id == participant.pk:
            return BookingResult(appointment=current, created=False)
        raise _taken()
    if person_future_count(participant=participant, coach=coach, now=now) >= coach.max_future_appointments:
        limit = coach.max_future_appointments
        raise AppointmentNotPossible(
            ngettext(
                "You already have an appointment with this coach. You can have %(n)d at a time. "
                "Move or cancel it with the link in our message.",
                "You already have %(n)d appointments with this coach. That is the most you can have. "
                "Move or cancel one with the link in our message.",
                limit,
            )
            % {"n": limit}
        )
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                slot=slot,
                participant=participant,
                topic=topic,
                source=source,
                booked_by=booked_by,
            )
    except IntegrityError as error:
        raise _taken() from error
    if consent_text:
        consent_record(
            participant=participant,
            purpose=Consent.Purpose.CONTACT,
            text=consent_text,
            method=Consent.Method(source),  # the same values as the sources
            now=now,
        )
    participant.last_activity_at = now
    participant.save(update_fields=["last_activity_at"])
    appointment_message_record(kind=MessageKind.APPOINTMENT_CONFIRMED, appointment=appointment)
    appointment_reminders_schedule(appointment=appointment, now=now)
    return BookingResult(appointment=appointment, created=True)


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, now=None) -> Appointment:
    """Cancel an appointment: its time is free again, its pending messages are not sent."""
    now = now or timezone.now()
    _lock(appointment.slot_id)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status == Appointment.Status.CANCELLED:
        return appointment
    appointment.status = Appointment.Status.CANCELLED
    appointment.cancelled_at = now
    appointment.save(update_fields=["status", "cancelled_at", "updated_at"])
    OutboxMessage.objects.filter(appointment=appointment, status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.CANCELLED
    )
    appointment_message_record(kind=MessageKind.APPOINTMENT_CANCELLED, appointment=appointment)
    return appointment


@transaction.atomic
def appointment_move(*, appointment: Appointment, slot: Slot, staff=False, now=None) -> Appointment:
    """Move an appointment to another free time of the same coach; the personal link stays the same."""
    now = now or timezone.now()
    new_slot, coach = _lock(slot.pk)
    appointment = Appointment.objects.select_for_update().select_related("slot__block").get(pk=appointment.pk)
    if appointment.slot.block.coach_id != coach.pk:
        raise AppointmentNotPossible(_("Choose a time with the same coach."))
    if appointment.status != Appointment.Status.BOOKED or (appointment.slot.starts_at <= now and not staff):
        raise AppointmentNotPossible(_("This appointment cannot be moved any more."))
    if new_slot.pk == appointment.slot_id:
        return appointment
    reason = slot_closed_reason(slot=new_slot, now=now, staff=staff)
    if reason:
        raise AppointmentNotPossible(reason)
    appointment.slot = new_slot
    try:
        with transaction.atomic():
            appointment.save(update_fields=["slot", "updated_at"])
    except IntegrityError as error:
        raise _taken() from error
    appointment_reminders_cancel(appointment=appointment)
    appointment_message_record(
        kind=MessageKind.APPOINTMENT_MOVED,
        appointment=appointment,
        key_suffix=f"{new_slot.pk}:{now.isoformat()}",
    )
    appointment_reminders_schedule(appointment=appointment, now=now)
    return appointment


_MARKABLE = (Appointment.Status.BOOKED, Appointment.Status.ATTENDED, Appointment.Status.NO_SHOW)


@transaction.atomic
def appointment_mark(*, appointment: Appointment, status: str) -> Appointment:
    """The coach notes whether the person came (or puts it back to booked)."""
    if status not in _MARKABLE:
        raise AppointmentNotPossible(_("Choose came or did not come."))
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status == Appointment.Status.CANCELLED:
        raise AppointmentNotPossible(_("This appointment was cancelled."))
    if appointment.status != status:
        appointment.status = status
        appointment.save(update_fields=["status", "updated_at"])
        if status != Appointment.Status.BOOKED:
            appointment_reminders_cancel(appointment=appointment)
    return appointment
