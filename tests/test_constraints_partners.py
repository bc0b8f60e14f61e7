"""Constraints of the partners app added with correcting and withdrawing a referral (the others are in
tests/test_constraints.py)."""

import pytest

from partners.models import Referral
from tests import factories
from tests.test_constraints import assert_accepted, assert_rejected

pytestmark = pytest.mark.django_db


def test_referral_withdrawal_has_reason():
    referral = factories.ReferralFactory()
    referral.status = Referral.Status.WITHDRAWN
    assert_rejected(referral, constraint="referral_withdrawal_has_reason")
    referral.withdrawal_reason = Referral.WithdrawalReason.FOUND_WORK
    assert_accepted(referral)
