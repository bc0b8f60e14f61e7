"""The privacy audit log: recording, and the admin mixin that logs views and changes of personal data."""

from django.utils import timezone

from portal.scoping import SCOPE_PATHS

from .models import AuditEvent

# Always audited, whatever the registry adds (`AUDITED_MODELS` in an app's personal_data module).
CORE_AUDITED = {
    "people.Participant",
    "people.Consent",
    "programme_sessions.Registration",
    "programme_sessions.Attendance",
    "partners.Referral",
    "messaging.OutboxMessage",
    # Apps added later that hold a person's name or what they want help with.
    "appointments.Appointment",
    "certificates.Certificate",
}


def audited_labels():
    from .registry import audited_model_labels

    return CORE_AUDITED | audited_model_labels()


def _follow(obj, path):
    for part in path.split("__"):
        if obj is None:
            return None
        if part == "pk":
            return obj.pk
        if part == "library":
            return getattr(obj, "library_id", None)
        obj = getattr(obj, part, None)
    return getattr(obj, "pk", obj)


def library_id_of(obj):
    for path in SCOPE_PATHS.get(obj._meta.label, ()):
        found = _follow(obj, path)
        if found is not None:
            return found
    return None


def participant_id_of(obj):
    if obj._meta.label == "people.Participant":
        return obj.pk
    for path in ("participant_id", "registration__participant_id", "referral__participant_id"):
        found = _follow(obj, path)
        if found is not None:
            return found
    return None


def change_summary(message):
    """What changed, by field and record kind only: the admin's own message quotes names of records."""
    parts = []
    for item in message if isinstance(message, list) else []:
        for verb, details in item.items():
            fields = ", ".join(str(field) for field in details.get("fields", []))
            kind = details.get("name", "")
            parts.append(" ".join(str(bit) for bit in (verb, kind, fields) if bit))
    return "; ".join(parts)


def audit_record(
    *, actor, action, library_id, model_label, object_id, participant_id=None, detail="", now=None
):
    """One row of the log. `actor` None means the system (the nightly retention task)."""
    account = actor if getattr(actor, "is_authenticated", False) else None
    label = (
        (getattr(account, "email", "") or getattr(account, "get_username", lambda: "")()) if account else ""
    )
    return AuditEvent.objects.create(
        at=now or timezone.now(),
        user=account,
        user_label=label[:254],
        action=action,
        library_id=library_id,
        model_label=model_label,
        object_id=str(object_id),
        participant_number=participant_id,
        detail=detail[:200],
    )


def audit_object(*, actor, action, obj, detail=""):
    library_id = library_id_of(obj)
    if library_id is None:
        return None
    return audit_record(
        actor=actor,
        action=action,
        library_id=library_id,
        model_label=obj._meta.label,
        object_id=obj.pk,
        participant_id=participant_id_of(obj),
        detail=detail,
    )


class PersonalDataAuditMixin:
    """Logs every look at, and change of, a record with personal data in the admin."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", {}).get("original") if request.method == "GET" else None
        if original is not None and response.status_code == 200:
            audit_object(actor=request.user, action=AuditEvent.Action.VIEWED, obj=original)
        return response

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        audit_object(
            actor=request.user,
            action=AuditEvent.Action.CHANGED,
            obj=obj,
            detail=change_summary(message),
        )
        return entry

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        audit_object(actor=request.user, action=AuditEvent.Action.CHANGED, obj=obj, detail="added")
        return entry

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit_object(actor=request.user, action=AuditEvent.Action.ERASED, obj=obj, detail="deleted")
        return super().log_deletions(request, queryset)
