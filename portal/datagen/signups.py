"""Registrations, attendance and the outbox messages they caused, the way the services would leave them.

Seats go to the first sign-ups that were not cancelled, so no meeting is ever overbooked; the rest
are on the waiting list. Meetings that took place and were closed have attended/no-show marks and
attendance rows; cancelled meetings have only cancelled registrations.
"""

import uuid
from datetime import timedelta

from messaging.models import OutboxMessage
from sessions.models import Attendance, Registration

from . import vocab

FILL = 1.2  # how full meetings get: 1.2 gives about ten registrations per meeting overall
MESSAGE_DAYS = 30  # the outbox keeps the messages of the last month and everything still due
_SOURCES, _SOURCE_WEIGHTS = ["online", "desk", "phone"], [65, 20, 15]
_MINUTE, _HOUR, _DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


def _how_many(gen, rng, capacity, start):
    days_ahead = (start - gen.now).total_seconds() / 86400
    fill = max(0.1, min(1.25, 1.25 - days_ahead / 70)) if days_ahead > 0 else rng.uniform(0.65, 1.35)
    return max(0, round((capacity or 12) * fill * FILL * rng.uniform(0.8, 1.2)))


def for_session(gen, rng, lib, prog, session):
    start = session["starts_at"]
    cancelled = session["status"] == "cancelled"
    reminders = [(session["id"], start)] if start > gen.now and not cancelled else []
    n = _how_many(gen, rng, prog.capacity, start)
    regs = _sign_ups(gen, rng, lib, prog, n, start, session["id"], None, cancelled, session, reminders)
    if session["closed_at"]:
        attendance, present, absent = gen.table(Attendance), 0, 0
        marked = start + timedelta(minutes=10)
        for reg_id, status in regs:
            if status in ("attended", "no_show"):
                mark = "present" if status == "attended" else "absent"
                attendance.add(attendance.new_id(), reg_id, session["id"], mark, False, marked)
                present, absent = present + (mark == "present"), absent + (mark == "absent")
        session["counts"] = (present + absent, present, 0, absent)


def for_run(gen, rng, lib, prog, run_id, sessions):
    """One sign-up for the whole course run; attendance per meeting that took place."""
    first = sessions[0]
    reminders = [
        (s["id"], s["starts_at"]) for s in sessions if s["starts_at"] > gen.now and s["status"] != "cancelled"
    ]
    closed = {**first, "closed_at": sessions[-1]["closed_at"]}
    n = _how_many(gen, rng, prog.capacity, first["starts_at"])
    regs = _sign_ups(gen, rng, lib, prog, n, first["starts_at"], None, run_id, False, closed, reminders)
    seated = [(reg_id, status) for reg_id, status in regs if status in Registration.SEATED]
    attendance = gen.table(Attendance)
    for session in sessions:
        if not session["closed_at"]:
            continue
        present = absent = 0
        for reg_id, status in seated:
            mark = (
                "absent"
                if status == "no_show"
                else rng.choices(["present", "absent", "excused"], [88, 8, 4])[0]
            )
            marked = session["starts_at"] + timedelta(minutes=10)
            attendance.add(attendance.new_id(), reg_id, session["id"], mark, False, marked)
            present, absent = present + (mark == "present"), absent + (mark != "present")
        session["counts"] = (len(seated), present, 0, absent)


def _sign_ups(gen, rng, lib, prog, n, start, session_id, run_id, cancelled_session, session, reminders):
    now, pool, table = gen.now, lib.participants, gen.table(Registration)
    high = min(start - _HOUR, now - _MINUTE)
    low = start - timedelta(days=42 if run_id else 28)
    if low >= high:
        low = high - _DAY
    span = (high - low).total_seconds()
    times = sorted(low + timedelta(seconds=span * rng.random()) for _ in range(n))
    used, seated, result = set(), 0, []
    capacity, closed_at = prog.capacity, session["closed_at"]
    for created in times:
        referral = None
        if prog.referrals and rng.random() < 0.15:
            index, referral = rng.choice(prog.referrals)
        else:
            index = pool.pick(rng)
        if index in used:
            referral, index = None, pool.pick(rng)
            if index in used:
                continue
        used.add(index)
        cancelled_at = None
        if cancelled_session:
            cancelled_at = min(max(created + _MINUTE, start - 2 * _DAY), now)
        elif rng.random() < 0.08:
            cancelled_at = created + (min(start, now) - created) * rng.random()
        if cancelled_at:
            status = "cancelled"
        elif capacity is not None and seated >= capacity:
            status = "waitlisted"
        else:
            seated += 1
            status = "confirmed"
            if closed_at:
                status = "attended" if rng.random() < 0.82 else "no_show"
        pk, public_id = table.new_id(), uuid.UUID(int=rng.getrandbits(128), version=4)
        source = "referral" if referral else rng.choices(_SOURCES, _SOURCE_WEIGHTS)[0]
        updated = closed_at if status in ("attended", "no_show") else (cancelled_at or created)
        table.add(
            pk, public_id, pool.first_id + index, session_id, run_id, status, source,
            rng.choice(vocab.HELP_WANTED), referral, cancelled_at, created, updated,
        )  # fmt: skip
        result.append((pk, status))
        if created >= now - timedelta(days=MESSAGE_DAYS) or reminders:
            _messages(gen, rng, lib, pk, public_id, index, status, created, cancelled_at, reminders)
    return result


def _messages(gen, rng, lib, reg_id, public_id, index, status, created, cancelled_at, reminders):
    channel = lib.participants.channels[index]
    if channel is None:
        return
    language = lib.participants.languages[index]
    kind = "registration_waitlisted" if status == "waitlisted" else "registration_confirmed"
    _message(gen, rng, lib, reg_id, index, None, kind, channel, language, created, f"{kind}:{public_id}")
    if cancelled_at:
        key = f"registration_cancelled:{public_id}"
        _message(
            gen, rng, lib, reg_id, index, None, "registration_cancelled", channel, language, cancelled_at, key
        )
        return
    if status == "waitlisted":
        return
    for meeting_id, start in reminders:
        for hours in (24, 2):
            due = start - timedelta(hours=hours)
            if due > created:
                key = f"reminder:{public_id}:{meeting_id}:{start.isoformat()}:{hours}h"
                _message(
                    gen, rng, lib, reg_id, index, meeting_id, "reminder", channel, language, due, key,
                    context={"starts_at": start.isoformat()}, recorded=created,
                )  # fmt: skip


def _message(
    gen, rng, lib, reg_id, index, session_id, kind, channel, language, due, key, context=None, recorded=None
):
    table = gen.table(OutboxMessage)
    pk = table.new_id()
    queued = sent = None
    provider, attempts, error = "", 0, ""
    if due > gen.now:
        status = "pending"
    elif rng.random() < 0.004:
        status, attempts, error = "failed", 6, "The provider refused the number."
    else:
        status, attempts = "sent", 1
        queued, sent = due + timedelta(seconds=1), due + timedelta(seconds=rng.uniform(2, 20))
        provider = f"sim-{pk}"
    table.add(
        pk, lib.id, lib.participants.first_id + index, reg_id, session_id, kind, channel, language,
        context or {}, due, status, queued, sent, provider, attempts, error, key, recorded or due,
    )  # fmt: skip
