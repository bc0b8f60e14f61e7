"""Helpers for the outbox delivery tests: a real redis-server, a real Celery worker, a fake SMS provider
that records every request. The fixtures built on them are in tests/conftest_outbox.py.

Nothing here mocks the ORM or Celery: the worker is `celery -A portal worker` in its own process group,
talking to the test database that pytest-django created and to a redis-server started for the test on a
free port, so a test can kill and restart either without touching the shared Redis on 6379.
"""

import contextlib
import ctypes
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import redis
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from kombu.exceptions import OperationalError

from messaging.models import OutboxMessage
from messaging.sms.fake_provider import FakeSmsProvider
from people.models import Participant
from portal.celery import app as celery_app
from sessions.models import Registration
from tests import factories

PROJECT_ROOT = Path(settings.BASE_DIR)
CELERY = Path(sys.executable).with_name("celery")
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
WORKER_APPLICATION_NAME = "outbox-test-worker"
# The test settings take SMS_BACKEND from the environment, so the worker can use the file or HTTP backend.
WORKER_SETTINGS = "portal.settings.test"
FILE_BACKEND = "messaging.sms.backends.filebased.SmsBackend"
HTTP_BACKEND = "messaging.sms.backends.http.SmsBackend"
Status = OutboxMessage.Status

_LIBC = ctypes.CDLL(None)  # loaded before any fork: the child only makes one call


def _die_with_the_test_process():
    """preexec_fn: SIGKILL this child if the test process dies (a killed pytest leaves no worker or redis)."""
    _LIBC.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, *, timeout=120.0, interval=0.1, tick=None, tick_every=1.0, describe=None):
    """Poll `predicate` until it returns something truthy; return that value.

    The timeout only bounds a failure: a pass returns as soon as the outcome is in the database (on an idle
    2-core machine the slowest test needs about 15 s). It is generous because a shared machine running
    other test suites at the same time can make the worker ten times slower.

    `tick` is called at once and then every `tick_every` seconds while waiting (e.g. to publish another
    `dispatch_outbox`, as beat would). On timeout the assertion message says what was seen (`describe()`).
    """
    deadline = time.monotonic() + timeout
    next_tick = time.monotonic()
    while True:
        now = time.monotonic()
        if tick is not None and now >= next_tick:
            tick()
            next_tick = now + tick_every
        value = predicate()
        if value:
            return value
        if now >= deadline:
            detail = describe() if describe else ""
            raise AssertionError(f"Timed out after {timeout:g}s waiting for {predicate.__name__}.\n{detail}")
        time.sleep(interval)


def status_counts():
    rows = OutboxMessage.objects.values_list("status").annotate(n=Count("pk")).order_by()
    return dict(rows)


# --- Rows ------------------------------------------------------------------------------------------------


def make_messages(n, *, due_at=None, session=None, key_prefix="outbox-test"):
    """`n` registration confirmations to `n` different Dutch mobile numbers, one meeting, in bulk.

    Each row is due at `due_at` (default: now) plus its index in microseconds, so their order is known.
    Returns the rows in that order.
    """
    session = session or factories.SessionFactory()
    library = session.programme.library
    due_at = due_at or timezone.now()
    participants = Participant.objects.bulk_create(
        factories.ParticipantFactory.build(library=library) for _ in range(n)
    )
    registrations = Registration.objects.bulk_create(
        factories.RegistrationFactory.build(session=session, participant=p) for p in participants
    )
    batch = uuid.uuid4().hex[:8]
    return OutboxMessage.objects.bulk_create(
        factories.OutboxMessageFactory.build(
            registration=r,
            due_at=due_at + timedelta(microseconds=i),
            idempotency_key=f"{key_prefix}:{batch}:{i:05d}",
        )
        for i, r in enumerate(registrations)
    )


# --- The fake provider, with a record of every request ----------------------------------------------------


class RecordingSmsProvider(FakeSmsProvider):
    """FakeSmsProvider that also records each request (when, which key, what status) and which are in flight.

    A request counts as in flight from the moment its body has been read until its answer is ready, i.e.
    during the provider's artificial `delay`: a worker killed then never sees the answer, but the provider
    still delivers the message, exactly as a real provider would.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.request_log = []  # (monotonic time the answer was ready, idempotency key, status)
        self.in_flight = {}  # idempotency key -> monotonic time the request arrived

    def _handle(self, headers, raw):
        key = headers.get("Idempotency-Key")
        with self._lock:
            self.in_flight[key] = time.monotonic()
        try:
            status, body = super()._handle(headers, raw)
        finally:
            with self._lock:
                self.in_flight.pop(key, None)
        with self._lock:
            self.request_log.append((time.monotonic(), key, status))
        return status, body

    def requests_per_key(self):
        with self._lock:
            return Counter(key for _, key, _ in self.request_log)

    def delivered_keys(self):
        with self._lock:
            return [m["idempotency_key"] for m in self.messages]


# --- redis-server -----------------------------------------------------------------------------------------


class RedisServer:
    """A throw-away redis-server without persistence: a restart empties it, as a crashed broker would."""

    def __init__(self, log_path):
        self.port = free_port()
        self.log_path = log_path
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    def start(self, timeout=10):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
                [
                    REDIS_SERVER,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_the_test_process,
            )
        client = self.client()

        def answers_ping():
            if self.process.poll() is not None:
                raise AssertionError(f"redis-server exited: {Path(self.log_path).read_text()[-2000:]}")
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        wait_for(answers_ping, timeout=timeout, interval=0.05)
        client.close()
        return self

    def kill(self, sig=signal.SIGKILL):
        """Stop the server abruptly; whatever it held (queued tasks, unacked messages) is gone."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=10)

    def restart(self):
        self.kill()
        return self.start()

    def stop(self):
        self.kill(signal.SIGKILL)


