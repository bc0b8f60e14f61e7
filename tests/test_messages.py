"""What is recorded in the outbox, how it reads, and how one delivery attempt ends.

Delivery through a real broker and worker, with faults, is in test_outbox_delivery.py.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from messaging.dispatch import message_deliver, outbox_claim_due
from messaging.models import MessageTemplate, OutboxMessage
from messaging.rendering import render_message
from messaging.sms.backends import locmem
from sessions.models import Registration, Session
from sessions.services import (
    registration_cancel,
    registration_create,
    session_changes_notify,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.SMS_BACKEND = "messaging.sms.backends.locmem.SmsBackend"
    locmem.outbox.clear()
    return locmem.outbox


@pytest.fixture
def session(programme, branch):
    start = (timezone.localtime() + timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    return factories.SessionFactory(
        programme=programme, branch=branch, starts_at=start, ends_at=start + timedelta(hours=1), capacity=1
    )


def sign_up(session, n=1, **kwargs):
    return registration_create(
        session=session,
        name=kwargs.pop("name", f"Persoon {n}"),
        phone=kwargs.pop("phone", f"+3162{n:07d}"),
        preferred_channel=kwargs.pop("preferred_channel", "sms"),
        **kwargs,
    ).registration


def pending(kind, **filters):
    return OutboxMessage.objects.filter(kind=kind, status=OutboxMessage.Status.PENDING, **filters)


def send_all_due(now=None):
    for message_id in outbox_claim_due(now=now):
        message_deliver(message_id=message_id, now=now)


def test_reminders_one_day_and_two_hours_before_for_confirmed_people_only(session):
    confirmed = sign_up(session, 1)
    waiting = sign_up(session, 2)

    due = sorted(pending("reminder", registration=confirmed).values_list("due_at", flat=True))
    assert due == [session.starts_at - timedelta(days=1), session.starts_at - timedelta(hours=2)]
    assert not pending("reminder", registration=waiting).exists()

    registration_cancel(registration=confirmed)
    assert not pending("reminder", registration=confirmed).exists()
    # The person moved up from the waiting list now gets the reminders.
    assert pending("reminder", registration=waiting).count() == 2


def test_reminder_hours_are_set_per_programme(session):
    session.programme.reminder_hours = "48"
    session.programme.save()
    registration = sign_up(session)
    assert list(pending("reminder", registration=registration).values_list("due_at", flat=True)) == [
        session.starts_at - timedelta(hours=48)
    ]


def test_reminders_follow_a_moved_meeting(session):
    registration = sign_up(session)
    old_start = session.starts_at
    session.starts_at += timedelta(days=1)
    session.ends_at += timedelta(days=1)
    session.save()

    session_changes_notify(session=session, old_starts_at=old_start, old_status=session.status)

    due = sorted(pending("reminder", registration=registration).values_list("due_at", flat=True))
    assert due == [session.starts_at - timedelta(days=1), session.starts_at - timedelta(hours=2)]
    assert pending("session_moved", registration=registration).count() == 1


def test_reminders_vanish_for_a_cancelled_meeting_and_people_are_told(session):
    registration = sign_up(session)
    session.status, session.cancellation_reason = Session.Status.CANCELLED, "De zaal is dicht."
    session.save()

    session_changes_notify(session=session, old_starts_at=session.starts_at, old_status="scheduled")

    assert not pending("reminder").exists()
    message = pending("session_cancelled", registration=registration).get()
    assert "De zaal is dicht." in render_message(message).body


def test_a_stale_reminder_is_not_sent_even_if_it_was_already_claimed(session):
    registration = sign_up(session)
    reminder = pending("reminder", registration=registration).order_by("due_at").first()
    # The meeting is cancelled behind the dispatcher's back (no notify call).
    Session.objects.filter(pk=session.pk).update(status="cancelled", cancellation_reason="Ziek")
    OutboxMessage.objects.filter(pk=reminder.pk).update(status="queued", queued_at=timezone.now())

    assert message_deliver(message_id=reminder.pk) == OutboxMessage.Status.CANCELLED
    reminder.refresh_from_db()
    assert "cancelled" in reminder.last_error


def test_online_link_goes_to_confirmed_people_shortly_before_the_start(programme):
    start = timezone.now() + timedelta(days=2)
    online = factories.SessionFactory(
        programme=programme,
        branch=None,
        online_url="https://meet.example/wt",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=1,
    )
    confirmed = sign_up(online, 1)
    waiting = sign_up(online, 2)
    link = pending("online_link", registration=confirmed).get()
    assert link.due_at == start - timedelta(minutes=30)
    assert not pending("online_link", registration=waiting).exists()
    assert "https://meet.example/wt" in render_message(link).body


def test_moving_a_meeting_online_tells_people_and_schedules_the_link(session):
    registration = sign_up(session)
    session.status, session.online_url = Session.Status.MOVED_ONLINE, "https://meet.example/nu-online"
    session.save()
    session_changes_notify(session=session, old_starts_at=session.starts_at, old_status="scheduled")
    assert pending("session_moved_online", registration=registration).exists()
    assert pending("online_link", registration=registration).exists()


def test_dutch_text_with_date_then_time_then_place(session):
    registration = sign_up(session)
    message = pending("registration_confirmed", registration=registration).get()
    body = render_message(message).body
    assert body.startswith("Hallo Persoon 1.")
    assert body.index("Datum:") < body.index("Tijd:") < body.index("Plaats:")
    assert "10:00 – 11:00" in body
    assert session.branch.street in body
    assert "/aanmelding/" in body


def test_english_for_people_who_chose_english(session):
    registration = sign_up(session, language="en")
    body = render_message(pending("registration_confirmed", registration=registration).get()).body
    assert "You are signed up" in body
    assert body.index("Date:") < body.index("Time:") < body.index("Place:")


def test_the_waiting_list_message_says_the_position(session):
    sign_up(session, 1)
    second = sign_up(session, 2)
    body = render_message(pending("registration_waitlisted", registration=second).get()).body
    assert "nummer 1" in body


def test_staff_wording_replaces_the_built_in_text(session):
    MessageTemplate.objects.create(
        kind="registration_confirmed", language="nl", subject="Tot dan!", body="Tot {{ date }}, {{ name }}!"
    )
    registration = sign_up(session)
    rendered = render_message(pending("registration_confirmed", registration=registration).get())
    assert rendered.subject == "Tot dan!"
    assert rendered.body.startswith("Tot ") and rendered.body.endswith("Persoon 1!")


def test_a_broken_template_is_refused_when_staff_save_it():
    template = MessageTemplate(kind="reminder", language="nl", subject="Hoi", body="Hallo {% if name %}")
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "body" in error.value.message_dict


def test_the_admin_shows_the_template_error_next_to_the_field(staff_client):
    response = staff_client.post(
        reverse("admin:messaging_messagetemplate_add"),
        {"kind": "reminder", "language": "nl", "subject": "Hoi", "body": "{{ name|nietbestaand }}"},
    )
    assert response.status_code == 200
    assert "nietbestaand" in str(response.context["adminform"].form.errors["body"])


def test_a_due_sms_is_sent_once_and_marked_sent(session, sms_outbox):
    registration = sign_up(session)
    send_all_due()
    send_all_due()
    confirmation = OutboxMessage.objects.get(registration=registration, kind="registration_confirmed")
    assert confirmation.status == OutboxMessage.Status.SENT
    assert confirmation.sent_at is not None
    assert [m.to for m in sms_outbox] == ["+31620000001"]
    assert sms_outbox[0].idempotency_key == confirmation.idempotency_key
    # The reminders are not due yet.
    assert pending("reminder", registration=registration).count() == 2


def test_e_mail_for_people_who_chose_e_mail(session):
    sign_up(session, phone="", email="anna@mail.example", preferred_channel="email")
    send_all_due()
    (email,) = mail.outbox
    assert email.to == ["anna@mail.example"]
    assert email.subject.startswith("Je bent aangemeld")
    assert email.alternatives[0].mimetype == "text/html"


def test_an_invalid_number_fails_with_a_readable_reason_and_blocks_nothing(session, sms_outbox):
    bad = factories.OutboxMessageFactory(registration__participant__phone="+31201234567")
    good = factories.OutboxMessageFactory()
    send_all_due()
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == OutboxMessage.Status.FAILED
    assert "+31201234567" in bad.last_error
    assert good.status == OutboxMessage.Status.SENT


def test_a_temporary_failure_is_retried_with_growing_waits_then_fails(settings):
    settings.SMS_BACKEND = "messaging.sms.backends.http.SmsBackend"
    settings.SMS_HTTP_URL = "http://127.0.0.1:1/send"  # nothing listens here
    settings.OUTBOX_MAX_ATTEMPTS = 3
    message = factories.OutboxMessageFactory()
    now = timezone.now()
    waits = []
    for _ in range(3):
        send_all_due(now=now)
        message.refresh_from_db()
        waits.append(message.due_at - now)
        now = message.due_at
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 3
    assert waits[1] == 2 * waits[0]


def test_a_stale_claim_is_claimed_again():
    message = factories.OutboxMessageFactory()
    assert outbox_claim_due() == [message.pk]
    assert outbox_claim_due() == []
    later = timezone.now() + timedelta(minutes=10)
    assert outbox_claim_due(now=later) == [message.pk]


def test_staff_send_a_free_message_to_everyone_signed_up(staff_client, session):
    confirmed = sign_up(session, 1)
    waiting = sign_up(session, 2)
    cancelled = sign_up(factories.SessionFactory(programme=session.programme), 3)
    url = reverse("admin:programme_sessions_session_message", args=[session.pk])
    assert staff_client.get(url).status_code == 200
    staff_client.post(url, {"text": "We zitten in zaal 2."})
    messages = OutboxMessage.objects.filter(kind="staff_message")
    assert {m.registration_id for m in messages} == {confirmed.pk, waiting.pk}
    assert "We zitten in zaal 2." in render_message(messages.first()).body
    assert cancelled.pk not in {m.registration_id for m in messages}


def test_retry_from_the_admin_and_failed_messages_on_the_home_page(staff_client):
    failed = factories.OutboxMessageFactory(status="failed", last_error="Provider down", attempts=6)
    assert "kon niet worden verstuurd" in staff_client.get(reverse("admin:index")).content.decode()
    staff_client.post(
        reverse("admin:messaging_outboxmessage_changelist"),
        {"action": "retry", "_selected_action": [failed.pk]},
    )
    failed.refresh_from_db()
    assert failed.status in (OutboxMessage.Status.PENDING, OutboxMessage.Status.QUEUED)
    assert failed.attempts == 0


def test_no_message_for_someone_without_contact_details(session):
    registration = registration_create(session=session, name="Meneer Jansen", source=Registration.Source.DESK)
    assert not OutboxMessage.objects.filter(registration=registration.registration).exists()
