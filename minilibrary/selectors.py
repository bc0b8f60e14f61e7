"""Reads for the mini-library: the packing list, the visit's own pages and the numbers for reports.

Every function runs a fixed number of queries, however large the collection or the number of visits.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Book, Loan, Request, Visit


def _open_loan():
    return Exists(Loan.objects.filter(book=OuterRef("pk"), returned_at__isnull=True))


def cart_next_visit(*, cart, today=None):
    """The cart's next planned visit (today or later), or None."""
    today = today or timezone.localdate()
    return (
        Visit.objects.filter(cart=cart, status=Visit.Status.PLANNED, date__gte=today)
        .select_related("cart", "partner_site__partner", "volunteer")
        .order_by("date", "pk")
        .first()
    )


# --- The packing list ------------------------------------------------------------------------------


@dataclass
class RequestedLine:
    request: Request
    book: Book | None
    action: str  # fetch | on_cart | lent_out | to_get
    label: str

    @property
    def fetch(self):
        return self.action == "fetch"


_ACTIONS = {
    "fetch": _("Fetch from the library shelf"),
    "on_cart": _("Already on the cart"),
    "lent_out": _("Lent out: comes back at the visit"),
    "to_get": _("Not in the collection: get it"),
}


@dataclass
class PackingList:
    visit: Visit
    requested: list = field(default_factory=list)
    lent_out: list = field(default_factory=list)
    take_off: list = field(default_factory=list)
    bring_in: list = field(default_factory=list)
    on_cart: int = 0
    target_size: int = 0
    rotation_weeks: int = 0
    easy_after: int = 0

    @property
    def after_packing(self):
        fetched = sum(1 for line in self.requested if line.fetch)
        return self.on_cart - len(self.take_off) + fetched + len(self.bring_in)

    @property
    def to_get(self):
        return [line for line in self.requested if line.action == "to_get"]


def _age_key(book):
    # Longest off the cart first; a book that has never been on the cart counts as longest.
    return (book.off_cart_since is not None, book.off_cart_since or date.min, book.title.lower(), book.pk)


def _pick_bring_in(candidates, slots, easy_needed):
    easy = sorted((b for b in candidates if b.easy_reading), key=_age_key)
    other = sorted((b for b in candidates if not b.easy_reading), key=_age_key)
    easy_count = min(easy_needed, len(easy), slots)
    other_count = min(slots - easy_count, len(other))
    easy_count = min(slots - other_count, len(easy))  # fill up with easy reading when others run out
    return sorted(easy[:easy_count] + other[:other_count], key=_age_key)


def packing_list(*, visit) -> PackingList:
    """What to pack before a visit: (1) requested titles, (2) books lent out and expected back,
    (3) rotation: books on the cart too long go off, books longest at the library come on, so that
    the cart stays near its target size with about the collection's share of easy-reading books.
    """
    cart = visit.cart
    requests = list(
        Request.objects.filter(visit__cart=cart, status=Request.Status.OPEN)
        .select_related("book", "visit")
        .order_by("created_at", "pk")
    )
    loans = list(
        Loan.objects.filter(book__cart=cart, returned_at__isnull=True)
        .select_related("book", "visit")
        .order_by("lent_at", "pk")
    )
    books = list(Book.objects.filter(cart=cart, is_active=True).order_by("title", "pk"))
    lent_ids = {loan.book_id for loan in loans}
    requested_ids = {r.book_id for r in requests if r.book_id}

    lines = []
    for request in requests:
        book = request.book
        if book is None:
            action = "to_get"
        elif book.pk in lent_ids:
            action = "lent_out"
        elif book.location == Book.Location.CART and book.is_active:
            action = "on_cart"
        elif book.is_active:
            action = "fetch"
        else:
            action = "to_get"
        lines.append(RequestedLine(request=request, book=book, action=action, label=str(_ACTIONS[action])))

    on_cart = [b for b in books if b.location == Book.Location.CART]
    limit = visit.date - timedelta(weeks=cart.rotation_weeks)
    take_off = sorted(
        (
            b
            for b in on_cart
            if b.pk not in lent_ids
            and b.pk not in requested_ids
            and b.on_cart_since
            and b.on_cart_since <= limit
        ),
        key=lambda b: (b.on_cart_since, b.title.lower(), b.pk),
    )
    fetched_ids = {line.book.pk for line in lines if line.fetch}
    staying = [b for b in on_cart if b not in take_off] + [b for b in books if b.pk in fetched_ids]
    slots = max(0, cart.target_size - len(staying))
    candidates = [
        b
        for b in books
        if b.location == Book.Location.LIBRARY and b.pk not in lent_ids and b.pk not in requested_ids
    ]
    share = sum(1 for b in books if b.easy_reading) / len(books) if books else 0
    easy_needed = max(0, round(cart.target_size * share) - sum(1 for b in staying if b.easy_reading))
    bring_in = _pick_bring_in(candidates, slots, easy_needed)
    return PackingList(
        visit=visit,
        requested=lines,
        lent_out=loans,
        take_off=take_off,
        bring_in=bring_in,
        on_cart=len(on_cart),
        target_size=cart.target_size,
        rotation_weeks=cart.rotation_weeks,
        easy_after=sum(1 for b in staying + bring_in if b.easy_reading),
    )


