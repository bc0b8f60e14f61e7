"""Cached public pages go stale when what they show changes (see portal/page_cache.py)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from partners.models import PartnerSite
from portal.page_cache import PLACE_AND_PROGRAMME_SCOPES, page_versions_bump
from programmes.models import Branch, Library, Programme

from .models import Registration, Session


@receiver([post_save, post_delete], sender=Session)
def _session_changed(sender, instance, **kwargs):
    page_versions_bump("sessions", f"session:{instance.pk}")


@receiver([post_save, post_delete], sender=Registration)
def _registration_changed(sender, instance, **kwargs):
    # A course sign-up takes a place at every meeting of its run.
    if instance.session_id:
        page_versions_bump(f"session:{instance.session_id}")
    elif instance.run_id:
        ids = Session.objects.filter(run_id=instance.run_id).values_list("pk", flat=True)
        page_versions_bump(*(f"session:{pk}" for pk in ids))


@receiver([post_save, post_delete], sender=Programme)
@receiver([post_save, post_delete], sender=Branch)
@receiver([post_save, post_delete], sender=PartnerSite)
@receiver([post_save, post_delete], sender=Library)
def _place_or_programme_changed(sender, instance, **kwargs):
    page_versions_bump(*PLACE_AND_PROGRAMME_SCOPES)
