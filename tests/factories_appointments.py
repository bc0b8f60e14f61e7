"""Factories for appointments with a coach (tests/test_admin_pages.py picks up FACTORIES)."""

from datetime import time, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from appointments.models import Appointment, AvailabilityBlock, CoachProfile, Slot
from people.models import Worker
from tests import factories


def next_week():
    return timezone.localdate() + timedelta(days=8)


class CoachProfileFactory(DjangoModelFactory):
    worker = factory.SubFactory(factories.WorkerFactory, kind=Worker.Kind.COACH)
    public_title = "Loopbaancoach"
    public_name = factory.LazyAttribute(lambda o: o.worker.name.split()[0])
    max_future_appointments = 1

    class Meta:
        model = CoachProfile


class AvailabilityBlockFactory(DjangoModelFactory):
    """An afternoon next week, 13:00-15:00, 30-minute appointments with 10 minutes between them."""

    coach = factory.SubFactory(CoachProfileFactory)
    branch = factory.SubFactory(
        factories.BranchFactory, library=factory.SelfAttribute("..coach.worker.library")
    )
    date = factory.LazyFunction(next_week)
    start_time = time(13, 0)
    end_time = time(15, 0)
    slot_minutes = 30
    pause_minutes = 10
    topics = "Je cv, Sollicitatiegesprek oefenen"

    class Meta:
        model = AvailabilityBlock


class SlotFactory(DjangoModelFactory):
    block = factory.SubFactory(AvailabilityBlockFactory)
    starts_at = factory.LazyAttribute(lambda o: o.block.local_datetime(o.block.start_time))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(minutes=o.block.slot_minutes))

    class Meta:
        model = Slot
        django_get_or_create = ["block", "starts_at"]


class AppointmentFactory(DjangoModelFactory):
    slot = factory.SubFactory(SlotFactory)
    participant = factory.SubFactory(
        factories.ParticipantFactory, library=factory.SelfAttribute("..slot.block.coach.worker.library")
    )
    topic = "Mijn cv verbeteren"

    class Meta:
        model = Appointment


FACTORIES = {
    CoachProfile: CoachProfileFactory,
    AvailabilityBlock: AvailabilityBlockFactory,
    Slot: SlotFactory,
    Appointment: AppointmentFactory,
}
