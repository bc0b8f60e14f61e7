"""SMS backend for a provider with a JSON-over-HTTPS API.

POST {"to", "from", "body", "channel"} to SMS_HTTP_URL with `Authorization: Bearer <SMS_HTTP_TOKEN>`
and `Idempotency-Key: <key>`; the provider answers {"id": "..."}. Uses the standard library only.
"""

import email.utils
import http.client
import json
import logging
import urllib.error
import urllib.request
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from messaging.sms import PermanentSmsError, SmsError, TemporarySmsError

from .base import BaseSmsBackend

logger = logging.getLogger(__name__)

DEFAULT_SENDER = "Bibliotheek"
DEFAULT_TIMEOUT = 10
MAX_RESPONSE_BYTES = 64 * 1024
MAX_REASON_LENGTH = 300
RETRYABLE_CLIENT_ERRORS = {408, 429}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # urllib would repeat a redirected POST as a GET and pass the bearer token to wherever the
    # redirect points; a provider API that redirects is misconfigured, so report it instead.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _setting(value, name, default):
    return value if value is not None else getattr(settings, name, default)


def _retry_after(headers):
    value = headers.get("Retry-After") if headers else None
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0, int((when - datetime.now(UTC)).total_seconds()))


def _provider_reason(raw):
    """The provider's own explanation from a body like {"error": "..."}, if there is one."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        error = error.get("message")
    if not isinstance(error, str) or not error.strip():
        return None
    error = " ".join(error.split())
    return error if len(error) <= MAX_REASON_LENGTH else error[:MAX_REASON_LENGTH] + "…"


class SmsBackend(BaseSmsBackend):
    def __init__(self, fail_silently=False, url=None, token=None, sender=None, timeout=None, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.url = _setting(url, "SMS_HTTP_URL", "")
        self.token = _setting(token, "SMS_HTTP_TOKEN", "")
        self.sender = _setting(sender, "SMS_HTTP_SENDER", DEFAULT_SENDER)
        self.timeout = float(_setting(timeout, "SMS_HTTP_TIMEOUT", DEFAULT_TIMEOUT))
        if not self.url:
            raise ImproperlyConfigured("Set SMS_HTTP_URL to use the HTTP SMS backend.")
        if urlsplit(self.url).scheme not in ("https", "http"):
            raise ImproperlyConfigured("SMS_HTTP_URL must be an https:// address.")
        if any(c in self.token for c in "\r\n"):
            raise ImproperlyConfigured("SMS_HTTP_TOKEN must be a single line.")
        self._opener = urllib.request.build_opener(_NoRedirects)

    def send(self, message):
        try:
            return self._send(message)
        except SmsError as err:
            if not self.fail_silently:
                raise
            logger.warning("SMS %s not sent: %s", message.idempotency_key, err)
            return ""

    def _send(self, message):
        payload = {"to": message.to, "from": self.sender, "body": message.body, "channel": message.channel}
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Idempotency-Key": message.idempotency_key,
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = json.dumps(payload).encode("utf-8")
        # S310: __init__ allows only http(s) URLs.
        request = urllib.request.Request(self.url, data=data, headers=headers, method="POST")  # noqa: S310
        # A timeout or dropped connection leaves it unknown whether the provider got the message;
        # retrying is still safe because the retry carries the same Idempotency-Key.
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status = response.status
                raw = response.read(MAX_RESPONSE_BYTES)
        except urllib.error.HTTPError as err:
            raise self._error_for(err.code, err) from err
        except TimeoutError as err:
            raise TemporarySmsError(
                f"The SMS provider did not answer within {self.timeout:g} seconds."
            ) from err
        except urllib.error.URLError as err:
            if isinstance(err.reason, TimeoutError):
                raise TemporarySmsError(
                    f"The SMS provider did not answer within {self.timeout:g} seconds."
                ) from err
            raise TemporarySmsError(f"Could not reach the SMS provider ({err.reason}).") from err
        except (OSError, http.client.HTTPException) as err:
            raise TemporarySmsError(f"The connection to the SMS provider failed ({err!r}).") from err

        if not 200 <= status < 300:
            raise self._error_for(status, None)
        try:
            data = json.loads(raw.decode("utf-8"))
            message_id = data["id"]
        except (UnicodeDecodeError, ValueError, TypeError, KeyError) as err:
            # Accepted but unreadable: a retry with the same key is safe and should get the id.
            raise TemporarySmsError(
                f"The SMS provider accepted the message but sent no message id (HTTP {status})."
            ) from err
        if message_id is None or message_id == "":
            raise TemporarySmsError(
                f"The SMS provider accepted the message but sent no message id (HTTP {status})."
            )
        return str(message_id)

    def _error_for(self, status, err):
        raw = b""
        if err is not None:
            try:
                raw = err.read(MAX_RESPONSE_BYTES) or b""
            except (OSError, http.client.HTTPException):
                raw = b""
        reason = _provider_reason(raw)
        if 400 <= status < 500 and status not in RETRYABLE_CLIENT_ERRORS:
            if reason:
                return PermanentSmsError(reason, status=status)
            if status in (401, 403):
                return PermanentSmsError(
                    f"The SMS provider refused our credentials (HTTP {status}); check SMS_HTTP_TOKEN.",
                    status=status,
                )
            return PermanentSmsError(f"The SMS provider refused the message (HTTP {status}).", status=status)
        retry_after = _retry_after(err.headers if err is not None else None)
        if status == 429:
            text = "The SMS provider is limiting how fast we send (HTTP 429)."
        elif status == 408:
            text = "The SMS provider timed out reading the message (HTTP 408)."
        elif 300 <= status < 400:
            text = f"The SMS provider answered with a redirect (HTTP {status}); check SMS_HTTP_URL."
        else:
            text = f"The SMS provider is having problems (HTTP {status})."
        if reason:
            text = f"{text} The provider said: {reason}"
        return TemporarySmsError(text, status=status, retry_after=retry_after)
