"""Cutting an availability block into appointment times."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q

from portal.page_cache import page_versions_bump

from ..models import Appointment, AvailabilityBlock, CoachProfile, Slot
from ..signals import SCOPE


def slot_times(*, block: AvailabilityBlock) -> list[tuple]:
    """(start, end) of every whole appointment that fits in the block, with the pause between them."""
    start, end = block.local_datetime(block.start_time), block.local_datetime(block.end_time)
    length = timedelta(minutes=block.slot_minutes)
    step = length + timedelta(minutes=block.pause_minutes)
    times = []
    while start + length <= end:
        times.append((start, start + length))
        start += step
    return times


@dataclass
class SlotGeneration:
    created: int = 0
    removed: int = 0
    withdrawn: int = 0
    kept_booked: list = field(default_factory=list)


@transaction.atomic
def block_slots_generate(*, block: AvailabilityBlock) -> SlotGeneration:
    """Make the block's times match its hours, length and pause.

    Times that are booked are never dropped (the person keeps the appointment; staff see them in
    `kept_booked` when they no longer fit); a time that only had cancelled appointments is withdrawn
    rather than deleted, so that its history stays. Runs under the coach's lock, like booking.
    """
    CoachProfile.objects.select_for_update().filter(pk=block.coach_id).first()
    result = SlotGeneration()
    active = ~Q(appointments__status=Appointment.Status.CANCELLED)
    existing = list(
        block.slots.annotate(
            n_all=Count("appointments"), n_active=Count("appointments", filter=active)
        ).order_by("starts_at")
    )
    booked = [slot for slot in existing if slot.n_active]
    # A time that would overlap a booked one is not offered: the coach is busy then.
    wanted = {
        start: end
        for start, end in slot_times(block=block)
        if not any(start < other.ends_at and other.starts_at < end for other in booked)
        or any(start == other.starts_at and end == other.ends_at for other in booked)
    }
    kept = set()
    for slot in existing:
        if slot.n_active:
            kept.add(slot.starts_at)
            if wanted.get(slot.starts_at) != slot.ends_at:
                result.kept_booked.append(slot)
        elif slot.starts_at in wanted:
            if slot.is_withdrawn or slot.ends_at != wanted[slot.starts_at]:
                slot.is_withdrawn, slot.ends_at = False, wanted[slot.starts_at]
                slot.save(update_fields=["is_withdrawn", "ends_at"])
            kept.add(slot.starts_at)
        elif slot.n_all:
            if not slot.is_withdrawn:
                slot.is_withdrawn = True
                slot.save(update_fields=["is_withdrawn"])
                result.withdrawn += 1
        else:
            slot.delete()
            result.removed += 1
    new = [
        Slot(block=block, starts_at=start, ends_at=end) for start, end in wanted.items() if start not in kept
    ]
    Slot.objects.bulk_create(new)
    result.created = len(new)
    page_versions_bump(SCOPE)  # bulk_create sends no signal
    return result
