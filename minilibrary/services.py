"""Writes for the mini-library: plan a visit, lend, take back, ask for a title, pack the cart.

Lending and returning lock the book's row first, so two taps on the same book never make two loans
(the partial unique constraint `minilibrary_loan_one_open_per_book` is the last line of defence).
"""

from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import BORROWER_LABEL_MAX_LENGTH, Book, Loan, Request, Visit, validate_borrower_label

# A borrower label is needed only to ask a book back; it goes this long after the return (or the
# library's own retention period, when that is shorter).
BORROWER_LABEL_KEEP_MONTHS = 3


class MiniLibraryError(Exception):
    """The action cannot be done; the message is plain words for the volunteer."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def _clean_label(label, *, required):
    label = " ".join((label or "").split())
    if required and not label:
        raise MiniLibraryError(_("Write a first name or the number the partner uses."), "borrower")
    if len(label) > BORROWER_LABEL_MAX_LENGTH:
        raise MiniLibraryError(
            _("At most %(max)d characters: a first name or a number.") % {"max": BORROWER_LABEL_MAX_LENGTH},
            "borrower",
        )
    try:
        validate_borrower_label(label)
    except ValidationError as error:
        raise MiniLibraryError(error.messages[0], "borrower") from None
    return label


def _usable_visit(visit):
    visit = Visit.objects.select_for_update(of=("self",)).select_related("cart").get(pk=visit.pk)
    if visit.status == Visit.Status.CANCELLED:
        raise MiniLibraryError(_("This visit is cancelled."))
    return visit


def _mark_done(visit):
    # Something was lent, returned or asked for: the visit took place.
    if visit.status == Visit.Status.PLANNED:
        visit.status = Visit.Status.DONE
        visit.save(update_fields=["status", "updated_at"])


@transaction.atomic
def visit_plan(*, cart, partner_site, date, volunteer=None, session=None, notes="") -> Visit:
    """Plan the cart's next visit to a partner site."""
    if cart.partner_sites.exists() and not cart.partner_sites.filter(pk=partner_site.pk).exists():
        raise MiniLibraryError(_("This cart does not visit this partner site."), "partner_site")
    if Visit.objects.filter(cart=cart, partner_site=partner_site, date=date).exists():
        raise MiniLibraryError(_("The cart already visits this site on this day."), "date")
    visit = Visit(
        cart=cart, partner_site=partner_site, date=date, volunteer=volunteer, session=session, notes=notes
    )
    try:
        visit.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise MiniLibraryError(messages[0], None if field == "__all__" else field) from None
    visit.save()
    return visit


@transaction.atomic
def visit_finish(*, visit) -> Visit:
    visit = _usable_visit(visit)
    _mark_done(visit)
    return visit


@transaction.atomic
def loan_create(*, visit, book, borrower, now=None) -> Loan:
    """Lend a book of the cart at a visit. Refuses a book that is already out.

    A request for this book by the same borrower counts as brought on this visit.
    """
    now = now or timezone.now()
    borrower = _clean_label(borrower, required=True)
    visit = _usable_visit(visit)
    book = Book.objects.select_for_update().get(pk=book.pk)
    if book.cart_id != visit.cart_id:
        raise MiniLibraryError(_("This book belongs to another cart."), "book")
    if not book.is_active:
        raise MiniLibraryError(_("This book is no longer in the collection."), "book")
    if Loan.objects.filter(book=book, returned_at__isnull=True).exists():
        raise MiniLibraryError(_("This book is already lent out. Record its return first."), "book")
    try:
        with transaction.atomic():
            loan = Loan.objects.create(book=book, visit=visit, borrower=borrower, lent_at=now)
    except IntegrityError:
        raise MiniLibraryError(_("This book is already lent out. Record its return first."), "book") from None
    if book.location != Book.Location.CART:
        # It was brought along for a request: it is part of the cart from now on.
        book.location, book.on_cart_since, book.off_cart_since = Book.Location.CART, visit.date, None
        book.save(update_fields=["location", "on_cart_since", "off_cart_since", "updated_at"])
    asked = (
        Request.objects.select_for_update()
        .filter(book=book, status=Request.Status.OPEN, borrower__iexact=borrower)
        .order_by("created_at")
        .first()
    )
    if asked is not None:
        _close_request(asked, status=Request.Status.FULFILLED, visit=visit, now=now)
    _mark_done(visit)
    return loan


