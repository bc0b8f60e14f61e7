"""Retention: the nightly task anonymises whoever has been inactive longer than their library keeps data."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from people.models import Participant
from portal.celery import app
from privacy.models import AuditEvent
from privacy.tasks import participants_anonymise_expired
from sessions.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db


def months_ago(months, days=0):
    return timezone.now() - timedelta(days=round(months * 30.5) + days)


def inactive_since(library, when, **kwargs):
    participant = factories.ParticipantFactory(library=library, **kwargs)
    Participant.objects.filter(pk=participant.pk).update(created_at=when, last_activity_at=when)
    return participant


def anonymised(participant):
    participant.refresh_from_db()
    return participant.anonymised_at is not None


def run_task():
    return participants_anonymise_expired.apply().get()


def test_the_beat_schedule_runs_this_task_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["anonymise-expired-participants"]
    assert entry["task"] == "privacy.tasks.participants_anonymise_expired"
    assert entry["task"] in app.tasks


def test_each_library_keeps_data_as_long_as_it_set():
    keeps_a_year = factories.LibraryFactory(retention_months=12)
    keeps_three_months = factories.LibraryFactory(retention_months=3)
    six_months_a = inactive_since(keeps_a_year, months_ago(6))
    six_months_b = inactive_since(keeps_three_months, months_ago(6))
    two_months_b = inactive_since(keeps_three_months, months_ago(2))
    thirteen_months_a = inactive_since(keeps_a_year, months_ago(13))

    assert run_task() == 2

    assert not anonymised(six_months_a)
    assert anonymised(six_months_b)
    assert not anonymised(two_months_b)
    assert anonymised(thirteen_months_a)
    assert thirteen_months_a.name == "" and thirteen_months_a.phone == ""
    events = AuditEvent.objects.filter(action=AuditEvent.Action.ANONYMISED)
    assert sorted(events.values_list("participant_number", flat=True)) == sorted(
        [six_months_b.pk, thirteen_months_a.pk]
    )
    assert all(event.user is None and event.user_label == "" for event in events)


def test_running_it_again_anonymises_nobody_twice():
    library = factories.LibraryFactory(retention_months=12)
    inactive_since(library, months_ago(13))
    assert run_task() == 1
    assert run_task() == 0
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize("activity", ["registration", "meeting", "attendance", "referral", "consent"])
def test_any_recent_activity_keeps_the_data(activity):
    library = factories.LibraryFactory(retention_months=12)
    person = inactive_since(library, months_ago(24))
    old = months_ago(23)
    if activity in ("registration", "meeting", "attendance"):
        session = factories.SessionFactory(
            programme__library=library, starts_at=old, ends_at=old + timedelta(hours=1)
        )
        registration = factories.RegistrationFactory(session=session, participant=person)
        Registration.objects.filter(pk=registration.pk).update(created_at=old)
        if activity == "registration":
            Registration.objects.filter(pk=registration.pk).update(created_at=months_ago(1))
        if activity == "meeting":
            # Signed up long ago for a meeting that is still to come.
            later = timezone.now() + timedelta(days=3)
            type(session).objects.filter(pk=session.pk).update(
                starts_at=later, ends_at=later + timedelta(hours=1)
            )
        if activity == "attendance":
            registration.attendances.create(session=session, status="present", marked_at=months_ago(1))
    elif activity == "referral":
        factories.ReferralFactory(library=library, participant=person)
    else:
        factories.ConsentFactory(participant=person, given_at=months_ago(1))

    assert run_task() == 0
    assert not anonymised(person)


def test_a_shorter_retention_setting_takes_effect_at_the_next_run():
    library = factories.LibraryFactory(retention_months=12)
    person = inactive_since(library, months_ago(7))
    assert run_task() == 0
    library.retention_months = 6
    library.save()
    assert run_task() == 1
    assert anonymised(person)


def test_an_appointment_to_come_keeps_the_data():
    from appointments.models import Appointment
    from tests.factories_appointments import AppointmentFactory

    library = factories.LibraryFactory(retention_months=12)
    person = inactive_since(library, months_ago(24))
    appointment = AppointmentFactory(participant=person, slot__block__coach__worker__library=library)
    Appointment.objects.filter(pk=appointment.pk).update(created_at=months_ago(23))
    assert appointment.slot.starts_at > timezone.now()

    assert run_task() == 0
    assert not anonymised(person)
