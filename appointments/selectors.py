from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import PartnerSite
from programmes.models import Branch

from .models import Appointment, CoachProfile, Slot

# How far ahead the public list looks, and at most how many times it shows at once: fewer before the
# person chose a library, a branch or a date (a long list of radio buttons helps nobody on a phone).
PUBLIC_DAYS_AHEAD = 366
PUBLIC_SLOT_LIMIT = 400
PUBLIC_SLOT_LIMIT_UNFILTERED = 60


def _active_appointment():
    return Appointment.objects.filter(slot=OuterRef("pk")).exclude(status=Appointment.Status.CANCELLED)


def _slot_relations(qs):
    # The block and its coach only: the filters join them anyway. A join of all ten tables (worker,
    # library, programme, branch, partner) takes PostgreSQL longer to plan than the page to render;
    # _blocks_complete reads those for the distinct blocks instead.
    return qs.select_related("block__coach__worker")


def _blocks_complete(slots):
    """The library, programme and place of each slot's block: one small query per kind."""
    prefetch_related_objects(
        [slot.block for slot in slots],
        "coach__worker__library",
        "programme",
        Prefetch("branch", queryset=Branch.objects.select_related("library")),
        Prefetch("partner_site", queryset=PartnerSite.objects.select_related("partner")),
    )
    return slots


def slot_free_list(*, now=None, library=None, branch=None, day=None, coach=None, programme=None):
    """Times job seekers can book: published, offered, in the future, with nobody booked."""
    now = now or timezone.now()
    qs = Slot.objects.filter(
        starts_at__gt=now,
        starts_at__lt=now + timedelta(days=PUBLIC_DAYS_AHEAD),
        is_withdrawn=False,
        block__is_published=True,
        block__coach__is_active=True,
    ).filter(~Exists(_active_appointment()))
    if library is not None:
        qs = qs.filter(block__coach__worker__library=library)
    if branch is not None:
        qs = qs.filter(block__branch=branch)
    if coach is not None:
        qs = qs.filter(block__coach=coach)
    if programme is not None:
        qs = qs.filter(block__programme=programme)
    if day is not None:
        start = timezone.make_aware(datetime.combine(day, time.min))
        qs = qs.filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
    return _slot_relations(qs).order_by("starts_at", "pk")


def slot_free_groups(slots, *, limit=PUBLIC_SLOT_LIMIT):
    """Free times grouped for the public list: per place, per day, per block (coach), in order.

    Returns the groups of the first ``limit`` times, and whether there are more.
    """
    slots = _blocks_complete(list(slots[: limit + 1]))
    more = len(slots) > limit
    places = {}
    for slot in slots[:limit]:
        block = slot.block
        place = places.setdefault(block.place, {})
        day = place.setdefault(block.date, {})
        day.setdefault(block, []).append(slot)
    return [
        {
            "place": place,
            "days": [
                {"date": day, "blocks": [{"block": b, "slots": s} for b, s in blocks.items()]}
                for day, blocks in days.items()
            ],
        }
        for place, days in places.items()
    ], more


def slot_public_get(*, pk):
    return _blocks_complete([_slot_relations(Slot.objects.filter(pk=pk)).get()])[0]


def slot_closed_reason(*, slot, now=None, staff=False, ignore_taken=False):
    """Why this time cannot be booked now, in plain words; None when it can."""
    now = now or timezone.now()
    block = slot.block
    if slot.is_withdrawn or not block.coach.is_active or (not staff and not block.is_published):
        return _("This time is no longer offered. Choose another time.")
    if slot.starts_at <= now:
        return _("This time has passed. Choose another time.")
    if not ignore_taken and Appointment.objects.filter(slot=slot).exclude(status="cancelled").exists():
        return _("Someone else just took this time. Choose another time.")
    return None


def appointment_for_public_id(*, public_id):
    return Appointment.objects.select_related(
        "participant",
        "slot__block__coach__worker__library",
        "slot__block__programme",
        "slot__block__branch",
        "slot__block__partner_site__partner",
    ).get(public_id=public_id)


def coach_for_user(*, user):
    """The coach profile of a logged-in coach, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return CoachProfile.objects.select_related("worker__library").filter(worker__user=user).first()


def coach_day(*, coach, day):
    """The coach's appointments on one day (not cancelled), with who, when, where and the topic."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return (
        Appointment.objects.filter(
            slot__block__coach=coach,
            slot__starts_at__gte=start,
            slot__starts_at__lt=start + timedelta(days=1),
        )
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("participant", "slot__block__branch", "slot__block__partner_site__partner")
        .order_by("slot__starts_at")
    )


def coach_day_free_count(*, coach, day):
    start = timezone.make_aware(datetime.combine(day, time.min))
    return (
        Slot.objects.filter(
            block__coach=coach,
            starts_at__gte=start,
            starts_at__lt=start + timedelta(days=1),
            is_withdrawn=False,
        )
        .filter(~Exists(_active_appointment()))
        .count()
    )


def coach_feed_appointments(*, coach, now=None):
    """What the coach's private calendar feed holds: from a month back, not cancelled."""
    now = now or timezone.now()
    return (
        Appointment.objects.filter(slot__block__coach=coach, slot__starts_at__gte=now - timedelta(days=31))
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("participant", "slot__block__branch", "slot__block__partner_site__partner")
        .order_by("slot__starts_at")
    )


def person_future_count(*, participant, coach, now):
    return Appointment.objects.filter(
        participant=participant,
        slot__block__coach=coach,
        status=Appointment.Status.BOOKED,
        slot__starts_at__gt=now,
    ).count()