@transaction.atomic
def loan_return(*, loan, visit=None, now=None) -> Loan:
    """The book is back: on a visit (then it goes on the cart again), or at the library desk."""
    now = now or timezone.now()
    loan = Loan.objects.select_for_update().select_related("book").get(pk=loan.pk)
    if loan.returned_at is not None:
        raise MiniLibraryError(_("This book was already returned."))
    if visit is not None:
        visit = _usable_visit(visit)
        if visit.cart_id != loan.book.cart_id:
            raise MiniLibraryError(_("This book belongs to another cart."))
    loan.returned_at, loan.returned_visit = max(now, loan.lent_at), visit
    loan.save(update_fields=["returned_at", "returned_visit"])
    if visit is not None:
        _mark_done(visit)
    return loan


def _close_request(request, *, status, visit=None, now, reason=""):
    request.status, request.closed_at = status, now
    request.fulfilled_visit = visit if status == Request.Status.FULFILLED else None
    request.reason = reason
    request.save(update_fields=["status", "closed_at", "fulfilled_visit", "reason", "updated_at"])


@transaction.atomic
def request_create(*, visit, book=None, title="", borrower="") -> Request:
    """Someone asks for a title to be brought next time."""
    title = " ".join((title or "").split())
    borrower = _clean_label(borrower, required=False)
    visit = _usable_visit(visit)
    if book is None and not title:
        raise MiniLibraryError(_("Choose a book from the collection or write the title."), "title")
    if len(title) > 200:
        raise MiniLibraryError(_("At most 200 characters."), "title")
    if book is not None and book.cart_id != visit.cart_id:
        raise MiniLibraryError(_("This book belongs to another cart."), "book")
    request = Request.objects.create(visit=visit, book=book, title=title, borrower=borrower)
    _mark_done(visit)
    return request


@transaction.atomic
def request_fulfil(*, request, visit, now=None) -> Request:
    """The title was brought on this visit."""
    now = now or timezone.now()
    request = Request.objects.select_for_update().get(pk=request.pk)
    if request.status != Request.Status.OPEN:
        raise MiniLibraryError(_("This request is already closed."))
    visit = _usable_visit(visit)
    if visit.cart_id != Visit.objects.values_list("cart_id", flat=True).get(pk=request.visit_id):
        raise MiniLibraryError(_("This request belongs to another cart."))
    _close_request(request, status=Request.Status.FULFILLED, visit=visit, now=now)
    _mark_done(visit)
    return request


@transaction.atomic
def request_cannot(*, request, reason="", now=None) -> Request:
    """The title cannot be brought (not in the library's collection, lost, ...)."""
    now = now or timezone.now()
    request = Request.objects.select_for_update().get(pk=request.pk)
    if request.status != Request.Status.OPEN:
        raise MiniLibraryError(_("This request is already closed."))
    _close_request(request, status=Request.Status.CANNOT, now=now, reason=(reason or "")[:200])
    return request


@transaction.atomic
def packing_list_apply(*, visit) -> dict:
    """The cart was packed as on the packing list: move the books and date their rotation."""
    from .selectors import packing_list

    visit = _usable_visit(visit)
    packing = packing_list(visit=visit)
    day = visit.date
    off_ids = [book.pk for book in packing.take_off]
    on_ids = [book.pk for book in packing.bring_in] + [
        line.book.pk for line in packing.requested if line.book is not None and line.fetch
    ]
    taken_off = Book.objects.filter(pk__in=off_ids, cart=visit.cart).update(
        location=Book.Location.LIBRARY, on_cart_since=None, off_cart_since=day, updated_at=timezone.now()
    )
    brought = Book.objects.filter(pk__in=on_ids, cart=visit.cart, location=Book.Location.LIBRARY).update(
        location=Book.Location.CART, on_cart_since=day, off_cart_since=None, updated_at=timezone.now()
    )
    return {"taken_off": taken_off, "brought": brought}


@dataclass
class ImportResult:
    created: int
    skipped: int
    errors: list


