"""The mobile mini-library: a cart of books a volunteer brings to a partner's site once a month.

People at the partner borrow without a library membership. The only thing noted about them is a
borrower label: a first name or the number the partner uses for them. Labels expire
(`services.loans_anonymise_expired`), so nothing about a borrower stays once the book is back.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import TimeStampedModel

BORROWER_LABEL_MAX_LENGTH = 40
BORROWER_HELP = _(
    "A first name or the number the partner uses. No surname, phone number, e-mail address or other data."
)


def validate_borrower_label(value):
    """A first name or the partner's own number: refuse what looks like more than that."""
    value = (value or "").strip()
    if not value:
        return
    if "@" in value:
        raise ValidationError(_("No e-mail address: a first name or the partner's number is enough."))
    if len(re.sub(r"\D", "", value)) >= 9:
        raise ValidationError(_("No phone number or citizen service number: a first name is enough."))
    if len(value.split()) > 2:
        raise ValidationError(_("Only a first name or a number, no surname."))


class Cart(TimeStampedModel):
    """A cart of about 60 books that a library brings to one or more partner sites."""

    library = models.ForeignKey(
        "programmes.Library",
        on_delete=models.PROTECT,
        related_name="minilibrary_carts",
        verbose_name=_("library organisation"),
    )
    name = models.CharField(_("name"), max_length=150)
    partner_sites = models.ManyToManyField(
        "partners.PartnerSite",
        blank=True,
        related_name="minilibrary_carts",
        verbose_name=_("visits these partner sites"),
    )
    target_size = models.PositiveSmallIntegerField(
        _("number of books on the cart"),
        default=60,
        validators=[MaxValueValidator(500)],
        help_text=_("The packing list fills the cart up to about this number."),
    )
    rotation_weeks = models.PositiveSmallIntegerField(
        _("rotation (weeks on the cart)"),
        default=12,
        validators=[MaxValueValidator(104)],
        help_text=_("A book that has been on the cart longer than this goes back to the library."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("mini-library cart")
        verbose_name_plural = _("mini-library carts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["library", "name"],
                name="minilibrary_cart_unique_name",
                violation_error_message=_("This library already has a cart with this name."),
            ),
            models.CheckConstraint(
                condition=Q(target_size__gt=0),
                name="minilibrary_cart_target_positive",
                violation_error_message=_("The number of books on the cart must be at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(rotation_weeks__gt=0),
                name="minilibrary_cart_rotation_positive",
                violation_error_message=_("The rotation must be at least 1 week."),
            ),
        ]

    def __str__(self):
        return self.name


class Book(TimeStampedModel):
    """One copy in a cart's collection: on the cart, or back at the library waiting for its turn."""

    class Kind(models.TextChoices):
        EASY_READING = "easy_reading", _("Easy-reading book")
        STUDY = "study", _("Study material")
        INFORMATION = "information", _("Information")
        OTHER = "other", _("Other")

    class Location(models.TextChoices):
        LIBRARY = "library", _("At the library")
        CART = "cart", _("On the cart")

    cart = models.ForeignKey(Cart, on_delete=models.PROTECT, related_name="books", verbose_name=_("cart"))
    title = models.CharField(_("title"), max_length=200)
    author = models.CharField(_("author"), max_length=150, blank=True)
    easy_reading = models.BooleanField(
        _("easy reading (Eenvoudig Communiceren)"),
        default=False,
        help_text=_("An easy-reading book, for example from the Eenvoudig Communiceren collection."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    code = models.CharField(
        _("copy number"), max_length=30, blank=True, help_text=_("The library's barcode, if there is one.")
    )
    location = models.CharField(
        _("where is it"), max_length=10, choices=Location.choices, default=Location.LIBRARY
    )
    on_cart_since = models.DateField(_("on the cart since"), null=True, blank=True)
    off_cart_since = models.DateField(
        _("back at the library since"),
        null=True,
        blank=True,
        help_text=_("Empty for a book that has never been on the cart."),
    )
    is_active = models.BooleanField(
        _("in the collection"), default=True, help_text=_("Untick for a book that is lost or worn out.")
    )

    class Meta:
        verbose_name = _("book")
        verbose_name_plural = _("books")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(location="library") | Q(on_cart_since__isnull=False),
                name="minilibrary_book_on_cart_has_date",
                violation_error_message=_("A book on the cart needs the date it went on the cart."),
            ),
        ]
        indexes = [models.Index(fields=["cart", "location"])]

    def __str__(self):
        return f"{self.title} ({self.author})" if self.author else self.title


class Visit(TimeStampedModel):
    """One visit of the cart to a partner site (monthly, in the lunch break)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    cart = models.ForeignKey(Cart, on_delete=models.PROTECT, related_name="visits", verbose_name=_("cart"))
    partner_site = models.ForeignKey(
        "partners.PartnerSite",
        on_delete=models.PROTECT,
        related_name="minilibrary_visits",
        verbose_name=_("partner site"),
    )
    date = models.DateField(_("date"))
    volunteer = models.ForeignKey(
        "people.Worker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="minilibrary_visits",
        verbose_name=_("volunteer"),
    )
    session = models.ForeignKey(
        "programme_sessions.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="minilibrary_visits",
        verbose_name=_("meeting in the agenda"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("About the visit only. No names or other personal data.")
    )

    class Meta:
        verbose_name = _("mini-library visit")
        verbose_name_plural = _("mini-library visits")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "partner_site", "date"],
                name="minilibrary_visit_unique_day",
                violation_error_message=_("The cart already visits this site on this day."),
            ),
        ]
        indexes = [models.Index(fields=["cart", "status", "date"])]

    def __str__(self):
        return f"{self.cart.name}, {self.date:%d-%m-%Y}"

    def clean(self):
        errors = {}
        cart = self.cart if self.cart_id else None
        if cart is not None and self.volunteer_id and self.volunteer.library_id != cart.library_id:
            errors["volunteer"] = _("Choose a volunteer of the library that runs the cart.")
        if cart is not None and self.session_id and self.session.programme.library_id != cart.library_id:
            errors["session"] = _("Choose a meeting of the library that runs the cart.")
        if errors:
            raise ValidationError(errors)


class Loan(models.Model):
    """A book lent at a visit, to someone known only by a first name or the partner's number."""

    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="loans", verbose_name=_("book"))
    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, related_name="loans", verbose_name=_("lent on")
    )
    borrower = models.CharField(
        _("borrower"),
        max_length=BORROWER_LABEL_MAX_LENGTH,
        blank=True,
        validators=[validate_borrower_label],
        help_text=BORROWER_HELP,
    )
    lent_at = models.DateTimeField(_("lent at"), default=timezone.now)
    returned_visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="returns",
        verbose_name=_("returned on"),
        help_text=_("Empty when the book came back another way, for example at the library desk."),
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    borrower_removed_at = models.DateTimeField(_("borrower removed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-lent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["book"],
                condition=Q(returned_at__isnull=True),
                name="minilibrary_loan_one_open_per_book",
                violation_error_message=_("This book is already lent out. Record its return first."),
            ),
            models.CheckConstraint(
                condition=Q(returned_visit__isnull=True) | Q(returned_at__isnull=False),
                name="minilibrary_loan_return_has_time",
                violation_error_message=_("A book returned on a visit needs the time it came back."),
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | Q(returned_at__gte=models.F("lent_at")),
                name="minilibrary_loan_returned_after_lent",
                violation_error_message=_("A book cannot come back before it was lent."),
            ),
        ]
        indexes = [models.Index(fields=["returned_at"])]

    def __str__(self):
        return f"{self.book.title}, {self.lent_at:%d-%m-%Y}"

    @property
    def is_open(self):
        return self.returned_at is None

    def clean(self):
        if self.book_id and self.visit_id and self.book.cart_id != self.visit.cart_id:
            raise ValidationError({"book": _("Choose a book of the cart on this visit.")})


