"""Each library sees its own: the admin shows staff only the rows of the libraries they belong to.

Every admin list, form, autocomplete, action and count goes through `ModelAdmin.get_queryset`, and
every foreign-key choice through `formfield_for_foreignkey`/`formfield_for_manytomany`; the mixin
below narrows all of them. Superusers see everything.
"""

from functools import reduce
from operator import or_

from django.contrib import admin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.template.loader import get_template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .rendered import RenderedOnce

# How to get from a model to its library organisation. Several paths mean "any of them"
# (a registration belongs to a library through its meeting or through its course run).
SCOPE_PATHS = {
    "programmes.Library": ("pk",),
    "programmes.Branch": ("library",),
    "programmes.Programme": ("library",),
    "programmes.ProgrammeMaterial": ("programme__library",),
    "programmes.LibraryMembership": ("library",),
    "partners.PartnerOrganisation": ("libraries",),
    "partners.PartnerSite": ("partner__libraries",),
    "partners.PartnerContact": ("partner__libraries",),
    "partners.Agreement": ("library",),
    "partners.Referral": ("library",),
    "partners.ReferralStatusChange": ("referral__library",),
    "partners.ReferralAuditEvent": ("library",),
    "people.Participant": ("library",),
    "people.Consent": ("participant__library",),
    "people.Worker": ("library",),
    "programme_sessions.CourseRun": ("programme__library",),
    "programme_sessions.Session": ("programme__library",),
    "programme_sessions.SessionRole": ("session__programme__library",),
    "programme_sessions.Registration": ("session__programme__library", "run__programme__library"),
    "programme_sessions.Attendance": ("session__programme__library",),
    "programme_sessions.WalkInVisit": ("branch__library",),
    "messaging.OutboxMessage": ("library",),
    "messaging.MessageTemplate": ("library",),
    "reports.ReportExport": ("library",),
    "appointments.CoachProfile": ("worker__library",),
    "appointments.AvailabilityBlock": ("coach__worker__library",),
    "appointments.Slot": ("block__coach__worker__library",),
    "appointments.Appointment": ("slot__block__coach__worker__library",),
    "privacy.AuditEvent": ("library",),
    "certificates.Certificate": ("library",),
    "minilibrary.Cart": ("library",),
    "minilibrary.Book": ("cart__library",),
    "minilibrary.Visit": ("cart__library",),
    "minilibrary.Loan": ("book__cart__library",),
    "minilibrary.Request": ("visit__cart__library",),
}
# The field whose value is the model's str(): filter choices of these models are read as (pk, label)
# pairs instead of whole rows (a library's row holds a phone number that is parsed on every read).
# tests/test_admin_scoping.py checks that each still matches its model's __str__.
# A list filter's choice labels read in its one query, not through str() (a query per choice when
# __str__ follows a relation): a field, or an expression that spells the model's __str__.
CHOICE_LABEL_FIELDS = {
    "programmes.Library": "name",
    "programmes.Branch": "name",
    "programmes.Programme": "name",
    "programme_sessions.CourseRun": "title",
    "appointments.CoachProfile": "worker__name",
    "partners.PartnerSite": Concat("partner__name", Value(" – "), "name"),
}
# Shared between libraries (a municipality works with several): the path crosses a many-to-many.
_MULTI_VALUED = {"partners.PartnerOrganisation", "partners.PartnerSite", "partners.PartnerContact"}


def user_library_ids(user):
    """The ids of the libraries a staff member belongs to; None for a superuser (all of them)."""
    if user.is_superuser:
        return None
    if not hasattr(user, "_library_ids"):
        from programmes.models import LibraryMembership

        user._library_ids = frozenset(
            LibraryMembership.objects.filter(user=user).values_list("library_id", flat=True)
        )
    return user._library_ids


def scope_queryset(queryset, user):
    """Narrow a queryset of any scoped model to the user's libraries; unknown models pass unchanged."""
    label = queryset.model._meta.label
    paths = SCOPE_PATHS.get(label)
    library_ids = user_library_ids(user)
    if paths is None or library_ids is None:
        return queryset
    condition = reduce(or_, (Q(**{f"{path}__in": library_ids}) for path in paths))
    queryset = queryset.filter(condition)
    if label in _MULTI_VALUED:
        queryset = queryset.distinct()
    return queryset


