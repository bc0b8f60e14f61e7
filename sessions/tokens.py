from django.core import signing

_SALT = "sessions.registration-link"


def registration_token(registration):
    """The personal, unguessable link part for a registration: its random id, signed."""
    return signing.Signer(salt=_SALT).sign(registration.public_id.hex)


def registration_public_id_from_token(token):
    """The registration's public id, or None when the token was changed or made up."""
    try:
        return signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
