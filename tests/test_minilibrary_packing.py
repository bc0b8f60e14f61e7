"""The packing list before a visit, the report after it, and the numbers for the reports."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minilibrary.models import Visit
from minilibrary.selectors import (
    cart_next_visit,
    minilibrary_report,
    minilibrary_visit_rows,
    packing_list,
    visit_report,
)
from minilibrary.services import loan_create, loan_return, request_create, request_fulfil
from tests import factories
from tests.factories_minilibrary import BookFactory, CartFactory, LoanFactory, RequestFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    """A cart of six with ten books (half easy reading), hand-placed around a visit on day D."""
    cart = CartFactory(target_size=6, rotation_weeks=12)
    visit = VisitFactory(cart=cart)
    day = visit.date

    def on(title, weeks, easy):
        return BookFactory(
            cart=cart,
            title=title,
            easy_reading=easy,
            on_cart=True,
            on_cart_since=day - timedelta(weeks=weeks),
        )

    def off(title, weeks, easy):
        since = None if weeks is None else day - timedelta(weeks=weeks)
        return BookFactory(cart=cart, title=title, easy_reading=easy, off_cart_since=since)

    books = {
        "A": on("A stale", 20, True),
        "B": on("B stale but asked for", 13, True),
        "C": on("C stale but lent out", 20, False),
        "D": on("D fresh", 2, True),
        "E": on("E stale", 15, False),
        "F": off("F asked for, at the library", 8, False),
        "G": off("G never on the cart", None, True),
        "H": off("H off thirty weeks", 30, False),
        "I": off("I off five weeks", 5, True),
        "J": off("J off ten weeks", 10, False),
    }
    earlier = VisitFactory(cart=cart, partner_site=visit.partner_site, date=day - timedelta(days=28))
    loan_create(visit=earlier, book=books["C"], borrower="Kees")
    asked = [
        request_create(visit=earlier, title="Een boek over voetbal", borrower="R-2210"),
        request_create(visit=earlier, book=books["B"], borrower="Anja"),
        request_create(visit=earlier, book=books["F"], borrower="Samira"),
        request_create(visit=earlier, book=books["C"]),
    ]
    return {"cart": cart, "visit": visit, "books": books, "requests": asked}


def test_requested_titles_come_first_with_what_to_do(shelf):
    packing = packing_list(visit=shelf["visit"])

    assert [line.request for line in packing.requested] == shelf["requests"]
    assert [line.action for line in packing.requested] == ["to_get", "on_cart", "fetch", "lent_out"]
    assert packing.requested[2].book == shelf["books"]["F"]
    assert [line.request.title for line in packing.to_get] == ["Een boek over voetbal"]


def test_books_lent_out_are_expected_back(shelf):
    packing = packing_list(visit=shelf["visit"])
    assert [(loan.book, loan.borrower) for loan in packing.lent_out] == [(shelf["books"]["C"], "Kees")]


def test_rotation_takes_off_the_oldest_and_brings_in_the_longest_off_with_an_easy_reading_mix(shelf):
    books = shelf["books"]
    packing = packing_list(visit=shelf["visit"])

    # On the cart longer than 12 weeks, oldest first; not a book that is asked for or lent out.
    assert packing.take_off == [books["A"], books["E"]]
    # Room for two (6 - 3 staying - 1 fetched). Half the collection is easy reading: three of six
    # after packing, so one easy-reading book (G, never on the cart) and one other (H, longest off).
    assert packing.bring_in == [books["G"], books["H"]]
    assert (packing.on_cart, packing.after_packing, packing.target_size, packing.easy_after) == (5, 6, 6, 3)


def test_a_full_cart_brings_nothing_in(shelf):
    shelf["cart"].target_size = 3
    shelf["cart"].save()
    packing = packing_list(visit=shelf["visit"])
    assert packing.bring_in == []
    assert packing.after_packing == 4  # what stays and the requested book: never fewer than that


def test_with_few_other_books_the_cart_is_filled_with_easy_reading(shelf):
    shelf["cart"].target_size = 9
    shelf["cart"].save()
    books = shelf["books"]
    assert packing_list(visit=shelf["visit"]).bring_in == [books["G"], books["H"], books["J"], books["I"]]


def test_the_next_visit_is_the_first_planned_one(shelf):
    cart, visit = shelf["cart"], shelf["visit"]
    VisitFactory(cart=cart, partner_site=visit.partner_site, date=visit.date + timedelta(days=28))
    VisitFactory(
        cart=cart,
        partner_site=visit.partner_site,
        date=visit.date - timedelta(days=1),
        status=Visit.Status.CANCELLED,
    )
    assert cart_next_visit(cart=cart) == visit


def test_packing_list_queries_do_not_grow_with_the_collection(staff_client, shelf):
    url = reverse("admin:minilibrary_visit_packing_list", args=[shelf["visit"].pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(url)
        assert response.status_code == 200
        return len(queries), len(response.context["packing"].bring_in) + len(
            response.context["packing"].take_off
        )

    few, few_rows = count()
    cart, visit = shelf["cart"], shelf["visit"]
    cart.target_size = 80
    cart.save()
    for i in range(40):
        BookFactory(cart=cart, on_cart=True, on_cart_since=visit.date - timedelta(weeks=13 + i % 5))
        BookFactory(cart=cart, easy_reading=i % 2 == 0)
        earlier = Visit.objects.exclude(pk=visit.pk).get()
        request_create(visit=earlier, title=f"Titel {i}")
        LoanFactory(visit=earlier)
    many, many_rows = count()
    assert many_rows > few_rows
    assert many == few


# --- After a visit, and the numbers for reports ---------------------------------------------------------


@pytest.fixture
def history():
    """Hand-counted: two libraries, visits in January to April; see each test for the sums."""
    first = CartFactory(name="Mini-bieb Relim")
    second = CartFactory(name="Mini-bieb elders")
    site = factories.PartnerSiteFactory()

    def visit(cart, day, status=Visit.Status.PLANNED):
        return VisitFactory(cart=cart, partner_site=site, date=day, status=status)

    v1, v2 = visit(first, date(2026, 1, 14)), visit(first, date(2026, 2, 11))
    visit(first, date(2026, 3, 11), Visit.Status.CANCELLED)
    visit(first, date(2026, 4, 8))  # planned, nothing yet
    v5 = visit(second, date(2026, 2, 4))
    books = [BookFactory(cart=first, on_cart=True) for _ in range(4)]
    loans = [loan_create(visit=v1, book=book, borrower="Anja") for book in books[:3]]
    loan_return(loan=loans[0], visit=v2)
    loan_return(loan=loans[1], visit=v2)
    loan_return(loan=loans[2])  # at the library desk: no visit
    loan_create(visit=v2, book=books[3], borrower="Kees")
    asked_v1 = request_create(visit=v1, title="Werken in de zorg")
    request_create(visit=v1, title="Voetbal")
    request_fulfil(request=asked_v1, visit=v2)
    request_fulfil(request=request_create(visit=v2, book=books[0]), visit=v2)
    for _ in range(2):
        loan_create(visit=v5, book=BookFactory(cart=second, on_cart=True), borrower="R-1")
    request_create(visit=v5, title="Koken")
    return {"first": first, "second": second, "v1": v1, "v2": v2, "v5": v5}


def test_the_visit_report_lists_what_went_out_and_came_back(history):
    report = visit_report(visit=history["v2"])
    assert report["counts"] == {"loans": 1, "returns": 2, "requests": 1, "requests_fulfilled": 2}
    assert [loan.borrower for loan in report["lent"]] == ["Kees"]
    assert {r.display_title for r in report["brought"]} == {
        "Werken in de zorg",
        report["asked"][0].display_title,
    }


def test_report_figures_for_one_library(history, django_assert_num_queries):
    library_ids = [history["first"].library_id]
    with django_assert_num_queries(3):
        january_february = minilibrary_report(
            library_ids=library_ids, date_from=date(2026, 1, 1), date_to=date(2026, 2, 28)
        )
    assert january_february == {
        "visits": 2,
        "loans": 4,
        "returns": 2,
        "requests": 3,
        "requests_fulfilled": 2,
        "loans_per_visit": 2.0,
    }
    february = minilibrary_report(
        library_ids=library_ids, date_from=date(2026, 2, 1), date_to=date(2026, 2, 28)
    )
    assert february == {
        "visits": 1,
        "loans": 1,
        "returns": 2,
        "requests": 1,
        "requests_fulfilled": 2,
        "loans_per_visit": 1.0,
    }
    # The cancelled visit in March and the planned one in April count for nothing.
    spring = minilibrary_report(
        library_ids=library_ids, date_from=date(2026, 3, 1), date_to=date(2026, 4, 30)
    )
    assert spring == {
        "visits": 0,
        "loans": 0,
        "returns": 0,
        "requests": 0,
        "requests_fulfilled": 0,
        "loans_per_visit": None,
    }


def test_report_figures_for_every_library_and_for_none(history):
    everything = minilibrary_report(library_ids=None, date_from=date(2026, 1, 1), date_to=date(2026, 2, 28))
    assert everything == {
        "visits": 3,
        "loans": 6,
        "returns": 2,
        "requests": 4,
        "requests_fulfilled": 2,
        "loans_per_visit": 2.0,
    }
    nobody = minilibrary_report(library_ids=[], date_from=date(2026, 1, 1), date_to=date(2026, 2, 28))
    assert nobody["visits"] == nobody["loans"] == 0


def test_visit_rows_in_one_query(history, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = minilibrary_visit_rows(library_ids=None, date_from=date(2026, 1, 1), date_to=date(2026, 4, 30))
    assert [
        (row["date"], row["cart"], row["loans"], row["returns"], row["requests"], row["requests_fulfilled"])
        for row in rows
    ] == [
        (date(2026, 1, 14), "Mini-bieb Relim", 3, 0, 2, 0),
        (date(2026, 2, 4), "Mini-bieb elders", 2, 0, 1, 0),
        (date(2026, 2, 11), "Mini-bieb Relim", 1, 2, 1, 2),
        (date(2026, 4, 8), "Mini-bieb Relim", 0, 0, 0, 0),
    ]
    assert rows[0]["site"] and rows[0]["library_id"] == history["first"].library_id


def test_request_factory_rows_count_as_requests(history):
    RequestFactory(visit=history["v1"])
    figures = minilibrary_report(
        library_ids=[history["first"].library_id], date_from=date(2026, 1, 1), date_to=date(2026, 1, 31)
    )
    assert figures["requests"] == 3  # counted by the visit's date, not by when the row was written
