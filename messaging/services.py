from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from people.models import ContactChannel

from .models import MessageKind, OutboxMessage

# Messages that only make sense while the person still has a seat at a meeting that is going ahead.
SEAT_BOUND_KINDS = (MessageKind.REMINDER, MessageKind.ONLINE_LINK)


def _channel_for(participant):
    """The channel a message can actually use: the person's preference when it is reachable."""
    preferred = participant.preferred_channel
    if preferred == ContactChannel.EMAIL and participant.email:
        return ContactChannel.EMAIL
    if preferred in (ContactChannel.SMS, ContactChannel.WHATSAPP) and participant.phone:
        return preferred
    if participant.phone:
        # A phone call cannot be automated: a text message reaches the same phone.
        return ContactChannel.SMS
    if participant.email:
        return ContactChannel.EMAIL
    return None


def _wake_dispatcher_if_due(message):
    if message.due_at <= timezone.now():
        from .tasks import dispatch_outbox

        # After commit, and never failing the sign-up: the beat schedule picks it up anyway.
        transaction.on_commit(dispatch_outbox.delay, robust=True)


@transaction.atomic
def message_record(*, kind, registration, session=None, key_suffix="", due_at=None, context=None):
    """Record that a message about a registration must be sent. Idempotent per key.

    Returns the message, or None when the person left no way to reach them (signed up at the desk).
    """
    participant = registration.participant
    channel = _channel_for(participant)
    if channel is None:
        return None
    key = f"{kind}:{registration.public_id}{':' + key_suffix if key_suffix else ''}"
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "library": participant.library,
            "participant": participant,
            "registration": registration,
            "session": session,
            "kind": kind,
            "channel": channel,
            "language": participant.language,
            "context": context or {},
            "due_at": due_at or timezone.now(),
        },
    )
    if created:
        _wake_dispatcher_if_due(message)
    return message


@transaction.atomic
def message_record_for_contact(*, kind, contact, library, key, context, language="nl"):
    """A message to a partner's consultant (referral updates), always by e-mail."""
    if not contact.email:
        return None
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=f"{kind}:{key}",
        defaults={
            "library": library,
            "contact": contact,
            "kind": kind,
            "channel": ContactChannel.EMAIL,
            "language": language,
            "context": context,
            "due_at": timezone.now(),
        },
    )
    if created:
        _wake_dispatcher_if_due(message)
    return message


def _registration_sessions(registration, *, now):
    if registration.session_id:
        sessions = [registration.session]
    else:
        sessions = list(registration.run.sessions.select_related("programme"))
    return [s for s in sessions if s.starts_at > now and s.status != s.Status.CANCELLED]


def reminders_schedule(*, registration, sessions=None, now=None):
    """Reminders (and, for an online meeting, its link) for a confirmed registration.

    The start time is part of each key, so that moving a meeting gives new reminders.
    """
    now = now or timezone.now()
    if sessions is None:
        sessions = _registration_sessions(registration, now=now)
    for session in sessions:
        start = session.starts_at
        programme = session.programme
        context = {"starts_at": start.isoformat()}
        for hours in programme.reminder_offsets:
            due = start - timedelta(hours=hours)
            if due > now:
                message_record(
                    kind=MessageKind.REMINDER,
                    registration=registration,
                    session=session,
                    key_suffix=f"{session.pk}:{start.isoformat()}:{hours}h",
                    due_at=due,
                    context=context,
                )
        if session.is_online and session.online_url:
            due = max(now, start - timedelta(minutes=programme.online_link_minutes_before))
            message_record(
                kind=MessageKind.ONLINE_LINK,
                registration=registration,
                session=session,
                key_suffix=f"{session.pk}:{start.isoformat()}",
                due_at=due,
                context=context,
            )


def reminders_cancel(*, registration=None, session=None):
    """Pending reminders and online links that no longer apply."""
    messages = OutboxMessage.objects.filter(kind__in=SEAT_BOUND_KINDS, status=OutboxMessage.Status.PENDING)
    if registration is not None:
        messages = messages.filter(registration=registration)
    if session is not None:
        messages = messages.filter(session=session)
    return messages.update(status=OutboxMessage.Status.CANCELLED)


@transaction.atomic
def message_retry(*, message):
    """Staff send a failed message again."""
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.FAILED).update(
        status=OutboxMessage.Status.PENDING, attempts=0, due_at=timezone.now(), last_error=""
    )
    message.refresh_from_db()
    _wake_dispatcher_if_due(message)
    return message
