"""iCalendar files and feeds (RFC 5545) for meetings."""

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, vText

_PRODID = "-//Bibliotheek werkportaal//NL"


def _calendar(name):
    cal = Calendar()
    cal.add("prodid", _PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _location(session):
    if session.is_online:
        return "Online"
    place = session.place
    return f"{place}, {place.address}" if place else ""


def _event(session, *, request, include_online_url=False):
    event = Event()
    event.add("uid", f"session-{session.pk}@{request.get_host().split(':')[0]}")
    event.add("dtstamp", session.updated_at)
    event.add("last-modified", session.updated_at)
    event.add("dtstart", timezone.localtime(session.starts_at))
    event.add("dtend", timezone.localtime(session.ends_at))
    summary = session.programme.name + (f": {session.topic}" if session.topic else "")
    event.add("summary", summary)
    event.add("location", vText(_location(session)))
    event.add("url", request.build_absolute_uri(session.get_absolute_url()))
    description = session.description or session.programme.summary
    if include_online_url and session.online_url:
        description = f"{description}\n\n{session.online_url}"
    event.add("description", description)
    event.add("status", "CANCELLED" if session.status == session.Status.CANCELLED else "CONFIRMED")
    return event


def calendar_for_sessions(sessions, *, name, request, include_online_url=False):
    cal = _calendar(name)
    for session in sessions:
        cal.add_component(_event(session, request=request, include_online_url=include_online_url))
    cal.add_missing_timezones()
    return cal.to_ical()


def ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
