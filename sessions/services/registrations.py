from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from messaging.models import OutboxMessage
from messaging.services import message_record, messages_record_for_new_registration, reminders_schedule
from people.models import Consent
from people.services import consent_record, participant_find_or_create
from programmes.models import Programme

from ..models import CourseRun, Registration, Session
from ..selectors import registration_closed_reason, registration_waitlist_position


class RegistrationClosed(Exception):
    """Sign-up is not possible; the message is plain Dutch for the person trying."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class RegistrationResult:
    registration: Registration
    created: bool

    @property
    def waitlist_position(self):
        return registration_waitlist_position(registration=self.registration)


def _lock_target(*, session, run):
    """Lock the row whose places are counted; concurrent sign-ups for it queue here.

    The row is read again under the lock; its programme and library, already loaded by the caller,
    are kept rather than joined again.
    """
    given = run if run is not None else session
    model = CourseRun if run is not None else Session
    locked = model.objects.select_for_update().get(pk=given.pk)
    if locked.programme_id == given.programme_id and model.programme.is_cached(given):
        locked.programme = given.programme
    else:
        locked.programme = Programme.objects.select_related("library").get(pk=locked.programme_id)
    return (None, locked) if run is not None else (locked, None)


def _lock_published_meeting(session_id):
    # FOR UPDATE OF the meeting only: its programme and library come along unlocked.
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("programme__library")
        .get(pk=session_id, programme__is_published=True)
    )


def _registrations_for(*, session, run):
    return (
        Registration.objects.filter(run=run)
        if run is not None
        else Registration.objects.filter(session=session)
    )


@transaction.atomic
def registration_create(
    *,
    session: Session | None = None,
    run: CourseRun | None = None,
    session_id: int | None = None,
    name: str,
    phone: str = "",
    email: str = "",
    preferred_channel: str = "",
    help_wanted: str = "",
    source: str = Registration.Source.ONLINE,
    language: str = "nl",
    consent_text: str = "",
    user=None,
    referral=None,
    now=None,
) -> RegistrationResult:
    """Sign a person up for a meeting, or for a whole course run.

    Seats are counted under a row lock on the meeting (or course run), so that concurrent sign-ups
    can never take more places than there are; the rest go on the waiting list in order.

    ``session_id`` instead of ``session`` is for a meeting's public page, which has not read the
    meeting: it is read once, under its lock, and only when its programme is published (else
    Session.DoesNotExist).
    """
    now = now or timezone.now()
    if session_id is not None:
        session = _lock_published_meeting(session_id)
        if session.run_id:
            session, run = _lock_target(session=None, run=session.run)
    else:
        if session is not None and session.run_id and run is None:
            run, session = session.run, None
        session, run = _lock_target(session=session, run=run)
    target = run or session
    programme = target.programme

    reason = registration_closed_reason(
        session=session, run=run, now=now, staff=source != Registration.Source.ONLINE
    )
    if reason:
        raise RegistrationClosed(reason)

    participant = participant_find_or_create(
        library=programme.library,
        name=name,
        phone=phone,
        email=email,
        preferred_channel=preferred_channel,
        language=language,
        user=user,
        now=now,
    )
    registrations = _registrations_for(session=session, run=run)
    # One look at the meeting's registrations: places taken, and this person's own sign-up if any.
    seen = registrations.aggregate(
        taken=Count("pk", filter=Q(status__in=Registration.SEATED)),
        existing=Max("pk", filter=Q(participant=participant) & ~Q(status=Registration.Status.CANCELLED)),
    )
    if seen["existing"]:
        existing = Registration.objects.select_related("participant").get(pk=seen["existing"])
        message_record(
            kind=OutboxMessage.Kind.PERSONAL_LINK,
            registration=existing,
            key_suffix=now.isoformat(),
        )
        return RegistrationResult(registration=existing, created=False)

    has_room = target.capacity is None or seen["taken"] < target.capacity
    registration = Registration.objects.create(
        participant=participant,
        session=session,
        run=run,
        status=Registration.Status.CONFIRMED if has_room else Registration.Status.WAITLISTED,
        source=source,
        help_wanted=help_wanted,
        referral=referral,
    )
    if consent_text:
        consent_record(
            participant=participant,
            purpose=Consent.Purpose.CONTACT,
            text=consent_text,
            method=Consent.Method(source),  # the same values as the sources
            now=now,
        )
    if participant.last_activity_at != now:
        participant.last_activity_at = now
        participant.save(update_fields=["last_activity_at"])
    messages_record_for_new_registration(
        registration=registration,
        kind=OutboxMessage.Kind.REGISTRATION_CONFIRMED
        if has_room
        else OutboxMessage.Kind.REGISTRATION_WAITLISTED,
        reminders=has_room,
        consent_given=bool(consent_text),
        now=now,
    )
    return RegistrationResult(registration=registration, created=True)


@transaction.atomic
def registration_cancel(*, registration: Registration, now=None) -> Registration:
    """Cancel a registration; a freed place goes to the first person on the waiting list."""
    now = now or timezone.now()
    session, run = _lock_target(session=registration.session, run=registration.run)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    OutboxMessage.objects.filter(registration=registration, status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.CANCELLED
    )
    message_record(kind=OutboxMessage.Kind.REGISTRATION_CANCELLED, registration=registration)
    registration_waitlist_promote(session=session, run=run, now=now)
    return registration


def registration_waitlist_promote(*, session=None, run=None, now=None) -> list[Registration]:
    """Give free places to the waiting list in order. Call inside the transaction holding the lock."""
    now = now or timezone.now()
    target = run or session
    if target is None or (
        session is not None and (session.status == Session.Status.CANCELLED or session.starts_at <= now)
    ):
        return []
    registrations = _registrations_for(session=session, run=run)
    taken = registrations.filter(status__in=Registration.SEATED).count()
    free = None if target.capacity is None else max(0, target.capacity - taken)
    waiting = registrations.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")
    if free is not None:
        waiting = waiting[:free]
    promoted = list(waiting.select_for_update())
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        message_record(kind=OutboxMessage.Kind.WAITLIST_PROMOTED, registration=registration)
        reminders_schedule(registration=registration, now=now)
    return promoted


@transaction.atomic
def registration_waitlist_fill(*, session: Session | None = None, run: CourseRun | None = None, now=None):
    """After staff add places, give them to the waiting list, under the same lock as sign-ups."""
    session, run = _lock_target(session=session, run=run)
    return registration_waitlist_promote(session=session, run=run, now=now)
