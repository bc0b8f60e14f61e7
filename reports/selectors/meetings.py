"""One row per meeting of the report, for the exports (can be many: read in chunks)."""

from django.utils import timezone
from django.utils.translation import gettext

from .figures import ATTENDANCE_COUNTS, attendance_marks
from .scope import ReportScope, scoped_sessions


def meeting_count(scope: ReportScope):
    return scoped_sessions(scope).count()


def meeting_rows(scope: ReportScope, *, now=None, chunk_size=2000):
    """Yield one dict per meeting: when, programme, library, place, status and its attendance numbers.

    Two queries: the attendance numbers per meeting (grouped in the database), then the meetings.
    """
    now = now or timezone.now()
    numbers = {
        row["session_id"]: row
        for row in attendance_marks(scope, now).values("session_id").annotate(**ATTENDANCE_COUNTS).order_by()
    }
    empty = dict.fromkeys(ATTENDANCE_COUNTS, 0)
    sessions = (
        scoped_sessions(scope)
        .order_by("starts_at", "pk")
        .values(
            "pk",
            "starts_at",
            "status",
            "online_url",
            "programme__name",
            "programme__library__name",
            "branch__name",
            "partner_site__name",
            "partner_site__partner__name",
        )
    )
    for session in sessions.iterator(chunk_size=chunk_size):
        counts = numbers.get(session["pk"], empty)
        if session["branch__name"]:
            place = session["branch__name"]
        elif session["partner_site__name"]:
            place = f"{session['partner_site__partner__name']} – {session['partner_site__name']}"
        else:
            place = gettext("Online")
        yield {
            "starts_at": timezone.localtime(session["starts_at"]),
            "status": session["status"],
            "programme": session["programme__name"],
            "library": session["programme__library__name"],
            "place": place,
            **{key: counts[key] for key in ATTENDANCE_COUNTS},
        }
