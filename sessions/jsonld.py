"""schema.org Event data for search engines and agenda sites."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

_STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    "moved_online": "https://schema.org/EventMovedOnline",
}


def _place(place):
    return {
        "@type": "Place",
        "name": str(place),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": place.street,
            "postalCode": place.postcode,
            "addressLocality": place.city,
            "addressCountry": "NL",
        },
    }


def session_jsonld(session, *, request):
    """The JSON-LD for a meeting, escaped so that no field can close the script element."""
    url = request.build_absolute_uri(session.get_absolute_url())
    place = session.place
    if session.is_online:
        mode = "https://schema.org/OnlineEventAttendanceMode"
        location = {"@type": "VirtualLocation", "url": url}
    elif session.online_url:
        mode = "https://schema.org/MixedEventAttendanceMode"
        location = [_place(place), {"@type": "VirtualLocation", "url": url}]
    else:
        mode = "https://schema.org/OfflineEventAttendanceMode"
        location = _place(place)
    library = session.programme.library
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": session.programme.name + (f": {session.topic}" if session.topic else ""),
        "description": session.description or session.programme.summary,
        "startDate": session.starts_at,
        "endDate": session.ends_at,
        "eventStatus": _STATUS[session.status],
        "eventAttendanceMode": mode,
        "location": location,
        "isAccessibleForFree": True,
        "url": url,
        "organizer": {"@type": "Organization", "name": library.name, "url": library.website or url},
        "offers": {"@type": "Offer", "price": "0", "priceCurrency": "EUR", "url": url},
    }
    if session.seats_left is not None:
        data["remainingAttendeeCapacity"] = session.seats_left
        data["maximumAttendeeCapacity"] = session.seat_capacity
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder).translate(_ESCAPES))  # noqa: S308
