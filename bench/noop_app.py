"""A Celery app with one task that does nothing, for `bench/dispatch.py` to measure Celery itself.

Configured exactly like `portal.celery.app` (the CELERY_* Django settings: same broker, acks_late,
prefetch multiplier 1, results ignored; the Django fix-up closes connections after each task), so the
only difference from the outbox phase is the work inside the task.

    celery -A bench.noop_app worker --pool prefork --concurrency 2
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

app = Celery("bench")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="bench.noop", acks_late=True, ignore_result=True)
def noop(message_id):
    """Takes the same argument as messaging.tasks.send_message, and does nothing with it."""
    return None
