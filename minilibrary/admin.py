from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import admin_views
from .models import Book, Cart, Loan, Request, Visit
from .selectors import visit_count_annotations
from .services import MiniLibraryError, request_cannot


def _extra_urls(model_admin, views):
    prefix = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}"
    wrap = model_admin.admin_site.admin_view
    return [
        path(f"<int:pk>/{route}/", wrap(getattr(model_admin, f"{name}_view")), name=f"{prefix}_{name}")
        for route, name in views
    ]


@admin.register(Cart)
class CartAdmin(admin.ModelAdmin):
    list_display = ["name", "library", "target_size", "rotation_weeks", "books_on_cart", "is_active"]
    list_filter = ["library", "is_active"]
    search_fields = ["name"]
    ordering = ["name"]
    autocomplete_fields = ["partner_sites"]
    change_form_template = "admin/minilibrary/cart/change_form.html"

    def get_queryset(self, request):
        on_cart = Count("books", filter=Q(books__location=Book.Location.CART, books__is_active=True))
        return super().get_queryset(request).select_related("library").annotate(on_cart=on_cart)

    @admin.display(description=_("books on the cart"), ordering="on_cart")
    def books_on_cart(self, obj):
        return obj.on_cart

    def get_urls(self):
        views = [("packing-list", "packing_list"), ("import-books", "import_books")]
        return [*_extra_urls(self, views), *super().get_urls()]

    def packing_list_view(self, request, pk):
        return admin_views.cart_packing_list_view(self, request, pk)

    def import_books_view(self, request, pk):
        return admin_views.books_import_view(self, request, pk)


class LentOutFilter(admin.SimpleListFilter):
    title = _("lent out")
    parameter_name = "out"

    def lookups(self, request, model_admin):
        return [("yes", _("Lent out now")), ("no", _("Not lent out"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(is_out=True)
        if self.value() == "no":
            return queryset.filter(is_out=False)
        return queryset


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "author",
        "easy_reading",
        "kind",
        "location",
        "on_cart_since",
        "off_cart_since",
        "lent_out",
        "cart",
        "is_active",
    ]
    list_filter = ["location", LentOutFilter, "easy_reading", "kind", "is_active", "cart"]
    search_fields = ["title", "author", "code"]
    list_select_related = ["cart"]
    actions = ["put_on_cart", "back_to_library"]
    fieldsets = [
        (None, {"fields": ["cart", "title", "author", "easy_reading", "kind", "code", "is_active"]}),
        (_("Where is it"), {"fields": ["location", "on_cart_since", "off_cart_since"]}),
    ]

    def get_queryset(self, request):
        is_out = Exists(Loan.objects.filter(book=OuterRef("pk"), returned_at__isnull=True))
        return super().get_queryset(request).annotate(is_out=is_out)

    @admin.display(description=_("lent out"), boolean=True, ordering="is_out")
    def lent_out(self, obj):
        return obj.is_out

    @admin.action(description=_("Put the selected books on the cart (from today)"), permissions=["change"])
    def put_on_cart(self, request, queryset):
        moved = queryset.filter(location=Book.Location.LIBRARY).update(
            location=Book.Location.CART, on_cart_since=timezone.localdate(), off_cart_since=None
        )
        self.message_user(
            request,
            ngettext("%(count)d book is on the cart.", "%(count)d books are on the cart.", moved)
            % {"count": moved},
            messages.SUCCESS,
        )

    @admin.action(description=_("Take the selected books back to the library"), permissions=["change"])
    def back_to_library(self, request, queryset):
        moved = queryset.filter(location=Book.Location.CART, is_out=False).update(
            location=Book.Location.LIBRARY, on_cart_since=None, off_cart_since=timezone.localdate()
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d book is back at the library.", "%(count)d books are back at the library.", moved
            )
            % {"count": moved},
            messages.SUCCESS,
        )


class LoanAdminForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        # Returned on a visit without a time: it came back now.
        if data.get("returned_visit") and not data.get("returned_at"):
            data["returned_at"] = timezone.now()
        return data


class RequestAdminForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        if data.get("status") not in (None, Request.Status.OPEN) and not data.get("closed_at"):
            data["closed_at"] = timezone.now()
        return data


class LoanInline(admin.TabularInline):
    model = Loan
    form = LoanAdminForm
    fk_name = "visit"
    extra = 0
    fields = ["book", "borrower", "lent_at", "returned_at", "returned_visit"]
    autocomplete_fields = ["book", "returned_visit"]
    verbose_name_plural = _("lent on this visit")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("book", "returned_visit__cart")


class RequestInline(admin.TabularInline):
    model = Request
    form = RequestAdminForm
    fk_name = "visit"
    extra = 0
    fields = ["book", "title", "borrower", "status", "fulfilled_visit", "closed_at"]
    autocomplete_fields = ["book", "fulfilled_visit"]
    verbose_name_plural = _("asked for on this visit")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("book", "fulfilled_visit__cart")


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = [
        "date",
        "cart",
        "partner_site",
        "volunteer",
        "status",
        "loans",
        "returns",
        "requests_made",
        "requests_brought",
        "pages",
    ]
    list_filter = ["status", "cart", "partner_site"]
    date_hierarchy = "date"
    search_fields = ["cart__name", "partner_site__name", "partner_site__partner__name", "volunteer__name"]
    list_select_related = ["cart", "partner_site__partner", "volunteer"]
    autocomplete_fields = ["cart", "partner_site", "volunteer", "session"]
    inlines = [LoanInline, RequestInline]
    change_form_template = "admin/minilibrary/visit/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(**visit_count_annotations())

    @admin.display(description=_("lent"), ordering="loan_count")
    def loans(self, obj):
        return obj.loan_count

    @admin.display(description=_("returned"), ordering="return_count")
    def returns(self, obj):
        return obj.return_count

    @admin.display(description=_("asked for"), ordering="request_count")
    def requests_made(self, obj):
        return obj.request_count

    @admin.display(description=_("brought"), ordering="fulfilled_count")
    def requests_brought(self, obj):
        return obj.fulfilled_count

    @admin.display(description=_("pages"))
    def pages(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:minilibrary_visit_packing_list", args=[obj.pk]),
            _("Packing list"),
            reverse("admin:minilibrary_visit_desk", args=[obj.pk]),
            _("During the visit"),
            reverse("admin:minilibrary_visit_report", args=[obj.pk]),
            _("Report"),
        )

    def get_urls(self):
        views = [("during", "desk"), ("packing-list", "packing_list"), ("report", "report")]
        return [*_extra_urls(self, views), *super().get_urls()]

    def desk_view(self, request, pk):
        return admin_views.visit_desk_view(self, request, pk)

    def packing_list_view(self, request, pk):
        return admin_views.packing_list_view(self, request, pk)

    def report_view(self, request, pk):
        return admin_views.visit_report_view(self, request, pk)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        visit = form.instance
        recorded = visit.loans.exists() or visit.returns.exists() or visit.requests.exists()
        if visit.status == Visit.Status.PLANNED and recorded:
            # Something was lent, returned or asked for: the visit took place.
            Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.DONE)


