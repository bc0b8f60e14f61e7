"""Anonymising, erasing and exporting a participant's personal data."""

import json
import re

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from people.models import Participant

from .audit import audit_record
from .models import AuditEvent
from .registry import erasers
from .selectors import participant_data, participants_expired

ERASURE_REQUEST = "erasure request"
RETENTION_EXPIRED = "retention period passed"


def _related_rows(participant):
    """{model: [pk]} of every row that points at the person, and of rows pointing at those (two steps)."""
    found = {Participant: [participant.pk]}
    frontier = [(Participant, [participant.pk])]
    for _depth in range(2):
        following = []
        for model, pks in frontier:
            for relation in model._meta.related_objects:
                if not (relation.many_to_one or relation.one_to_one) or not pks:
                    continue
                related = relation.related_model
                ids = list(
                    related._default_manager.filter(**{f"{relation.field.name}__in": pks}).values_list(
                        "pk", flat=True
                    )
                )
                if ids:
                    found.setdefault(related, []).extend(ids)
                    following.append((related, ids))
        frontier = following
    return found


def _admin_log_scrub(participant, words):
    """Django's own admin history quotes records by name (“Jan Jansen – Walk & Talk”): blank it."""
    rows = _related_rows(participant)
    targets = Q(pk__in=[])
    for model, pks in rows.items():
        content_type = ContentType.objects.get_for_model(model)
        targets |= Q(content_type=content_type, object_id__in=[str(pk) for pk in set(pks)])
    mentions = Q(pk__in=[])
    # Elsewhere in the log, only what surely is this person: contact details, or a full name.
    for word in [
        word for word in words if "@" in word or word[-1:].isdigit() or (" " in word and len(word) >= 6)
    ]:
        mentions |= Q(object_repr__icontains=word) | Q(change_message__icontains=word)
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE) if words else None
    for entry in LogEntry.objects.filter(targets | mentions):
        entry.object_repr = f"#{entry.object_id}"
        if pattern is not None:
            entry.change_message = pattern.sub("–", entry.change_message)
        entry.save(update_fields=["object_repr", "change_message"])


def _contact_words(participant):
    words = [participant.name.strip(), participant.email, str(participant.phone or "")]
    if participant.phone:
        # The national form too (0612345678), as typed in notes and error texts.
        national = getattr(participant.phone, "national_number", None)
        if national:
            words.append(f"0{national}")
    return [word for word in words if len(word) >= 3]


@transaction.atomic
def participant_anonymise(*, participant, actor, reason, now=None, action=AuditEvent.Action.ANONYMISED):
    """Remove names, contact details and free text about the person in every app; keep the rows.

    The record keeps its number and `anonymised_at`, so that sign-ups, attendance and referrals still
    count. Messages still waiting to be sent are cancelled. Returns the participant.
    """
    now = now or timezone.now()
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    words = _contact_words(participant) if not participant.anonymised_at else []
    for _label, module in erasers():
        module.erase(participant)
    _admin_log_scrub(participant, words)
    participant.refresh_from_db()
    audit_record(
        actor=actor,
        action=action,
        library_id=participant.library_id,
        model_label=Participant._meta.label,
        object_id=participant.pk,
        participant_id=participant.pk,
        detail=reason,
        now=now,
    )
    return participant


def _future_registrations(participant, now):
    from sessions.models import Registration

    active = Registration.objects.filter(
        participant=participant, status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
    )
    return active.filter(Q(session__starts_at__gt=now) | Q(run__sessions__starts_at__gt=now)).distinct()


def participant_erase_preview(*, participant, now=None):
    """What an erasure removes and what stays, in numbers, for the confirmation page."""
    from messaging.models import OutboxMessage
    from partners.models import Referral
    from sessions.models import Attendance, Registration

    now = now or timezone.now()
    registrations = Registration.objects.filter(participant=participant)
    return {
        "registrations": registrations.count(),
        "future_registrations": _future_registrations(participant, now).count(),
        "attendance": Attendance.objects.filter(registration__participant=participant).count(),
        "referrals": Referral.objects.filter(participant=participant).count(),
        "waiting_messages": OutboxMessage.objects.filter(
            participant=participant, status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.QUEUED]
        ).count(),
        "has_account": _account_to_delete(participant) is not None,
    }


def _account_to_delete(participant):
    """The person's own log-in for the public site, unless it is staff's, a consultant's or still used."""
    user = participant.user
    if user is None or user.is_staff or user.is_superuser or hasattr(user, "partner_contact"):
        return None
    if Participant.objects.filter(user=user, anonymised_at__isnull=True).exclude(pk=participant.pk).exists():
        return None
    return user


@transaction.atomic
def participant_erase(*, participant, actor, now=None):
    """The person asked to be erased: now, everywhere, keeping only anonymous counts.

    Places they still hold at meetings to come are given up first (the waiting list moves up); their
    own account for the public site is deleted.
    """
    from sessions.services import registration_cancel

    now = now or timezone.now()
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    for registration in _future_registrations(participant, now):
        registration_cancel(registration=registration, now=now)
    account = _account_to_delete(participant)
    participant = participant_anonymise(
        participant=participant, actor=actor, reason=ERASURE_REQUEST, now=now, action=AuditEvent.Action.ERASED
    )
    if account is not None:
        account.delete()
    return participant


def participants_anonymise_expired(*, now=None):
    """The nightly retention run: anonymise everyone whose library's retention period has passed.

    Each person in their own transaction, so that one problem does not keep everyone else's data.
    Running it twice anonymises nobody twice. Returns how many were anonymised.
    """
    now = now or timezone.now()
    count = 0
    for participant in participants_expired(now=now):
        participant_anonymise(participant=participant, actor=None, reason=RETENTION_EXPIRED, now=now)
        count += 1
    return count


def participant_export(*, participant, actor, fmt="html", now=None):
    """Everything the portal holds about one person, as a readable document (or JSON), logged."""
    now = now or timezone.now()
    with translation.override(participant.language or "nl"):
        sections = participant_data(participant)
        if fmt == "json":
            content = json.dumps(
                {"participant": participant.pk, "made_at": now.isoformat(), "sections": dict(sections)},
                ensure_ascii=False,
                indent=2,
            )
        else:
            content = render_to_string(
                "privacy/export.html",
                {"participant": participant, "sections": sections, "made_at": now},
            )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORTED,
        library_id=participant.library_id,
        model_label=Participant._meta.label,
        object_id=participant.pk,
        participant_id=participant.pk,
        detail=fmt,
        now=now,
    )
    return content
