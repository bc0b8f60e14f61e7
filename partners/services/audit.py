from django.utils import timezone

from ..models import ReferralAuditEvent


def referral_audit_record(*, user, action, referrals, partner=None, detail="", now=None):
    """Log that `user` viewed, created, changed or exported these referrals (one row each)."""
    now = now or timezone.now()
    account = user if getattr(user, "is_authenticated", False) else None
    events = [
        ReferralAuditEvent(
            library_id=referral.library_id,
            referral=referral,
            referral_number=referral.pk,
            user=account,
            user_email=getattr(account, "email", "") or "",
            partner=partner,
            action=action,
            detail=detail[:200],
            at=now,
        )
        for referral in referrals
    ]
    return ReferralAuditEvent.objects.bulk_create(events)