class OpenFilter(admin.SimpleListFilter):
    title = _("returned")
    parameter_name = "returned"

    def lookups(self, request, model_admin):
        return [("no", _("Still lent out")), ("yes", _("Returned"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(returned_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(returned_at__isnull=False)
        return queryset


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin):
    form = LoanAdminForm
    list_display = ["book", "borrower", "visit", "lent_at", "returned_at", "returned_visit"]
    list_filter = [OpenFilter, "visit__cart"]
    search_fields = ["book__title", "book__author", "borrower"]
    list_select_related = ["book", "visit__cart", "returned_visit__cart"]
    autocomplete_fields = ["book", "visit", "returned_visit"]
    date_hierarchy = "lent_at"
    readonly_fields = ["borrower_removed_at"]


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    form = RequestAdminForm
    list_display = ["display_title", "borrower", "visit", "status", "fulfilled_visit", "closed_at"]
    list_filter = ["status", "visit__cart"]
    search_fields = ["title", "book__title", "borrower"]
    list_select_related = ["book", "visit__cart", "fulfilled_visit__cart"]
    autocomplete_fields = ["visit", "book", "fulfilled_visit"]
    readonly_fields = ["borrower_removed_at"]
    actions = ["mark_cannot"]

    @admin.display(description=_("title"), ordering="title")
    def display_title(self, obj):
        return obj.display_title

    @admin.action(description=_("Mark as cannot be brought"), permissions=["change"])
    def mark_cannot(self, request, queryset):
        closed = 0
        for asked in queryset.filter(status=Request.Status.OPEN):
            try:
                request_cannot(request=asked, reason=str(_("Cannot be brought")))
            except MiniLibraryError:
                continue
            closed += 1
        self.message_user(
            request,
            ngettext("%(count)d request is closed.", "%(count)d requests are closed.", closed)
            % {"count": closed},
            messages.SUCCESS,
        )
