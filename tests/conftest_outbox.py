"""Fixtures for tests/test_outbox_delivery.py (loaded there with `pytest_plugins`).

`broker` is a redis-server of the test's own; `start_worker(...)` starts `celery -A portal worker` against
it and the test database; `sms_provider` is the fake HTTP provider, recording every request; `sms_dir`
is the folder of the file backend. Teardown stops every process started, also when the test failed.
"""

import os

import pytest

from portal.celery import app as celery_app
from tests.outbox_support import (
    FILE_BACKEND,
    HTTP_BACKEND,
    WORKER_SETTINGS,
    CeleryWorker,
    RecordingSmsProvider,
    RedisServer,
    reset_broker_pools,
    wait_for_worker_connections_to_close,
    worker_database_url,
)


@pytest.fixture
def broker(tmp_path):
    """A dedicated redis-server on a free port; this test process publishes to it too."""
    server = RedisServer(tmp_path / "redis.log").start()
    server.client().flushall()  # purge: nothing queued from before (it is new, but say so)
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = server.url
    reset_broker_pools(celery_app)
    try:
        yield server
    finally:
        celery_app.conf.broker_url = previous
        reset_broker_pools(celery_app)
        server.stop()


@pytest.fixture
def sms_provider():
    provider = RecordingSmsProvider()
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture
def sms_dir(tmp_path):
    path = tmp_path / "sms"
    path.mkdir()
    return path


@pytest.fixture
def start_worker(transactional_db, broker, tmp_path):
    """Start a worker with `start_worker(backend="file"|"http", provider=..., sms_dir=..., **settings)`.

    Settings become environment variables (OUTBOX_LEASE_SECONDS=5 and OUTBOX_RETRY_BASE_SECONDS=1 unless
    given). Every worker started is stopped at teardown, before pytest-django empties the database.
    """
    workers = []

    def start(*, backend="file", provider=None, sms_dir=None, **overrides):
        env = os.environ.copy()
        env.update(
            DJANGO_SETTINGS_MODULE=WORKER_SETTINGS,
            DATABASE_URL=worker_database_url(),
            REDIS_URL=broker.url,
            OUTBOX_LEASE_SECONDS="5",
            OUTBOX_RETRY_BASE_SECONDS="1",
            PYTHONUNBUFFERED="1",
        )
        if backend == "file":
            env.update(SMS_BACKEND=FILE_BACKEND, SMS_FILE_PATH=str(sms_dir))
        elif backend == "http":
            env.update(SMS_BACKEND=HTTP_BACKEND, SMS_HTTP_URL=provider.url, SMS_HTTP_TIMEOUT="10")
        else:
            raise ValueError(backend)
        env.update({name: str(value) for name, value in overrides.items()})
        worker = CeleryWorker(env, tmp_path / f"worker-{len(workers) + 1}.log")
        workers.append(worker)
        return worker.start()

    try:
        yield start
    finally:
        for worker in workers:
            worker.stop()
        wait_for_worker_connections_to_close()
