"""Factories for the mini-library (picked up by tests/test_admin_pages.py through FACTORIES)."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from minilibrary.models import Book, Cart, Loan, Request, Visit
from tests import factories


class CartFactory(DjangoModelFactory):
    library = factory.SubFactory(factories.LibraryFactory)
    name = factory.Sequence(lambda n: f"Mini-bieb {n}")
    target_size = 60
    rotation_weeks = 12

    class Meta:
        model = Cart


class BookFactory(DjangoModelFactory):
    """A book waiting at the library; `on_cart=True` puts it on the cart (since four weeks ago)."""

    cart = factory.SubFactory(CartFactory)
    title = factory.Sequence(lambda n: f"Makkelijk lezen deel {n}")
    author = "Anja Vroemen"
    easy_reading = True
    kind = Book.Kind.EASY_READING
    location = Book.Location.LIBRARY

    class Meta:
        model = Book

    class Params:
        on_cart = factory.Trait(
            location=Book.Location.CART,
            on_cart_since=factory.LazyFunction(lambda: timezone.localdate() - timedelta(weeks=4)),
        )


class VisitFactory(DjangoModelFactory):
    cart = factory.SubFactory(CartFactory)
    partner_site = factory.SubFactory(factories.PartnerSiteFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
    status = Visit.Status.PLANNED

    class Meta:
        model = Visit


class LoanFactory(DjangoModelFactory):
    visit = factory.SubFactory(VisitFactory, status=Visit.Status.DONE)
    book = factory.SubFactory(BookFactory, cart=factory.SelfAttribute("..visit.cart"), on_cart=True)
    borrower = factory.Sequence(lambda n: f"R-{1000 + n}")
    lent_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Loan


class RequestFactory(DjangoModelFactory):
    visit = factory.SubFactory(VisitFactory, status=Visit.Status.DONE)
    title = factory.Sequence(lambda n: f"Werken in de zorg {n}")
    borrower = "Samira"

    class Meta:
        model = Request


FACTORIES = {
    Cart: CartFactory,
    Book: BookFactory,
    Visit: VisitFactory,
    Loan: LoanFactory,
    Request: RequestFactory,
}
