"""Referrals of a participant and their history, for privacy.registry."""

from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext

from privacy.export_helpers import row, section_title

from .models import Referral, ReferralStatusChange

AUDITED_MODELS = ["partners.Referral"]


def removed_text():
    # A stopped referral must keep a reason (a constraint); the words may be about the person.
    with translation.override("nl"):
        return gettext("(removed for privacy)")


def export(participant):
    referrals = Referral.objects.filter(participant=participant).select_related("partner", "programme")
    changes = ReferralStatusChange.objects.filter(referral__participant=participant).select_related(
        "referral__programme"
    )
    return {
        section_title(Referral): [
            row(
                referral,
                [
                    "partner",
                    "programme",
                    "participant_name",
                    "participant_phone",
                    "participant_email",
                    "participant_channel",
                    "kind",
                    "consent_contact",
                    "consent_report_attendance",
                    "consent_given_on",
                    "note",
                    "status",
                    "intake_at",
                    "intake_place",
                    "stop_reason",
                    "withdrawal_reason",
                    "withdrawal_note",
                    "created_at",
                ],
            )
            for referral in referrals.order_by("created_at", "pk")
        ],
        section_title(ReferralStatusChange): [
            row(
                change,
                ["from_status", "to_status", "changed_at", "intake_at", "intake_place", "stop_reason"],
                **{gettext("Programme"): change.referral.programme.name},
            )
            for change in changes.order_by("changed_at", "pk")
        ],
    }


def last_activity(participant):
    found = Referral.objects.filter(participant=participant).aggregate(
        created=Max("created_at"), status=Max("status_changed_at"), intake=Max("intake_at")
    )
    return max(filter(None, found.values()), default=None)


def erase(participant):
    removed = removed_text()
    referrals = Referral.objects.filter(participant=participant)
    referrals.update(
        participant_name="",
        participant_phone="",
        participant_email="",
        note="",
        intake_place="",
        withdrawal_note="",
    )
    referrals.exclude(stop_reason="").update(stop_reason=removed)
    changes = ReferralStatusChange.objects.filter(referral__participant=participant)
    changes.update(intake_place="")
    changes.exclude(stop_reason="").update(stop_reason=removed)
