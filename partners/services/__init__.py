from .accounts import InvitationRefused, consultant_invite, set_password_url
from .audit import referral_audit_record
from .referral_changes import referral_correct, referral_withdraw
from .referrals import (
    TRANSITIONS,
    ReferralRefused,
    referral_consent_report_record,
    referral_create,
    referral_created_in_admin,
    referral_enrol,
    referral_status_change,
)

__all__ = [
    "TRANSITIONS",
    "InvitationRefused",
    "ReferralRefused",
    "consultant_invite",
    "referral_audit_record",
    "referral_consent_report_record",
    "referral_create",
    "referral_correct",
    "referral_created_in_admin",
    "referral_enrol",
    "referral_status_change",
    "referral_withdraw",
    "set_password_url",
]
