"""The mini-library's pages in the admin: during the visit (a phone), the packing list (paper), the report.

Plain forms and big buttons, no JavaScript. Every page finds its visit or cart through the admin's
own library-scoped queryset, so another library's staff get a 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .admin_forms import BooksImportForm, LendForm, RequestForm
from .models import Book, Loan, Request, Visit
from .selectors import cart_next_visit, packing_list, visit_desk, visit_report
from .services import (
    MiniLibraryError,
    books_import,
    loan_create,
    loan_return,
    packing_list_apply,
    request_create,
    request_fulfil,
    visit_finish,
)


def _url(model_admin, name, pk):
    return reverse(f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_{name}", args=[pk])


def _visit_url(name, pk):
    return reverse(f"admin:minilibrary_visit_{name}", args=[pk])


def _perm(request, codename):
    return request.user.has_perm(f"minilibrary.{codename}")


def _get(model_admin, request, pk):
    queryset = model_admin.get_queryset(request)
    if model_admin.model is Visit:
        queryset = queryset.select_related("cart__library", "partner_site__partner", "volunteer")
    obj = get_object_or_404(queryset, pk=pk)
    if not model_admin.has_view_or_change_permission(request, obj):
        raise PermissionDenied
    return obj


class DeskPermissions:
    """What a volunteer may do during a visit: each action needs its own permission."""

    def __init__(self, request):
        self.lend = _perm(request, "add_loan")
        self.take_back = _perm(request, "change_loan")
        self.ask = _perm(request, "add_request")
        self.fulfil = _perm(request, "change_request")
        self.finish = _perm(request, "change_visit") or self.lend
        self.pack = _perm(request, "change_book")

    @property
    def any(self):
        return self.lend or self.take_back or self.ask or self.fulfil


def _context(model_admin, request, obj, title, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "is_nav_sidebar_enabled": False,  # a phone: the whole width for the page
        "opts": model_admin.opts,
        "original": obj,
        "title": title,
        **extra,
    }


def _lendable(visit):
    return Book.objects.filter(cart=visit.cart, is_active=True).exclude(
        pk__in=Loan.objects.filter(returned_at__isnull=True).values("book_id")
    )


def _form_error(form, error):
    form.add_error(error.field if error.field in form.fields else None, error.message)


def visit_desk_view(model_admin, request, pk):
    visit = _get(model_admin, request, pk)
    may = DeskPermissions(request)
    if not may.any:
        raise PermissionDenied
    url = _visit_url("desk", pk)
    lendable = _lendable(visit).order_by("-location", "title")
    collection = Book.objects.filter(cart=visit.cart, is_active=True).order_by("title")
    lend_form = LendForm(books=lendable, prefix="lend")
    request_form = RequestForm(books=collection, prefix="ask")
    if request.method == "POST":
        action = request.POST.get("action")
        needed = {"lend": may.lend, "return": may.take_back, "ask": may.ask, "fulfil": may.fulfil}
        needed["finish"] = may.finish
        if action not in needed:
            return HttpResponseBadRequest()
        if not needed[action]:
            raise PermissionDenied
        try:
            if action == "lend":
                lend_form = LendForm(request.POST, books=lendable, prefix="lend")
                if lend_form.is_valid():
                    try:
                        loan = loan_create(visit=visit, **lend_form.cleaned_data)
                    except MiniLibraryError as error:
                        _form_error(lend_form, error)
                    else:
                        model_admin.message_user(
                            request,
                            _("“%(title)s” is lent out.") % {"title": loan.book.title},
                            messages.SUCCESS,
                        )
                        return redirect(f"{url}#lend-heading")
            elif action == "ask":
                request_form = RequestForm(request.POST, books=collection, prefix="ask")
                if request_form.is_valid():
                    try:
                        asked = request_create(visit=visit, **request_form.cleaned_data)
                    except MiniLibraryError as error:
                        _form_error(request_form, error)
                    else:
                        model_admin.message_user(
                            request,
                            _("The request for “%(title)s” is on the packing list for next time.")
                            % {"title": asked.display_title},
                            messages.SUCCESS,
                        )
                        return redirect(f"{url}#requests-heading")
            elif action == "return":
                loan = get_object_or_404(
                    Loan.objects.filter(book__cart=visit.cart, returned_at__isnull=True),
                    pk=request.POST.get("loan") or 0,
                )
                loan_return(loan=loan, visit=visit)
                model_admin.message_user(
                    request, _("“%(title)s” is back.") % {"title": loan.book.title}, messages.SUCCESS
                )
                return redirect(f"{url}#back-heading")
            elif action == "fulfil":
                asked = get_object_or_404(
                    Request.objects.filter(visit__cart=visit.cart, status=Request.Status.OPEN),
                    pk=request.POST.get("request") or 0,
                )
                request_fulfil(request=asked, visit=visit)
                model_admin.message_user(
                    request,
                    _("“%(title)s” is marked as brought.") % {"title": asked.display_title},
                    messages.SUCCESS,
                )
                return redirect(f"{url}#requests-heading")
            elif action == "finish":
                visit_finish(visit=visit)
                model_admin.message_user(request, _("The visit is marked as done."), messages.SUCCESS)
                return redirect(_visit_url("report", pk))
        except MiniLibraryError as error:
            model_admin.message_user(request, error.message, messages.ERROR)
            return redirect(url)
    context = _context(
        model_admin,
        request,
        visit,
        _("During the visit: %(visit)s") % {"visit": visit},
        visit=visit,
        may=may,
        desk=visit_desk(visit=visit),
        lend_form=lend_form,
        request_form=request_form,
        desk_url=url,
        packing_url=_visit_url("packing_list", pk),
        report_url=_visit_url("report", pk),
        change_url=_visit_url("change", pk),
        is_cancelled=visit.status == Visit.Status.CANCELLED,
    )
    return TemplateResponse(request, "admin/minilibrary/visit/desk.html", context)


def packing_list_view(model_admin, request, pk):
    visit = _get(model_admin, request, pk)
    may = DeskPermissions(request)
    if request.method == "POST":
        if not may.pack:
            raise PermissionDenied
        if visit.status == Visit.Status.CANCELLED:
            model_admin.message_user(request, _("This visit is cancelled."), messages.ERROR)
            return redirect(_visit_url("change", pk))
        moved = packing_list_apply(visit=visit)
        model_admin.message_user(
            request,
            _("The cart is packed: %(off)d books back to the library, %(on)d books onto the cart.")
            % {"off": moved["taken_off"], "on": moved["brought"]},
            messages.SUCCESS,
        )
        return redirect(_visit_url("change", pk))
    packing = packing_list(visit=visit)
    context = {
        "title": _("Packing list: %(visit)s") % {"visit": visit},
        "visit": visit,
        "packing": packing,
        "may": may,
        "packing_url": _visit_url("packing_list", pk),
        "change_url": _visit_url("change", pk),
        "desk_url": _visit_url("desk", pk),
        "blank_rows": range(5),
        "is_cancelled": visit.status == Visit.Status.CANCELLED,
    }
    return TemplateResponse(request, "minilibrary/packing_list.html", context)


def visit_report_view(model_admin, request, pk):
    visit = _get(model_admin, request, pk)
    context = _context(
        model_admin,
        request,
        visit,
        _("Visit report: %(visit)s") % {"visit": visit},
        visit=visit,
        report=visit_report(visit=visit),
        desk_url=_visit_url("desk", pk),
        packing_url=_visit_url("packing_list", pk),
        change_url=_visit_url("change", pk),
        may=DeskPermissions(request),
    )
    return TemplateResponse(request, "admin/minilibrary/visit/report.html", context)


def cart_packing_list_view(model_admin, request, pk):
    cart = _get(model_admin, request, pk)
    visit = cart_next_visit(cart=cart)
    if visit is None:
        model_admin.message_user(
            request, _("There is no planned visit. Plan the next visit first."), messages.WARNING
        )
        return redirect(f"{reverse('admin:minilibrary_visit_add')}?cart={cart.pk}")
    return redirect(_visit_url("packing_list", visit.pk))


def books_import_view(model_admin, request, pk):
    cart = _get(model_admin, request, pk)
    if not _perm(request, "add_book"):
        raise PermissionDenied
    form = BooksImportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = books_import(cart=cart, text=form.cleaned_data["text"])
        if result.errors:
            for line in result.errors:
                form.add_error("text", line)
        else:
            model_admin.message_user(
                request,
                ngettext(
                    "%(count)d book added (%(skipped)d already in the collection).",
                    "%(count)d books added (%(skipped)d already in the collection).",
                    result.created,
                )
                % {"count": result.created, "skipped": result.skipped},
                messages.SUCCESS,
            )
            return redirect(_url(model_admin, "change", pk))
    context = {
        **_context(model_admin, request, cart, _("Add books to %(cart)s") % {"cart": cart}),
        "form": form,
        "media": model_admin.media + form.media,
        "intro": [
            _("Paste the list of books, one per line. Separate the columns with a semicolon or a tab."),
            _("For example: Het meisje met de parel; Tracy Chevalier; ja; makkelijk"),
        ],
        "submit_label": _("Add the books"),
        "is_nav_sidebar_enabled": True,
    }
    return TemplateResponse(request, "admin/form_page.html", context)
