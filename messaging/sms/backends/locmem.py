"""SMS backend for tests: messages are appended to the module-level list `outbox`.

Empty it between tests with `outbox.clear()` (not by rebinding, so every reference stays valid).
"""

import itertools
import threading
from dataclasses import replace

from .base import BaseSmsBackend

outbox = []

_counter = itertools.count(1)
_lock = threading.Lock()


class SmsBackend(BaseSmsBackend):
    def send(self, message):
        # A copy, so that the caller changing its message later does not change what was "sent".
        with _lock:
            outbox.append(replace(message))
            return f"locmem-{next(_counter)}"
