"""How fast the outbox goes out through a real Celery worker, next to how fast Celery runs a no-op task.

    .venv/bin/python bench/dispatch.py --messages 10000

1. Creates (if missing) and migrates the database `portal_bench`, empties it, and inserts N due outbox
   messages (registration confirmations by SMS, one participant each) with bulk_create.
2. Starts `celery -A portal worker --pool prefork --concurrency 2` on the shared Redis (database 7, which
   is emptied first) with the locmem SMS backend (or --backend file), publishes `dispatch_outbox` (one
   per OUTBOX_BATCH_SIZE rows, as beat and sign-ups would over time) and polls PostgreSQL until every
   row is SENT: messages sent per second.
3. Starts `celery -A bench.noop_app worker` with the same options and Celery settings, publishes N no-op
   tasks and waits until the queue is empty and nothing is left unacknowledged: tasks per second.

Prints both rates and their ratio. The figures are wall-clock, on this machine, with the worker logging at
INFO like the production command in the README.
"""

import argparse
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

CELERY = Path(sys.executable).with_name("celery")
SETTINGS = "bench.settings"
BACKENDS = {
    "locmem": "messaging.sms.backends.locmem.SmsBackend",
    "file": "messaging.sms.backends.filebased.SmsBackend",
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/portal_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--backend", choices=sorted(BACKENDS), default="locmem")
    parser.add_argument("--loglevel", default="INFO")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for each phase")
    return parser.parse_args()


def run(command, env):
    subprocess.run(command, cwd=PROJECT_ROOT, env=env, check=True)  # noqa: S603 - fixed arguments


def ensure_database(url, env):
    """CREATE DATABASE when it is missing (with psql, as the brief of this script promises), then migrate."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        sys.exit(f"Use a plain database name (letters, digits, _), not {name!r}.")
    psql = [
        shutil.which("psql") or "/usr/bin/psql",
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
        "-d",
        "postgres",
        "-tAc",
    ]
    exists = subprocess.run(  # noqa: S603 - fixed arguments
        [*psql, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S608 - name checked above
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists != "1":
        run([*psql, f'CREATE DATABASE "{name}"'], env)
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env)


def insert_messages(n):
    """N due registration confirmations to N participants at 20 meetings of one programme."""
    from django.core.management import call_command
    from django.utils import timezone

    from messaging.models import OutboxMessage
    from people.models import ContactChannel, Participant
    from programmes.models import Branch, Library, Programme
    from sessions.models import Registration, Session

    call_command("flush", "--noinput", verbosity=0)
    library = Library.objects.create(name="Bibliotheek Benchmark", slug="benchmark", phone="+31201234567")
    branch = Branch.objects.create(
        library=library,
        name="Centrale",
        slug="centrale",
        street="Stationsplein 1",
        postcode="1234 AB",
        city="Hoorn",
    )
    programme = Programme.objects.create(
        library=library,
        name="Walk en Talk",
        slug="walk-en-talk",
        summary="Praat met andere werkzoekenden.",
        session_duration=timedelta(minutes=90),
        default_capacity=15,
        default_branch=branch,
    )
    start = (timezone.localtime() + timedelta(days=8)).replace(hour=10, minute=0, second=0, microsecond=0)
    sessions = [
        Session.objects.create(
            programme=programme,
            branch=branch,
            starts_at=start + timedelta(days=i),
            ends_at=start + timedelta(days=i, minutes=90),
            capacity=max(15, math.ceil(n / 20)),
            topic="Je pitch oefenen",
        )
        for i in range(20)
    ]
    participants = Participant.objects.bulk_create(
        (
            Participant(
                library=library,
                name=f"Deelnemer {i}",
                phone=f"+3162{i:07d}",
                preferred_channel=ContactChannel.SMS,
            )
            for i in range(n)
        ),
        batch_size=2000,
    )
    registrations = Registration.objects.bulk_create(
        (Registration(participant=p, session=sessions[i % 20]) for i, p in enumerate(participants)),
        batch_size=2000,
    )
    due = timezone.now() - timedelta(seconds=1)
    OutboxMessage.objects.bulk_create(
        (
            OutboxMessage(
                library=library,
                participant=r.participant,
                registration=r,
                kind=OutboxMessage.Kind.REGISTRATION_CONFIRMED,
                channel=ContactChannel.SMS,
                due_at=due,
                idempotency_key=f"bench:{i}",
            )
            for i, r in enumerate(registrations)
        ),
        batch_size=2000,
    )
    return OutboxMessage.objects.count()


class Worker:
    def __init__(self, app, env, concurrency, loglevel, log_path):
        self.log_path = log_path
        command = [
            str(CELERY),
            "-A",
            app,
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            str(concurrency),
            "--loglevel",
            loglevel,
            "--hostname",
            f"bench-{app}-{os.getpid()}@%h",
            "--without-mingle",
            "--without-gossip",
        ]
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
                command,
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while " ready." not in self.log():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                sys.exit(f"The worker did not start:\n{self.log()[-3000:]}")
            time.sleep(0.1)

    def log(self):
        return Path(self.log_path).read_text(errors="replace")

    def stop(self):
        """Warm shutdown (the pool processes are reaped by the main process), then collect the group's CPU
        time: wait4 on the main process reports its own and its reaped children's user+sys seconds."""
        self.cpu_seconds = None
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
            if pid:
                self.process.returncode = os.waitstatus_to_exitcode(status)
                self.cpu_seconds = usage.ru_utime + usage.ru_stime
                break
            time.sleep(0.1)
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # anything left behind
        except ProcessLookupError:
            pass
        if self.process.returncode is None:
            self.process.wait(timeout=10)


def wait_until(predicate, timeout, what, interval=0.1):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            sys.exit(f"Timed out after {timeout:g}s waiting for {what}.")
        time.sleep(interval)
    return time.monotonic()


def dispatch_phase(args, env, tmp):
    from django.conf import settings

    from messaging.models import OutboxMessage
    from messaging.tasks import dispatch_outbox
    from portal.celery import app

    n = args.messages
    worker = Worker("portal", env, args.concurrency, args.loglevel, tmp / "dispatch-worker.log")
    try:
        runs = math.ceil(n / settings.OUTBOX_BATCH_SIZE)
        sent = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT)
        started = time.monotonic()
        with app.connection_for_write(args.redis_url) as conn:
            for _ in range(runs):
                dispatch_outbox.apply_async(connection=conn)
        samples = []

        def all_sent():
            count = sent.count()
            samples.append((time.monotonic(), count))
            return count == n

        finished = wait_until(all_sent, args.timeout, f"{n} messages to be SENT")
    finally:
        worker.stop()
    attempts = set(OutboxMessage.objects.values_list("attempts", flat=True).distinct().order_by())
    first = next(t for t, c in samples if c > 0)
    # Steady state: from 10 % to 90 % sent, leaving out start-up and the tail.
    t10 = next(t for t, c in samples if c >= n * 0.1)
    t90 = next(t for t, c in samples if c >= n * 0.9)
    deliveries = None
    if args.backend == "file":
        from messaging.sms.backends.filebased import read_all

        deliveries = len(read_all(env["SMS_FILE_PATH"]))
    return {
        "seconds": finished - started,
        "rate": n / (finished - started),
        "steady_rate": (n * 0.8) / (t90 - t10) if t90 > t10 else float("nan"),
        "first_sent_after": first - started,
        "dispatch_runs": runs,
        "attempts": sorted(attempts),
        "deliveries": deliveries,
        "cpu_seconds": worker.cpu_seconds,
    }


