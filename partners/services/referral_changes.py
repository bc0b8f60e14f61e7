"""A consultant corrects a referral the library has not acted on yet, or withdraws it.

Both lock the referral row first, as `referral_status_change` does: a correction or a withdrawal racing
another one, or the library's next step, waits for it and then sees the status it left behind.
"""

from datetime import datetime, time

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from people.models import PHONE_CHANNELS, Consent, ContactChannel, Participant
from people.services import consent_withdraw, participant_find_or_create

from ..change_selectors import (
    may_correct,
    may_withdraw,
    participant_belongs_to_referral_alone,
    referral_contact_given,
)
from ..models import Referral, ReferralAuditEvent, ReferralStatusChange
from .audit import referral_audit_record
from .referrals import OPEN_STATUSES, ReferralRefused, _notify_referrer

Status = Referral.Status
Reason = Referral.WithdrawalReason
CONTACT_FIELDS = ("name", "phone", "email", "channel")


def _locked(referral, contact):
    """The referral, locked, if it is one of the consultant's organisation's; else refused."""
    try:
        return (
            Referral.objects.select_for_update(of=("self",))
            .select_related("programme", "partner", "referrer", "library")
            .get(pk=referral.pk, partner=contact.partner_id)
        )
    except Referral.DoesNotExist:
        raise ReferralRefused(gettext("This is not a referral of your organisation.")) from None


@transaction.atomic
def referral_correct(
    *,
    referral,
    contact,
    user,
    name,
    phone="",
    email="",
    preferred_channel,
    kind,
    note="",
    stop_reporting=False,
    now=None,
):
    """Correct what the consultant gave, while the referral is "received". Returns what changed.

    The correction reaches the record the library uses to reach the person, but never overwrites a
    record that is not the referral's own (see `_participant_correct`). It never gives consent:
    `stop_reporting` only takes back the consent to report back, through `consent_withdraw`.
    """
    now = now or timezone.now()
    referral = _locked(referral, contact)
    if not may_correct(referral):
        raise ReferralRefused(
            gettext(
                "The library has already started on this referral, so you cannot correct it here any more. "
                "Call or e-mail the library with the change."
            )
        )
    _check(name=name, phone=phone, email=email, channel=preferred_channel, kind=kind)
    given = referral_contact_given(referral)
    new = {
        "name": name.strip(),
        "phone": str(phone or ""),
        "email": (email or "").strip().lower(),
        "channel": preferred_channel,
    }
    old = {
        "name": given.name,
        "phone": str(given.phone or ""),
        "email": given.email,
        "channel": given.channel,
    }
    changed = [key for key in CONTACT_FIELDS if new[key] != old[key]]
    if kind != referral.kind:
        changed.append("kind")
    if note.strip() != referral.note:
        changed.append("note")
    stop_reporting = bool(stop_reporting and referral.consent_report_attendance)
    if not changed and not stop_reporting:
        return []

    if any(key in CONTACT_FIELDS for key in changed):
        reached_by_changed = "phone" in changed or "email" in changed
        _participant_correct(referral, contact=contact, **new, reached_by_changed=reached_by_changed)
    referral.participant_name = new["name"]
    referral.participant_phone = new["phone"]
    referral.participant_email = new["email"]
    referral.participant_channel = new["channel"]
    referral.kind = kind
    referral.note = note.strip()
    referral.save(
        update_fields=[
            "participant",
            "participant_name",
            "participant_phone",
            "participant_email",
            "participant_channel",
            "kind",
            "note",
            "updated_at",
        ]
    )
    if stop_reporting:
        # The participant's own word, told to the consultant: taken back everywhere, at once.
        consent_withdraw(
            participant=referral.participant, purpose=Consent.Purpose.REPORT_TO_REFERRER, now=now
        )
        referral.consent_report_attendance = False
        changed.append("consent_report_attendance")
    referral_audit_record(
        user=user,
        action=ReferralAuditEvent.Action.CORRECTED,
        referrals=[referral],
        partner=contact.partner,
        detail=", ".join(changed),
        now=now,
    )
    return changed


def _check(*, name, phone, email, channel, kind):
    """What the form checks, checked again: the participant record's constraints must hold."""
    if not name.strip():
        raise ReferralRefused(gettext("Fill in the participant's name."), field="name")
    if not (phone or (email or "").strip()):
        raise ReferralRefused(gettext("Fill in a phone number or an e-mail address."), field="phone")
    if channel not in ContactChannel.values:
        raise ReferralRefused(gettext("Choose how the library reaches the participant."), "preferred_channel")
    if channel == ContactChannel.EMAIL and not (email or "").strip():
        raise ReferralRefused(gettext("You chose e-mail. Fill in the e-mail address."), field="email")
    if channel in PHONE_CHANNELS and not phone:
        raise ReferralRefused(gettext("You chose the phone. Fill in the phone number."), field="phone")
    if kind not in Referral.Kind.values:
        raise ReferralRefused(gettext("Choose voluntary or mandatory."), field="kind")


