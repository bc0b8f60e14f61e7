"""The appointments constraints (see tests/test_constraints.py for the pattern)."""

from datetime import time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from appointments.models import Appointment, AvailabilityBlock, CoachProfile, Slot
from tests import factories
from tests.factories_appointments import (
    AppointmentFactory,
    AvailabilityBlockFactory,
    CoachProfileFactory,
    SlotFactory,
)
from tests.test_constraints import assert_accepted, assert_rejected

pytestmark = pytest.mark.django_db


def _database_refuses(queryset, constraint, **values):
    """For constraints behind a field validator too: the database refuses what slips past forms."""
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        queryset.update(**values)


def test_a_coach_allows_at_least_one_appointment_per_person():
    coach = CoachProfileFactory()
    _database_refuses(
        CoachProfile.objects.filter(pk=coach.pk), "coach_profile_limit_positive", max_future_appointments=0
    )


def test_a_block_ends_after_it_starts():
    block = AvailabilityBlockFactory.build(
        coach=CoachProfileFactory(), start_time=time(15), end_time=time(13)
    )
    block.branch = factories.BranchFactory(library=block.coach.worker.library)
    assert_rejected(block, constraint="availability_block_ends_after_start")


def test_a_block_has_a_positive_slot_length():
    block = AvailabilityBlockFactory()
    _database_refuses(
        AvailabilityBlock.objects.filter(pk=block.pk), "availability_block_slot_positive", slot_minutes=0
    )


def test_a_block_is_at_one_place():
    block = AvailabilityBlockFactory()
    block.partner_site = factories.PartnerSiteFactory()
    assert_rejected(block, constraint="availability_block_one_place")
    block.refresh_from_db()
    block.branch = None
    assert_rejected(block, constraint="availability_block_one_place")
    block.partner_site = factories.PartnerSiteFactory()
    assert_accepted(block)


def test_a_slot_starts_once_per_block():
    slot = SlotFactory()
    twin = Slot(block=slot.block, starts_at=slot.starts_at, ends_at=slot.ends_at + timedelta(minutes=5))
    assert_rejected(twin, constraint="slot_unique_start_per_block")


def test_a_slot_ends_after_it_starts():
    slot = SlotFactory.build(block=AvailabilityBlockFactory())
    slot.ends_at = slot.starts_at
    assert_rejected(slot, constraint="slot_ends_after_start")


def test_one_active_appointment_per_slot():
    appointment = AppointmentFactory()
    other = factories.ParticipantFactory(library=appointment.participant.library)
    twin = Appointment(slot=appointment.slot, participant=other)
    assert_rejected(twin, constraint="appointment_one_per_slot")
    appointment.status, appointment.cancelled_at = Appointment.Status.CANCELLED, timezone.now()
    appointment.save()
    assert_accepted(twin)


def test_a_cancelled_appointment_has_its_time():
    appointment = AppointmentFactory()
    appointment.status = Appointment.Status.CANCELLED
    assert_rejected(appointment, constraint="appointment_cancelled_has_time")
