"""SMS backend that writes each message to a JSON file named after its idempotency key.

Sending the same key again leaves the existing file alone, so, like a real provider, this backend
delivers a message once however often it is retried.
"""

import contextlib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from messaging.sms import SmsMessage

from .base import BaseSmsBackend

SUFFIX = ".json"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_name(idempotency_key):
    """A safe file name for a key.

    The readable part is sanitised; the hash keeps two keys that sanitise alike ("a:b", "a/b") apart.
    """
    readable = _UNSAFE.sub("_", idempotency_key).lstrip(".")[:100] or "message"
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:16]
    return f"{readable}-{digest}{SUFFIX}"


def read_all(path):
    """Every message in the folder `path`, oldest first; temporary files are skipped."""
    files = sorted(
        (p for p in Path(path).glob(f"*{SUFFIX}") if not p.name.startswith(".")),
        key=lambda p: (p.stat().st_mtime_ns, p.name),
    )
    messages = []
    for p in files:
        data = json.loads(p.read_text(encoding="utf-8"))
        messages.append(
            SmsMessage(
                to=data["to"],
                body=data["body"],
                idempotency_key=data["idempotency_key"],
                channel=data["channel"],
            )
        )
    return messages


class SmsBackend(BaseSmsBackend):
    def __init__(self, fail_silently=False, file_path=None, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        file_path = file_path if file_path is not None else getattr(settings, "SMS_FILE_PATH", None)
        if not file_path:
            raise ImproperlyConfigured("Set SMS_FILE_PATH to use the file-based SMS backend.")
        self.file_path = os.path.abspath(file_path)
        try:
            os.makedirs(self.file_path, exist_ok=True)
        except OSError as err:
            raise ImproperlyConfigured(
                f"Could not create the folder for SMS messages: {self.file_path} ({err})"
            ) from err

    def send(self, message):
        try:
            self._write(message)
        except Exception:
            if not self.fail_silently:
                raise
            return ""
        return message.idempotency_key

    def _write(self, message):
        target = os.path.join(self.file_path, file_name(message.idempotency_key))
        if os.path.exists(target):
            return
        data = asdict(message) | {"sent_at": timezone.now().isoformat()}
        # Written next to the target and renamed into place, so a reader never sees half a file.
        fd, temp = tempfile.mkstemp(dir=self.file_path, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, indent=2)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise
