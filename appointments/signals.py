"""The cached list of free times goes stale when a time, a booking or a coach's hours change
(see portal/page_cache.py)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from partners.models import PartnerSite
from portal.page_cache import page_versions_bump
from programmes.models import Branch, Library, Programme

from .models import Appointment, AvailabilityBlock, CoachProfile, Slot

SCOPE = "appointments"


@receiver([post_save, post_delete], sender=Slot)
@receiver([post_save, post_delete], sender=Appointment)
@receiver([post_save, post_delete], sender=AvailabilityBlock)
@receiver([post_save, post_delete], sender=CoachProfile)
@receiver([post_save, post_delete], sender=Programme)
@receiver([post_save, post_delete], sender=Branch)
@receiver([post_save, post_delete], sender=PartnerSite)
@receiver([post_save, post_delete], sender=Library)
def _free_times_changed(sender, instance, **kwargs):
    page_versions_bump(SCOPE)