KIND_WORDS = {
    "makkelijk": Book.Kind.EASY_READING,
    "makkelijk lezen": Book.Kind.EASY_READING,
    "easy": Book.Kind.EASY_READING,
    "easy_reading": Book.Kind.EASY_READING,
    "studie": Book.Kind.STUDY,
    "study": Book.Kind.STUDY,
    "informatie": Book.Kind.INFORMATION,
    "information": Book.Kind.INFORMATION,
    "info": Book.Kind.INFORMATION,
    "anders": Book.Kind.OTHER,
    "other": Book.Kind.OTHER,
}
YES_WORDS = {"ja", "j", "yes", "y", "x", "1", "ec", "waar", "true"}


def _parse_line(line):
    separator = ";" if ";" in line else ("\t" if "\t" in line else ",")
    cells = [cell.strip() for cell in line.split(separator)]
    cells += [""] * (4 - len(cells))
    title, author, easy, kind = cells[:4]
    return title, author, easy.lower() in YES_WORDS, kind.lower()


@transaction.atomic
def books_import(*, cart, text) -> ImportResult:
    """Add books from pasted lines: title; author; easy reading (ja/nee); kind. New books wait at the library.

    A line whose title and author are already in the collection is skipped. Nothing is stored when a
    line has a mistake, so the list can be fixed and pasted again.
    """
    existing = {
        (t.lower(), a.lower()) for t, a in Book.objects.filter(cart=cart).values_list("title", "author")
    }
    books, errors, skipped = [], [], 0
    for number, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        title, author, easy, kind_word = _parse_line(raw)
        if number == 1 and title.lower() in {"titel", "title"}:
            continue
        kind = KIND_WORDS.get(kind_word) if kind_word else None
        if not title:
            errors.append(_("Line %(number)d: the title is missing.") % {"number": number})
            continue
        if len(title) > 200 or len(author) > 150:
            errors.append(_("Line %(number)d: the title or author is too long.") % {"number": number})
            continue
        if kind_word and kind is None:
            errors.append(
                _("Line %(number)d: unknown kind “%(kind)s”. Use makkelijk, studie, informatie or anders.")
                % {"number": number, "kind": kind_word}
            )
            continue
        if (title.lower(), author.lower()) in existing:
            skipped += 1
            continue
        existing.add((title.lower(), author.lower()))
        kind = kind or (Book.Kind.EASY_READING if easy else Book.Kind.OTHER)
        books.append(Book(cart=cart, title=title, author=author, easy_reading=easy, kind=kind))
    if errors:
        transaction.set_rollback(True)
        return ImportResult(created=0, skipped=skipped, errors=errors)
    Book.objects.bulk_create(books)
    return ImportResult(created=len(books), skipped=skipped, errors=[])


def _label_cutoffs(library, now):
    """Returned loans and closed requests: three months (or less); a request left open: the retention."""
    retention = library.retention_months or BORROWER_LABEL_KEEP_MONTHS
    closed = now - relativedelta(months=min(BORROWER_LABEL_KEEP_MONTHS, retention))
    return closed, now - relativedelta(months=max(BORROWER_LABEL_KEEP_MONTHS, retention))


@transaction.atomic
def loans_anonymise_expired(*, now=None) -> dict:
    """Blank borrower labels of returned loans and closed requests once the keeping period has passed.

    Borrowers are not participants, so the privacy app's erasure does not reach them: this does. The
    rows stay, so the counts in reports stay right. A book that is still out keeps its label: it is
    needed to ask the book back. Meant to run daily (Celery beat).
    """
    from programmes.models import Library

    now = now or timezone.now()
    loans = requests = 0
    for library in Library.objects.filter(minilibrary_carts__isnull=False).distinct():
        closed_cutoff, open_cutoff = _label_cutoffs(library, now)
        loans += (
            Loan.objects.filter(book__cart__library=library, returned_at__lt=closed_cutoff)
            .exclude(borrower="")
            .update(borrower="", borrower_removed_at=now)
        )
        requests += (
            Request.objects.filter(visit__cart__library=library)
            .filter(
                Q(closed_at__lt=closed_cutoff) | Q(status=Request.Status.OPEN, created_at__lt=open_cutoff)
            )
            .exclude(borrower="")
            .update(borrower="", borrower_removed_at=now)
        )
    return {"loans": loans, "requests": requests}
