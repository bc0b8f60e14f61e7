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
from django.db.models import Q

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


def is_scoped(model):
    return model._meta.label in SCOPE_PATHS


class LibraryScopedAdminMixin:
    """For every ModelAdmin whose rows belong to a library."""

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)

    def get_list_filter(self, request):
        # Filter choices list only what the staff member's own rows refer to.
        filters = super().get_list_filter(request)
        if user_library_ids(request.user) is None:
            return filters
        return [_related_only(self.model, entry) for entry in filters]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if is_scoped(db_field.related_model) and "queryset" not in kwargs:
            kwargs["queryset"] = scope_queryset(db_field.related_model._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if is_scoped(db_field.related_model) and "queryset" not in kwargs:
            kwargs["queryset"] = scope_queryset(db_field.related_model._default_manager.all(), request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def _related_only(model, entry):
    if not isinstance(entry, str):
        return entry
    try:
        field = get_fields_from_path(model, entry)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return entry
    if field.is_relation and is_scoped(field.related_model):
        return (entry, admin.RelatedOnlyFieldListFilter)
    return entry