def reset_broker_pools(app):
    # What Celery itself does after a fork: forget pooled connections, so the next publish connects to
    # the broker_url now configured.
    if app._pool is not None:
        with contextlib.suppress(Exception):
            app._pool.force_close_all()
    app._pool = None
    with contextlib.suppress(AttributeError, KeyError):
        app.__dict__["amqp"]._producer_pool = None


def publish(broker, task, *args):
    """Send `task` to the dedicated broker over a fresh connection; return the task id.

    A fresh connection each time, so publishing right after the broker restarted does not trip over a
    pooled connection to the old process. Raises kombu's OperationalError while the broker is down.
    """
    with celery_app.connection_for_write(broker.url, connect_timeout=2) as conn:
        result = task.apply_async(args=args, connection=conn, retry=False)
    return result.id


def publish_ignoring_outage(broker, task, *args):
    """The same, for ticks while the broker may be down: a beat run that fails is simply missed."""
    with contextlib.suppress(OperationalError, ConnectionError, OSError):
        return publish(broker, task, *args)
    return None


# --- The Celery worker ------------------------------------------------------------------------------------


def worker_database_url():
    """The test database pytest-django created, as a URL the worker's settings read (DATABASE_URL)."""
    s = connection.settings_dict
    user = quote(s["USER"] or "", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    host = s["HOST"] or "127.0.0.1"
    port = s["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{s['NAME']}?application_name={WORKER_APPLICATION_NAME}"


class CeleryWorker:
    """`celery -A portal worker --pool prefork --concurrency 2` in its own process group."""

    def __init__(self, env, log_path, concurrency=2, app="portal"):
        self.env = env
        self.log_path = Path(log_path)
        self.concurrency = concurrency
        self.app = app
        self.process = None

    def start(self, timeout=30):
        self.log_path.write_bytes(b"")
        command = [
            str(CELERY),
            "-A",
            self.app,
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            str(self.concurrency),
            "--loglevel",
            "INFO",
            "--hostname",
            f"outbox-test-{uuid.uuid4().hex[:8]}@%h",
            # No other workers to sync with or gossip to: only makes start-up slower.
            "--without-mingle",
            "--without-gossip",
        ]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
                command,
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: os.killpg reaches the pool children too
                preexec_fn=_die_with_the_test_process,
            )

        def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"The Celery worker exited during start-up:\n{self.log()[-4000:]}")
            return " ready." in self.log()

        wait_for(ready, timeout=timeout, interval=0.1, describe=lambda: self.log()[-4000:])
        return self

    def log(self):
        return self.log_path.read_text(errors="replace")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill(self, sig=signal.SIGKILL):
        """Signal the whole process group (the main process and every pool child) and reap the main one."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)

    def stop(self):
        """At teardown: SIGKILL the group at once (a graceful shutdown only costs time here)."""
        self.kill(signal.SIGKILL)

    def task_results(self, task_name):
        """{task id: logged return value} for every run of `task_name` that succeeded, from the worker log."""
        pattern = re.compile(
            rf"Task {re.escape(task_name)}\[([0-9a-f-]+)\] succeeded in [0-9.e-]+s: (.*)$", re.M
        )
        return dict(pattern.findall(self.log()))

    def task_result(self, task_name, task_id, timeout=30):
        """Wait for one task's success line; return its logged return value (a string)."""

        def logged():
            return self.task_results(task_name).get(task_id)

        return wait_for(logged, timeout=timeout, describe=lambda: self.log()[-4000:])


def wait_for_worker_connections_to_close(timeout=15):
    # A killed worker's PostgreSQL backends end as soon as they notice the closed socket; wait for that,
    # so that the test's flush (TRUNCATE) and the final DROP DATABASE do not meet them.
    def none_left():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
                [WORKER_APPLICATION_NAME],
            )
            return cursor.fetchone()[0] == 0

    with contextlib.suppress(AssertionError):
        wait_for(none_left, timeout=timeout, interval=0.1)


def describe_state(worker=None, provider=None):
    """What a timed-out wait saw: the outbox's status counts, the provider's counts, the worker log's tail."""
    parts = [f"outbox: {status_counts()}"]
    if provider is not None:
        parts.append(f"provider: {provider.requests} requests, {len(provider.messages)} delivered")
    if worker is not None:
        parts.append(f"worker log (tail):\n{worker.log()[-4000:]}")
    return "\n".join(parts)


def run_in_threads(jobs):
    """Run callables in threads released together; each has its own database connection. Return results."""
    from django.db import connections

    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)
    errors = []

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - collected and asserted by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results
