"""What people who signed up hear when staff change a meeting."""

import uuid

from django.db import transaction

from messaging.models import MessageKind
from messaging.services import message_record, reminders_cancel, reminders_schedule

from ..models import Registration, Session


def _active_registrations(session):
    target = {"run": session.run} if session.run_id else {"session": session}
    return Registration.objects.filter(
        status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED], **target
    ).select_related("participant")


@transaction.atomic
def session_changes_notify(*, session: Session, old_starts_at, old_status) -> int:
    """After staff saved a meeting: cancelled, moved or moved online → tell everyone signed up.

    Reminders follow the meeting: cancelled ones vanish, moved ones are made again for the new time.
    """
    recorded = 0
    start = session.starts_at.isoformat()
    registrations = list(_active_registrations(session))
    if session.status == Session.Status.CANCELLED and old_status != Session.Status.CANCELLED:
        reminders_cancel(session=session)
        for registration in registrations:
            recorded += bool(
                message_record(
                    kind=MessageKind.SESSION_CANCELLED,
                    registration=registration,
                    session=session,
                    key_suffix=f"{session.pk}",
                    context={"reason": session.cancellation_reason},
                )
            )
        return recorded
    if session.status == Session.Status.CANCELLED:
        return 0
    # The admin's date-time fields drop microseconds: compare what staff can see.
    moved = old_starts_at is not None and old_starts_at.replace(microsecond=0) != session.starts_at.replace(
        microsecond=0
    )
    moved_online = session.status == Session.Status.MOVED_ONLINE and old_status != Session.Status.MOVED_ONLINE
    if moved or moved_online:
        reminders_cancel(session=session)
        kind = MessageKind.SESSION_MOVED_ONLINE if moved_online else MessageKind.SESSION_MOVED
        for registration in registrations:
            recorded += bool(
                message_record(
                    kind=kind, registration=registration, session=session, key_suffix=f"{session.pk}:{start}"
                )
            )
            if registration.status == Registration.Status.CONFIRMED:
                reminders_schedule(registration=registration, sessions=[session])
    return recorded


@transaction.atomic
def session_message_send(*, session: Session, text: str) -> int:
    """A free message from staff to everyone signed up for a meeting ("the room changed")."""
    batch = uuid.uuid4().hex
    recorded = 0
    for registration in _active_registrations(session):
        recorded += bool(
            message_record(
                kind=MessageKind.STAFF_MESSAGE,
                registration=registration,
                session=session,
                key_suffix=batch,
                context={"message": text},
            )
        )
    return recorded
