"""The generator's appointments, mini-library and certificates (portal.datagen.extras) obey the models' rules.

Two generated libraries (scale 0.4); the first one (id % 5 == 1) has a mini-library cart.
"""

import re

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from appointments.models import Appointment, AvailabilityBlock, CoachProfile, Slot
from appointments.services.slots import slot_times
from certificates.models import Certificate
from minilibrary.models import Book, Cart, Loan, Request, Visit
from programmes.models import Programme
from sessions.completion import run_completions
from sessions.models import Registration

SAMPLE = 40


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    from portal import datagen

    with django_db_blocker.unblock():
        datagen.empty_tables()
        lines = datagen.generate(scale=0.4, seed=3, log=lambda *args: None)
        try:
            yield lines
        finally:
            datagen.empty_tables()


@pytest.fixture
def data(generated, db):
    return generated


def _sample(queryset):
    return list(queryset.order_by("?")[:SAMPLE])


def _clean(objects):
    for obj in objects:
        obj.full_clean()


def test_report_lists_the_new_tables(data):
    report = "\n".join(data)
    for table in (
        "appointments_appointment", "appointments_slot", "appointments_availabilityblock",
        "appointments_coachprofile", "minilibrary_cart", "minilibrary_book", "minilibrary_visit",
        "minilibrary_loan", "minilibrary_request", "certificates_certificate",
    ):  # fmt: skip
        assert re.search(rf"^{table}\s+[1-9]", report, re.M), table


def test_appointments_are_valid(data):
    assert 2 <= CoachProfile.objects.count() <= 4
    for coach in CoachProfile.objects.select_related("worker"):
        assert coach.worker.kind in ("coach", "volunteer")
    _clean(CoachProfile.objects.all())
    _clean(_sample(AvailabilityBlock.objects.select_related("coach__worker", "branch")))
    _clean(_sample(Slot.objects.all()))
    _clean(_sample(Appointment.objects.all()))
    _clean(_sample(Appointment.objects.filter(status="cancelled")))
    # Every block at a branch of the coach's library; slots as block_slots_generate cuts them.
    assert not AvailabilityBlock.objects.exclude(branch__library=F("coach__worker__library")).exists()
    for block in _sample(AvailabilityBlock.objects.all()):
        assert 30 <= block.slot_minutes <= 45 and 5 <= block.pause_minutes <= 15
        assert list(block.slots.order_by("starts_at").values_list("starts_at", "ends_at")) == slot_times(
            block=block
        )


def test_appointments_follow_the_booking_rules(data):
    assert Appointment.objects.filter(status="cancelled").exists()
    assert Appointment.objects.filter(status__in=["attended", "no_show"]).exists()
    active = Appointment.objects.exclude(status="cancelled")
    assert not active.values("slot").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert not Appointment.objects.filter(status="cancelled", cancelled_at__isnull=True).exists()
    assert not Appointment.objects.exclude(
        participant__library=F("slot__block__coach__worker__library")
    ).exists()
    now = timezone.now()
    assert not active.filter(slot__starts_at__lt=now, status="booked").exists()
    assert not active.filter(slot__starts_at__gt=now).exclude(status="booked").exists()


def test_minilibrary_is_valid(data):
    cart = Cart.objects.get()
    assert 60 <= cart.books.count() <= 75
    assert cart.partner_sites.count() == 1
    _clean([cart])
    _clean(_sample(Book.objects.all()))
    _clean(_sample(Visit.objects.select_related("cart", "volunteer", "session__programme")))
    _clean(_sample(Loan.objects.select_related("book", "visit")))
    _clean(_sample(Request.objects.select_related("visit", "book", "fulfilled_visit")))
    assert Visit.objects.filter(status="done").exists() and Visit.objects.filter(status="planned").exists()
    assert not Visit.objects.exclude(volunteer__library=F("cart__library")).exists()
    assert not Visit.objects.filter(volunteer__isnull=False).exclude(volunteer__kind="volunteer").exists()


def test_loans_and_requests_follow_the_rules(data):
    assert (
        Loan.objects.filter(returned_visit__isnull=False).count()
        > Loan.objects.filter(returned_at__isnull=True).count()
    )
    open_loans = Loan.objects.filter(returned_at__isnull=True)
    assert not open_loans.values("book").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert not open_loans.exclude(book__location="cart").exists()
    assert not Loan.objects.filter(returned_at__lt=F("lent_at")).exists()
    for loan in Loan.objects.select_related("book", "visit", "returned_visit"):
        if loan.returned_visit_id:
            assert loan.returned_visit.date > loan.visit.date
        assert loan.book.cart_id == loan.visit.cart_id
    labels = set(Loan.objects.values_list("borrower", flat=True)) | set(
        Request.objects.values_list("borrower", flat=True)
    )
    assert labels - {""}
    for label in labels:
        assert label == "" or re.fullmatch(r"[A-Z][a-z]+|R-\d{4}", label), label
    assert Request.objects.filter(status="fulfilled").exists()
    assert not Request.objects.filter(Q(book__isnull=True) & Q(title="")).exists()


def test_certificates_match_the_attendance(data):
    certificates = list(Certificate.objects.select_related("run", "programme"))
    assert certificates
    _clean(certificates[:SAMPLE])
    assert (
        not Certificate.objects.values("run", "participant").annotate(n=Count("pk")).filter(n__gt=1).exists()
    )
    registrations = Registration.objects.filter(pk__in=[c.registration_id for c in certificates])
    now = timezone.now()
    completions = {c.registration_id: c for c in run_completions(registrations=registrations, now=now)}
    for certificate in certificates:
        completion = completions[certificate.registration_id]
        assert (certificate.meetings_attended, certificate.meetings_held) == (
            completion.attended,
            completion.held,
        )
        assert certificate.programme.certificate_min_attendance is not None
        assert completion.completed
        assert certificate.first_meeting_on <= certificate.last_meeting_on
        assert timezone.localdate(certificate.issued_at) >= certificate.last_meeting_on
        assert certificate.issued_at <= now
        assert certificate.run.programme_id == certificate.programme_id
        assert certificate.kind == (
            "diploma" if certificate.programme.format == "reading_circle" else "certificate"
        )
    assert Programme.objects.filter(certificate_min_attendance__isnull=False).exists()
