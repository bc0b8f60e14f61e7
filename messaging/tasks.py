import math
import time

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from kombu.exceptions import OperationalError

from .dispatch import message_deliver, messages_preload, outbox_claim_due, outbox_release
from .services import WAKE_PENDING_KEY

# A claim is split into at least this many tasks (when it has that many rows).
_SPREAD = 4


@shared_task(acks_late=True, ignore_result=True)
def dispatch_outbox():
    """Every minute (beat), and right after a message is recorded: hand due rows to workers.

    Claimed rows go out in chunks, one task per chunk: a task costs a broker round trip and a
    database connection, which for a single text message is more than the sending itself.
    """
    # Before claiming: a message recorded from now on must queue another run (see _wake_dispatcher).
    cache.delete(WAKE_PENDING_KEY)
    ids = outbox_claim_due()
    # A few due messages still go out side by side, on every worker process.
    chunk = min(settings.OUTBOX_SEND_CHUNK, max(1, math.ceil(len(ids) / _SPREAD)))
    for start in range(0, len(ids), chunk):
        try:
            send_messages.delay(ids[start : start + chunk])
        except OperationalError:
            # The broker is gone: give the rest back; the next run claims them again.
            outbox_release(ids=ids[start:])
            raise
    return len(ids)


@shared_task(acks_late=True, ignore_result=True)
def send_messages(message_ids):
    # Each row is locked and re-checked on its own; if the worker dies half-way, the rows not yet
    # sent stay queued and are claimed again when their lease runs out.
    cache = messages_preload(message_ids=message_ids)
    # A slow provider must not keep rows past their lease: the rest are claimed again later.
    deadline = time.monotonic() + settings.OUTBOX_LEASE_SECONDS / 2
    for message_id in message_ids:
        if time.monotonic() > deadline:
            break
        message_deliver(message_id=message_id, cache=cache)


@shared_task(acks_late=True, ignore_result=True)
def send_message(message_id):
    """One message; kept for tasks published before chunked sending."""
    message_deliver(message_id=message_id)