# --- During and after a visit ----------------------------------------------------------------------


def visit_report(*, visit) -> dict:
    """What went out, what came back, what was asked for and what was brought, on one visit."""
    lent = list(Loan.objects.filter(visit=visit).select_related("book").order_by("lent_at", "pk"))
    returned = list(
        Loan.objects.filter(returned_visit=visit)
        .select_related("book", "visit")
        .order_by("returned_at", "pk")
    )
    asked = list(Request.objects.filter(visit=visit).select_related("book").order_by("created_at", "pk"))
    brought = list(
        Request.objects.filter(fulfilled_visit=visit)
        .select_related("book", "visit")
        .order_by("closed_at", "pk")
    )
    return {
        "lent": lent,
        "returned": returned,
        "asked": asked,
        "brought": brought,
        "counts": {
            "loans": len(lent),
            "returns": len(returned),
            "requests": len(asked),
            "requests_fulfilled": len(brought),
        },
    }


def visit_desk(*, visit) -> dict:
    """Everything the volunteer needs on the phone during the visit."""
    cart = visit.cart
    lendable = list(
        Book.objects.filter(cart=cart, is_active=True)
        .annotate(is_out=_open_loan())
        .filter(is_out=False)
        .order_by("-location", "title", "pk")  # "cart" before "library"
    )
    open_loans = list(
        Loan.objects.filter(book__cart=cart, returned_at__isnull=True)
        .select_related("book", "visit")
        .order_by("book__title", "pk")
    )
    open_requests = list(
        Request.objects.filter(visit__cart=cart, status=Request.Status.OPEN)
        .select_related("book", "visit")
        .order_by("created_at", "pk")
    )
    report = visit_report(visit=visit)
    return {"lendable": lendable, "open_loans": open_loans, "open_requests": open_requests, **report}


# --- Numbers for reports ---------------------------------------------------------------------------


def _visits_in(library_ids, date_from, date_to):
    visits = Visit.objects.filter(date__gte=date_from, date__lte=date_to)
    if library_ids is not None:
        visits = visits.filter(cart__library_id__in=list(library_ids))
    return visits


def minilibrary_report(*, library_ids, date_from, date_to) -> dict:
    """The mini-library's numbers over the visits dated in the period (both days included).

    visits: visits that took place (status done); loans: books lent on them; returns: books that came
    back on them; requests: titles asked for on them; requests_fulfilled: requests brought on them;
    loans_per_visit: loans / visits, None without visits. library_ids None means every library.
    Three queries, whatever the period.
    """
    visits = _visits_in(library_ids, date_from, date_to).exclude(status=Visit.Status.CANCELLED)
    visit_ids = visits.values("pk")
    numbers = visits.aggregate(visits=Count("pk", filter=Q(status=Visit.Status.DONE)))
    numbers.update(
        Loan.objects.aggregate(
            loans=Count("pk", filter=Q(visit__in=visit_ids)),
            returns=Count("pk", filter=Q(returned_visit__in=visit_ids)),
        )
    )
    numbers.update(
        Request.objects.aggregate(
            requests=Count("pk", filter=Q(visit__in=visit_ids)),
            requests_fulfilled=Count("pk", filter=Q(fulfilled_visit__in=visit_ids)),
        )
    )
    numbers["loans_per_visit"] = round(numbers["loans"] / numbers["visits"], 2) if numbers["visits"] else None
    return numbers


def _count(model, field, **extra):
    rows = (
        model.objects.filter(**{field: OuterRef("pk")}, **extra)
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def visit_count_annotations():
    return {
        "loan_count": _count(Loan, "visit"),
        "return_count": _count(Loan, "returned_visit"),
        "request_count": _count(Request, "visit"),
        "fulfilled_count": _count(Request, "fulfilled_visit"),
    }


def minilibrary_visit_rows(*, library_ids, date_from, date_to) -> list[dict]:
    """One row per visit dated in the period (not cancelled), oldest first, in one query."""
    visits = (
        _visits_in(library_ids, date_from, date_to)
        .exclude(status=Visit.Status.CANCELLED)
        .annotate(**visit_count_annotations())
        .select_related("cart", "partner_site__partner")
        .order_by("date", "pk")
    )
    return [
        {
            "date": visit.date,
            "library_id": visit.cart.library_id,
            "cart": visit.cart.name,
            "site": str(visit.partner_site),
            "status": visit.status,
            "loans": visit.loan_count,
            "returns": visit.return_count,
            "requests": visit.request_count,
            "requests_fulfilled": visit.fulfilled_count,
        }
        for visit in visits
    ]
