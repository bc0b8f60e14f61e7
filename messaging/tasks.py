from celery import shared_task
from kombu.exceptions import OperationalError

from .dispatch import message_deliver, outbox_claim_due, outbox_release


@shared_task(acks_late=True, ignore_result=True)
def dispatch_outbox():
    """Every minute (beat), and right after a message is recorded: hand due rows to workers."""
    ids = outbox_claim_due()
    for position, message_id in enumerate(ids):
        try:
            send_message.delay(message_id)
        except OperationalError:
            # The broker is gone: give the rest back; the next run claims them again.
            outbox_release(ids=ids[position:])
            raise
    return len(ids)


@shared_task(acks_late=True, ignore_result=True)
def send_message(message_id):
    message_deliver(message_id=message_id)
