"""SMS backend that writes messages to a stream (standard output by default) instead of sending them."""

import sys
import threading
import uuid

from .base import BaseSmsBackend


class SmsBackend(BaseSmsBackend):
    def __init__(self, fail_silently=False, **kwargs):
        self.stream = kwargs.pop("stream", sys.stdout)
        # One lock per backend instance, as in Django's console e-mail backend: a shared backend used
        # from several threads must not interleave the lines of two messages.
        self._lock = threading.RLock()
        super().__init__(fail_silently=fail_silently, **kwargs)

    def format_message(self, message, message_id):
        return (
            f"Channel: {message.channel}\n"
            f"To: {message.to}\n"
            f"Idempotency-Key: {message.idempotency_key}\n"
            f"Id: {message_id}\n"
            f"\n{message.body}\n" + "-" * 79 + "\n"
        )

    def send(self, message):
        message_id = f"console-{uuid.uuid4().hex}"
        text = self.format_message(message, message_id)
        with self._lock:
            try:
                self.stream.write(text)
                self.stream.flush()
            except Exception:
                if not self.fail_silently:
                    raise
                return ""
        return message_id
