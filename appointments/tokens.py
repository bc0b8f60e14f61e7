from django.core import signing

_APPOINTMENT_SALT = "appointments.personal-link"
_FEED_SALT = "appointments.coach-feed"


def appointment_token(appointment):
    """The personal, unguessable link part for an appointment: its random id, signed."""
    return signing.Signer(salt=_APPOINTMENT_SALT).sign(appointment.public_id.hex)


def appointment_public_id_from_token(token):
    """The appointment's public id, or None when the token was changed or made up."""
    try:
        return signing.Signer(salt=_APPOINTMENT_SALT).unsign(token)
    except signing.BadSignature:
        return None


def coach_feed_token(coach):
    """The private calendar-feed link part for a coach; raising feed_version revokes old links."""
    return signing.Signer(salt=_FEED_SALT).sign(f"{coach.pk}.{coach.feed_version}")


def coach_feed_parts(token):
    """(coach id, feed version) from a feed token, or None when it was changed or made up."""
    try:
        value = signing.Signer(salt=_FEED_SALT).unsign(token)
    except signing.BadSignature:
        return None
    coach_id, _dot, version = value.partition(".")
    if not (coach_id.isdigit() and version.isdigit()):
        return None
    return int(coach_id), int(version)
