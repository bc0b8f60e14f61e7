from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from people.models import Consent, ContactChannel

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


# Set while a run of the dispatcher is queued and has not started yet (see _wake_dispatcher).
WAKE_PENDING_KEY = "outbox:wake-pending"


def _wake_dispatcher_if_due(message):
    if message.due_at <= timezone.now():
        # After commit, and never failing the sign-up: the beat schedule picks it up anyway.
        transaction.on_commit(_wake_dispatcher, robust=True)


def _wake_dispatcher():
    """Queue one run of the dispatcher, unless one is queued that has not started yet.

    That run claims every due row, this one included: the mark is cleared as the run starts, before
    it claims, so a message recorded after the claim queues a run of its own. A burst of sign-ups
    then costs the broker a few tasks rather than one each.
    """
    from .tasks import dispatch_outbox

    seconds = settings.OUTBOX_WAKE_PENDING_SECONDS
    if seconds and not cache.add(WAKE_PENDING_KEY, 1, timeout=seconds):
        return
    try:
        dispatch_outbox.delay()
    except Exception:
        cache.delete(WAKE_PENDING_KEY)
        raise


def _consents_to_contact(participant):
    """Not after the person withdrew consent to be contacted (until they give it again)."""
    consents = Consent.objects.filter(participant=participant, purpose=Consent.Purpose.CONTACT).aggregate(
        active=Count("pk", filter=Q(withdrawn_at__isnull=True)),
        withdrawn=Count("pk", filter=Q(withdrawn_at__isnull=False)),
    )
    return consents["active"] > 0 or consents["withdrawn"] == 0


def _reachable_channel(participant, *, consent_given=False):
    """The channel a message to this person can use; None without contact details, after erasure, or
    without consent to be contacted.

    ``consent_given``: the person consented to be contacted in this same transaction (no need to look).
    """
    channel = _channel_for(participant)
    if channel is None or participant.anonymised_at is not None:
        return None
    if not consent_given and not _consents_to_contact(participant):
        return None
    return channel


def _message_fields(*, participant, channel, kind, due_at, context, **links):
    return {
        "library_id": participant.library_id,
        "participant": participant,
        "kind": kind,
        "channel": channel,
        "language": participant.language,
        "context": context or {},
        "due_at": due_at or timezone.now(),
        **links,
    }


def _record_for_participant(*, participant, key, kind, due_at, context, **links):
    channel = _reachable_channel(participant)
    if channel is None:
        return None
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=key,
        defaults=_message_fields(
            participant=participant, channel=channel, kind=kind, due_at=due_at, context=context, **links
        ),
    )
    if created:
        _wake_dispatcher_if_due(message)
    return message


def _registration_key(kind, registration, key_suffix=""):
    return f"{kind}:{registration.public_id}{':' + key_suffix if key_suffix else ''}"


@transaction.atomic(savepoint=False)
def message_record(*, kind, registration, session=None, key_suffix="", due_at=None, context=None):
    """Record that a message about a registration must be sent. Idempotent per key.

    Returns the message, or None when the person left no way to reach them (signed up at the desk).
    """
    return _record_for_participant(
        participant=registration.participant,
        key=_registration_key(kind, registration, key_suffix),
        kind=kind,
        due_at=due_at,
        context=context,
        registration=registration,
        session=session,
    )


@transaction.atomic(savepoint=False)
def appointment_message_record(*, kind, appointment, key_suffix="", due_at=None, context=None):
    """Record a message about a one-to-one appointment. Idempotent per key; None when unreachable."""
    return _record_for_participant(
        participant=appointment.participant,
        key=f"{kind}:{appointment.public_id}{':' + key_suffix if key_suffix else ''}",
        kind=kind,
        due_at=due_at,
        context=context,
        appointment=appointment,
    )


def appointment_reminders_schedule(*, appointment, now=None):
    """Reminders before a booked appointment. The start is in the key: a moved one gets new ones."""
    now = now or timezone.now()
    slot = appointment.slot
    start = slot.starts_at
    recorded = []
    for hours in slot.block.coach.reminder_offsets:
        due = start - timedelta(hours=hours)
        if due > now:
            recorded.append(
                appointment_message_record(
                    kind=MessageKind.APPOINTMENT_REMINDER,
                    appointment=appointment,
                    key_suffix=f"{slot.pk}:{start.isoformat()}:{hours}h",
                    due_at=due,
                    context={"starts_at": start.isoformat()},
                )
            )
    return recorded


def appointment_reminders_cancel(*, appointment):
    """Pending reminders of an appointment that was cancelled or moved."""
    return OutboxMessage.objects.filter(
        appointment=appointment,
        kind=MessageKind.APPOINTMENT_REMINDER,
        status=OutboxMessage.Status.PENDING,
    ).update(status=OutboxMessage.Status.CANCELLED)


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


def _reminder_specs(*, sessions, now):
    """What reminders_schedule records: kind, meeting, key suffix, due time and context of each."""
    specs = []
    for session in sessions:
        start = session.starts_at
        programme = session.programme
        context = {"starts_at": start.isoformat()}
        for hours in programme.reminder_offsets:
            due = start - timedelta(hours=hours)
            if due > now:
                specs.append(
                    {
                        "kind": MessageKind.REMINDER,
                        "session": session,
                        "key_suffix": f"{session.pk}:{start.isoformat()}:{hours}h",
                        "due_at": due,
                        "context": context,
                    }
                )
        if session.is_online and session.online_url:
            specs.append(
                {
                    "kind": MessageKind.ONLINE_LINK,
                    "session": session,
                    "key_suffix": f"{session.pk}:{start.isoformat()}",
                    "due_at": max(now, start - timedelta(minutes=programme.online_link_minutes_before)),
                    "context": context,
                }
            )
    return specs


def reminders_schedule(*, registration, sessions=None, now=None):
    """Reminders (and, for an online meeting, its link) for a confirmed registration.

    The start time is part of each key, so that moving a meeting gives new reminders.
    """
    now = now or timezone.now()
    if sessions is None:
        sessions = _registration_sessions(registration, now=now)
    for spec in _reminder_specs(sessions=sessions, now=now):
        message_record(registration=registration, **spec)


def messages_record_for_new_registration(*, registration, kind, reminders, consent_given=False, now=None):
    """The first messages of a registration made in this transaction, in one INSERT: ``kind`` (the
    confirmation or the waiting-list message) and, when ``reminders``, what reminders_schedule records.

    Their keys hold the new registration's public id, so none of them can exist yet: no look-up and
    no savepoint per message, as message_record needs. ``consent_given``: the person consented to be
    contacted in this same sign-up. Returns the messages recorded.
    """
    now = now or timezone.now()
    participant = registration.participant
    channel = _reachable_channel(participant, consent_given=consent_given)
    if channel is None:
        return []
    specs = [{"kind": kind, "due_at": now}]
    if reminders:
        specs += _reminder_specs(sessions=_registration_sessions(registration, now=now), now=now)
    messages = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                idempotency_key=_registration_key(spec["kind"], registration, spec.get("key_suffix", "")),
                **_message_fields(
                    participant=participant,
                    channel=channel,
                    kind=spec["kind"],
                    due_at=spec["due_at"],
                    context=spec.get("context"),
                    registration=registration,
                    session=spec.get("session"),
                ),
            )
            for spec in specs
        ]
    )
    _wake_dispatcher_if_due(messages[0])  # the confirmation, due now: one wake-up is enough
    return messages


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
