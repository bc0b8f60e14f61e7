from django.db import transaction
from django.db.models import F

from ..models import CoachProfile


@transaction.atomic
def coach_feed_revoke(*, coach: CoachProfile) -> CoachProfile:
    """Make the coach's private calendar link stop working; the next link is a new one."""
    CoachProfile.objects.filter(pk=coach.pk).update(feed_version=F("feed_version") + 1)
    coach.refresh_from_db(fields=["feed_version"])
    return coach
