"""iCalendar files for appointments: the person's own one, and the coach's private feed."""

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event, vText

from sessions.calendar import _calendar


def _location(block):
    place = block.place
    room = f", {block.room}" if block.room else ""
    return f"{place}{room}, {place.address}"


def _event(appointment, *, request, summary, description):
    slot = appointment.slot
    event = Event()
    event.add("uid", f"appointment-{appointment.public_id}@{request.get_host().split(':')[0]}")
    event.add("dtstamp", appointment.updated_at)
    event.add("last-modified", appointment.updated_at)
    event.add("dtstart", timezone.localtime(slot.starts_at))
    event.add("dtend", timezone.localtime(slot.ends_at))
    event.add("summary", summary)
    event.add("location", vText(_location(slot.block)))
    event.add("description", description)
    event.add("status", "CANCELLED" if appointment.status == appointment.Status.CANCELLED else "CONFIRMED")
    return event


def calendar_for_person(appointment, *, request, url):
    block = appointment.slot.block
    title = block.programme.name if block.programme_id else block.coach.public_title
    cal = _calendar(title)
    event = _event(appointment, request=request, summary=title, description=appointment.topic)
    event.add("url", url)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def calendar_for_coach(appointments, *, coach, request):
    """Names and topics: the feed is private to the coach (a signed, revocable link)."""
    cal = _calendar(_("Appointments of %(name)s") % {"name": coach.worker.name})
    for appointment in appointments:
        summary = _("Appointment: %(name)s") % {"name": appointment.participant.name}
        cal.add_component(
            _event(appointment, request=request, summary=summary, description=appointment.topic)
        )
    cal.add_missing_timezones()
    return cal.to_ical()
