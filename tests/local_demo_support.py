"""`make run` on a fresh SQLite database, then every page opened on it (used by tests/test_local_demo.py).

The test runs this module as a separate process, three times, with the settings of `make run`
(`portal.settings.local`, SQLite in a temporary folder, Celery's file-system broker, no Redis):

    python -m tests.local_demo_support manage migrate --noinput
    python -m tests.local_demo_support manage load_demo_data
    python -m tests.local_demo_support crawl <report.json>

`manage` is `manage.py` with one difference: the file-system broker's folders are in the temporary
folder, so the tasks the demo queues never reach the `.celery/` of a developer's `make run`.
`crawl` signs up for a meeting and lets the worker's task send the SMS; then, as the demo's staff
superuser, opens every admin page (index, each changelist with its search, filters, sort orders and
second page, add, change, history and delete pages of a row, every custom admin URL and the report's
downloads, one made by the worker's task); the admin as the demo's other staff; every public page; the
referral portal as each consultant and the day page of each coach. It writes what it saw (status, the
traceback of a 500) to report.json.

Only the standard library is imported at module level: the test process (PostgreSQL settings) imports
this module too.
"""

import json
import logging
import os
import subprocess
import sys
import time
import traceback
from collections import Counter, defaultdict
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

REPO = Path(__file__).resolve().parent.parent
TMP_ENV = "LOCAL_DEMO_TMP"
HOST = "127.0.0.1:8000"
LOCAL_HOSTS = {"", HOST, "127.0.0.1", "localhost", "localhost:8000", "testserver"}

# Settings of the test process (pytest-django, the CI's PostgreSQL and Redis) must not reach the demo.
_DROP_PREFIXES = (
    "DJANGO_",
    "DATABASE_",
    "REDIS_",
    "CELERY_",
    "PORTAL_",
    "PYTEST_",
    "CACHE_KEY_PREFIX",
    "REPORTS_",
    "SMS_",
)


def demo_env(tmp):
    """The environment of `make run`, with the database, media, SMS files and broker in `tmp`."""
    tmp = Path(tmp)
    env = {key: value for key, value in os.environ.items() if not key.startswith(_DROP_PREFIXES)}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.local",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        # Empty, not unset: a developer's .env must not switch the demo to Redis.
        REDIS_URL="",
        REDIS_CACHE_URL="",
        # What `make run` gives a newcomer without a .env (the demo logins without an authenticator app).
        PORTAL_REQUIRE_MFA="false",
        DJANGO_MEDIA_ROOT=str(tmp / "media"),
        SMS_FILE_PATH=str(tmp / "sms"),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
        **{TMP_ENV: str(tmp)},
    )
    return env


def run_step(tmp, *args, timeout=300):
    """Run one step in a fresh process; returns (seconds, CompletedProcess)."""
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.local_demo_support", *args],
        cwd=REPO,
        env=demo_env(tmp),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return time.monotonic() - started, done


# --- In the subprocess ---------------------------------------------------------------------------


def _broker_in_tmp():
    """Point Celery's file-system broker at the temporary folder (before anything queues a task)."""
    from django.conf import settings

    folder = Path(os.environ[TMP_ENV]) / "celery"
    for name in ("queue", "control"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
    }
    from portal.celery import app

    app.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert app.conf.broker_url.startswith("filesystem://"), app.conf.broker_url


def manage_main(args):
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    _broker_in_tmp()
    execute_from_command_line(["manage.py", *args])


