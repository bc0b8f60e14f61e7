from dateutil.relativedelta import relativedelta
from django.db.models import DateTimeField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest

from people.models import Participant
from programmes.models import Library

from .registry import providers


def retention_cutoff(*, library, now):
    """Data of a participant whose last activity is before this moment has been kept long enough."""
    return now - relativedelta(months=library.retention_months)


def _latest(queryset, field):
    return Subquery(
        queryset.values("participant_id").annotate(latest=Max(field)).values("latest")[:1],
        output_field=DateTimeField(),
    )


def participants_with_last_activity():
    """Participants not yet anonymised, with `last_seen`: the latest sign-up, meeting, mark, referral
    or consent of the core apps (other apps are asked per person, see `participant_last_activity`)."""
    from partners.models import Referral
    from people.models import Consent
    from sessions.models import Attendance, Registration

    mine = {"participant_id": OuterRef("pk")}
    registrations = Registration.objects.filter(**mine)
    marks = Attendance.objects.filter(registration__participant_id=OuterRef("pk"))
    sources = [
        _latest(registrations, "created_at"),
        _latest(registrations, "session__starts_at"),
        _latest(registrations, "run__sessions__starts_at"),
        Subquery(
            marks.values("registration__participant_id")
            .annotate(latest=Max("marked_at"))
            .values("latest")[:1],
            output_field=DateTimeField(),
        ),
        _latest(Referral.objects.filter(**mine), "status_changed_at"),
        _latest(Referral.objects.filter(**mine), "created_at"),
        _latest(Consent.objects.filter(**mine), "given_at"),
        "last_activity_at",
    ]
    return Participant.objects.filter(anonymised_at__isnull=True).annotate(
        last_seen=Greatest("created_at", *(Coalesce(source, "created_at") for source in sources))
    )


def participant_last_activity(participant):
    """The latest activity of one person in every app that holds their data."""
    found = [participant.created_at, participant.last_activity_at]
    for _label, module in providers():
        hook = getattr(module, "last_activity", None)
        if hook is not None:
            found.append(hook(participant))
    return max(filter(None, found))


def participants_expired(*, now):
    """Per library: who has had no activity for longer than the library keeps data."""
    expired = []
    for library in Library.objects.order_by("pk"):
        cutoff = retention_cutoff(library=library, now=now)
        candidates = (
            participants_with_last_activity()
            .filter(library=library, created_at__lt=cutoff, last_seen__lt=cutoff)
            .order_by("pk")
        )
        # Other apps (appointments, certificates, …) may know of later activity.
        expired.extend(p for p in candidates if participant_last_activity(p) < cutoff)
    return expired


def participant_data(participant):
    """Everything about one person: [(section title, rows)], from every app that holds personal data."""
    sections = []
    for _label, module in providers():
        for title, rows in module.export(participant).items():
            sections.append((title, rows))
    return sections


def retention_by_library():
    return list(Library.objects.order_by("name").only("name", "slug", "email", "phone", "retention_months"))
