"""The mini-library's constraints (see tests/test_constraints.py for the pattern)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from minilibrary.models import Book, Cart, Loan, Request, Visit
from tests.factories_minilibrary import BookFactory, CartFactory, LoanFactory, RequestFactory, VisitFactory
from tests.test_constraints import assert_accepted, assert_rejected

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("factory", [CartFactory, BookFactory, VisitFactory, LoanFactory, RequestFactory])
def test_factories_make_valid_rows(factory):
    obj = factory()
    obj.full_clean()
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_a_cart_name_is_unique_per_library():
    cart = CartFactory(name="Mini-bieb Relim")
    assert_rejected(
        Cart(library=cart.library, name="Mini-bieb Relim"), constraint="minilibrary_cart_unique_name"
    )
    assert_accepted(Cart(library=CartFactory().library, name="Mini-bieb Relim"))


def test_a_cart_holds_at_least_one_book():
    cart = CartFactory.build(library=CartFactory().library, target_size=0)
    assert_rejected(cart, constraint="minilibrary_cart_target_positive")
    cart.target_size = 60
    assert_accepted(cart)


def test_a_cart_rotation_is_positive():
    cart = CartFactory.build(library=CartFactory().library, rotation_weeks=0)
    assert_rejected(cart, constraint="minilibrary_cart_rotation_positive")


def test_a_book_on_the_cart_has_its_date():
    book = BookFactory.build(cart=CartFactory(), location=Book.Location.CART, on_cart_since=None)
    assert_rejected(book, constraint="minilibrary_book_on_cart_has_date")
    book.on_cart_since = timezone.localdate()
    assert_accepted(book)


def test_one_visit_per_site_and_day():
    visit = VisitFactory()
    twin = Visit(cart=visit.cart, partner_site=visit.partner_site, date=visit.date)
    assert_rejected(twin, constraint="minilibrary_visit_unique_day")
    twin.date = visit.date + timedelta(days=28)
    assert_accepted(twin)


def test_a_book_has_at_most_one_open_loan():
    loan = LoanFactory()
    twin = Loan(book=loan.book, visit=loan.visit, borrower="Anja", lent_at=timezone.now())
    assert_rejected(twin, constraint="minilibrary_loan_one_open_per_book")
    loan.returned_at = timezone.now()
    loan.save()
    assert_accepted(twin)


def test_a_return_on_a_visit_has_its_time():
    loan = LoanFactory()
    loan.returned_visit = loan.visit
    assert_rejected(loan, constraint="minilibrary_loan_return_has_time")
    loan.returned_at = timezone.now()
    assert_accepted(loan)


def test_a_book_comes_back_after_it_was_lent():
    loan = LoanFactory()
    loan.returned_at = loan.lent_at - timedelta(hours=1)
    assert_rejected(loan, constraint="minilibrary_loan_returned_after_lent")


def test_a_request_names_a_book_or_a_title():
    request = RequestFactory.build(visit=VisitFactory(), title="", book=None)
    assert_rejected(request, constraint="minilibrary_request_has_title")
    request.book = BookFactory(cart=request.visit.cart)
    assert_accepted(request)


def test_a_brought_request_has_its_visit():
    request = RequestFactory()
    request.status, request.closed_at = Request.Status.FULFILLED, timezone.now()
    assert_rejected(request, constraint="minilibrary_request_fulfilled_has_visit")
    request.fulfilled_visit = request.visit
    assert_accepted(request)


def test_a_closed_request_has_its_time():
    request = RequestFactory()
    request.status = Request.Status.CANNOT
    assert_rejected(request, constraint="minilibrary_request_closed_has_time")
    request.closed_at = timezone.now()
    assert_accepted(request)
