"""Appointments with a coach, the mobile mini-library and certificates, for each generated library.

Runs after the library's meetings are written (`for_library`), from the same random stream, so the rows
before it stay as they were. A `Recorder` notes, as the other modules write them, the few things these
rows refer to: names of participants, workers and branches, the course runs' meetings, enrolments and
attendance marks. Certificates then use exactly the attendance the generator wrote.

- Appointments: one or two coaches per library (a coach, sometimes also a volunteer coach), a weekly
  afternoon at a branch over the whole date range, cut into slots the way `block_slots_generate` does;
  part of the slots booked by the library's participants (at most one active appointment per slot,
  some cancelled and booked again), marked attended or no-show when past.
- Mini-library: one library in five has a cart at its partner site with 60-75 books, a visit a month
  (done in the past, planned ahead), loans lent and mostly returned on a later visit (one open loan per
  book at most), requests; borrower labels older than the keeping period are blanked, as the daily task
  would have done.
- Certificates: most course and reading-circle programmes get a threshold (`certificate_min_attendance`,
  set with one UPDATE per value at the end); for most of their finished runs everyone who attended
  enough of the held meetings has a certificate.
"""

from collections import Counter
from datetime import time, timedelta

from dateutil.relativedelta import relativedelta

from appointments.models import Appointment, AvailabilityBlock, CoachProfile, Slot
from certificates.models import CODE_ALPHABET, Certificate
from minilibrary.demo import BOOKS
from minilibrary.models import Book, Cart, Loan, Request, Visit
from people.models import Participant, Worker
from programmes.models import Branch, Programme
from sessions.models import Attendance, Registration, Session

from . import vocab
from .columns import COLUMNS

CART_EVERY = 5  # one library in five (by id) has a mini-library cart
LABEL_KEEP_MONTHS = 3  # minilibrary.services.BORROWER_LABEL_KEEP_MONTHS, for libraries without their own
COACH_TOPICS = [
    "Sollicitatiegesprek oefenen, Je cv maken, Ontdekken wat je goed kunt",
    "Wat wil ik echt?, Ander werk vinden, Je cv",
    "Je cv, Een brief schrijven, LinkedIn",
    "Werk zoeken na je vijftigste, Omscholen",
]
APPOINTMENT_TOPICS = [
    "", "", "Mijn cv.", "Oefenen voor een sollicitatiegesprek.", "Ik weet niet wat ik wil.",
    "Een brief schrijven.", "Hoe vind ik werk na mijn vijftigste?", "Ander werk zoeken.",
    "Mijn LinkedIn-profiel.", "Omscholen naar de zorg.",
]  # fmt: skip
REQUEST_TITLES = [
    "Een boek over de Tweede Wereldoorlog", "Een kookboek met Turkse recepten",
    "Iets over voetbal, makkelijk",
    "Een Pools-Nederlands woordenboek", "Het rijbewijs voor de vrachtwagen", "Een thriller, makkelijk",
    "Iets over werken in de bouw", "Een boek over opvoeden",
]  # fmt: skip
VISIT_NOTES = ["", "", "", "Druk in de kantine; veel vragen over werk.", "Rustig, door de vakantie.",
               "Nieuwe mensen aan het werk: veel interesse in makkelijk lezen."]  # fmt: skip


def _index(model, column):
    return COLUMNS[model._meta.label].index(column)


