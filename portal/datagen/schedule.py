"""Which programmes a library runs, and their meetings over two years back and three months ahead."""

from datetime import date, timedelta

from sessions.models import CourseRun, Session, SessionRole, WalkInVisit

from . import organisations, signups, vocab

SESSIONS_PER_LIBRARY = 1333  # x 150 libraries = 200,000 meetings at scale 30
_TIMES = [(9, 30), (10, 0), (10, 0), (13, 30), (14, 0), (14, 0), (19, 0)]
_ROOMS = ["", "", "Zaal 1", "Leeszaal", "Studiezaal", "Vergaderruimte", "Het Leercafé"]
_TOPICS = ["cv", "vacancy", "letter", "digital", "language", "other"]
_ALWAYS = ["walk-and-talk", "zoek-werk", "openleercentrum"]


def plan_programmes(gen, rng, lib):
    """Programmes until the library has about its share of meetings; returns them with their dates."""
    budget = int(SESSIONS_PER_LIBRARY * rng.uniform(0.85, 1.15))
    plans, planned = [], 0
    slugs = [slug for slug, _weight, _caps in organisations.PROGRAMME_MIX]
    weights = [weight for _slug, weight, _caps in organisations.PROGRAMME_MIX]
    capacities = {slug: caps for slug, _weight, caps in organisations.PROGRAMME_MIX}
    attempts = 0
    while planned < budget and attempts < 200:
        attempts += 1
        slug = _ALWAYS[len(plans)] if len(plans) < len(_ALWAYS) else rng.choices(slugs, weights)[0]
        prog = organisations.programme(gen, rng, lib, slug, capacities[slug])
        if prog is None:
            continue
        runs = _dates(gen, rng, prog)
        plans.append((prog, runs))
        planned += sum(len(run) for run in runs)
    return plans


def _dates(gen, rng, prog):
    """Local start days and times, as runs: one list per course run, or one list for everything else."""
    first = gen.window_start.date()
    if rng.random() < 0.3:  # started later than two years ago
        first += timedelta(days=rng.randint(30, 400))
    last = gen.window_end.date()
    weekday = rng.randrange(5) if prog.format != "walk_in" else rng.randrange(6)
    hour, minute = rng.choice(_TIMES) if prog.format != "walk_in" else (rng.choice([10, 13, 14]), 0)
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    days = []
    if prog.format in ("course", "reading_circle"):
        runs, start = [], day
        while start <= last:
            runs.append([(start + timedelta(weeks=w), hour, minute) for w in range(prog.meetings)])
            start += timedelta(weeks=prog.meetings + rng.randint(3, 10 if prog.format == "course" else 16))
        return runs
    if prog.rhythm == "yearly":  # the Week van de Loopbaan: the first full week of October
        for year in range(first.year, last.year + 1):
            october = date(year, 10, 1)
            monday = october + timedelta(days=(-october.weekday()) % 7)
            days += [(monday + timedelta(days=d), 10, 0) for d in range(5) if first <= monday <= last]
        return [days]
    step = {"weekly": 7, "every_four_weeks": 28, "by_appointment": 7}.get(prog.rhythm)
    if step:
        while day <= last:
            days.append((day, hour, minute))
            day += timedelta(days=step)
        return [days]
    nth = {"twice_monthly": (1, 3) if rng.random() < 0.5 else (2, 4)}.get(prog.rhythm, (rng.randint(1, 4),))
    months = (3, 10) if prog.rhythm == "twice_yearly" else range(1, 13)
    for year in range(first.year, last.year + 1):
        for month in months:
            start = date(year, month, 1)
            start += timedelta(days=(weekday - start.weekday()) % 7)
            days += [(start + timedelta(weeks=n - 1), hour, minute) for n in nth]
    return [[d for d in days if first <= d[0] <= last]]


def write_sessions(gen, rng, lib, plans):
    for prog, runs in plans:
        for starts in runs:
            _write_run(gen, rng, lib, prog, starts)


