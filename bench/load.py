"""Requests per second and latency of the portal's hot pages, under gunicorn with the production settings.

    .venv/bin/python manage.py generate_data --scale 30 --seed 1      # once, into the bench database
    .venv/bin/python bench/load.py                                    # then this (see bench/README.md)

1. Writes a two-line settings module that imports `portal.settings.production` and only points
   STATIC_ROOT at a temporary folder, runs collectstatic there, and prepares the database (through
   `bench/load.py --prepare` in a subprocess with the same environment): a superuser, a consultant
   account for the referrer's dashboard (when it exists), the meetings to request, and a fresh meeting
   with 20 places for the sign-up rush.
2. Starts `gunicorn portal.wsgi --workers 4` (2 per core, as the README says) on 127.0.0.1.
3. Drives it from this process (threads, http.client, a new connection per request as gunicorn's sync
   workers close them), `--clients` at a time, a bounded number of requests per page, and prints and
   appends to bench/RESULTS.md: requests/s, median and p95 latency, errors, and requests/s as a ratio to
   the reference view `/ping` (one `SELECT 1`), measured in the same run.
4. The sign-up rush: `--rush` sign-ups for the one fresh meeting from `--rush-clients` clients; then
   counts in the database how many were confirmed (must be exactly the 20 places) and waitlisted.

Requests carry `X-Forwarded-Proto: https`, as they would from the TLS proxy in front of production, so
secure cookies and CSRF's origin check work as in production. All clients share 127.0.0.1, so the
per-IP sign-up limit (library PCs share one IP) is raised for the run; the per-contact limit stays.
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cpu import CpuMeter  # noqa: E402

PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
SETTINGS_MODULE = "portal_bench_production"
PASSWORD = os.environ.setdefault("BENCH_PASSWORD", "bench-" + secrets.token_hex(8))
TOTP_SECRET = os.environ.setdefault("BENCH_TOTP_SECRET", base64.b32encode(secrets.token_bytes(20)).decode())


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/portal_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4: 2 per core)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=1000, help="requests per page (default 1000)")
    parser.add_argument("--max-seconds", type=float, default=60, help="stop a page after this long")
    parser.add_argument("--warmup", type=int, default=40, help="unmeasured requests per page first")
    parser.add_argument(
        "--ping-requests",
        type=int,
        default=400,
        help="requests to /ping right before each page (default 400)",
    )
    parser.add_argument("--rush", type=int, default=2000, help="sign-ups in the rush (default 2000)")
    parser.add_argument("--rush-clients", type=int, default=32)
    parser.add_argument("--rush-places", type=int, default=20)
    parser.add_argument("--only", help="comma-separated page names to run (default all)")
    parser.add_argument("--results", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument("--no-write", action="store_true", help="print only; do not append to RESULTS.md")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)  # internal: run inside the Django env
    return parser.parse_args(argv)


# Inside Django (subprocess) -------------------------------------------------------------------------


def prepare(task):
    """Runs in a subprocess with the bench environment; prints JSON for the driver."""
    import django

    django.setup()
    if task == "setup":
        return _setup()
    return _rush_counts(int(task.split(":")[1]))


def _setup():
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from partners.models import PartnerContact, Referral
    from people.models import Participant
    from programmes.models import Branch, Library, Programme
    from sessions.models import Registration, Session

    now = timezone.now()
    counts = {
        "library organisations": Library.objects.count(),
        "branches": Branch.objects.count(),
        "meetings": Session.objects.count(),
        "meetings to come": Session.objects.filter(ends_at__gt=now).count(),
        "registrations": Registration.objects.count(),
        "participants": Participant.objects.count(),
        "referrals": Referral.objects.count(),
    }
    open_sessions = (
        Session.objects.filter(
            starts_at__gt=now + timedelta(days=1),
            starts_at__lt=now + timedelta(days=60),
            status=Session.Status.SCHEDULED,
            run__isnull=True,
            programme__registration_required=True,
            programme__is_published=True,
        )
        .filter(Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lt=now))
        .order_by("id")
        .values_list("id", flat=True)
    )
    ids = list(open_sessions)
    if len(ids) < 10:
        sys.exit("The database has too few meetings to come: run `manage.py generate_data` first.")
    step = max(1, len(ids) // 200)
    chosen = ids[::step][:200]
    # A fresh meeting with 20 places for the rush, so every run starts from an empty list.
    programme = (
        Programme.objects.filter(
            format="group_meeting", registration_required=True, default_branch__isnull=False
        )
        .order_by("id")
        .first()
    )
    start = (timezone.localtime(now) + timedelta(days=10)).replace(hour=10, minute=0, second=0, microsecond=0)
    rush = Session.objects.create(
        programme=programme,
        branch=programme.default_branch,
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        capacity=20,
        topic=f"Benchmark sign-up rush {now:%Y-%m-%d %H:%M}",
    )
    User = get_user_model()
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"email": "bench-admin@bench.example"}
    )
    admin.email, admin.is_staff, admin.is_superuser, admin.is_active = (
        "bench-admin@bench.example",
        True,
        True,
        True,
    )
    admin.set_password(PASSWORD)
    admin.save()
    _verified_email(admin)
    consultant = None
    try:
        reverse("referrers:dashboard")
        has_dashboard = any(f.name == "user" for f in PartnerContact._meta.get_fields())
    except NoReverseMatch:
        has_dashboard = False
    if has_dashboard:
        consultant = _consultant(User, PartnerContact, Count)
    return {
        "counts": counts,
        "sessions": chosen,
        "signup_sessions": chosen,
        "rush_session": rush.pk,
        "admin": admin.email,
        "consultant": consultant,
    }


def _consultant(User, PartnerContact, Count):
    """A consultant of the municipality with the most referrals, with an account (e-mail log-in)."""
    email = "bench-consultant@bench.example"
    contact = (
        PartnerContact.objects.filter(partner__kind="municipality")
        .exclude(email="")
        .annotate(n=Count("partner__referrals"))
        .order_by("-n", "id")
        .first()
    )
    user, _ = User.objects.get_or_create(username="bench-consultant", defaults={"email": email})
    user.email, user.is_staff, user.is_active = email, False, True
    user.set_password(PASSWORD)
    user.save()
    PartnerContact.objects.filter(user=user).exclude(pk=contact.pk).update(user=None)
    contact.user = user
    contact.save(update_fields=["user"])
    _verified_email(user)
    return email


def _verified_email(user):
    """Staff and consultants log in with their e-mail address and an authenticator app (production
    requires one): a verified address and a TOTP authenticator with a secret the driver knows."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(user, TOTP_SECRET)


