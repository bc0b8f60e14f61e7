from datetime import datetime, timedelta

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.models import Programme

from ..models import CourseRun, Session

_WEEKS = {Programme.Rhythm.WEEKLY: 1, Programme.Rhythm.EVERY_FOUR_WEEKS: 4}
# Twice a month: the first meeting's weekday, in its week of the month and the one two weeks away
# ("the first and third Tuesday"), so that every month has exactly two.
_TWICE_MONTHLY_WEEKS = {1: (1, 3), 2: (2, 4), 3: (1, 3), 4: (2, 4), 5: (3, -1)}
_MONTHS = {Programme.Rhythm.MONTHLY: 1, Programme.Rhythm.TWICE_YEARLY: 6, Programme.Rhythm.YEARLY: 12}


def session_dates(*, first: datetime, rhythm: str, count: int) -> list[datetime]:
    """Start times of a run of meetings, keeping the local wall-clock time across daylight saving.

    Monthly rhythms keep the weekday and its place in the month ("the second Tuesday").
    """
    local = timezone.localtime(first).replace(tzinfo=None)
    nth = (local.day - 1) // 7 + 1
    if rhythm == Programme.Rhythm.TWICE_MONTHLY:
        day = rrule.weekday(local.weekday())
        rule = rrule.rrule(
            rrule.MONTHLY,
            byweekday=[day(n) for n in _TWICE_MONTHLY_WEEKS[nth]],
            dtstart=local,
            count=count,
        )
    elif rhythm in _WEEKS:
        rule = rrule.rrule(rrule.WEEKLY, interval=_WEEKS[rhythm], dtstart=local, count=count)
    elif rhythm in _MONTHS:
        weekday = rrule.weekday(local.weekday())(-1 if nth == 5 else nth)
        rule = rrule.rrule(
            rrule.MONTHLY, interval=_MONTHS[rhythm], byweekday=weekday, dtstart=local, count=count
        )
    else:
        raise ValidationError({"rhythm": _("Choose a regular rhythm, such as every week or every month.")})
    return [timezone.make_aware(start) for start in rule]


@transaction.atomic
def session_series_create(
    *,
    programme: Programme,
    first_start: datetime,
    duration: timedelta,
    rhythm: str,
    count: int,
    branch=None,
    partner_site=None,
    online_url: str = "",
    capacity: int | None = None,
    topic: str = "",
    run_title: str = "",
    closing_activity: str = "",
) -> list[Session]:
    """Create a run of meetings from a rhythm ("every four weeks on Tuesday 10:00, 6 times").

    For a course or reading circle, the meetings are grouped in one course run, so that one sign-up
    enrols a person in all of them. A ``closing_activity`` (the reading circle's film or quiz, where
    the diplomas are handed out) becomes the topic of the last meeting.
    """
    if count < 1:
        raise ValidationError({"count": _("Make at least one meeting.")})
    run = None
    if programme.is_enrolment:
        run = CourseRun.objects.create(
            programme=programme,
            title=run_title or f"{programme.name} {timezone.localtime(first_start):%d-%m-%Y}",
            capacity=capacity,
        )
    sessions = [
        Session(
            programme=programme,
            run=run,
            starts_at=start,
            ends_at=start + duration,
            branch=branch,
            partner_site=partner_site,
            online_url=online_url,
            capacity=capacity,
            topic=topic,
        )
        for start in session_dates(first=first_start, rhythm=rhythm, count=count)
    ]
    if closing_activity.strip():
        sessions[-1].topic = closing_activity.strip()
    for session in sessions:
        session.full_clean(exclude=["run", "programme"])
    return Session.objects.bulk_create(sessions)