class Recorder:
    """Notes what later rows refer to while the other modules write their rows (per library)."""

    def __init__(self, gen):
        self.gen = gen
        self.codes = set(Certificate.objects.values_list("code", flat=True))
        self.thresholds = {}  # programme id -> certificate_min_attendance
        self._tables = []
        self.clear()
        name = _index(Participant, "name")
        self._watch(Participant, lambda v: self.participants.__setitem__(v[0], v[name]))
        name = _index(Worker, "name")
        self._watch(Worker, lambda v: self.workers.__setitem__(v[0], v[name]))
        name = _index(Branch, "name")
        self._watch(Branch, lambda v: self.branches.__setitem__(v[0], v[name]))
        cols = [
            _index(Session, c) for c in ("id", "programme_id", "run_id", "starts_at", "status", "closed_at")
        ]
        cols.append(_index(Session, "branch_id"))
        self._watch(Session, lambda v: self.sessions.append(tuple(v[i] for i in cols)))
        reg = [_index(Registration, c) for c in ("id", "participant_id", "run_id", "status")]
        self._watch(Registration, lambda v: v[reg[2]] and self.enrolments.append(tuple(v[i] for i in reg)))
        registration, status = _index(Attendance, "registration_id"), _index(Attendance, "status")
        present = self.present

        def mark(values):
            if values[status] == "present":
                present[values[registration]] += 1

        self._watch(Attendance, mark)

    def clear(self):
        self.participants, self.workers, self.branches = {}, {}, {}
        self.sessions, self.enrolments = [], []
        if hasattr(self, "present"):
            self.present.clear()
        else:
            self.present = Counter()

    def _watch(self, model, keep):
        table = self.gen.table(model)
        add = table.add

        def watched(*values):
            keep(values)
            add(*values)

        table.add = watched
        self._tables.append(table)

    def close(self):
        for table in self._tables:
            del table.add  # the class's own add() again
        self._tables = []


def for_library(gen, rng, lib, seen):
    try:
        appointments(gen, rng, lib, seen)
        if lib.id % CART_EVERY == 1:
            minilibrary(gen, rng, lib, seen)
        certificates(gen, rng, lib, seen)
    finally:
        seen.clear()


def finish(gen, seen):
    """Stop recording; set the certificate thresholds on the programmes (after their COPY)."""
    seen.close()
    if not seen.thresholds or gen.writer.error:
        return
    gen.table(Programme).flush()
    by_percent = {}
    for programme_id, percent in seen.thresholds.items():
        by_percent.setdefault(percent, []).append(programme_id)

    def update(cursor):
        for percent, ids in sorted(by_percent.items()):
            cursor.execute(
                'UPDATE "programmes_programme" SET "certificate_min_attendance" = %s WHERE "id" = ANY(%s)',
                [percent, sorted(ids)],
            )

    gen.writer.queue.put(update)


# Appointments ---------------------------------------------------------------------------------------


def appointments(gen, rng, lib, seen):
    coach_programme = next(
        (p for p in lib.programmes if p.slug.startswith("persoonlijke-loopbaancoach")), None
    )
    workers = [(lib.workers["coach"][0], "Loopbaancoach")]
    if rng.random() < 0.5:
        workers.append((rng.choice(lib.workers["volunteer"]), "Vrijwillige loopbaancoach"))
    profiles = gen.table(CoachProfile)
    for number, (worker, title) in enumerate(workers):
        pk = profiles.new_id()
        limit = rng.choice([1, 1, 2])
        public_name = seen.workers.get(worker, "").split(" ")[0] if rng.random() < 0.8 else ""
        profiles.add(pk, worker, title, public_name, limit, "24,2", True, gen.stamp, gen.stamp)
        if number == 0 and coach_programme and coach_programme.branch_id:
            branch = coach_programme.branch_id
        else:
            branch = rng.choice(lib.branches)[0]
        _coach_blocks(gen, rng, lib, pk, limit, branch, coach_programme, number)


