"""Lending, returning and asking without a library membership: only a label, and it expires."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from minilibrary.models import Book, Loan, Request, Visit
from minilibrary.services import (
    MiniLibraryError,
    books_import,
    loan_create,
    loan_return,
    loans_anonymise_expired,
    packing_list_apply,
    request_cannot,
    request_create,
    request_fulfil,
    visit_plan,
)
from tests import factories
from tests.factories_minilibrary import BookFactory, CartFactory, LoanFactory, RequestFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # Messages are checked against the English source strings, whatever the Dutch translation says.
    with translation.override("en"):
        yield


@pytest.fixture
def cart():
    return CartFactory(name="Mini-bieb Relim")


@pytest.fixture
def visit(cart):
    return VisitFactory(cart=cart, date=timezone.localdate())


@pytest.fixture
def book(cart):
    return BookFactory(cart=cart, title="Mijn eerste werkdag", on_cart=True)


# --- What is stored about a borrower ----------------------------------------------------------------

PERSONAL_FIELD_HINTS = (
    "phone",
    "email",
    "mail",
    "member",
    "pas",
    "card",
    "address",
    "birth",
    "bsn",
    "surname",
)


@pytest.mark.parametrize("model", [Loan, Request])
def test_loans_and_requests_have_no_fields_for_contact_or_membership_data(model):
    names = {field.name for field in model._meta.get_fields()}
    assert not [name for name in names if any(hint in name for hint in PERSONAL_FIELD_HINTS)]
    assert not [
        f
        for f in model._meta.get_fields()
        if f.is_relation
        and f.related_model._meta.label in {"people.Participant", "auth.User", "programmes.LibraryMembership"}
    ]
    borrower = model._meta.get_field("borrower")
    assert borrower.max_length == 40
    assert "No surname" in str(borrower.help_text)


def test_lend_and_return_store_only_the_label(visit, book):
    loan = loan_create(visit=visit, book=book, borrower="  Anja ")

    loan.refresh_from_db()
    assert (loan.borrower, loan.book, loan.visit, loan.returned_at) == ("Anja", book, visit, None)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.DONE  # something was lent: the visit took place

    later = VisitFactory(
        cart=visit.cart, partner_site=visit.partner_site, date=visit.date + timedelta(days=28)
    )
    loan_return(loan=loan, visit=later)
    loan.refresh_from_db()
    assert loan.returned_visit == later and loan.returned_at is not None
    assert loan.borrower == "Anja"  # kept until the keeping period has passed


def test_the_partners_own_number_is_enough(visit, book):
    assert loan_create(visit=visit, book=book, borrower="R-1024").borrower == "R-1024"


@pytest.mark.parametrize(
    ("label", "field_message"),
    [
        ("", "first name"),
        ("anja@mail.example", "e-mail"),
        ("0612345678", "phone number"),
        ("Anja van den Berg", "no surname"),
        ("A" * 41, "At most 40"),
    ],
)
def test_a_label_that_is_more_than_a_first_name_is_refused(visit, book, label, field_message):
    with pytest.raises(MiniLibraryError) as refused:
        loan_create(visit=visit, book=book, borrower=label)
    assert refused.value.field == "borrower"
    assert field_message.lower() in refused.value.message.lower()
    assert not Loan.objects.exists()


def test_a_book_cannot_be_lent_twice(visit, book):
    loan_create(visit=visit, book=book, borrower="Anja")
    with pytest.raises(MiniLibraryError, match="already lent out"):
        loan_create(visit=visit, book=book, borrower="Kees")
    assert Loan.objects.filter(book=book).count() == 1
    # The database refuses it too, whatever writes the row.
    with pytest.raises(IntegrityError, match="minilibrary_loan_one_open_per_book"), transaction.atomic():
        Loan.objects.create(book=book, visit=visit, borrower="Kees", lent_at=timezone.now())


def test_after_the_return_the_book_can_go_out_again(visit, book):
    loan_return(loan=loan_create(visit=visit, book=book, borrower="Anja"), visit=visit)
    assert loan_create(visit=visit, book=book, borrower="Kees").borrower == "Kees"
    with pytest.raises(MiniLibraryError, match="already returned"):
        loan_return(loan=Loan.objects.filter(borrower="Anja").get())


def test_a_return_at_the_library_desk_needs_no_visit(visit, book):
    loan = loan_return(loan=loan_create(visit=visit, book=book, borrower="Anja"))
    assert loan.returned_visit is None and loan.returned_at is not None


def test_no_lending_on_a_cancelled_visit_or_from_another_cart(visit, book):
    other_book = BookFactory(on_cart=True)
    with pytest.raises(MiniLibraryError, match="another cart"):
        loan_create(visit=visit, book=other_book, borrower="Anja")
    Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.CANCELLED)
    with pytest.raises(MiniLibraryError, match="cancelled"):
        loan_create(visit=visit, book=book, borrower="Anja")


def test_lending_a_requested_book_to_who_asked_fulfils_the_request(visit, cart):
    wanted = BookFactory(cart=cart, title="Werken in de zorg")
    asked = request_create(visit=visit, book=wanted, borrower="Samira")
    other = request_create(visit=visit, book=wanted, borrower="Kees")
    later = VisitFactory(cart=cart, partner_site=visit.partner_site, date=visit.date + timedelta(days=28))

    loan_create(visit=later, book=wanted, borrower="samira")

    asked.refresh_from_db()
    other.refresh_from_db()
    assert (asked.status, asked.fulfilled_visit) == (Request.Status.FULFILLED, later)
    assert other.status == Request.Status.OPEN
    wanted.refresh_from_db()
    assert wanted.location == Book.Location.CART and wanted.on_cart_since == later.date


def test_requests_for_a_title_or_a_book(visit, book):
    with pytest.raises(MiniLibraryError) as refused:
        request_create(visit=visit, title="   ")
    assert refused.value.field == "title"
    by_title = request_create(visit=visit, title="Een boek over  voetbal", borrower="")
    assert (by_title.title, by_title.book, by_title.borrower) == ("Een boek over voetbal", None, "")
    by_book = request_create(visit=visit, book=book, borrower="R-2210")
    assert by_book.display_title == "Mijn eerste werkdag"

    request_fulfil(request=by_book, visit=visit)
    request_cannot(request=by_title, reason="Niet in de collectie.")
    by_book.refresh_from_db()
    by_title.refresh_from_db()
    assert by_book.status == Request.Status.FULFILLED and by_book.closed_at
    assert (by_title.status, by_title.fulfilled_visit) == (Request.Status.CANNOT, None)
    with pytest.raises(MiniLibraryError, match="already closed"):
        request_fulfil(request=by_title, visit=visit)


def test_plan_a_visit_only_to_a_site_of_the_cart(cart):
    site, elsewhere = factories.PartnerSiteFactory(), factories.PartnerSiteFactory()
    cart.partner_sites.add(site)
    volunteer = factories.WorkerFactory(library=cart.library)
    day = timezone.localdate() + timedelta(days=7)
    visit = visit_plan(cart=cart, partner_site=site, date=day, volunteer=volunteer)
    assert (visit.status, visit.volunteer) == (Visit.Status.PLANNED, volunteer)
    with pytest.raises(MiniLibraryError, match="already visits"):
        visit_plan(cart=cart, partner_site=site, date=day)
    with pytest.raises(MiniLibraryError) as refused:
        visit_plan(cart=cart, partner_site=elsewhere, date=day)
    assert refused.value.field == "partner_site"
    with pytest.raises(MiniLibraryError) as refused:
        visit_plan(
            cart=cart, partner_site=site, date=day + timedelta(days=1), volunteer=factories.WorkerFactory()
        )
    assert refused.value.field == "volunteer"


# --- Labels expire -----------------------------------------------------------------------------------


def test_labels_are_blanked_three_months_after_the_return(visit, cart):
    now = timezone.now()
    old = LoanFactory(visit=visit, borrower="Anja", lent_at=now - timedelta(days=130))
    Loan.objects.filter(pk=old.pk).update(returned_at=now - timedelta(days=100))
    recent = LoanFactory(visit=visit, borrower="Kees", lent_at=now - timedelta(days=40))
    Loan.objects.filter(pk=recent.pk).update(returned_at=now - timedelta(days=10))
    still_out = LoanFactory(visit=visit, borrower="Samira", lent_at=now - timedelta(days=400))
    closed = RequestFactory(visit=visit, borrower="Twan")
    Request.objects.filter(pk=closed.pk).update(
        status=Request.Status.CANNOT, closed_at=now - timedelta(days=100)
    )
    open_recent = RequestFactory(visit=visit, borrower="Lisa")
    other_library = LoanFactory(borrower="Mohamed", lent_at=now - timedelta(days=130))
    Loan.objects.filter(pk=other_library.pk).update(returned_at=now - timedelta(days=95))

    result = loans_anonymise_expired(now=now)

    assert result == {"loans": 2, "requests": 1}
    labels = dict(Loan.objects.values_list("pk", "borrower"))
    assert labels == {old.pk: "", recent.pk: "Kees", still_out.pk: "Samira", other_library.pk: ""}
    assert Loan.objects.get(pk=old.pk).borrower_removed_at == now
    assert dict(Request.objects.values_list("pk", "borrower")) == {closed.pk: "", open_recent.pk: "Lisa"}
    # The rows stay, so the counts do too; running again changes nothing.
    assert Loan.objects.count() == 4
    assert loans_anonymise_expired(now=now) == {"loans": 0, "requests": 0}


def test_a_shorter_library_retention_blanks_labels_sooner(visit):
    visit.cart.library.retention_months = 1
    visit.cart.library.save()
    now = timezone.now()
    loan = LoanFactory(visit=visit, borrower="Anja", lent_at=now - timedelta(days=60))
    Loan.objects.filter(pk=loan.pk).update(returned_at=now - timedelta(days=40))
    asked_long_ago = RequestFactory(visit=visit, borrower="Kees")
    Request.objects.filter(pk=asked_long_ago.pk).update(created_at=now - timedelta(days=100))

    assert loans_anonymise_expired(now=now) == {"loans": 1, "requests": 1}


def test_the_beat_task_runs_the_service(visit):
    from minilibrary.tasks import borrower_labels_anonymise_expired

    loan = LoanFactory(visit=visit, borrower="Anja", lent_at=timezone.now() - timedelta(days=200))
    Loan.objects.filter(pk=loan.pk).update(returned_at=timezone.now() - timedelta(days=100))
    assert borrower_labels_anonymise_expired.apply().get() == {"loans": 1, "requests": 0}


# --- Packing and importing -----------------------------------------------------------------------------


def test_packing_as_listed_moves_the_books(cart):
    cart.target_size = 2
    cart.save()
    visit = VisitFactory(cart=cart)
    stale = BookFactory(cart=cart, on_cart=True, on_cart_since=visit.date - timedelta(weeks=20))
    fresh = BookFactory(cart=cart, on_cart=True)
    waiting = BookFactory(cart=cart, off_cart_since=visit.date - timedelta(weeks=30))

    assert packing_list_apply(visit=visit) == {"taken_off": 1, "brought": 1}

    stale.refresh_from_db()
    waiting.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.location, stale.on_cart_since, stale.off_cart_since) == ("library", None, visit.date)
    assert (waiting.location, waiting.on_cart_since, waiting.off_cart_since) == ("cart", visit.date, None)
    assert fresh.location == "cart"


def test_import_books_from_pasted_lines(cart):
    BookFactory(cart=cart, title="De brief", author="Petra Hoogland")
    text = (
        "Titel;Auteur;Makkelijk;Soort\n"
        "Je cv in vijf stappen; Dennis Lenssen; ja; informatie\n"
        "De brief;Petra Hoogland;ja;makkelijk\n"
        "\n"
        "Rekenen 1F\tGuido Mesters\tnee\tstudie\n"
    )
    result = books_import(cart=cart, text=text)
    assert (result.created, result.skipped, result.errors) == (2, 1, [])
    cv = Book.objects.get(title="Je cv in vijf stappen")
    assert (cv.author, cv.easy_reading, cv.kind, cv.location) == (
        "Dennis Lenssen",
        True,
        "information",
        "library",
    )
    assert Book.objects.get(title="Rekenen 1F").kind == "study"


def test_an_import_with_a_mistake_stores_nothing(cart):
    result = books_import(cart=cart, text="Goed boek;Iemand;ja;makkelijk\n;Zonder titel\nBoek;X;nee;roman\n")
    assert result.created == 0
    assert result.errors == [
        "Line 2: the title is missing.",
        "Line 3: unknown kind “roman”. Use makkelijk, studie, informatie or anders.",
    ]
    assert not Book.objects.exists()