class _Page(HTMLParser):
    """The links and forms of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms = [], []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: (value or "") for key, value in attrs}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action", ""),
                "fields": [],  # (name, value) submitted as they are
                "choices": defaultdict(list),  # name -> values to try one at a time
                "buttons": [],  # (name, value) of named submit buttons
                "checkboxes": [],  # (name, value) of checkboxes not ticked
            }
            self.forms.append(self._form)
        elif tag == "option" and self._form is not None and self._select:
            self._form["choices"][self._select].append(attrs.get("value", ""))
            if "selected" in attrs:
                self._form["fields"].append((self._select, attrs.get("value", "")))
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            name, value = attrs["name"], attrs.get("value", "")
            if kind == "radio":
                self._form["choices"][name].append(value)
                if "checked" in attrs:
                    self._form["fields"].append((name, value))
            elif kind == "checkbox":
                ticked = "checked" in attrs
                self._form["fields" if ticked else "checkboxes"].append((name, value or "on"))
            elif kind == "submit":
                self._form["buttons"].append((name, value))
            elif kind not in ("file", "image", "reset", "button"):
                self._form["fields"].append((name, value))
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self._form["buttons"].append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self._select = attrs["name"]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def parse_page(html):
    page = _Page()
    try:
        page.feed(html)
        page.close()
    except Exception:  # noqa: BLE001, S110 - a page this parser cannot read still had its status checked
        pass
    return page


def local_url(base, href):
    """`href` on the page at `base` as a path with query string, or None when it leaves the site."""
    href = unescape(href.strip())
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:", "sms:")):
        return None
    if href.startswith("webcal://"):
        href = "http://" + href[len("webcal://") :]
    parts = urlsplit(urljoin(f"http://{HOST}{base}", href))
    if parts.scheme not in ("http", "https") or parts.netloc not in LOCAL_HOSTS:
        return None
    if parts.path.startswith(("/static/", "/media/")):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def form_submissions(form, page_url, *, per_field):
    """The form as it is, then each select option and radio value in turn (at most `per_field` each)."""
    action = local_url(page_url, form["action"] or page_url)
    if action is None:
        return []
    path = action.split("?")[0]
    base = dict(form["fields"])
    variants = [base]
    for name, values in form["choices"].items():
        for value in [v for v in values if v != base.get(name)][:per_field]:
            variants.append({**base, name: value})
    return [f"{path}?{urlencode(variant)}" if variant else path for variant in variants]


class Crawler:
    def __init__(self):
        from django.urls import resolve

        self.resolve = resolve
        self.visits = []
        self.seen = set()
        self.followed = Counter()
        self.current = None
        self.logged = []
        self.post_forms = Counter()

    # Requests ---------------------------------------------------------------------------------

    def client(self, user=None):
        from django.test import Client

        client = Client(raise_request_exception=False, HTTP_HOST=HOST)
        if user is not None:
            client.force_login(user)
        return client

    def view_name(self, url):
        from django.urls import Resolver404

        try:
            return self.resolve(url.split("?")[0]).view_name
        except Resolver404:
            return "(no view)"

    def fetch(self, who, client, url, kind, *, source="", data=None, again=False):
        """GET (or POST with `data`) once per user; record the status and a 500's traceback."""
        method = "post" if data is not None else "get"
        key = (who, method, url, json.dumps(data, sort_keys=True))
        if key in self.seen and not again:
            return None
        self.seen.add(key)
        self.current = f"{method.upper()} {url} ({who})"
        started = time.monotonic()
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        visit = {
            "who": who,
            "method": method.upper(),
            "url": url,
            "kind": kind,
            "view": self.view_name(url),
            "status": response.status_code,
            "source": source,
            "ms": round((time.monotonic() - started) * 1000),
        }
        if response.status_code in (301, 302, 303, 307, 308):
            visit["location"] = response.get("Location", "")
        if response.status_code >= 500:
            exc_info = getattr(response, "exc_info", None)
            if exc_info:
                visit["traceback"] = "".join(traceback.format_exception(*exc_info))
                visit["error"] = f"{exc_info[0].__name__}: {exc_info[1]}"
            else:
                visit["traceback"] = response.content.decode(errors="replace")[:2000]
                visit["error"] = f"status {response.status_code} without an exception"
        self.visits.append(visit)
        self.current = None
        return response

    def run_task(self, who, task, run):
        """Run a Celery task's function here, as the worker of `make run` would; False when it raised."""
        self.current = f"{task} ({who})"
        try:
            run()
        except Exception:  # noqa: BLE001 - reported as a failure of the task
            self.record_task(who, task, ok=False, error=traceback.format_exc())
            return False
        finally:
            self.current = None
        return True

    def record_task(self, who, task, *, ok, error=""):
        """The outcome of a task (or a step that is no page) as a visit: status 500 when it failed."""
        visit = {"who": who, "method": "TASK", "url": task, "kind": "worker task", "view": task}
        visit.update(status=200 if ok else 500, source="", ms=0)
        if not ok:
            # The task's own log of the error has the traceback.
            during = f"{task} ({who})"
            logged = [entry["message"] for entry in self.logged if entry["during"] == during]
            self.logged = [entry for entry in self.logged if entry["during"] != during]
            error = error.strip() or "the task failed"
            visit["error"] = error.splitlines()[-1]
            visit["traceback"] = "\n".join([error, *logged])
        self.visits.append(visit)

    @staticmethod
    def html(response):
        if response is None or response.status_code != 200:
            return None
        if not response.get("Content-Type", "").startswith("text/html") or response.streaming:
            return None
        return response.content.decode(errors="replace")

    # Following links ---------------------------------------------------------------------------

    def follow(self, who, client, page_url, html, *, allow, cap, kind="link", forms_too=False):
        """Open the links on a page whose view `allow(view_name)` accepts, at most `cap(name)` per view."""
        page = parse_page(html)
        opened = []
        candidates = [(href, kind) for href in page.links]
        if forms_too:
            for form in page.forms:
                if form["method"] == "get":
                    candidates += [(url, "form") for url in form_submissions(form, page_url, per_field=8)]
        for form in page.forms:
            if form["method"] == "post":
                action = local_url(page_url, form["action"] or page_url)
                if action:
                    self.post_forms[self.view_name(action)] += 1
        for href, how in candidates:
            url = href if how == "form" else local_url(page_url, href)
            if url is None:
                continue
            name = self.view_name(url)
            if not allow(name, url):
                continue
            if self.followed[who, name] >= cap(name):
                continue
            response = self.fetch(who, client, url, how, source=page_url)
            if response is not None:
                self.followed[who, name] += 1
                opened.append((url, response))
        return opened

    def crawl(self, who, client, start, *, allow, cap, depth=3, forms_too=lambda name: False):
        """Breadth first from `start` [(url, response)], `depth` links deep."""
        layer = start
        for _level in range(depth):
            following = []
            for url, response in layer:
                html = self.html(response)
                if html is None:
                    continue
                following += self.follow(
                    who, client, url, html, allow=allow, cap=cap, forms_too=forms_too(self.view_name(url))
                )
            layer = following


