from django.db.models import Prefetch

from .models import Branch, Library, Programme


def programme_public_list():
    return (
        Programme.objects.filter(is_published=True)
        .select_related("library")
        .order_by("library__name", "name")
    )


def programme_public_get(*, library_slug, slug):
    return (
        Programme.objects.filter(is_published=True)
        .select_related("library", "default_branch")
        .prefetch_related("delivering_partners")
        .get(library__slug=library_slug, slug=slug)
    )


def library_open_data_list():
    """Libraries with their published programmes and active branches, for the open-data export."""
    return Library.objects.prefetch_related(
        Prefetch("programmes", queryset=Programme.objects.filter(is_published=True).order_by("name")),
        Prefetch("branches", queryset=Branch.objects.filter(is_active=True).order_by("name")),
    ).order_by("name")
