"""`make run` works: the demo on SQLite opens every page without a server error.

The rest of the suite runs on PostgreSQL, so a query SQLite cannot run (GROUP BY ROLLUP in the
report, once) breaks the newcomer's demo without any test noticing. This module does what `make run`
does in separate processes, on a fresh SQLite file in a temporary folder: `migrate`, `load_demo_data`,
then opens every page with Django's test client as the demo's logins (see tests/local_demo_support.py):

- the staff admin as the superuser: the index, each model's changelist with its search, its filters
  (up to four choices of each, and the facet counts), each column's sort order and page 2, the add
  page, and the change, history and delete pages of its first row; every custom admin view (check-in,
  roster, reports with their choices, packing lists, certificates, exports; CSV/XLSX/PDF/ICS included);
  a report export made in the background by the worker's task;
- the same admin as the demo's other staff, who see only their own library;
- the public pages (home, agenda with its filters, a meeting of each programme, programmes, the HSDS
  open data, privacy, appointments, feeds, the personal links of sign-ups and appointments), a sign-up
  with a phone number and the worker sending its confirmation SMS;
- the referral portal as each demo consultant, and the coaches' day pages.

Redirects and 403/404/405 answers are listed in the output (`pytest -rP tests/test_local_demo.py`).
"""

import json
from collections import defaultdict

import pytest

from tests.local_demo_support import run_step

STEPS = [
    ("migrate", ["manage", "migrate", "--noinput"]),
    ("load_demo_data", ["manage", "load_demo_data"]),
    ("open every page", ["crawl"]),
]
# Views of the project's own URL namespaces that are not opened with GET, and why.
NOT_OPENED = {
    "appointments:coach_mark": "POST only (a coach marks an appointment)",
    "appointments:coach_feed_new": "POST only (a coach makes a new calendar link)",
}
TRACEBACK_LINES = 40


def _tail(text, lines=30):
    return "\n".join(text.strip().splitlines()[-lines:])


def _short_traceback(text):
    """The traceback without the frames inside installed packages (Django's, the database driver's)."""
    kept, skipping = [], False
    for line in text.strip().splitlines():
        if line.startswith('  File "'):
            skipping = "site-packages" in line or "<frozen " in line
        elif not line.startswith("    "):
            skipping = False
        if not skipping:
            kept.append(line)
    return _tail("\n".join(kept), TRACEBACK_LINES)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("local-demo")
    report = tmp / "report.json"
    timings = {}
    for name, args in STEPS:
        args = [*args, str(report)] if args == ["crawl"] else args
        seconds, done = run_step(tmp, *args, timeout=600)
        timings[name] = round(seconds, 1)
        if done.returncode != 0:
            pytest.fail(
                f"`{name}` on the local demo (SQLite, portal.settings.local) failed with exit code "
                f"{done.returncode}.\n--- stdout ---\n{_tail(done.stdout)}\n--- stderr ---\n{_tail(done.stderr, 60)}"
            )
    data = json.loads(report.read_text())
    data["timings"] = timings
    return data


def _visit_line(visit):
    line = f"{visit['status']} {visit['method']} {visit['url']}  [{visit['who']}; {visit['kind']}]"
    if visit.get("location"):
        line += f" -> {visit['location']}"
    if visit.get("source"):
        line += f" (linked from {visit['source']})"
    return line


def test_no_page_of_the_local_demo_fails(demo):
    visits = demo["visits"]
    others = [v for v in visits if v["status"] != 200 and v["status"] < 500]
    print(f"{len(visits)} requests in {demo['seconds']} s; steps: {demo['timings']}")
    print(f"Not 200 (check that each is meant to be so): {len(others)}")
    print("\n".join(_visit_line(v) for v in others))
    print(
        "Forms that POST, not sent (only the report's downloads are):", ", ".join(demo["post_forms_not_sent"])
    )

    failures = defaultdict(list)
    for visit in visits:
        if visit["status"] >= 500:
            failures[visit["error"]].append(visit)
    logged = demo["logged_errors"]
    if not failures and not logged:
        return
    message = [
        f"{sum(map(len, failures.values()))} of {len(visits)} requests failed on the local demo (SQLite):"
    ]
    for error, group in failures.items():
        message.append(f"\n=== {error}")
        message += [f"  {_visit_line(v)}" for v in group[:10]]
        if len(group) > 10:
            message.append(f"  ... and {len(group) - 10} more")
        message.append(_short_traceback(group[0]["traceback"]))
    for entry in logged:
        message.append(f"\n=== Error logged by {entry['logger']} during {entry['during']}")
        message.append(_short_traceback(entry["message"]))
    pytest.fail("\n".join(message), pytrace=False)


def test_every_admin_page_was_opened(demo):
    opened = defaultdict(set)
    for visit in demo["visits"]:
        if visit["who"].startswith("staff superuser"):
            opened[visit["view"]].add(visit["kind"])
    missing = []
    for label, model in demo["models"].items():
        info = f"admin:{label.replace('.', '_').lower()}"
        wanted = ["changelist", "add"] + (["change", "history", "delete"] if model["row"] else [])
        missing += [f"{label}: {kind}" for kind in wanted if not opened[f"{info}_{kind}"]]
        if model["filter_specs"] and not model["filters"]:
            missing.append(f"{label}: its {model['filter_specs']} filters (no filter link found)")
    missing += [f"custom view {name}" for name in demo["custom_admin_views"] if not opened[name]]
    assert not missing, "Not opened on the local demo:\n" + "\n".join(missing)
    assert demo["scoped_staff"] >= 1, "the demo has no staff member of a single library"


def test_every_public_referrer_and_coach_page_was_opened(demo):
    opened = {visit["view"] for visit in demo["visits"]}
    missing = [name for name in demo["project_views"] if name not in opened and name not in NOT_OPENED]
    assert not missing, "Public, referral portal or coach pages not opened on the local demo: " + ", ".join(
        missing
    )
    assert demo["consultants"] >= 1, "the demo has no consultant login"
    assert demo["coaches"] >= 1, "the demo has no coach login"
