"""The certificate constraints (see tests/test_constraints.py for the pattern)."""

from datetime import timedelta

import pytest

from certificates.models import Certificate
from tests.factories_certificates import CertificateFactory
from tests.test_constraints import assert_accepted, assert_rejected

pytestmark = pytest.mark.django_db


def twin_of(certificate, **changes):
    fields = {f.attname: getattr(certificate, f.attname) for f in Certificate._meta.concrete_fields}
    fields.pop("id")
    fields.pop("code")
    return Certificate(**{**fields, **changes})


def test_one_certificate_per_person_per_run():
    certificate = CertificateFactory()
    assert_rejected(twin_of(certificate), constraint="certificate_once_per_run_and_person")
    # Someone else in the same run may have one.
    other = CertificateFactory(run=certificate.run)
    assert other.run_id == certificate.run_id


def test_a_person_whose_record_was_deleted_does_not_block_the_constraint():
    certificate = CertificateFactory(participant=None, registration=None, name="Iemand")
    assert_accepted(twin_of(certificate))


def test_dates_in_order():
    certificate = CertificateFactory.build(
        run=CertificateFactory().run,
        participant=None,
        registration=None,
        name="Iemand",
    )
    certificate.last_meeting_on = certificate.first_meeting_on - timedelta(days=1)
    assert_rejected(certificate, constraint="certificate_dates_in_order")
    certificate.last_meeting_on = certificate.first_meeting_on
    assert_accepted(certificate)


@pytest.mark.parametrize(("attended", "held"), [(7, 6), (0, 6)])
def test_attended_within_held(attended, held):
    certificate = CertificateFactory.build(
        run=CertificateFactory().run, participant=None, registration=None, name="Iemand"
    )
    certificate.meetings_attended, certificate.meetings_held = attended, held
    assert_rejected(certificate, constraint="certificate_attended_within_held")