def noop_phase(args, env, tmp):
    import redis

    from bench.noop_app import app, noop

    n = args.messages
    client = redis.Redis.from_url(args.redis_url)
    worker = Worker("bench.noop_app", env, args.concurrency, args.loglevel, tmp / "noop-worker.log")
    try:
        started = time.monotonic()
        with app.connection_for_write(args.redis_url) as conn:
            for i in range(n):
                noop.apply_async(args=(i,), connection=conn)
        published = time.monotonic()

        def drained():
            # acks_late: a message leaves `unacked` only when its task has run.
            return client.llen("celery") == 0 and client.hlen("unacked") == 0

        finished = wait_until(drained, args.timeout, f"{n} no-op tasks to run")
        # The worker logs each success; wait for the last lines to reach the file, then count them.
        wait_until(lambda: worker.log().count("bench.noop[") >= 2 * n, 30, "the worker log", interval=0.5)
    finally:
        worker.stop()
    return {
        "seconds": finished - started,
        "rate": n / (finished - started),
        "publish_seconds": published - started,
        "cpu_seconds": worker.cpu_seconds,
        "logged": worker.log().count("bench.noop[") // 2,
    }


def cpu_text(phase, n):
    if phase["cpu_seconds"] is None:
        return "worker CPU time unknown"
    return f"worker CPU {phase['cpu_seconds']:.1f} s = {1000 * phase['cpu_seconds'] / n:.2f} ms per task"


def main():
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-dispatch-"))
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        SMS_BACKEND=BACKENDS[args.backend],
        SMS_FILE_PATH=str(tmp / "sms"),
        PYTHONUNBUFFERED="1",
    )
    os.environ.update(env)

    ensure_database(args.database_url, env)
    import django

    django.setup()
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()  # database 7 only: the bench's own

    load_before = os.getloadavg()
    t = time.monotonic()
    count = insert_messages(args.messages)
    insert_seconds = time.monotonic() - t
    print(f"Inserted {count} due outbox messages in {insert_seconds:.1f} s.", flush=True)

    dispatch = dispatch_phase(args, env, tmp)
    print(
        f"Outbox:  {args.messages} messages SENT in {dispatch['seconds']:.1f} s = {dispatch['rate']:.0f} messages/s "
        f"(10-90 %: {dispatch['steady_rate']:.0f}/s; first sent after {dispatch['first_sent_after']:.2f} s; "
        f"{dispatch['dispatch_runs']} dispatch_outbox runs; attempts per row {dispatch['attempts']}"
        + (f"; {dispatch['deliveries']} files" if dispatch["deliveries"] is not None else "")
        + f"; {cpu_text(dispatch, args.messages)})",
        flush=True,
    )
    redis.Redis.from_url(args.redis_url).flushdb()
    noop = noop_phase(args, env, tmp)
    print(
        f"No-op:   {args.messages} tasks run in {noop['seconds']:.1f} s = {noop['rate']:.0f} tasks/s "
        f"(publishing them took {noop['publish_seconds']:.1f} s of that; {noop['logged']} logged as run; "
        f"{cpu_text(noop, args.messages)})",
        flush=True,
    )
    print(
        f"Ratio:   the outbox sends at {dispatch['rate'] / noop['rate']:.0%} of the no-op task rate "
        f"(no-op is {noop['rate'] / dispatch['rate']:.1f}x faster).",
        flush=True,
    )
    print(
        f"Setup:   concurrency {args.concurrency} (prefork), broker {args.redis_url}, SMS backend {args.backend}, "
        f"worker log level {args.loglevel}; {os.cpu_count()} CPUs, {platform.platform()}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average {load_before[0]:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after. Worker logs: {tmp}",
        flush=True,
    )


if __name__ == "__main__":
    main()