def choice_labels(queryset):
    """[(pk, str(obj))] for a list filter's choices, in the queryset's order; as two columns when known."""
    label = CHOICE_LABEL_FIELDS.get(queryset.model._meta.label)
    if label is None:
        return [(obj.pk, str(obj)) for obj in queryset]
    return list(queryset.values_list("pk", label))


def is_scoped(model):
    return model._meta.label in SCOPE_PATHS


class LibraryScopedAdminMixin:
    """For every ModelAdmin whose rows belong to a library."""

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)

    def get_list_filter(self, request):
        # Filter choices list only the staff member's own libraries' rows, and never thousands.
        return [_bounded(self.model, entry) for entry in super().get_list_filter(request)]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if is_scoped(db_field.related_model) and "queryset" not in kwargs:
            kwargs["queryset"] = scope_queryset(db_field.related_model._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if is_scoped(db_field.related_model) and "queryset" not in kwargs:
            kwargs["queryset"] = scope_queryset(db_field.related_model._default_manager.all(), request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class RenderedOnceFilterMixin:
    """A list filter of many choices (a hundred and fifty libraries) rendered once per version.

    Django's `admin_list_filter` renders admin/filter.html for each filter on each page; here its
    output is kept per language, title and choices (each choice's link and whether it is selected),
    so the same filter on the next page view is a dictionary lookup. The HTML is the template's own.
    """

    template = "admin/rendered_filter.html"  # {{ spec.rendered_html }}
    rendered_template = "admin/filter.html"

    def choices(self, changelist):
        choices = list(super().choices(changelist))
        self.rendered_html = _rendered_filter(self.rendered_template, self.title, choices)
        return choices


_RENDERED_FILTERS = RenderedOnce()


def _rendered_filter(template_name, title, choices):
    key = (
        template_name,
        get_language(),
        str(title),
        tuple((bool(c.get("selected")), str(c.get("query_string")), str(c.get("display"))) for c in choices),
    )
    return _RENDERED_FILTERS.get(
        key, lambda: get_template(template_name).render({"title": title, "choices": choices})
    )


# A related-object filter with more choices than this lists those of the chosen library only.
ADMIN_FILTER_CHOICES_UP_TO = 60


class BoundedRelatedFieldListFilter(RenderedOnceFilterMixin, admin.RelatedFieldListFilter):
    """Choices from the staff member's libraries; with very many, from the library chosen in the list."""

    too_many = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.too_many:  # Django sets the title after reading the choices
            self.title = _("%(title)s (choose a library first)") % {"title": self.title}

    def has_output(self):
        # Without choices to list, the filter still shows, to say how to get them.
        return self.too_many or super().has_output()

    def field_choices(self, field, request, model_admin):
        related = field.related_model
        queryset = scope_queryset(related._default_manager.all(), request.user)
        ordering = self.field_admin_ordering(field, request, model_admin) or related._meta.ordering
        queryset = queryset.order_by(*ordering)
        if related._meta.label == "programmes.Library":
            return choice_labels(queryset)
        library_id = _chosen_library(request, model_admin.model)
        if library_id is not None:
            paths = SCOPE_PATHS[related._meta.label]
            return choice_labels(queryset.filter(reduce(or_, (Q(**{path: library_id}) for path in paths))))
        # One query: a row more than the limit tells that there are too many to list.
        rows = choice_labels(queryset[: ADMIN_FILTER_CHOICES_UP_TO + 1])
        if len(rows) > ADMIN_FILTER_CHOICES_UP_TO:
            self.too_many = True
            return []
        return rows


def _chosen_library(request, model):
    """The library picked in this list's own library filter, if any."""
    names = ["library"]
    for path in SCOPE_PATHS.get(model._meta.label, ()):
        names += [f"{path}__id__exact", f"{path}__exact"]
    for name in names:
        value = request.GET.get(name, "")
        if value.isdigit():
            return int(value)
    return None


def _bounded(model, entry):
    if not isinstance(entry, str):
        return entry
    try:
        field = get_fields_from_path(model, entry)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return entry
    if field.is_relation and is_scoped(field.related_model):
        return (entry, BoundedRelatedFieldListFilter)
    return entry