SKIP_VIEWS = {
    "admin:logout",
    "account_logout",
    "set_language",
    "(no view)",
}
STANDARD_ADMIN_SUFFIXES = ("_changelist", "_add", "_history", "_delete", "_change")
SITE_ADMIN_VIEWS = {
    "admin:index",
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:autocomplete",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:app_list",
}
# The downloads behind a POST button: safe to press (they make a file, change nothing).
SAFE_POSTS = {"admin:reports_report_export"}


def custom_admin_urls():
    """{view name: (pattern, model)} of the URLs the project's ModelAdmins (and the site) add."""
    from django.contrib import admin
    from django.urls import URLPattern

    found = {}
    for model, model_admin in admin.site._registry.items():
        for pattern in model_admin.get_urls():
            if isinstance(pattern, URLPattern) and pattern.name:
                name = f"admin:{pattern.name}"
                if not name.endswith(STANDARD_ADMIN_SUFFIXES):
                    found[name] = (pattern, model)
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLPattern) and pattern.name:
            name = f"admin:{pattern.name}"
            if name not in SITE_ADMIN_VIEWS and not name.endswith(STANDARD_ADMIN_SUFFIXES):
                found[name] = (pattern, None)
    return found


def _admin_policy(custom):
    """Which admin links to follow, and how many per view: custom pages; of the standard ones only
    changelists with a query (e.g. a meeting's sign-ups) and change pages (add, history and delete
    pages and pop-ups are opened once per model already)."""

    def allow(name, url):
        if not name.startswith("admin:") or name in SKIP_VIEWS:
            return False
        if name in custom:
            return True
        if "_popup=" in url or "_changelist_filters=" in url:
            return False
        return name.endswith("_change") or (name.endswith("_changelist") and "?" in url)

    def cap(name):
        return 12 if name in custom else 2

    return allow, cap


