from .models import OutboxMessage


def outbox_failed_count():
    return OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count()
