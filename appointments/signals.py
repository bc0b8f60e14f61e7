"""The cached list of free times goes stale when a time, a booking or a coach's hours change
(see portal/page_cache.py; changed places and programmes: sessions/signals.py)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal.page_cache import page_versions_bump

from .models import Appointment, AvailabilityBlock, CoachProfile, Slot

SCOPE = "appointments"


@receiver([post_save, post_delete], sender=Slot)
@receiver([post_save, post_delete], sender=Appointment)
@receiver([post_save, post_delete], sender=AvailabilityBlock)
@receiver([post_save, post_delete], sender=CoachProfile)
def _free_times_changed(sender, instance, **kwargs):
    page_versions_bump(SCOPE)