# Each filter (by its query parameters) is tried with this many of its choices: the others run the same
# query with another value.
CHOICES_PER_FILTER = 4
_NOT_FILTERS = {"o", "p", "all", "q", "_facets"}


def _filter_queries(html):
    """Query strings of a changelist's own links: each filter's choices (and the facet counts and date
    hierarchy), each column's sort order and the second page."""
    filters, per_filter, sorts, pages = [], Counter(), {}, []
    for href in parse_page(html).links:
        if not href.startswith("?"):
            continue
        query = parse_qsl(href[1:], keep_blank_values=True)
        keys = {key for key, _value in query}
        if keys == {"o"}:
            sorts.setdefault(dict(query)["o"].split(".")[0].lstrip("-"), href)
        elif keys and keys <= {"p", "all", "o"}:
            pages.append(href)
        elif keys:
            parameters = frozenset(keys - _NOT_FILTERS)
            if href not in filters and per_filter[parameters] < CHOICES_PER_FILTER:
                per_filter[parameters] += 1
                filters.append(href)
    return filters, list(sorts.values()), pages[:1]


def _changelist(response):
    """The ChangeList a changelist page was made from (None when the page failed)."""
    if response is None or response.status_code != 200 or not response.context:
        return None
    return response.context["cl"] if "cl" in response.context else None


def crawl_admin(crawler, user):
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import reverse

    who = f"staff superuser {user.username}"
    client = crawler.client(user)
    custom = custom_admin_urls()
    allow, cap = _admin_policy(custom)
    models = {}
    index = crawler.fetch(who, client, reverse("admin:index"), "admin index")
    start = [(reverse("admin:index"), index)]
    request = RequestFactory().get("/admin/")
    request.user = user
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        changelist = reverse(f"{info}_changelist")
        summary = models[model._meta.label] = {"filters": 0, "filter_specs": 0, "row": None}
        cl = None
        response = crawler.fetch(who, client, changelist, "changelist")
        html = crawler.html(response)
        if html is not None:
            start.append((changelist, response))
            cl = _changelist(response)
            if cl is not None:
                summary["filter_specs"] = sum(1 for spec in cl.filter_specs if spec.has_output())
            filters, sorts, pages = _filter_queries(html)
            summary["filters"] = len(filters)
            for kind, queries in (("filter", filters), ("sort", sorts), ("page", pages)):
                for query in queries:
                    crawler.fetch(who, client, changelist + query, kind, source=changelist)
        if model_admin.get_search_fields(request):
            crawler.fetch(who, client, f"{changelist}?q=a", "search")
        crawler.fetch(who, client, reverse(f"{info}_add"), "add")
        row = model_admin.get_queryset(request).order_by("-pk").first()
        if cl is not None and len(cl.result_list):
            row = cl.result_list[0]
        if row is not None:
            summary["row"] = row.pk
            change = reverse(f"{info}_change", args=[row.pk])
            start.append((change, crawler.fetch(who, client, change, "change")))
            crawler.fetch(who, client, reverse(f"{info}_history", args=[row.pk]), "history")
            crawler.fetch(who, client, reverse(f"{info}_delete", args=[row.pk]), "delete")
    # The custom admin pages linked from these pages (check-in, roster, reports, packing lists, ...),
    # their GET forms (the report's choices) and the links on them (exports, agreement rows).
    crawler.crawl(who, client, start, allow=allow, cap=cap, forms_too=lambda name: name in custom)
    # Downloads behind a POST button (the report as CSV and XLSX), then one made in the background.
    reports = [v["url"] for v in crawler.visits if v["view"] == "admin:reports_report" and v["status"] == 200]
    for report_url in reports[:3]:
        _press_export_buttons(crawler, who, client, report_url)
    background_export(crawler, who, client)
    unreached = [name for name in custom if not any(v["view"] == name for v in crawler.visits)]
    more = []
    for name in unreached:
        for url in _fill_custom(name, *custom[name]):
            more.append((url, crawler.fetch(who, client, url, "custom (not linked)")))
    crawler.crawl(who, client, more, allow=allow, cap=cap, depth=2, forms_too=lambda name: name in custom)
    return models, sorted(custom)