def _participant_correct(referral, *, contact, name, phone, email, channel, reached_by_changed):
    """Make the participant record the library uses hold the corrected details.

    The referral's own record (made from what the consultant typed, used by nothing else) is corrected
    in place. When the new phone number or e-mail address is someone the library already knows, or the
    record is not the referral's own (the library's record, or a stranger matched by a typing error),
    nothing in it is overwritten: the referral, with the consent given through it, moves to the record
    a new referral with these details would get, exactly as `referral_create` finds it.
    """
    participant = Participant.objects.select_for_update().get(pk=referral.participant_id)
    if participant.anonymised_at:
        raise ReferralRefused(gettext("You cannot change this referral here any more. Call the library."))
    details = {"name": name, "phone": phone, "email": email, "preferred_channel": channel}
    if participant_belongs_to_referral_alone(participant, referral):
        for attribute, value in details.items():
            setattr(participant, attribute, value)
        participant.registered_at_desk = False
        try:
            with transaction.atomic():
                participant.save(update_fields=[*details, "registered_at_desk", "updated_at"])
        except IntegrityError:
            pass  # the library knows someone with this phone number or e-mail address: that person
        else:
            return
        # Free the mistyped details first, so that the known record may take over what it lacks.
        Participant.objects.filter(pk=participant.pk).update(
            phone="", email="", preferred_channel="", registered_at_desk=True
        )
        target = _find_or_create(referral, participant, details)
        Consent.objects.filter(participant=participant).update(participant=target)
        _relink(referral, target, contact=contact)
        # Nothing else points at it (checked above, under its lock): only the typing error would be kept.
        participant.delete()
        return
    if not reached_by_changed:
        return  # a name or a channel: kept on the referral, where staff see it beside their own record
    target = _find_or_create(referral, participant, details)
    if target.pk != participant.pk:
        _consents_given_with(referral, participant).update(participant=target)
        _relink(referral, target, contact=contact)


def _find_or_create(referral, participant, details):
    return participant_find_or_create(
        library=referral.library,
        name=details["name"],
        phone=details["phone"],
        email=details["email"],
        preferred_channel=details["preferred_channel"],
        language=participant.language,
    )


def _consents_given_with(referral, participant):
    """The consents `referral_create` recorded for this referral: through the referrer, on its date,
    naming its organisation and programme (one per purpose)."""
    if referral.consent_given_on is None:
        return Consent.objects.none()
    given_at = timezone.make_aware(datetime.combine(referral.consent_given_on, time.min))
    found = (
        Consent.objects.filter(participant=participant, method=Consent.Method.REFERRAL, given_at=given_at)
        .filter(text__contains=referral.partner.name)
        .filter(text__contains=referral.programme.name)
        .order_by()
        .values("purpose")
        .annotate(latest=Max("pk"))  # the newest per purpose (not DISTINCT ON: the local demo is SQLite)
        .values("latest")
    )
    return Consent.objects.filter(pk__in=found)


def _relink(referral, target, *, contact):
    if (
        Referral.objects.filter(
            partner=contact.partner_id, participant=target, programme=referral.programme_id
        )
        .filter(status__in=OPEN_STATUSES)
        .exclude(pk=referral.pk)
        .exists()
    ):
        raise ReferralRefused(
            gettext("Your organisation has already referred this person to this programme. See the overview.")
        )
    referral.participant = target
    Referral.objects.filter(pk=referral.pk).update(participant=target)


@transaction.atomic
def referral_withdraw(*, referral, contact, user, reason, note="", now=None):
    """The consultant ends the referral: final, with a reason. The participant's sign-ups stay.

    Taking part is voluntary: the person may keep coming on their own. The library sees the withdrawal
    on the referral (status, reason, who and when); a colleague who made the referral gets an e-mail.
    """
    now = now or timezone.now()
    referral = _locked(referral, contact)
    if not may_withdraw(referral):
        raise ReferralRefused(
            gettext("You can no longer withdraw this referral here. Call or e-mail the library.")
        )
    if reason not in Reason.values:
        raise ReferralRefused(gettext("Choose a reason."), field="reason")
    note = note.strip()
    if reason == Reason.OTHER and not note:
        raise ReferralRefused(gettext("You chose “Another reason”. Write down which reason."), field="note")
    previous = referral.status
    referral.status = Status.WITHDRAWN
    referral.status_changed_at = now
    referral.withdrawal_reason = reason
    referral.withdrawal_note = note
    referral.save(
        update_fields=["status", "status_changed_at", "withdrawal_reason", "withdrawal_note", "updated_at"]
    )
    change = ReferralStatusChange.objects.create(
        referral=referral, from_status=previous, to_status=Status.WITHDRAWN, changed_at=now, changed_by=user
    )
    referral_audit_record(
        user=user,
        action=ReferralAuditEvent.Action.WITHDRAWN,
        referrals=[referral],
        partner=contact.partner,
        detail=f"{previous} → {Status.WITHDRAWN}: {reason}",
        now=now,
    )
    # Whoever withdrew knows it; the consultant who made the referral may be a colleague.
    if referral.referrer is not None and referral.referrer.user_id != getattr(user, "pk", None):
        _notify_referrer(referral, change)
    return change