def _coach_blocks(gen, rng, lib, coach, limit, branch, programme, number):
    blocks, slots, table = gen.table(AvailabilityBlock), gen.table(Slot), gen.table(Appointment)
    first = gen.window_start.date() + timedelta(days=rng.randint(0, 300) if number else rng.randint(0, 60))
    weekday = rng.randrange(5)
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    hour, minute = rng.choice([(13, 0), (13, 30), (14, 0)])
    length = rng.choice([150, 180, 210])
    end_minutes = hour * 60 + minute + length
    start_time, end_time = time(hour, minute), time(end_minutes // 60, end_minutes % 60)
    slot_minutes, pause = rng.choice([30, 40, 45]), rng.choice([5, 10, 15])
    topics, room = rng.choice(COACH_TOPICS), rng.choice(["", "Spreekkamer", "Studiezaal", "Kantoor 2"])
    future = Counter()  # participant -> future appointments with this coach (the coach's limit)
    last = gen.window_end.date()
    while day <= last:
        if (day.month, day.day) in vocab.HOLIDAYS:
            day += timedelta(weeks=1)
            continue
        block = blocks.new_id()
        created = min(gen.at(day, 9) - timedelta(days=rng.randint(21, 60)), gen.now - timedelta(days=1))
        blocks.add(
            block, coach, programme.id if programme and number == 0 else None, branch, None, room, day,
            start_time, end_time, slot_minutes, pause, topics, True, created, created,
        )  # fmt: skip
        start, stop = gen.at(day, hour, minute), gen.at(day, end_minutes // 60, end_minutes % 60)
        step, span = timedelta(minutes=slot_minutes + pause), timedelta(minutes=slot_minutes)
        while start + span <= stop:
            slot = slots.new_id()
            slots.add(slot, block, start, start + span, False)
            _book(gen, rng, lib, table, slot, start, start + span, created, limit, future)
            start += step
        day += timedelta(weeks=1)


def _book(gen, rng, lib, table, slot, start, end, opened, limit, future):
    days_ahead = (start - gen.now).total_seconds() / 86400
    chance = 0.65 if days_ahead < 0 else 0.7 * max(0.05, 1 - days_ahead / 35)
    if rng.random() >= chance:
        return
    pool, now = lib.participants, gen.now
    booked = max(opened, start - timedelta(days=rng.uniform(0.5, 21)))
    if booked > now:
        booked = max(opened, now - timedelta(hours=rng.uniform(1, 72)))
    if booked >= start:
        return
    participant = pool.first_id + pool.pick(rng)
    if rng.random() < 0.12:  # cancelled; sometimes someone else takes the time
        cancelled = booked + (min(start, now) - booked) * rng.random()
        table.add(
            table.new_id(), _uuid(rng), slot, participant, rng.choice(APPOINTMENT_TOPICS), "cancelled",
            _source(rng), cancelled, booked, cancelled,
        )  # fmt: skip
        if rng.random() < 0.5:
            return
        booked = cancelled + (min(start, now) - cancelled) * rng.random()
        participant = pool.first_id + pool.pick(rng)
    if start > now:
        if future[participant] >= limit:
            return
        future[participant] += 1
        status, updated = "booked", booked
    else:
        marked = min(gen.now, end + timedelta(minutes=5))
        status, updated = ("attended" if rng.random() < 0.85 else "no_show"), marked
    table.add(
        table.new_id(), _uuid(rng), slot, participant, rng.choice(APPOINTMENT_TOPICS), status, _source(rng),
        None, booked, updated,
    )  # fmt: skip


def _uuid(rng):
    import uuid

    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _source(rng):
    return rng.choices(["online", "desk", "phone"], [60, 25, 15])[0]


# Mini-library ---------------------------------------------------------------------------------------


def minilibrary(gen, rng, lib, seen):
    carts = gen.table(Cart)
    cart = carts.new_id()
    created = gen.window_start - timedelta(days=30)
    carts.add(
        cart, lib.id, f"Mini-bieb {lib.town}", 60, 12, True, "Elke maand in de lunchpauze op het Werkplein.",
        created, created,
    )  # fmt: skip
    through = gen.table(Cart.partner_sites.through)
    through.add(through.new_id(), cart, lib.site)
    visits = _visits(gen, rng, lib, seen, cart)
    done = [v for v in visits if v[2] == "done"]
    books = _books(gen, rng, cart, done)
    labels = [rng.choice(vocab.FIRST_NAMES) for _ in range(14)]
    labels += [f"R-{rng.randint(1000, 9999)}" for _ in range(8)]
    _loans(gen, rng, done, books, labels)
    _requests(gen, rng, done, books, labels)


def _visits(gen, rng, lib, seen, cart):
    """(id, date, status): the mini-bieb meetings in the agenda when the library has them, else monthly."""
    outreach = {p.id for p in lib.programmes if p.format == "outreach"}
    first = gen.window_start.date() + timedelta(days=rng.randint(0, 200))
    days = []
    for session, programme, _run, starts, status, _closed, _branch in seen.sessions:
        day = gen.local(starts).date()
        if programme in outreach and status != "cancelled" and day >= first:
            days.append((day, session))
    if not days:
        weekday, nth = rng.randrange(5), rng.randint(1, 3)
        month = first.replace(day=1)
        while month <= gen.window_end.date():
            day = month + timedelta(days=(weekday - month.weekday()) % 7 + 7 * (nth - 1))
            if first <= day <= gen.window_end.date():
                days.append((day, None))
            month = (month + timedelta(days=32)).replace(day=1)
    table, visits, seen_days = gen.table(Visit), [], set()
    volunteers = lib.workers["volunteer"]
    regular = rng.choice(volunteers)
    for day, session in sorted(days, key=lambda d: d[0]):
        if day in seen_days:  # one visit per site and day
            continue
        seen_days.add(day)
        status = "planned" if day >= gen.today else ("cancelled" if rng.random() < 0.04 else "done")
        volunteer = regular if rng.random() < 0.8 else rng.choice(volunteers)
        pk = table.new_id()
        notes = rng.choice(VISIT_NOTES) if status == "done" else ""
        made = gen.at(day, 9) - timedelta(days=30)
        updated = gen.at(day, 13, 30) if status == "done" else made
        table.add(pk, cart, lib.site, day, volunteer, session, status, notes, made, updated)
        visits.append((pk, day, status))
    return visits


def _books(gen, rng, cart, done):
    """[id, on the cart from, off the cart from]: the collection, most of it on the cart now."""
    table, books = gen.table(Book), []
    chosen = rng.sample(BOOKS, rng.randint(62, len(BOOKS)))
    on_cart = min(60, len(chosen) - rng.randint(4, 10))
    start = done[0][1] if done else gen.today
    recent = [v[1] for v in done[-6:]] or [gen.today]
    for index, (title, author, kind, easy) in enumerate(chosen):
        pk = table.new_id()
        code = f"3{cart:05d}{index:03d}{rng.randrange(10)}"
        on_since = off_since = None
        if index < on_cart:
            location = "cart"
            on_since = start if rng.random() < 0.5 else rng.choice(recent)
            available = (on_since, None)
        else:
            location = "library"
            off_since = rng.choice(recent) if rng.random() < 0.6 and done else None
            available = (start, off_since) if off_since else (None, None)
        made = gen.at(start, 9) - timedelta(days=7)
        table.add(pk, cart, title, author, easy, kind, code, location, on_since, off_since, True, made, made)
        books.append((pk, *available))
    return books


def _label_removed(gen, moment):
    """When the daily task blanks a label closed at `moment`, or None while it is kept."""
    removed = moment + relativedelta(months=LABEL_KEEP_MONTHS)
    if removed >= gen.now:
        return None
    return min(gen.now, gen.at(gen.local(removed).date() + timedelta(days=1), 3))


def _loans(gen, rng, done, books, labels):
    table, out = gen.table(Loan), {}  # book -> [lent at, visit, label]

    def close(book, visit, returned_at):
        lent_at, lent_visit, label = out.pop(book)
        removed = _label_removed(gen, returned_at)
        table.add(
            table.new_id(), book, lent_visit, "" if removed else label, lent_at, visit, returned_at, removed
        )

    for visit, day, _status in done:
        back = gen.at(day, 12, 5)
        for book in list(out):
            off = next(b[2] for b in books if b[0] == book)
            if (off and off <= day) or rng.random() < 0.8:
                close(book, visit, back)
            elif rng.random() < 0.1:  # came back at the library desk
                close(
                    book,
                    None,
                    max(out[book][0] + timedelta(days=3), back - timedelta(days=rng.randint(3, 20))),
                )
        lendable = [
            pk for pk, on, off in books if on and on <= day and (off is None or day < off) and pk not in out
        ]
        for book in rng.sample(lendable, min(len(lendable), rng.randint(4, 11))):
            out[book] = [gen.at(day, 12, rng.randint(10, 55)), visit, rng.choice(labels)]
    for book, (lent_at, visit, label) in sorted(out.items()):
        table.add(table.new_id(), book, visit, label, lent_at, None, None, None)


def _requests(gen, rng, done, books, labels):
    table = gen.table(Request)
    for number, (visit, day, _status) in enumerate(done):
        following = done[number + 1] if number + 1 < len(done) else None
        for index in range(rng.choices([0, 1, 2, 3], [30, 40, 20, 10])[0]):
            book = rng.choice(books)[0] if rng.random() < 0.65 else None
            title = "" if book else rng.choice(REQUEST_TITLES)
            label = rng.choice(labels) if rng.random() < 0.85 else ""
            created = gen.at(day, 12, 20 + index)
            status, fulfilled, closed, reason = "open", None, None, ""
            if following:
                if book is None and rng.random() < 0.3:
                    status, closed, reason = "cannot", gen.at(following[1], 9), "Niet in de collectie."
                else:
                    status, fulfilled, closed = "fulfilled", following[0], gen.at(following[1], 12, 30)
            # Closed ones are blanked the keeping period after closing, open ones after asking.
            removed = _label_removed(gen, closed or created) if label else None
            table.add(
                table.new_id(), visit, book, title, "" if removed else label, status, fulfilled, closed,
                reason, removed, created, closed or created,
            )  # fmt: skip


# Certificates ---------------------------------------------------------------------------------------


def certificates(gen, rng, lib, seen):
    runs = {}
    for _session, programme, run, starts, status, closed, branch in seen.sessions:
        if run and status != "cancelled":
            runs.setdefault(run, []).append((starts, closed, branch, programme))
    if not runs:
        return
    programmes = {p.id: p for p in lib.programmes}
    for prog in programmes.values():
        if prog.format in ("course", "reading_circle") and rng.random() < 0.8:
            seen.thresholds[prog.id] = 80 if prog.format == "reading_circle" else rng.choice([70, 75, 80])
    enrolled = {}
    for registration, participant, run, status in seen.enrolments:
        if status != "cancelled":
            enrolled.setdefault(run, []).append((registration, participant))
    table = gen.table(Certificate)
    for run, meetings in sorted(runs.items()):
        meetings.sort()
        programme = meetings[0][3]
        required = seen.thresholds.get(programme)
        last_start = meetings[-1][0]
        # Finished and closed (so its attendance is all there), and the staff printed for this run.
        if required is None or last_start > gen.now or any(m[1] is None for m in meetings):
            continue
        if rng.random() >= 0.85:
            continue
        prog, held = programmes[programme], len(meetings)
        kind = "diploma" if prog.format == "reading_circle" else "certificate"
        first_on, last_on = gen.local(meetings[0][0]).date(), gen.local(last_start).date()
        place = seen.branches.get(meetings[-1][2], "")
        issued = min(gen.now, last_start + timedelta(hours=rng.uniform(1, 24 * 14)))
        for registration, participant in enrolled.get(run, []):
            attended = seen.present[registration]
            if attended == 0 or attended * 100 < required * held:
                continue
            table.add(
                table.new_id(), _code(rng, seen.codes), kind, lib.id, programme, run, participant,
                registration, seen.participants[participant], prog.name, lib.name, place, first_on, last_on,
                attended, held, issued, None,
            )  # fmt: skip


def _code(rng, taken):
    while True:
        chars = "".join(rng.choice(CODE_ALPHABET) for _ in range(8))
        code = f"{chars[:4]}-{chars[4:]}"
        if code not in taken:
            taken.add(code)
            return code
