from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - report any failure as "down"
        return False, type(error).__name__
    return True, connection.vendor


def _broker_ok():
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            transport = conn.transport_cls
    except Exception as error:  # noqa: BLE001
        return False, type(error).__name__
    return True, str(transport)


def _outbox_ok():
    """Messages are going out: none has waited past its due time for longer than OUTBOX_STALL_SECONDS.

    A broker that answers but whose workers stopped consuming (seen after a Redis restart) shows here.
    """
    from messaging.models import OutboxMessage

    stalled_since = timezone.now() - timedelta(seconds=settings.OUTBOX_STALL_SECONDS)
    oldest = (
        OutboxMessage.objects.filter(
            status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.QUEUED], due_at__lte=stalled_since
        )
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    if oldest is None:
        return True, "flowing"
    minutes = int((timezone.now() - oldest).total_seconds() // 60)
    return False, f"a message has waited {minutes} minutes past its time"


@never_cache
@require_GET
def healthz(request):
    db_ok, db_detail = _database_ok()
    broker_ok, broker_detail = _broker_ok()
    outbox_ok, outbox_detail = _outbox_ok() if db_ok else (False, "no database")
    healthy = db_ok and broker_ok and outbox_ok
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "database": {"ok": db_ok, "detail": db_detail},
            "broker": {"ok": broker_ok, "detail": broker_detail},
            "outbox": {"ok": outbox_ok, "detail": outbox_detail},
        },
        status=200 if healthy else 503,
    )


@never_cache
@require_GET
def ping(request):
    """The benchmark's reference: one trivial query and a tiny response, through the whole middleware."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"ok": True})