def _write_run(gen, rng, lib, prog, starts):
    sessions = []
    duration = timedelta(minutes=prog.minutes)
    for day, hour, minute in starts:
        start = gen.at(day, hour, minute)
        sessions.append(_plan_session(gen, rng, prog, day, start, start + duration))
    run_id = None
    if prog.format in ("course", "reading_circle") and sessions:
        run_id = gen.table(CourseRun).new_id()
        first = sessions[0]["starts_at"]
        local = gen.local(first)
        title = f"{prog.name}, start {local.day}-{local.month}-{local.year}"
        created = first - timedelta(days=45)
        gen.table(CourseRun).add(run_id, prog.id, title, prog.capacity, None, created, created)
        signups.for_run(gen, rng, lib, prog, run_id, sessions)
    elif prog.registration_required:
        for session in sessions:
            signups.for_session(gen, rng, lib, prog, session)
    elif prog.format == "walk_in":
        for session in sessions:
            _walk_ins(gen, rng, lib, prog, session)
    for session in sessions:
        _store_session(gen, rng, lib, prog, session, run_id)


def _plan_session(gen, rng, prog, day, start, end):
    session = {
        "id": gen.table(Session).new_id(), "starts_at": start, "ends_at": end, "status": "scheduled",
        "reason": "", "online_url": prog.online_url, "counts": None, "closed_at": None,
    }  # fmt: skip
    holiday = vocab.HOLIDAYS.get((day.month, day.day))
    chance = rng.random()
    if holiday:
        session["status"], session["reason"] = "cancelled", vocab.HOLIDAY_REASON.format(holiday=holiday)
    elif chance < 0.015:
        session["status"], session["reason"] = "cancelled", rng.choice(vocab.CANCEL_REASONS)
    elif chance < 0.02 and not prog.online_url and prog.branch_id:
        session["status"], session["online_url"] = (
            "moved_online",
            f"https://meet.example.org/s{session['id']}",
        )
    # Closed by staff after it took place; the last few days not always yet.
    if end < gen.now and session["status"] != "cancelled":
        if end < gen.now - timedelta(days=3) or rng.random() < 0.5:
            session["closed_at"] = end + timedelta(minutes=rng.randint(5, 90))
    return session


def _store_session(gen, rng, lib, prog, session, run_id):
    start, status = session["starts_at"], session["status"]
    opens = None
    if prog.opens_month_before:
        local = gen.local(start).date().replace(day=1) - timedelta(days=1)
        opens = gen.at(local.replace(day=1), 9)
    counts = session["counts"] or (None, None, None, None)
    if session["closed_at"] is None:
        counts = (None, None, None, None)
    topic = rng.choice(vocab.SESSION_TOPICS) if prog.format in ("group_meeting", "workshop") else ""
    speaker = prog.format in ("group_meeting", "workshop") and rng.random() < 0.15
    created = start - timedelta(days=rng.uniform(30, 90))
    updated = session["closed_at"] or created
    gen.table(Session).add(
        session["id"], prog.id, run_id, start, session["ends_at"], prog.branch_id, prog.site_id,
        rng.choice(_ROOMS) if prog.branch_id else "", session["online_url"], prog.capacity, topic, "",
        status, session["reason"], opens, None, speaker and rng.random() < 0.6,
        *counts, session["closed_at"], created, updated,
    )  # fmt: skip
    roles = gen.table(SessionRole)
    if status != "cancelled" and rng.random() < 0.93:
        hosts = lib.workers["staff"] + lib.workers["volunteer"]
        roles.add(roles.new_id(), session["id"], rng.choice(hosts), "host")
    if run_id:
        roles.add(roles.new_id(), session["id"], lib.workers["teacher"][prog.id % 2], "teacher")
    if speaker:
        roles.add(roles.new_id(), session["id"], rng.choice(lib.workers["speaker"]), "speaker")


def _walk_ins(gen, rng, lib, prog, session):
    """Tallies of a walk-in hour that took place: numbers and topics only."""
    if session["ends_at"] > gen.now or session["status"] == "cancelled":
        return
    table, people = gen.table(WalkInVisit), 0
    day = gen.local(session["starts_at"]).date()
    for _ in range(rng.randint(0, 8)):
        number = rng.choices([1, 2, 3], [80, 15, 5])[0]
        topics = rng.sample(_TOPICS, rng.choices([1, 2], [75, 25])[0])
        volunteer = rng.choice(lib.workers["volunteer"]) if rng.random() < 0.7 else None
        created = session["starts_at"] + timedelta(minutes=rng.randint(5, 60))
        table.add(
            table.new_id(), day, prog.branch_id, session["id"], prog.id, number, topics, volunteer, created
        )
        people += number
    if session["closed_at"]:
        session["counts"] = (0, 0, people, 0)
