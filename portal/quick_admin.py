"""Admin lists that staff open many times a day, with less work per page and the same HTML.

Django renders a changelist's table cell by cell, finding out for every cell what kind of column it
is; QuickChangeList finds that out once per column. tests/test_admin_quick_lists.py compares whole
pages, byte for byte, with Django's own rendering, so a Django upgrade that changes the markup shows
up there; lists or columns of a kind not handled here take Django's own way.
"""

import datetime as dt
from html import escape as html_escape

from django.conf import settings
from django.contrib.admin import helpers
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field, display_for_value
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from .rendered import RenderedOnce


class QuickChangeList(ChangeList):
    """Django's changelist, with the table's rows rendered in one pass per column instead of per cell.

    The HTML is the same as `{% result_list cl %}` gives (tests/test_admin_quick_lists.py compares the
    two); what is found out per cell there (which kind of column, its classes, empty value, the change
    link) is found out once per column here. Lists that edit in place, popups and columns of a kind not
    handled below take Django's own way.
    """

    # A pk that no real row has, to reverse the change link once and fill in each row's pk.
    _PK_MARK = 987654321987654321

    def get_results(self, request):
        # The rows shown are read with only the columns they need (ModelAdmin.list_rows); the list's
        # queryset itself (counts, actions, facets) stays as it is.
        queryset = self.queryset
        self.queryset = self.model_admin.list_rows(request, queryset)
        try:
            super().get_results(request)
        finally:
            self.queryset = queryset

    def quick_result_list(self):
        headers = list(admin_list.result_headers(self))
        rows = self._quick_rows()
        return {
            "cl": self,
            "result_hidden_fields": list(admin_list.result_hidden_fields(self)),
            "result_headers": headers,
            "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
            "results": list(admin_list.results(self)) if rows is None else rows,
        }

    def _quick_rows(self):
        if self.formset or self.is_popup or self.to_field:
            return None
        columns, first = [], True
        for index, name in enumerate(self.list_display):
            if self.list_display_links is None:
                link = False
            elif first and not self.list_display_links:
                link = True
            else:
                link = name in self.list_display_links
            column = self._quick_column(index, name, link, "th" if link and first else "td")
            if column is None:
                return None
            columns.append(column)
            first = first and not link
        return [
            admin_list.ResultList(None, [SafeString("".join(column(result) for column in columns))])
            for result in self.result_list
        ]

    def _quick_column(self, index, name, link, tag):
        """A function row -> the cell's HTML, as admin_list.items_for_result makes it; None if unsure."""
        model_admin, opts = self.model_admin, self.lookup_opts
        empty = model_admin.get_empty_value_display()
        classes = [f"field-{admin_list._coerce_field_name(name, index)}"]
        wrap = self._quick_link(tag) if link else _plain_cell(tag)
        if callable(name) or (isinstance(name, str) and name != "__str__" and hasattr(model_admin, name)):
            attr = name if callable(name) else getattr(model_admin, name)
            if not callable(attr):
                return None
            missing = (_classes(classes), _escape(empty))  # a related row that is gone
            shown_empty = getattr(attr, "empty_value_display", empty)
            boolean = getattr(attr, "boolean", False)
            if name == "action_checkbox":
                classes = ["action-checkbox"]
            plain, dated = _classes(classes), _classes([*classes, "nowrap"])

            def cell(result):
                try:
                    value = attr(result)
                except ObjectDoesNotExist:
                    return wrap(result, *missing)
                shown = _display_value(value, shown_empty, boolean)
                return wrap(result, dated if isinstance(value, (dt.date, dt.time)) else plain, _escape(shown))

            return cell
        try:
            field = opts.get_field(name)
        except (FieldDoesNotExist, TypeError):
            return None
        if field.auto_created or field.name != name or field.name == "password":
            return None
        if field.is_relation and not (field.many_to_one and field.related_model):
            return None
        missing = _classes(classes)  # a related row that is gone: the empty value, no other class
        if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
            classes.append("nowrap")
        row_classes = _classes(classes)
        foreign = isinstance(field.remote_field, models.ManyToOneRel)
        text = type(field) in (models.CharField, models.TextField)
        choices = None
        if not foreign and getattr(field, "flatchoices", None):
            # Translated once per page rather than once per row.
            choices = {value: str(label) for value, label in field.flatchoices}

        def cell(result):
            try:
                value = getattr(result, name)
            except ObjectDoesNotExist:
                return wrap(result, missing, _escape(empty))
            if foreign:
                shown = empty if value is None else value
            elif choices is not None:
                shown = choices.get(value, empty)
            elif text and (value is None or type(value) is str):
                shown = value and value.strip() or empty  # display_for_field's way for text
            else:
                shown = display_for_field(value, field, empty, avoid_link=link)
            return wrap(result, row_classes, _escape(shown))

        return cell

    def _quick_link(self, tag):
        """The first column: its text links to the row's change page (with the list's filters kept)."""

        def url_for(result):
            url = self.url_for_result(result)
            return add_preserved_filters(
                {"preserved_filters": self.preserved_filters, "opts": self.opts}, url
            )

        try:
            mark = url_for(_PkMark(self.pk_attname, self._PK_MARK))
        except NoReverseMatch:
            return _plain_cell(tag)
        before, after = conditional_escape(mark).split(str(self._PK_MARK), 1)
        pk_name = self.pk_attname

        def wrap(result, classes, html):
            pk = getattr(result, pk_name)
            if isinstance(pk, int) and not isinstance(pk, bool):
                url = f"{before}{pk}{after}"
            else:  # the mark stands in for a number only
                url = conditional_escape(url_for(result))
            return f'<{tag}{classes}><a href="{url}">{html}</a></{tag}>'

        return wrap