class Request(TimeStampedModel):
    """Someone asks for a title to be brought next time: a book of the collection, or a title to get."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FULFILLED = "fulfilled", _("Brought")
        CANNOT = "cannot", _("Cannot be brought")

    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, related_name="requests", verbose_name=_("asked on")
    )
    book = models.ForeignKey(
        Book,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("book from the collection"),
    )
    title = models.CharField(
        _("title or subject asked for"),
        max_length=200,
        blank=True,
        help_text=_("For a book that is not in the cart's collection yet."),
    )
    borrower = models.CharField(
        _("asked by"),
        max_length=BORROWER_LABEL_MAX_LENGTH,
        blank=True,
        validators=[validate_borrower_label],
        help_text=BORROWER_HELP,
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    fulfilled_visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fulfilled_requests",
        verbose_name=_("brought on"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reason = models.CharField(
        _("why not"), max_length=200, blank=True, help_text=_("For example: not in the library's collection.")
    )
    borrower_removed_at = models.DateTimeField(_("borrower removed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("book request")
        verbose_name_plural = _("book requests")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(book__isnull=False) | ~Q(title=""),
                name="minilibrary_request_has_title",
                violation_error_message=_("Choose a book from the collection or write the title."),
            ),
            models.CheckConstraint(
                condition=~Q(status="fulfilled") | Q(fulfilled_visit__isnull=False),
                name="minilibrary_request_fulfilled_has_visit",
                violation_error_message=_("A request that was brought needs the visit it was brought on."),
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False),
                name="minilibrary_request_closed_has_time",
                violation_error_message=_("A closed request needs the time it was closed."),
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        return self.book.title if self.book_id else self.title

    def clean(self):
        visit = self.visit if self.visit_id else None
        if visit is not None and self.book_id and self.book.cart_id != visit.cart_id:
            raise ValidationError({"book": _("Choose a book of the cart on this visit.")})
        if visit is not None and self.fulfilled_visit_id and self.fulfilled_visit.cart_id != visit.cart_id:
            raise ValidationError({"fulfilled_visit": _("Choose a visit of the same cart.")})