def _rush_counts(pk):
    from django.db.models import Count

    from sessions.models import Registration

    rows = Registration.objects.filter(session_id=pk).values_list("status").annotate(n=Count("pk"))
    return {"statuses": dict(rows)}


# The HTTP client ------------------------------------------------------------------------------------


class Client:
    """One browser: its own cookies, a new connection per request, headers a TLS proxy would add."""

    def __init__(self, port):
        self.port, self.cookies = port, {}
        self.origin = f"https://127.0.0.1:{port}"

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https", "User-Agent": "bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"], headers["Referer"] = self.origin, self.origin + path
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, value = cookie.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value
            if response.status in (301, 302, 303) and not content:
                content = f"-> {response.headers.get('Location')}".encode()
            return response.status, content, response.headers
        finally:
            connection.close()

    def csrf_token(self, path):
        status, content, _headers = self.request("GET", path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or not match:
            raise RuntimeError(f"No form at {path} (HTTP {status})")
        return match.group(1).decode()

    def log_in(self, email):
        """allauth's log-in with e-mail and password, then the authenticator app's code."""
        token = self.csrf_token("/accounts/login/")
        form = {"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token}
        status, content, headers = self.request("POST", "/accounts/login/", form)
        location = headers.get("Location") or ""
        if status == 302 and "/2fa/" in location:
            path = location.removeprefix(self.origin)
            token = self.csrf_token(path)
            status, content, headers = self.request(
                "POST", path, {"code": totp_code(TOTP_SECRET), "csrfmiddlewaretoken": token}
            )
        if status != 302:
            raise RuntimeError(f"Log-in of {email} failed (HTTP {status}): {content[:300]!r}")

    def logged_in_copy(self):
        twin = Client(self.port)
        twin.cookies = dict(self.cookies)
        return twin


def totp_code(secret, period=30, digits=6):
    """RFC 6238, as an authenticator app computes it."""
    counter = struct.pack(">Q", int(time.time()) // period)
    digest = hmac.new(base64.b32decode(secret), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


class Phones:
    """Unique Dutch mobile numbers for sign-ups (06-8…, a range the generator does not use)."""

    def __init__(self):
        self.lock, self.next = threading.Lock(), secrets.randbelow(9_000_000)

    def take(self):
        with self.lock:
            self.next += 1
            return f"+3168{self.next % 10_000_000:07d}"


def sign_up_form(token, phones, number):
    return {
        "csrfmiddlewaretoken": token,
        "name": f"Bench Deelnemer {number}",
        "phone": phones.take(),
        "email": "",
        "preferred_channel": "sms",
        "help_wanted": "",
        "consent": "on",
        "website": "",
    }


def drive(clients, total, max_seconds, make_request, expect):
    """`total` requests from len(clients) threads; returns latencies, error samples, seconds."""
    lock, counter = threading.Lock(), [0]
    latencies, errors = [], []
    deadline = time.perf_counter() + max_seconds

    def work(client):
        while True:
            with lock:
                if counter[0] >= total or time.perf_counter() > deadline:
                    return
                counter[0] += 1
                number = counter[0]
            started = time.perf_counter()
            try:
                status, content = make_request(client, number)
            except Exception as error:  # noqa: BLE001 - counted as an error
                status, content = None, repr(error).encode()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status not in expect:
                    errors.append((status, content[:200]))

    threads = [threading.Thread(target=work, args=(client,)) for client in clients]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - started


def summary(name, latencies, errors, seconds):
    ordered = sorted(latencies)
    return {
        "page": name,
        "requests": len(ordered),
        "rps": len(ordered) / seconds if seconds else 0,
        "median_ms": 1000 * statistics.median(ordered) if ordered else float("nan"),
        "p95_ms": 1000 * ordered[max(0, int(len(ordered) * 0.95) - 1)] if ordered else float("nan"),
        "errors": len(errors),
        "error_sample": errors[:3],
    }


# Scenarios -----------------------------------------------------------------------------------------


def scenarios(args, info, port):
    sessions, signup_sessions = info["sessions"], info["signup_sessions"]
    phones = Phones()

    def get(path_for):
        return lambda client, n: client.request("GET", path_for(n))[:2]

    def fresh(_):
        return [Client(port) for _ in range(args.clients)]

    def signup_clients(_):
        clients = fresh(None)
        for client in clients:
            client.token = client.csrf_token(f"/bijeenkomst/{signup_sessions[0]}/")
        return clients

    def post_signup(client, number):
        path = f"/bijeenkomst/{signup_sessions[number % len(signup_sessions)]}/"
        return client.request("POST", path, sign_up_form(client.token, phones, number))[:2]

    sessions_by_email = {}

    def logged_in(email):
        # One log-in per account (a TOTP code counts once, so a second log-in within 30 s would be
        # refused), its session shared by every client and every page, like open tabs.
        if email not in sessions_by_email:
            first = Client(port)
            first.log_in(email)
            sessions_by_email[email] = first
        first = sessions_by_email[email]
        return [first.logged_in_copy() for _ in range(args.clients)]

    def admin_clients(_):
        return logged_in(info["admin"])

    def consultant_clients(_):
        return logged_in(info["consultant"])

    pages = [
        ("ping", "reference: /ping, one SELECT 1", fresh, get(lambda n: "/ping"), {200}),
        ("agenda", "agenda, first page (/agenda/)", fresh, get(lambda n: "/agenda/"), {200}),
        (
            "session",
            "a meeting's page (/bijeenkomst/<id>/)",
            fresh,
            get(lambda n: f"/bijeenkomst/{sessions[n % len(sessions)]}/"),
            {200},
        ),
        (
            "session_popular",
            "a popular meeting's page (one meeting, many visitors)",
            fresh,
            get(lambda n: f"/bijeenkomst/{sessions[0]}/"),
            {200},
        ),
        ("signup", "sign-up POST (spread over 200 meetings)", signup_clients, post_signup, {302}),
    ]
    if info.get("consultant"):
        pages.append(
            (
                "referrer",
                "referrer's dashboard (/verwijzers/)",
                consultant_clients,
                get(lambda n: "/verwijzers/"),
                {200},
            )
        )
    pages.append(
        (
            "admin_registrations",
            "admin registrations list",
            admin_clients,
            get(lambda n: "/admin/programme_sessions/registration/"),
            {200},
        )
    )
    pages.append(("home", "home page (this week and next)", fresh, get(lambda n: "/"), {200}))
    pages.append(("coach", "free times with a coach (/afspraak/)", fresh, get(lambda n: "/afspraak/"), {200}))
    pages.append(
        (
            "admin_sessions",
            "admin meetings list",
            admin_clients,
            get(lambda n: "/admin/programme_sessions/session/"),
            {200},
        )
    )
    pages.append(("ping_end", "reference again, at the end (drift)", fresh, get(lambda n: "/ping"), {200}))
    return pages, phones


def rush(args, info, port, phones):
    path = f"/bijeenkomst/{info['rush_session']}/"
    clients = [Client(port) for _ in range(args.rush_clients)]
    for client in clients:
        client.token = client.csrf_token(path)

    def post(client, number):
        return client.request("POST", path, sign_up_form(client.token, phones, number))[:2]

    return drive(clients, args.rush, 3600, post, {302})


# Running it ------------------------------------------------------------------------------------------


def environment(args, tmp):
    (tmp / f"{SETTINGS_MODULE}.py").write_text(
        f"from portal.settings.production import *  # noqa: F403\nSTATIC_ROOT = {str(tmp / 'static')!r}\n"
    )
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        PYTHONPATH=os.pathsep.join([str(tmp), str(ROOT)]),
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        PORTAL_BASE_URL=f"http://127.0.0.1:{args.port}",
        SMS_BACKEND="messaging.sms.backends.locmem.SmsBackend",
        DJANGO_SECURE_SSL_REDIRECT="false",
        PORTAL_REQUIRE_MFA="false",  # read where the settings allow it; production insists on MFA
        SIGNUP_RATE_PER_IP="1000000/h",
        DJANGO_LOG_LEVEL="WARNING",
        BENCH_PASSWORD=PASSWORD,
        BENCH_TOTP_SECRET=TOTP_SECRET,
    )
    return env


def in_django(env, task):
    out = subprocess.run(  # noqa: S603 - our own script
        [PYTHON, __file__, "--prepare", task], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        sys.exit(f"Preparing failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


class Gunicorn:
    def __init__(self, args, env, tmp):
        self.log = tmp / "gunicorn.log"
        command = [
            GUNICORN, "portal.wsgi", "--workers", str(args.workers), "--bind", f"127.0.0.1:{args.port}",
            "--access-logfile", str(tmp / "access.log"), "--error-logfile", str(self.log), "--timeout", "300",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
        deadline = time.monotonic() + 60
        while True:
            try:
                if Client(args.port).request("GET", "/ping")[0] == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                sys.exit(f"gunicorn did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def machine():
    memory = next(
        (
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        "?",
    )
    return {
        "nproc": os.cpu_count(),
        "memory": f"{int(memory) / 1024 / 1024:.1f} GiB" if memory.isdigit() else memory,
        "uname": " ".join(platform.uname()),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
    }


def main():
    args = parse_args()
    if args.prepare:
        print(json.dumps(prepare(args.prepare)))
        return
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = environment(args, tmp)
    started_at = datetime.now(UTC)
    before = machine()
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True
    )
    info = in_django(env, "setup")
    print(f"Data: {info['counts']}")
    server = Gunicorn(args, env, tmp)

    def ping(client, _number):
        return client.request("GET", "/ping")[:2]

    results, rush_result = [], None
    meter = CpuMeter(server_pid=server.process.pid, database_url=args.database_url)
    try:
        pages, phones = scenarios(args, info, args.port)
        wanted = set(args.only.split(",")) if args.only else None
        for name, label, make_clients, make_request, expect in pages:
            if wanted and name not in wanted and not name.startswith("ping"):
                continue
            clients = make_clients(None)
            status, content = make_request(clients[0], 0)
            if status not in expect:
                print(f"{name}: HTTP {status} instead of {sorted(expect)}: {content[:300]!r}")
            drive(clients, args.warmup, args.max_seconds, make_request, expect)
            # The machine may be shared: measure the reference right before each page, and compare to it.
            reference = results[0]["rps"] if results else 0
            if results and not name.startswith("ping"):
                pings = [Client(args.port) for _ in range(args.clients)]
                reference = summary("ping", *drive(pings, args.ping_requests, 30, ping, {200}))["rps"]
            cpu_before = meter.snapshot()
            row = summary(name, *drive(clients, args.requests, args.max_seconds, make_request, expect))
            row.update(CpuMeter.per_request(cpu_before, meter.snapshot(), row["requests"]))
            row["label"], row["reference_rps"] = label, reference or row["rps"]
            results.append(row)
            print(_line(row))
        if not wanted or "rush" in wanted:
            cpu_before = meter.snapshot()
            latencies, errors, seconds = rush(args, info, args.port, phones)
            rush_cpu = CpuMeter.per_request(cpu_before, meter.snapshot(), len(latencies))
            counts = in_django(env, f"rush:{info['rush_session']}")["statuses"]
            rush_result = {
                **summary("rush", latencies, errors, seconds),
                "per_minute": len(latencies) / seconds * 60,
                "statuses": counts,
                **rush_cpu,
            }
            print(f"Rush: {rush_result['per_minute']:.0f} sign-ups/min, errors {len(errors)}, {counts}")
    finally:
        meter.close()
        server.stop()
    if not info.get("consultant"):
        print("The referrer's dashboard (/verwijzers/) is not available in this code: not measured.")
    report = _markdown(args, info, results, rush_result, before, started_at)
    print(report)
    if not args.no_write:
        path = Path(args.results)
        existing = path.read_text() if path.exists() else "# Benchmark results\n"
        path.write_text(existing.rstrip("\n") + "\n\n" + report)
    shutil.rmtree(tmp, ignore_errors=True)


def _line(row):
    ratio = row["rps"] / row["reference_rps"] if row["reference_rps"] else 0
    return (
        f"{row['page']:<20} {row['requests']:>6} req {row['rps']:>8.1f} req/s  x{ratio:.2f} of ping "
        f"({row['reference_rps']:.0f}/s just before)  "
        f"median {row['median_ms']:>7.1f} ms  p95 {row['p95_ms']:>7.1f} ms  errors {row['errors']}  "
        f"CPU/req web {row['web_cpu_ms']:.2f} db {row['db_cpu_ms']:.2f} client {row['client_cpu_ms']:.2f} ms"
        + (f" {row['error_sample'][:1]}" if row["errors"] else "")
    )


def _markdown(args, info, results, rush_result, before, started_at):
    command = "DATABASE_URL=... .venv/bin/python bench/load.py " + " ".join(sys.argv[1:])
    lines = [
        f"## Load benchmark, {started_at:%Y-%m-%d %H:%M} UTC",
        "",
        f"- Machine: {before['nproc']} cores (nproc), {before['memory']} memory, load average before the "
        f"run {before['load']}; `{before['uname']}`; Python {before['python']}.",
        f"- Command: `{command.strip()}`",
        f"- Server: `gunicorn portal.wsgi --workers {args.workers}` with `portal.settings.production`, "
        f"database `{args.database_url.rsplit('/', 1)[-1]}`, Redis `{args.redis_url}`; "
        f"{args.clients} concurrent clients, at most {args.requests} requests or {args.max_seconds:g} s per page "
        f"after {args.warmup} warm-up requests; right before each page, {args.ping_requests} requests to /ping "
        "give the reference for its ratio (the machine may be shared).",
        "- Data: " + ", ".join(f"{value:,} {name}" for name, value in info["counts"].items()) + ".",
        "",
        "CPU per request is CPU time (user + system) divided by the page's requests: of gunicorn's workers,"
        " of their PostgreSQL backends, and of the load generator (bench/cpu.py); it moves less than req/s"
        " when the machine is shared.",
        "",
        "| page | requests | req/s | /ping just before, req/s | ratio to /ping | median ms | p95 ms | errors "
        "| CPU ms/req: web | PostgreSQL | load generator |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results:
        ratio = row["rps"] / row["reference_rps"] if row["reference_rps"] else 0
        lines.append(
            f"| {row['label']} | {row['requests']} | {row['rps']:.1f} | {row['reference_rps']:.1f} "
            f"| {ratio:.2f} | {row['median_ms']:.1f} | {row['p95_ms']:.1f} | {row['errors']} "
            f"| {row['web_cpu_ms']:.2f} | {row['db_cpu_ms']:.2f} | {row['client_cpu_ms']:.2f} |"
        )
    if not info.get("consultant"):
        lines.append("| referrer's dashboard (/verwijzers/) | not available in this code | | | | | | | | | |")
    if rush_result:
        statuses = rush_result["statuses"]
        lines += [
            "",
            f"Sign-up rush: {rush_result['requests']} sign-ups for one meeting with {args.rush_places} places "
            f"from {args.rush_clients} clients: **{rush_result['per_minute']:.0f} sign-ups per minute**, "
            f"median {rush_result['median_ms']:.0f} ms, p95 {rush_result['p95_ms']:.0f} ms, "
            f"errors {rush_result['errors']}, confirmed {statuses.get('confirmed', 0)}, "
            f"waitlisted {statuses.get('waitlisted', 0)}; CPU per sign-up: web {rush_result['web_cpu_ms']:.2f} ms, "
            f"PostgreSQL {rush_result['db_cpu_ms']:.2f} ms, load generator {rush_result['client_cpu_ms']:.2f} ms.",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
