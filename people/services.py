from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from .models import Consent, Participant


def _participants():
    # LOWER(email) matches the unique index on it; email__iexact (UPPER) would scan the library.
    # An anonymised record has no contact details left; it must never be matched to a new sign-up.
    return Participant.objects.alias(email_lower=Lower("email")).filter(anonymised_at__isnull=True)


def participant_find_or_create(
    *,
    library,
    name,
    phone="",
    email="",
    preferred_channel="",
    language="nl",
    registered_at_desk=False,
    user=None,
    now=None,
):
    """One person, one record per library: match on phone number first, then on e-mail address.

    Contact details the record lacks are filled in; existing ones are never overwritten by a sign-up.
    A new record's last activity is ``now`` when given (the sign-up that creates it).
    """
    phone = str(phone or "")
    email = (email or "").strip().lower()
    lookups = []
    if phone:
        lookups.append(Q(phone=phone))
    if email:
        # "email <> ''" lets PostgreSQL use the partial unique index on LOWER(email).
        lookups.append(Q(email_lower=email) & ~Q(email=""))
    for lookup in lookups:
        participant = _participants().filter(lookup, library=library).first()
        if participant:
            _fill_blanks(participant, phone=phone, email=email, channel=preferred_channel, user=user)
            return participant
    try:
        with transaction.atomic():
            return Participant.objects.create(
                library=library,
                name=name,
                phone=phone,
                email=email,
                preferred_channel=preferred_channel,
                language=language,
                registered_at_desk=registered_at_desk or not (phone or email),
                user=user,
                last_activity_at=now,
            )
    except IntegrityError:
        # The same person signed up for something else at the same moment: use that record.
        for lookup in lookups:
            participant = _participants().filter(lookup, library=library).first()
            if participant:
                return participant
        raise


def _fill_blanks(participant, *, phone, email, channel, user):
    changed = []
    if phone and not participant.phone:
        if not _participants().filter(library_id=participant.library_id, phone=phone).exists():
            participant.phone = phone
            changed.append("phone")
    if email and not participant.email:
        if (
            not _participants()
            .filter(library_id=participant.library_id, email_lower=email)
            .exclude(email="")
            .exists()
        ):
            participant.email = email
            changed.append("email")
    if channel and not participant.preferred_channel:
        participant.preferred_channel = channel
        changed.append("preferred_channel")
    if user and not participant.user_id:
        participant.user = user
        changed.append("user")
    if changed:
        participant.registered_at_desk = participant.registered_at_desk and not (
            participant.phone or participant.email
        )
        participant.save(update_fields=[*changed, "registered_at_desk", "updated_at"])


def consent_record(*, participant, purpose, text, method, now=None):
    return Consent.objects.create(
        participant=participant, purpose=purpose, text=text, method=method, given_at=now or timezone.now()
    )


@transaction.atomic
def consent_withdraw(*, participant, purpose=None, now=None):
    """The participant takes back consent (one purpose, or all of them), effective at once.

    Withdrawing consent to report back also clears it on every referral of the participant, so that no
    referrer sees attendance or completion from this moment on, and no later edit of a referral can
    silently bring it back. Withdrawing consent to be contacted stops the messages already waiting in
    the outbox. Returns the number of consents withdrawn.
    """
    from messaging.models import OutboxMessage
    from partners.models import Referral

    now = now or timezone.now()
    consents = Consent.objects.filter(participant=participant, withdrawn_at__isnull=True)
    if purpose:
        consents = consents.filter(purpose=purpose)
    count = consents.update(withdrawn_at=now)
    flags = {
        Consent.Purpose.CONTACT: "consent_contact",
        Consent.Purpose.REPORT_TO_REFERRER: "consent_report_attendance",
    }
    cleared = {field: False for key, field in flags.items() if purpose in (None, key)}
    Referral.objects.filter(participant=participant).update(**cleared, updated_at=now)
    if purpose in (None, Consent.Purpose.CONTACT):
        OutboxMessage.objects.filter(
            participant=participant,
            status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.QUEUED],
        ).update(status=OutboxMessage.Status.CANCELLED, last_error="Consent to be contacted was withdrawn.")
    return count
