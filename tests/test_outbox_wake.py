"""A due message wakes the dispatcher right after commit; a burst of them queues one run, not one each.

The first tests publish to the real Redis broker of the test settings and read its queue; the last one
runs a real Celery worker (tests/conftest_outbox.py) that shares the test process's cache, so the mark
it clears is the one the sign-ups set.
"""

import json

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from kombu.exceptions import OperationalError

from messaging.models import OutboxMessage
from messaging.services import WAKE_PENDING_KEY
from messaging.tasks import dispatch_outbox
from portal.celery import app as celery_app
from sessions.services import registration_create
from tests import factories
from tests.outbox_support import wait_for

pytest_plugins = ["tests.conftest_outbox"]

DISPATCH = "messaging.tasks.dispatch_outbox"


@pytest.fixture
def wake_debounced(settings):
    settings.OUTBOX_WAKE_PENDING_SECONDS = 30
    cache.delete(WAKE_PENDING_KEY)
    yield
    cache.delete(WAKE_PENDING_KEY)


@pytest.fixture
def queued_runs():
    """How many runs of the dispatcher wait on the broker's default queue (emptied first)."""
    client = redis.Redis.from_url(celery_app.conf.broker_url)
    queue = celery_app.conf.task_default_queue
    client.delete(queue)

    def count():
        return sum(json.loads(raw)["headers"]["task"] == DISPATCH for raw in client.lrange(queue, 0, -1))

    yield count
    client.delete(queue)


def sign_up(session, number):
    return registration_create(
        session=session, name=f"Deelnemer {number}", phone=f"+3161234{number:04d}", preferred_channel="sms"
    )


@pytest.mark.django_db
def test_a_burst_of_sign_ups_queues_one_run(wake_debounced, queued_runs, django_capture_on_commit_callbacks):
    session = factories.SessionFactory(capacity=50)
    for number in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            sign_up(session, number)
    assert OutboxMessage.objects.filter(kind=OutboxMessage.Kind.REGISTRATION_CONFIRMED).count() == 5
    assert queued_runs() == 1


@pytest.mark.django_db
def test_a_message_after_the_run_started_queues_another(
    wake_debounced, queued_runs, django_capture_on_commit_callbacks
):
    session = factories.SessionFactory(capacity=50)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(session, 1)
    dispatch_outbox()  # the queued run, as a worker starts it: it clears the mark before it claims
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(session, 2)
    assert queued_runs() == 2


@pytest.mark.django_db
def test_a_broker_outage_does_not_hold_back_the_next_wake(
    wake_debounced, queued_runs, monkeypatch, django_capture_on_commit_callbacks
):
    session = factories.SessionFactory(capacity=50)
    with monkeypatch.context() as broken:

        def broker_down(*args, **kwargs):
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        broken.setattr(dispatch_outbox, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            registration = sign_up(session, 1).registration  # the sign-up itself stands
    assert registration.pk
    assert cache.get(WAKE_PENDING_KEY) is None
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(session, 2)
    assert queued_runs() == 1


@pytest.mark.django_db
def test_without_the_mark_every_due_message_queues_a_run(queued_runs, django_capture_on_commit_callbacks):
    # As without Redis, where each process has a cache of its own and no worker could clear the mark.
    assert settings.OUTBOX_WAKE_PENDING_SECONDS == 0
    session = factories.SessionFactory(capacity=50)
    for number in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            sign_up(session, number)
    assert queued_runs() == 3


@pytest.mark.django_db(transaction=True)
def test_every_message_of_a_burst_is_sent_by_a_real_worker(wake_debounced, start_worker, sms_dir):
    worker = start_worker(
        backend="file",
        sms_dir=sms_dir,
        CACHE_KEY_PREFIX=settings.CACHES["default"]["KEY_PREFIX"],
        OUTBOX_WAKE_PENDING_SECONDS="30",
    )
    session = factories.SessionFactory(capacity=100)
    for number in range(40):
        sign_up(session, number)  # each commits at once (no test transaction here) and may wake it

    def all_sent():
        return (
            not OutboxMessage.objects.filter(kind=OutboxMessage.Kind.REGISTRATION_CONFIRMED)
            .exclude(status=OutboxMessage.Status.SENT)
            .exists()
        )

    wait_for(all_sent, describe=lambda: worker.log()[-4000:])
    # How many runs depends on how fast the worker starts them; each claims what is due by then.
    assert worker.task_results(DISPATCH)
    # The last run started after the last wake: nothing is marked as waiting any more.
    assert cache.get(WAKE_PENDING_KEY) is None
