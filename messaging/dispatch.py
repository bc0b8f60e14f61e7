"""Claiming due outbox rows and delivering them, once.

A row moves pending → queued (claimed, a task enqueued after commit) → sent, failed or cancelled.
A queued row whose claim is older than the lease is claimed again: its broker message was lost, or
the worker died. Delivery holds the row's lock while sending and re-checks its status first, so two
tasks for one row never both send; the provider also gets the row's idempotency key, so a send that
reached it just before a worker died is not delivered twice when retried.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from appointments.models import Appointment
from people.models import ContactChannel
from sessions.models import Registration, Session

from . import sms
from .models import MessageKind, OutboxMessage
from .rendering import render_message

logger = logging.getLogger(__name__)


def outbox_claim_due(*, now=None, limit=None):
    """Claim due rows (skipping rows another dispatcher holds) and return their ids."""
    now = now or timezone.now()
    limit = limit or settings.OUTBOX_BATCH_SIZE
    stale = now - timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=OutboxMessage.Status.PENDING, due_at__lte=now)
                | Q(status=OutboxMessage.Status.QUEUED, queued_at__lt=stale)
            )
            .order_by("due_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        OutboxMessage.objects.filter(pk__in=ids).update(status=OutboxMessage.Status.QUEUED, queued_at=now)
    return ids


def outbox_release(*, ids):
    """Hand claimed rows back when they could not be enqueued (the broker is down)."""
    OutboxMessage.objects.filter(pk__in=ids, status=OutboxMessage.Status.QUEUED).update(
        status=OutboxMessage.Status.PENDING, queued_at=None
    )


def _unwanted_reason(message, now):
    """Why a message should no longer go out, or None. Checked at send time, under the row lock."""
    if message.appointment_id:
        return _unwanted_appointment_reason(message, now)
    registration = message.registration
    if registration is not None and registration.status == Registration.Status.CANCELLED:
        if message.kind not in (MessageKind.REGISTRATION_CANCELLED,):
            return "The registration was cancelled."
    if message.kind in (MessageKind.REMINDER, MessageKind.ONLINE_LINK):
        session = message.session
        if registration is None or registration.status != Registration.Status.CONFIRMED:
            return "The person has no confirmed place."
        if session.status == Session.Status.CANCELLED:
            return "The meeting was cancelled."
        if message.context.get("starts_at") != session.starts_at.isoformat():
            return "The meeting moved; a new reminder replaces this one."
        if session.ends_at <= now:
            return "The meeting is over."
        if message.kind == MessageKind.ONLINE_LINK and not session.online_url:
            return "The meeting has no online link."
    return None


def _unwanted_appointment_reason(message, now):
    appointment = message.appointment
    if (
        appointment.status == Appointment.Status.CANCELLED
        and message.kind != MessageKind.APPOINTMENT_CANCELLED
    ):
        return "The appointment was cancelled."
    if message.kind == MessageKind.APPOINTMENT_REMINDER:
        slot = appointment.slot
        if appointment.status != Appointment.Status.BOOKED:
            return "The appointment is no longer booked."
        if message.context.get("starts_at") != slot.starts_at.isoformat():
            return "The appointment moved; a new reminder replaces this one."
        if slot.starts_at <= now:
            return "The appointment has started."
    return None


def _send(message, rendered):
    if message.channel == ContactChannel.EMAIL:
        recipient = message.recipient
        email = EmailMultiAlternatives(
            subject=rendered.subject,
            body=rendered.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
            headers={"Message-ID": f"<{message.idempotency_key.replace(':', '.')}@werkportaal>"},
        )
        email.attach_alternative(rendered.html, "text/html")
        email.send()
        return ""
    return sms.send_sms(
        sms.SmsMessage(
            to=str(message.participant.phone),
            body=rendered.body,
            idempotency_key=message.idempotency_key,
            channel="whatsapp" if message.channel == ContactChannel.WHATSAPP else "sms",
        )
    )


def _sessions():
    return Session.objects.select_related("programme", "run", "branch", "partner_site__partner")


def _session_id(message):
    registration = message.registration
    return message.session_id or (registration.session_id if registration else None)


def _load_session(message, sessions):
    """The meeting a message is about, with what its text needs (messages_preload reads them per chunk)."""
    registration = message.registration
    session_id = _session_id(message)
    if session_id is None:
        return
    session = sessions.get(session_id)
    if session is None:
        session = sessions[session_id] = _sessions().get(pk=session_id)
    if message.session_id == session_id:
        message.session = session
    if registration is not None and registration.session_id == session_id:
        registration.session = session


def _messages(ids):
    # Few joins: PostgreSQL plans a ten-table join for longer than it takes to run it.
    return OutboxMessage.objects.select_related("participant", "contact", "library", "registration").filter(
        pk__in=ids
    )


def messages_preload(*, message_ids):
    """The rows of a chunk and their meetings, a query each (unlocked), for message_deliver's ``cache``."""
    messages = {message.pk: message for message in _messages(message_ids)}
    session_ids = {_session_id(message) for message in messages.values()} - {None}
    return {"messages": messages, "sessions": _sessions().in_bulk(session_ids) if session_ids else {}}


def message_deliver(*, message_id, now=None, cache=None):
    """Send one claimed message. Returns its final status for this attempt.

    ``cache`` (a dict) may be shared by the messages of one chunk: their rows (messages_preload), a
    meeting and a message text are then read once for all of them, not once per message. The row's
    status is always read again under its lock, so a message cancelled meanwhile is not sent.
    """
    now = now or timezone.now()
    cache = {} if cache is None else cache
    with transaction.atomic():
        current = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id)
            .values_list("status", "attempts")
            .order_by()[:1]
        )
        current = current[0] if current else None
        if current is None or current[0] != OutboxMessage.Status.QUEUED:
            return current[0] if current else None
        message = cache.get("messages", {}).pop(message_id, None) or _messages([message_id]).get()
        message.status, message.attempts = current
        _load_session(message, cache.setdefault("sessions", {}))
        message.attempts += 1
        try:
            reason = _unwanted_reason(message, now)
            if reason:
                message.status, message.last_error = OutboxMessage.Status.CANCELLED, reason
            else:
                rendered = render_message(message, texts=cache.setdefault("texts", {}))
                message.provider_id = _send(message, rendered) or ""
                message.status, message.last_error = OutboxMessage.Status.SENT, ""
                message.sent_at = timezone.now()
        except sms.PermanentSmsError as error:
            message.status, message.last_error = OutboxMessage.Status.FAILED, str(error)
        except Exception as error:  # noqa: BLE001 - any other failure is retried with backoff
            logger.warning("Sending outbox message %s failed: %s", message.pk, error)
            _retry_later(message, error, now)
        message.save(update_fields=["status", "sent_at", "provider_id", "attempts", "last_error", "due_at"])
        return message.status


def _retry_later(message, error, now):
    detail = str(error) or type(error).__name__
    if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        message.status = OutboxMessage.Status.FAILED
        message.last_error = f"Gave up after {message.attempts} attempts. Last problem: {detail}"
        return
    delay = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (message.attempts - 1)
    # A provider that asks to wait longer is obeyed.
    delay = max(delay, getattr(error, "retry_after", None) or 0)
    message.status, message.due_at = OutboxMessage.Status.PENDING, now + timedelta(seconds=delay)
    message.last_error = f"Attempt {message.attempts} failed, will try again: {detail}"
