"""Reads for correcting and withdrawing a referral, and its history as the referrer sees it."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from people.models import Consent, Participant

from .models import PartnerContact, Referral, ReferralAuditEvent, ReferralStatusChange
from .selectors import REPORTED_STATUSES

Status = Referral.Status

# A correction goes straight into what the library uses to reach the person, so only while the library
# has done nothing with the referral yet: no intake planned, no place booked with the old details.
CORRECTABLE_STATUSES = (Status.RECEIVED,)
# Until the participant has started. Each of these statuses is shown to every referrer (none reports
# attendance), so offering "Withdraw" or not never gives away a status hidden for lack of consent.
WITHDRAWABLE_STATUSES = (Status.RECEIVED, Status.INTAKE_PLANNED, Status.ENROLLED)

# What a correction changed (the audit event's detail), as the referrer's history names it.
CORRECTED_LABELS = {
    "name": _("name"),
    "phone": _("phone number"),
    "email": _("e-mail address"),
    "channel": _("how to reach them"),
    "kind": _("voluntary or mandatory"),
    "note": _("note"),
    "consent_report_attendance": _("consent to report back withdrawn"),
}


def may_correct(referral):
    return referral.status in CORRECTABLE_STATUSES


def may_withdraw(referral):
    return referral.status in WITHDRAWABLE_STATUSES


def participant_belongs_to_referral_alone(participant, referral):
    """Whether the participant's record holds nothing but this referral and the consent given with it.

    Such a record was made from what the consultant typed, so it is theirs to see and to correct. Any
    other record is the library's (the person signed up, booked, has an account, was referred before):
    the consultant never sees it, and a correction never overwrites it.
    """
    if participant.user_id or participant.anonymised_at:
        return False
    for relation in Participant._meta.related_objects:
        model = relation.related_model
        rows = model._base_manager.filter(**{relation.field.name: participant.pk})
        if model is Referral:
            rows = rows.exclude(pk=referral.pk)
        elif model is Consent:
            rows = rows.exclude(method=Consent.Method.REFERRAL)
        if rows.exists():
            return False
    return True


@dataclass
class ContactGiven:
    """The participant's details as the referrer gave them; `known` is False when they cannot be shown."""

    name: str
    phone: object  # a PhoneNumber, or ""
    email: str
    channel: str
    known: bool


def referral_contact_given(referral):
    """What the referrer typed: stored on the referral, or (older referrals) the record it alone made."""
    name = referral.name_for_referrer
    if referral.participant_phone or referral.participant_email:
        return ContactGiven(
            name, referral.participant_phone, referral.participant_email, referral.participant_channel, True
        )
    participant = referral.participant
    if participant_belongs_to_referral_alone(participant, referral):
        return ContactGiven(name, participant.phone, participant.email, participant.preferred_channel, True)
    return ContactGiven(name, "", "", "", False)


@dataclass
class HistoryEntry:
    at: datetime
    change: ReferralStatusChange | None = None
    corrected: list = field(default_factory=list)
    by: str = ""

    @property
    def to_status(self):
        """The status this step led to; None for a correction."""
        return self.change.to_status if self.change else None


def referral_history(view):
    """Status steps the referrer may see (none that report attendance without consent) and corrections.

    A correction or a withdrawal names the consultant who made it: a colleague of the same organisation.
    """
    referral = view.referral
    changes = ReferralStatusChange.objects.filter(referral=referral).order_by("changed_at", "pk")
    if not view.reporting:
        changes = changes.exclude(to_status__in=REPORTED_STATUSES)
    corrections = ReferralAuditEvent.objects.filter(
        referral=referral, partner=referral.partner_id, action=ReferralAuditEvent.Action.CORRECTED
    ).order_by("at", "pk")
    changes, corrections = list(changes), list(corrections)
    users = {c.changed_by_id for c in changes if c.to_status == Status.WITHDRAWN}
    users |= {event.user_id for event in corrections}
    names = dict(
        PartnerContact.objects.filter(partner=referral.partner_id, user__in=users - {None}).values_list(
            "user_id", "name"
        )
    )
    entries = [
        HistoryEntry(
            at=change.changed_at,
            change=change,
            by=names.get(change.changed_by_id, "") if change.to_status == Status.WITHDRAWN else "",
        )
        for change in changes
    ]
    entries += [
        HistoryEntry(
            at=event.at,
            corrected=[CORRECTED_LABELS[key] for key in event.detail.split(", ") if key in CORRECTED_LABELS],
            by=names.get(event.user_id, ""),
        )
        for event in corrections
    ]
    return sorted(entries, key=lambda entry: entry.at)


def referrals_withdrawn_for_staff(queryset, *, since, limit=10):
    """Referrals their referrer withdrew since `since`, newest first; `queryset` is the staff's scope."""
    withdrawn = queryset.filter(status=Status.WITHDRAWN, status_changed_at__gte=since).select_related(
        "programme", "partner", "participant"
    )
    return withdrawn.order_by("-status_changed_at", "-pk")[:limit], withdrawn.count()