def _press_export_buttons(crawler, who, client, report_url):
    response = client.get(report_url)
    for form in parse_page(crawler.html(response) or "").forms:
        action = local_url(report_url, form["action"] or report_url)
        if form["method"] != "post" or action is None or crawler.view_name(action) not in SAFE_POSTS:
            continue
        for name, value in form["buttons"] or [(None, None)]:
            data = dict(form["fields"])
            if name:
                data[name] = value
            crawler.fetch(who, client, action, "download (POST)", source=report_url, data=data)


def background_export(crawler, who, client):
    """A report too large to download at once: queued, built by the worker's task, then downloaded."""
    from django.test import override_settings
    from django.urls import reverse

    from reports.models import ReportExport
    from reports.tasks import build_report_export

    export_url = f"{reverse('admin:reports_report_export')}?period=this_year"
    before = set(ReportExport.objects.values_list("pk", flat=True))
    for file_format in ("csv", "xlsx"):
        with override_settings(REPORTS_EXPORT_SYNC_MAX_ROWS=0):
            crawler.fetch(who, client, export_url, "background export (POST)", data={"format": file_format})
    for report_export in ReportExport.objects.exclude(pk__in=before).order_by("pk"):
        status = reverse("admin:reports_reportexport_status", args=[report_export.pk])
        crawler.fetch(who, client, status, "background export")
        # What the Celery worker of `make run` does with the queued task.
        task = f"reports.tasks.build_report_export({report_export.pk})"
        if crawler.run_task(who, task, lambda pk=report_export.pk: build_report_export.run(pk)):
            report_export.refresh_from_db()
            crawler.record_task(
                who, task, ok=report_export.status == ReportExport.Status.DONE, error=report_export.error
            )
        crawler.fetch(who, client, status, "background export", again=True)
        download = reverse("admin:reports_reportexport_download", args=[report_export.pk])
        crawler.fetch(who, client, download, "background export")


# Arguments of custom admin URLs that are not the pk of the ModelAdmin's own model.
ARGUMENT_MODELS = {
    "run_id": "programme_sessions.CourseRun",
    "registration_id": "programme_sessions.Registration",
}


