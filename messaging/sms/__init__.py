"""Sending SMS and WhatsApp messages, modelled on Django's e-mail backends.

`send_sms(message)` validates the message and hands it to the backend named by `settings.SMS_BACKEND`.
Backends raise `PermanentSmsError` (do not retry) or `TemporarySmsError` (retry later with the same
idempotency key, so the provider can drop the duplicate if the first attempt did arrive).
"""

from dataclasses import dataclass, replace

import phonenumbers
from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "messaging.sms.backends.console.SmsBackend"
CHANNELS = ("sms", "whatsapp")
CHANNEL_NAMES = {"sms": "SMS", "whatsapp": "WhatsApp"}
# Four concatenated SMS parts; longer texts get expensive and arrive out of order on some phones.
MAX_BODY_LENGTH = 640
EXAMPLE_NUMBER = "+31612345678"


@dataclass
class SmsMessage:
    to: str  # E.164, e.g. "+31612345678"
    body: str
    idempotency_key: str
    channel: str = "sms"  # "sms" or "whatsapp"


class SmsError(Exception):
    """Sending failed. `status` is the provider's HTTP status when there was one."""

    def __init__(self, message, *, status=None):
        super().__init__(message)
        self.status = status


class PermanentSmsError(SmsError):
    """The message can never be delivered as it is; str() is a reason that can be shown to staff."""


class TemporarySmsError(SmsError):
    """The provider could not be reached or asked to come back later; retry with the same key.

    `retry_after` is the number of seconds the provider asked to wait (HTTP Retry-After), if any.
    """

    def __init__(self, message, *, status=None, retry_after=None):
        super().__init__(message, status=status)
        self.retry_after = retry_after


def get_backend(path=None, **kwargs):
    """Return an instance of the backend at `path`, or of `settings.SMS_BACKEND`."""
    klass = import_string(path or getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))
    return klass(**kwargs)


def _shown(number):
    # Staff see the number as it was stored; cap it so a pasted paragraph does not fill the screen.
    number = number.strip()
    return number if len(number) <= 40 else number[:40] + "…"


def validate_number(number, channel="sms"):
    """Return `number` in E.164 form, or raise PermanentSmsError with a reason in plain English."""
    if not number or not number.strip():
        raise PermanentSmsError("No phone number was given.")
    shown = _shown(number)
    channel_name = CHANNEL_NAMES.get(channel, "SMS")
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        raise PermanentSmsError(
            f"The number {shown} is not a valid phone number in international format "
            f"(it must start with + and the country code, e.g. {EXAMPLE_NUMBER})."
        ) from None
    dutch = parsed.country_code == 31
    if not phonenumbers.is_valid_number(parsed):
        if dutch:
            raise PermanentSmsError(f"The number {shown} is not a valid Dutch mobile number.")
        raise PermanentSmsError(f"The number {shown} is not a valid phone number.")
    if parsed.extension:
        raise PermanentSmsError(
            f"The number {shown} has an extension; {channel_name} messages need a mobile number without one."
        )
    if dutch:
        number_type = phonenumbers.number_type(parsed)
        if number_type == phonenumbers.PhoneNumberType.FIXED_LINE:
            raise PermanentSmsError(
                f"The number {shown} is a landline, which cannot receive {channel_name} messages; "
                "a Dutch mobile number (06…) is needed."
            )
        if number_type != phonenumbers.PhoneNumberType.MOBILE:
            raise PermanentSmsError(
                f"The number {shown} is not a Dutch mobile number (06…), "
                f"so it cannot receive {channel_name} messages."
            )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def validate_message(message):
    """Check a message before it is sent; return a copy with `to` in E.164 form.

    Raises PermanentSmsError, whose text can be shown to staff, when the message can never be sent.
    """
    if message.channel not in CHANNELS:
        raise PermanentSmsError(f"Unknown channel {message.channel!r}; use 'sms' or 'whatsapp'.")
    key = message.idempotency_key
    # The key travels in an HTTP header and names a file, so it must be plain printable ASCII.
    if not key or not key.isascii() or not key.isprintable():
        raise PermanentSmsError("The message has no usable idempotency key.")
    if not message.body or not message.body.strip():
        raise PermanentSmsError("The message is empty.")
    if len(message.body) > MAX_BODY_LENGTH:
        raise PermanentSmsError(
            f"The message is {len(message.body)} characters long; the limit is {MAX_BODY_LENGTH}."
        )
    to = validate_number(message.to, message.channel)
    return replace(message, to=to)


def send_sms(message, backend=None):
    """Validate `message` and send it; return the provider's message id.

    `backend` is a backend instance or a dotted path; by default `settings.SMS_BACKEND`.
    """
    message = validate_message(message)
    if backend is None or isinstance(backend, str):
        backend = get_backend(backend)
    return backend.send(message)
