"""What a report is about: libraries, programme, branch, partner and a period of whole days."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from partners.models import Referral
from programmes.models import Programme
from sessions.models import Session


@dataclass(frozen=True)
class ReportScope:
    date_from: date
    date_to: date
    library_ids: frozenset | None = None  # None: every library (superusers only)
    programme_id: int | None = None
    branch_id: int | None = None
    partner_id: int | None = None

    @property
    def start(self):
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def end(self):
        """The first moment after the period (the period includes its last day)."""
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))

    def as_parameters(self):
        return {
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "library_ids": sorted(self.library_ids) if self.library_ids is not None else None,
            "programme_id": self.programme_id,
            "branch_id": self.branch_id,
            "partner_id": self.partner_id,
        }

    @classmethod
    def from_parameters(cls, data):
        ids = data.get("library_ids")
        return cls(
            date_from=date.fromisoformat(data["date_from"]),
            date_to=date.fromisoformat(data["date_to"]),
            library_ids=frozenset(ids) if ids is not None else None,
            programme_id=data.get("programme_id"),
            branch_id=data.get("branch_id"),
            partner_id=data.get("partner_id"),
        )


def partner_programme_ids(partner_id):
    """Programmes a partner refers people to or helps deliver."""
    return Programme.objects.filter(
        Q(referring_partners=partner_id) | Q(delivering_partners=partner_id)
    ).values("pk")


def scoped_sessions(scope: ReportScope, *, period=True):
    """Meetings in the report: of the libraries, programme and branch chosen, starting in the period.

    With a partner chosen: meetings at the partner's sites or of programmes it refers to or delivers.
    """
    sessions = Session.objects.all()
    if period:
        sessions = sessions.filter(starts_at__gte=scope.start, starts_at__lt=scope.end)
    if scope.library_ids is not None:
        sessions = sessions.filter(programme__library_id__in=scope.library_ids)
    if scope.programme_id:
        sessions = sessions.filter(programme_id=scope.programme_id)
    if scope.branch_id:
        sessions = sessions.filter(branch_id=scope.branch_id)
    if scope.partner_id:
        sessions = sessions.filter(
            Q(partner_site__partner_id=scope.partner_id)
            | Q(programme_id__in=partner_programme_ids(scope.partner_id))
        )
    return sessions


def held_filter(now, prefix=""):
    """A meeting that took place: not cancelled and started before now (as in sessions.completion)."""
    return Q(**{f"{prefix}starts_at__lt": now}) & ~Q(**{f"{prefix}status": Session.Status.CANCELLED})


def referred_by_partner(scope: ReportScope, *, participant, programme):
    """People counted for a partner: referred by it to this programme (field paths of the outer row)."""
    return Exists(
        Referral.objects.filter(
            participant=OuterRef(participant), programme=OuterRef(programme), partner_id=scope.partner_id
        )
    )