def crawl_scoped_staff(crawler, custom):
    """The demo's other staff (a coordinator, hosts, the mini-library's volunteer) see only their
    libraries: the index, each list they may see with its first row, and the pages linked from those."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory
    from django.urls import reverse

    allow, _cap = _admin_policy(custom)
    users = get_user_model().objects.filter(is_staff=True, is_superuser=False, is_active=True)
    for user in users.order_by("username"):
        who = f"staff {user.username}"
        client = crawler.client(user)
        request = RequestFactory().get("/admin/")
        request.user = user
        start = [(reverse("admin:index"), crawler.fetch(who, client, reverse("admin:index"), "admin index"))]
        for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
            if not model_admin.has_view_permission(request):
                continue
            info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
            changelist = reverse(f"{info}_changelist")
            cl = _changelist(crawler.fetch(who, client, changelist, "changelist"))
            if cl is not None and len(cl.result_list):
                change = reverse(f"{info}_change", args=[cl.result_list[0].pk])
                start.append((change, crawler.fetch(who, client, change, "change")))
        crawler.crawl(
            who,
            client,
            start,
            allow=lambda name, url: allow(name, url) and name in custom,
            cap=lambda name: 3,
            depth=2,
        )
    return users.count()


def _fill_custom(name, pattern, model):
    """URLs for a custom admin view no page linked to: the newest rows of the model (or the argument's)."""
    from django.apps import apps
    from django.urls import NoReverseMatch, reverse

    arguments = list(pattern.pattern.regex.groupindex)
    if not arguments:
        return [reverse(name)]
    rows = {}
    for argument in arguments:
        row_model = apps.get_model(ARGUMENT_MODELS[argument]) if argument in ARGUMENT_MODELS else model
        if row_model is None:
            return []
        rows[argument] = list(row_model._default_manager.order_by("-pk").values_list("pk", flat=True)[:2])
    urls = []
    for i in range(2):
        kwargs = {arg: pks[min(i, len(pks) - 1)] for arg, pks in rows.items() if pks}
        if len(kwargs) == len(arguments):
            try:
                urls.append(reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                pass
    return list(dict.fromkeys(urls))


def _is_public(name, url):
    return not name.startswith(("admin:", "referrers:")) and name not in SKIP_VIEWS


def _public_cap(name):
    return {"sessions:agenda": 25, "sessions:detail": 10, "programmes:detail": 5}.get(name, 4)


def public_urls():
    """The public pages job seekers use, from the demo's rows: one of each kind at least."""
    from django.db.models import Max, Min
    from django.urls import reverse
    from django.utils import timezone

    from appointments.models import Appointment, CoachProfile
    from appointments.tokens import appointment_token, coach_feed_token
    from programmes.models import Branch, Programme
    from sessions.models import Registration, Session
    from sessions.tokens import registration_token

    now = timezone.now()
    urls = [
        ("/", "home"),
        ("/agenda/", "agenda"),
        (reverse("programmes:list"), "programmes"),
        (reverse("programmes:hsds"), "open data"),
        (reverse("privacy:statement"), "privacy"),
        (reverse("appointments:slots"), "appointments"),
        (reverse("appointments:book"), "appointments"),
        (reverse("healthz"), "health"),
        (reverse("ping"), "health"),
        (reverse("sessions:my_registrations"), "account"),
        (reverse("account_login"), "account"),
        (reverse("account_signup"), "account"),
        (reverse("account_reset_password"), "account"),
        (reverse("referrers:dashboard"), "referrers (not logged in)"),
    ]
    for programme in Programme.objects.select_related("library").order_by("pk"):
        urls.append(
            (reverse("programmes:detail", args=[programme.library.slug, programme.slug]), "programme")
        )
        urls.append((reverse("programmes:feed", args=[programme.library.slug, programme.slug]), "ics"))
        sessions = Session.objects.filter(programme=programme)
        for pk in (
            sessions.filter(starts_at__gte=now).aggregate(pk=Min("pk"))["pk"],
            sessions.filter(starts_at__lt=now).aggregate(pk=Max("pk"))["pk"],
            sessions.filter(status=Session.Status.CANCELLED).aggregate(pk=Min("pk"))["pk"],
        ):
            if pk:
                urls.append((reverse("sessions:detail", args=[pk]), f"meeting ({programme.format})"))
    for session in Session.objects.filter(online_url__gt="").order_by("pk")[:1]:
        urls.append((reverse("sessions:detail", args=[session.pk]), "meeting (online)"))
    for session in Session.objects.filter(partner_site__isnull=False).order_by("pk")[:1]:
        urls.append((reverse("sessions:detail", args=[session.pk]), "meeting (at a partner)"))
    for session in Session.objects.order_by("pk")[:2]:
        urls.append((reverse("sessions:ics", args=[session.pk]), "ics"))
    for branch in Branch.objects.select_related("library").order_by("pk"):
        urls.append((reverse("sessions:branch_feed", args=[branch.library.slug, branch.slug]), "ics"))
    # Personal links: one sign-up of each status, for a single meeting and for a course.
    registrations = Registration.objects.filter(participant__anonymised_at__isnull=True)
    picked = {}
    for registration in registrations.order_by("pk"):
        picked.setdefault((registration.status, registration.run_id is None), registration)
    for registration in picked.values():
        token = registration_token(registration)
        for name in ("registration", "registration_cancel", "registration_ics"):
            urls.append((reverse(f"sessions:{name}", args=[token]), "personal link"))
        urls.append((reverse("privacy:consent_withdraw", args=[token]), "personal link"))
    appointments = {}
    for appointment in Appointment.objects.order_by("pk"):
        appointments.setdefault(appointment.status, appointment)
    for appointment in appointments.values():
        token = appointment_token(appointment)
        for name in ("appointment", "cancel", "move", "ics"):
            urls.append((reverse(f"appointments:{name}", args=[token]), "personal link"))
    for coach in CoachProfile.objects.order_by("pk"):
        urls.append((reverse("appointments:coach_feed", args=[coach_feed_token(coach)]), "ics"))
    return urls


def sign_up_and_send(crawler):
    """What the README promises of `make run`: sign up for a meeting with a phone number, and the
    worker sends the confirmation SMS. Before the admin pages are opened, so the outbox has a row."""
    from django.urls import reverse
    from django.utils import timezone

    from messaging.models import OutboxMessage
    from messaging.tasks import dispatch_outbox
    from portal.celery import app
    from sessions.models import Registration, Session

    who = "job seeker signing up"
    client = crawler.client()
    last_message = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_registration = Registration.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    upcoming = Session.objects.filter(
        starts_at__gt=timezone.now() + timedelta(days=1), status=Session.Status.SCHEDULED
    ).order_by("starts_at")
    for session in upcoming[:30]:
        url = reverse("sessions:detail", args=[session.pk])
        page = parse_page(crawler.html(client.get(url)) or "")
        form = next((f for f in page.forms if f["method"] == "post" and "phone" in dict(f["fields"])), None)
        if form is not None:
            break
    else:
        crawler.record_task(
            who, "sign up for a meeting", ok=False, error="No meeting page has a sign-up form."
        )
        return
    data = {**dict(form["checkboxes"]), **dict(form["fields"])}
    for name, values in form["choices"].items():
        data.setdefault(name, "sms" if "sms" in values else values[0])
    data.update(name="Demo Werkzoekende", phone="06-12 34 56 78")
    response = crawler.fetch(who, client, url, "sign-up (POST)", data=data)
    if response is not None and response.status_code in (301, 302, 303):
        crawler.fetch(who, client, response["Location"], "sign-up", source=url)
    if not Registration.objects.filter(pk__gt=last_registration).exists():
        status = response.status_code if response is not None else "none"
        crawler.record_task(
            who, f"sign up at {url}", ok=False, error=f"No sign-up recorded (status {status})."
        )
        return
    # The worker of `make run`: the beat's dispatcher run, which hands the due messages to tasks.
    task = "messaging.tasks.dispatch_outbox (the confirmation SMS)"
    app.conf.task_always_eager = True
    try:
        ran = crawler.run_task(who, task, dispatch_outbox.run)
    finally:
        app.conf.task_always_eager = False
    if ran:
        messages = OutboxMessage.objects.filter(pk__gt=last_message)
        sent = messages.filter(status=OutboxMessage.Status.SENT).count()
        errors = [m.last_error for m in messages.exclude(status__in=["sent", "pending"])]
        crawler.record_task(
            who,
            task,
            ok=sent > 0 and not errors,
            error=f"{sent} of {messages.count()} new messages sent. " + " ".join(errors),
        )


def crawl_public(crawler):
    who = "job seeker (anonymous)"
    client = crawler.client()
    start = []
    for url, kind in public_urls():
        start.append((url, crawler.fetch(who, client, url, f"public: {kind}")))
    crawler.crawl(
        who,
        client,
        start,
        allow=_is_public,
        cap=_public_cap,
        forms_too=lambda name: name in ("sessions:agenda", "sessions:home", "appointments:slots"),
    )


def crawl_referrers(crawler):
    from django.urls import reverse

    from partners.models import PartnerContact

    contacts = PartnerContact.objects.filter(user__isnull=False).select_related("user").order_by("pk")
    for contact in contacts:
        who = f"consultant {contact.user.username}"
        client = crawler.client(contact.user)
        start = [
            (url, crawler.fetch(who, client, url, "referrers"))
            for url in (reverse("referrers:dashboard"), reverse("referrers:new"), reverse("referrers:export"))
        ]
        crawler.crawl(
            who,
            client,
            start,
            allow=lambda name, url: name.startswith("referrers:"),
            cap=lambda name: 6,
            forms_too=lambda name: name == "referrers:dashboard",
        )
    return contacts.count()


def crawl_coaches(crawler):
    from django.urls import reverse

    from appointments.models import CoachProfile

    coaches = CoachProfile.objects.filter(worker__user__isnull=False).select_related("worker__user")
    for coach in coaches:
        who = f"coach {coach.worker.user.username}"
        client = crawler.client(coach.worker.user)
        url = reverse("appointments:coach_day")
        crawler.crawl(
            who,
            client,
            [(url, crawler.fetch(who, client, url, "coach"))],
            allow=lambda name, url: name.startswith("appointments:coach"),
            cap=lambda name: 4,
            depth=2,
        )
    return coaches.count()


PROJECT_NAMESPACES = {"sessions", "programmes", "appointments", "privacy", "referrers"}


def project_views():
    """The view names of the project's own public pages, the referral portal and the coaches' pages."""
    from django.urls import URLPattern, URLResolver, get_resolver

    names = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLPattern) and entry.name:
            names.append(entry.name)
        elif isinstance(entry, URLResolver) and entry.namespace in PROJECT_NAMESPACES:
            names += [f"{entry.namespace}:{p.name}" for p in entry.url_patterns if getattr(p, "name", None)]
    return sorted(names)


class _ErrorsLogged(logging.Handler):
    """Errors logged while a page was made (other than Django's own line about a 500)."""

    def __init__(self, crawler):
        super().__init__(level=logging.ERROR)
        self.crawler = crawler

    def emit(self, record):
        if record.name == "django.request":
            return
        self.crawler.logged.append(
            {"during": self.crawler.current, "logger": record.name, "message": self.format(record)}
        )


def crawl_main(report_path):
    import django

    django.setup()
    _broker_in_tmp()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from programmes import demo_data

    setup_test_environment()  # keeps DEBUG as `make run` has it; lets responses carry their context
    call_command("check")  # `runserver` checks first too
    started = time.monotonic()
    crawler = Crawler()
    logging.getLogger().addHandler(_ErrorsLogged(crawler))
    staff = get_user_model().objects.get(username=demo_data.STAFF_USERNAME)
    assert staff.is_superuser and staff.is_staff, "the demo's staff login is no superuser"
    sign_up_and_send(crawler)
    models, custom = crawl_admin(crawler, staff)
    scoped_staff = crawl_scoped_staff(crawler, custom)
    crawl_public(crawler)
    consultants = crawl_referrers(crawler)
    coaches = crawl_coaches(crawler)
    report = {
        "seconds": round(time.monotonic() - started, 1),
        "visits": crawler.visits,
        "models": models,
        "custom_admin_views": custom,
        "project_views": project_views(),
        "scoped_staff": scoped_staff,
        "consultants": consultants,
        "coaches": coaches,
        "logged_errors": crawler.logged,
        "post_forms_not_sent": sorted(
            name
            for name in crawler.post_forms
            if name not in SAFE_POSTS and not name.endswith(STANDARD_ADMIN_SUFFIXES)
        ),
    }
    Path(report_path).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "manage":
        manage_main(rest)
    elif command == "crawl":
        crawl_main(*rest)
    else:
        sys.exit(f"unknown command {command!r}: manage or crawl")