class _PkMark:
    def __init__(self, name, value):
        setattr(self, name, value)


def _plain_cell(tag):
    return lambda result, classes, html: f"<{tag}{classes}>{html}</{tag}>"


def _display_value(value, empty, boolean):
    """display_for_value, with its answer for the commonest values found quicker."""
    if not boolean:
        kind = type(value)
        if kind is str:
            return value.strip() or empty
        if value is None:
            return empty
        if kind is int and not settings.USE_THOUSAND_SEPARATOR:
            return str(value)  # what number_format gives an int without grouping
    return display_for_value(value, empty, boolean)


def _escape(value):
    """conditional_escape, without its checks for lazy arguments on every call."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html_escape(str(value))


def _classes(classes):
    return f' class="{" ".join(classes)}"'


# The admin's navigation sidebar as rendered, by language, page and what it lists: the same few
# versions over and over, and rendering its forty-odd links costs more than a list's page of rows.
_NAV_SIDEBARS = RenderedOnce()


def _nav_sidebar(request, apps):
    key = (
        get_language(),
        request.path,
        tuple(
            (
                str(app["name"]),
                app["app_label"],
                app["app_url"],
                tuple(
                    (
                        str(m["name"]),
                        m["object_name"],
                        m.get("admin_url"),
                        m.get("add_url"),
                        m.get("view_only"),
                    )
                    for m in app["models"]
                ),
            )
            for app in apps
        ),
    )
    return _NAV_SIDEBARS.get(
        key,
        lambda: render_to_string("admin/nav_sidebar.html", {"available_apps": apps, "request": request}),
    )


class QuickListMixin:
    """For admin lists that staff open many times a day: less work per page, the same page.

    - The table's rows are rendered per column rather than per cell (QuickChangeList).
    - The navigation sidebar is rendered once per language, page and set of links (_nav_sidebar).
    - The selection checkbox of each row is the same HTML as Django's, without rendering a form widget
      template per row.
    - `list_only`: the columns the rows shown need (with `list_select_related`), and `list_rows` for
      what else they need (prefetches); the rest stays in the database. Only the rows shown are
      narrowed, never the queryset of actions or counts.
    """

    change_list_template = "admin/quick_change_list.html"
    list_only = ()

    def get_changelist(self, request, **kwargs):
        return QuickChangeList

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context and context.get("is_nav_sidebar_enabled") and "available_apps" in context:
            context["quick_nav_sidebar"] = _nav_sidebar(request, context["available_apps"])
        return response

    def action_checkbox(self, obj):
        # As ModelAdmin.action_checkbox renders it (format_html's escaping), without a widget template.
        label = gettext("Select this object for an action - {}").format(html_escape(str(obj)))
        return SafeString(
            f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" value="{html_escape(str(obj.pk))}"'
            f' class="action-select" aria-label="{label}">'
        )

    def list_rows(self, request, queryset):
        """The changelist's queryset as read for the rows shown (QuickChangeList.get_results)."""
        return queryset.only(*self.list_only) if self.list_only else queryset
