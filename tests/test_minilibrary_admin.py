"""The mini-library in the admin: the packing list on paper, the page used during a visit, the report,
the book import; each library sees only its own; lists stay cheap."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from minilibrary.models import Book, Cart, Loan, Request, Visit
from minilibrary.services import loan_create, request_create
from portal.staff_groups import staff_groups_ensure
from programmes.models import LibraryMembership
from tests import factories
from tests.factories_minilibrary import BookFactory, CartFactory, LoanFactory, RequestFactory, VisitFactory

pytestmark = pytest.mark.django_db

VOLUNTEER_PERMISSIONS = [
    "view_cart",
    "view_book",
    "change_book",
    "view_visit",
    "view_loan",
    "add_loan",
    "change_loan",
    "view_request",
    "add_request",
    "change_request",
]


def url(name, *args):
    return reverse(f"admin:minilibrary_{name}", args=args)


@pytest.fixture
def relim():
    """A cart with a past visit (a loan, two requests) and the next visit planned."""
    cart = CartFactory(name="Mini-bieb Relim", target_size=4)
    site = factories.PartnerSiteFactory(name="Leerwerkplaats Heerlen")
    cart.partner_sites.add(site)
    next_visit = VisitFactory(cart=cart, partner_site=site)
    past = VisitFactory(cart=cart, partner_site=site, date=next_visit.date - timedelta(days=28))
    on_cart = BookFactory(cart=cart, title="Mijn eerste werkdag", on_cart=True)
    wanted = BookFactory(cart=cart, title="Werken in de zorg", easy_reading=False)
    loan_create(visit=past, book=on_cart, borrower="Kees")
    request_create(visit=past, book=wanted, borrower="Samira")
    request_create(visit=past, title="Een boek over voetbal", borrower="R-2210")
    BookFactory(cart=cart, title="De bus van half acht")
    return {
        "cart": cart,
        "site": site,
        "next": next_visit,
        "past": past,
        "on_cart": on_cart,
        "wanted": wanted,
    }


def staff_of(library, *, perms=None, username="medewerker.minibieb"):
    """A non-superuser staff member of one library: all mini-library permissions, or the given ones."""
    user = factories.SuperUserFactory(username=username, is_superuser=False)
    codenames = (
        perms
        if perms is not None
        else [p.codename for p in Permission.objects.filter(content_type__app_label="minilibrary")]
    )
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="minilibrary", codename__in=codenames)
    )
    LibraryMembership.objects.create(user=user, library=library)
    return user


# --- The packing list -------------------------------------------------------------------------------


def test_the_packing_list_shows_the_requested_books_first(english_staff_client, relim):
    response = english_staff_client.get(url("visit_packing_list", relim["next"].pk))

    assert response.status_code == 200
    html = response.content.decode()
    order = [html.index(text) for text in ["1. Asked for", "2. Lent out", "3. Take off", "4. Bring onto"]]
    assert order == sorted(order)
    requested = html[html.index("1. Asked for") : html.index("2. Lent out")]
    assert "Werken in de zorg" in requested and "Samira" in requested
    assert "Fetch from the library shelf" in requested
    assert "Een boek over voetbal" in requested and "Not in the collection: get it" in requested
    lent = html[html.index("2. Lent out") : html.index("3. Take off")]
    assert "Mijn eerste werkdag" in lent and "Kees" in lent
    assert "De bus van half acht" in html[html.index("4. Bring onto") :]
    assert html.count('class="print-box"') >= 4
    assert "css/minilibrary.css" in html
    # Strict CSP: no inline script or style, and printing is the browser's own.
    assert "<script" not in html and "style=" not in html and "<style" not in html


def test_the_print_stylesheet_is_black_and_white_and_hides_the_buttons():
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/minilibrary.css"), encoding="utf-8").read()
    print_rules = css[css.index("@media print") :]
    assert ".no-print" in print_rules and "display: none" in print_rules
    assert "color: #000" in print_rules


def test_packed_as_listed_updates_the_collection(english_staff_client, relim):
    response = english_staff_client.post(url("visit_packing_list", relim["next"].pk))
    assert response.status_code == 302
    relim["wanted"].refresh_from_db()
    assert relim["wanted"].location == Book.Location.CART
    assert relim["wanted"].on_cart_since == relim["next"].date


def test_the_cart_leads_to_the_packing_list_of_the_next_visit(english_staff_client, relim):
    response = english_staff_client.get(url("cart_packing_list", relim["cart"].pk))
    assert response["Location"] == url("visit_packing_list", relim["next"].pk)
    change = english_staff_client.get(url("cart_change", relim["cart"].pk)).content.decode()
    assert url("cart_packing_list", relim["cart"].pk) in change

    Visit.objects.filter(pk=relim["next"].pk).update(status=Visit.Status.CANCELLED)
    response = english_staff_client.get(url("cart_packing_list", relim["cart"].pk), follow=True)
    assert "Plan the next visit first." in response.content.decode()
    assert response.request["PATH_INFO"] == url("visit_add")


# --- During the visit -------------------------------------------------------------------------------


def test_lend_return_and_ask_on_a_phone_page(english_staff_client, relim):
    visit, desk = relim["next"], url("visit_desk", relim["next"].pk)
    page = english_staff_client.get(desk)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="viewport"' in html
    assert "Mijn eerste werkdag" in html and "Kees" in html  # out, with a Back button
    book = BookFactory(cart=relim["cart"], title="Het geheim van de mijn", on_cart=True)

    response = english_staff_client.post(
        desk, {"action": "lend", "lend-book": book.pk, "lend-borrower": "Fenna"}
    )
    assert response.status_code == 302
    assert Loan.objects.get(book=book, visit=visit, returned_at__isnull=True).borrower == "Fenna"

    loan = Loan.objects.get(book=relim["on_cart"])
    assert english_staff_client.post(desk, {"action": "return", "loan": loan.pk}).status_code == 302
    loan.refresh_from_db()
    assert loan.returned_visit == visit

    response = english_staff_client.post(desk, {"action": "ask", "ask-title": "Koken", "ask-borrower": ""})
    assert response.status_code == 302
    asked = Request.objects.get(title="Koken")
    assert asked.visit == visit

    wanted = Request.objects.get(book=relim["wanted"])
    assert english_staff_client.post(desk, {"action": "fulfil", "request": wanted.pk}).status_code == 302
    wanted.refresh_from_db()
    assert wanted.fulfilled_visit == visit

    report = english_staff_client.get(url("visit_report", visit.pk))
    assert report.context["report"]["counts"] == {
        "loans": 1,
        "returns": 1,
        "requests": 1,
        "requests_fulfilled": 1,
    }
    assert "Fenna" not in report.content.decode()  # the report names books, not people


def test_mistakes_are_shown_next_to_the_field_and_the_input_is_kept(english_staff_client, relim):
    desk = url("visit_desk", relim["next"].pk)
    book = BookFactory(cart=relim["cart"], on_cart=True)

    response = english_staff_client.post(
        desk, {"action": "lend", "lend-book": book.pk, "lend-borrower": "Anja van den Berg"}
    )
    assert response.status_code == 200
    form = response.context["lend_form"]
    assert form.errors["borrower"] == ["Only a first name or a number, no surname."]
    html = response.content.decode()
    assert 'value="Anja van den Berg"' in html
    assert re.search(r'id="id_lend-borrower_error".*no surname', html, re.S)

    out = relim["on_cart"]  # already lent out: not a choice
    response = english_staff_client.post(
        desk, {"action": "lend", "lend-book": out.pk, "lend-borrower": "Lisa"}
    )
    assert response.context["lend_form"].errors["book"] == [
        "This book cannot be lent now. Choose another one."
    ]
    assert Loan.objects.filter(book=out).count() == 1

    response = english_staff_client.post(desk, {"action": "ask", "ask-title": " ", "ask-borrower": "Lisa"})
    assert response.context["request_form"].errors["title"] == [
        "Choose a book from the collection or write the title."
    ]
    assert 'value="Lisa"' in response.content.decode()
    assert english_staff_client.post(desk, {"action": "dance"}).status_code == 400


def test_finishing_the_visit(english_staff_client, relim):
    response = english_staff_client.post(url("visit_desk", relim["next"].pk), {"action": "finish"})
    assert response["Location"] == url("visit_report", relim["next"].pk)
    relim["next"].refresh_from_db()
    assert relim["next"].status == Visit.Status.DONE


def test_a_volunteer_lends_but_needs_the_permission(client, relim):
    volunteer = staff_of(relim["cart"].library, perms=VOLUNTEER_PERMISSIONS, username="vrijwilliger.minibieb")
    client.force_login(volunteer)
    desk = url("visit_desk", relim["next"].pk)
    book = BookFactory(cart=relim["cart"], on_cart=True)
    assert client.get(url("visit_packing_list", relim["next"].pk)).status_code == 200
    assert (
        client.post(desk, {"action": "lend", "lend-book": book.pk, "lend-borrower": "Anja"}).status_code
        == 302
    )

    volunteer.user_permissions.remove(Permission.objects.get(codename="add_loan"))
    client.force_login(volunteer)
    other = BookFactory(cart=relim["cart"], on_cart=True)
    assert (
        client.post(desk, {"action": "lend", "lend-book": other.pk, "lend-borrower": "Kees"}).status_code
        == 403
    )
    assert not Loan.objects.filter(book=other).exists()


def test_the_volunteer_group_can_pack_and_lend(client, relim):
    volunteer = staff_of(relim["cart"].library, perms=[], username="gastheer.minibieb")
    volunteer.groups.add(staff_groups_ensure()["host"])
    client.force_login(volunteer)
    book = BookFactory(cart=relim["cart"], on_cart=True)
    assert client.get(url("visit_packing_list", relim["next"].pk)).status_code == 200
    response = client.post(
        url("visit_desk", relim["next"].pk), {"action": "lend", "lend-book": book.pk, "lend-borrower": "Anja"}
    )
    assert response.status_code == 302
    assert Loan.objects.filter(book=book, borrower="Anja").exists()


# --- Import ---------------------------------------------------------------------------------------------


def test_import_books_from_a_pasted_list(english_staff_client, relim):
    page = url("cart_import_books", relim["cart"].pk)
    assert english_staff_client.get(page).status_code == 200
    bad = "Goed boek;Iemand;ja\nBoek;X;nee;roman"
    response = english_staff_client.post(page, {"text": bad})
    assert response.status_code == 200
    assert response.context["form"].errors["text"] == [
        "Line 2: unknown kind “roman”. Use makkelijk, studie, informatie or anders."
    ]
    assert "Goed boek;Iemand;ja" in response.content.decode()
    response = english_staff_client.post(page, {"text": "Goed boek;Iemand;ja\nAnder boek;X;nee;studie"})
    assert response.status_code == 302
    assert set(
        relim["cart"].books.filter(title__in=["Goed boek", "Ander boek"]).values_list("kind", flat=True)
    ) == {
        "easy_reading",
        "study",
    }


# --- Each library sees its own ----------------------------------------------------------------------


@pytest.fixture
def other_library_client(client, relim):
    user = staff_of(factories.LibraryFactory(), username="andere.bieb")
    client.force_login(user)
    return client


def test_another_librarys_staff_get_404_on_every_page(other_library_client, relim):
    visit, cart = relim["next"], relim["cart"]
    for page in [
        url("visit_packing_list", visit.pk),
        url("visit_desk", visit.pk),
        url("visit_report", visit.pk),
        url("cart_packing_list", cart.pk),
        url("cart_import_books", cart.pk),
    ]:
        assert other_library_client.get(page).status_code == 404, page
    book = BookFactory(cart=cart, on_cart=True)
    response = other_library_client.post(
        url("visit_desk", visit.pk), {"action": "lend", "lend-book": book.pk, "lend-borrower": "Anja"}
    )
    assert response.status_code == 404
    assert other_library_client.post(url("visit_packing_list", visit.pk)).status_code == 404
    assert not Loan.objects.filter(book=book).exists()


@pytest.mark.parametrize("model", [Cart, Book, Visit, Loan, Request], ids=lambda m: m.__name__)
def test_lists_show_only_the_own_library(client, relim, model):
    LoanFactory()  # another library's cart, book, visit and loan
    RequestFactory()
    own = staff_of(relim["cart"].library)
    client.force_login(own)
    response = client.get(url(f"{model._meta.model_name}_changelist"))
    assert response.status_code == 200
    shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
    from portal.scoping import scope_queryset

    assert shown == set(scope_queryset(model.objects.all(), own).values_list("pk", flat=True))
    assert shown and shown != set(model.objects.values_list("pk", flat=True))


def test_a_visit_form_offers_only_the_own_librarys_carts(client, relim):
    other_cart = CartFactory()
    client.force_login(staff_of(relim["cart"].library))
    response = client.post(
        url("visit_add"),
        {
            "cart": other_cart.pk,
            "partner_site": relim["site"].pk,
            "date": "2030-01-09",
            "status": "planned",
            "loans-TOTAL_FORMS": 0,
            "loans-INITIAL_FORMS": 0,
            "requests-TOTAL_FORMS": 0,
            "requests-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "cart" in response.context["adminform"].form.errors


# --- Lists stay cheap ----------------------------------------------------------------------------------


def grow(cart, site, n):
    """n more past visits, each with a loan and a request, and another cart of the same library."""
    first = cart.visits.order_by("date").first().date
    for i in range(n):
        visit = VisitFactory(
            cart=cart, partner_site=site, date=first - timedelta(days=28 * (i + 1)), status=Visit.Status.DONE
        )
        LoanFactory(visit=visit)
        RequestFactory(visit=visit, book=BookFactory(cart=cart))
    CartFactory(library=cart.library)


@pytest.mark.parametrize("model", [Cart, Book, Visit, Loan, Request], ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_rows(staff_client, relim, model):
    page = url(f"{model._meta.model_name}_changelist")

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(page)
        assert response.status_code == 200
        return len(queries), response.context["cl"].result_count

    grow(relim["cart"], relim["site"], 2)
    few, few_rows = count()
    grow(relim["cart"], relim["site"], 20)
    many, many_rows = count()
    assert many_rows > few_rows
    assert many == few
    assert many <= 14


# --- Demo data: what a newcomer sees ------------------------------------------------------------------


def test_the_demo_volunteer_prints_the_packing_list_with_the_requested_books(client, demo_data):
    from django.contrib.auth import get_user_model

    from minilibrary.demo import VOLUNTEER_LOGIN
    from minilibrary.selectors import cart_next_visit

    volunteer = get_user_model().objects.get(username=VOLUNTEER_LOGIN[0])
    factories.activate_totp(volunteer)
    client.force_login(volunteer)
    cart = Cart.objects.get(name="Mini-bieb Relim")
    assert cart.books.count() >= 60
    assert cart.books.filter(location=Book.Location.CART).count() >= 55

    response = client.get(url("cart_packing_list", cart.pk), follow=True)

    assert response.status_code == 200
    packing = response.context["packing"]
    assert packing.visit == cart_next_visit(cart=cart)
    assert [line.action for line in packing.requested].count("fetch") >= 1
    assert packing.to_get and packing.lent_out and packing.take_off and packing.bring_in
    html = response.content.decode()
    for line in packing.requested:
        assert str(line.book.title if line.book else line.request.title) in html


def test_demo_loads_once_even_on_a_later_day(demo_data):
    from minilibrary.demo import load_demo

    counts = [model.objects.count() for model in (Cart, Book, Visit, Loan, Request)]
    assert counts[1] >= 60 and counts[2] >= 7 and counts[3] >= 20 and counts[4] >= 5
    load_demo(now=timezone.now() + timedelta(days=45))
    assert [model.objects.count() for model in (Cart, Book, Visit, Loan, Request)] == counts
    # Loans returned long ago have lost their borrower label already.
    assert Loan.objects.filter(borrower="", returned_at__isnull=False).exists()
    assert not Loan.objects.filter(borrower="", returned_at__isnull=True).exists()


def test_book_actions_move_books_but_not_one_that_is_lent_out(english_staff_client, relim):
    waiting = BookFactory(cart=relim["cart"])
    changelist = url("book_changelist")
    english_staff_client.post(changelist, {"action": "put_on_cart", "_selected_action": [waiting.pk]})
    waiting.refresh_from_db()
    assert (waiting.location, waiting.on_cart_since) == (Book.Location.CART, timezone.localdate())

    lent = relim["on_cart"]
    english_staff_client.post(
        changelist, {"action": "back_to_library", "_selected_action": [waiting.pk, lent.pk]}
    )
    waiting.refresh_from_db()
    lent.refresh_from_db()
    assert (waiting.location, waiting.off_cart_since) == (Book.Location.LIBRARY, timezone.localdate())
    assert lent.location == Book.Location.CART
