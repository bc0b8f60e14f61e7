"""A referral from the form to "completed": every step timestamped, the referrer told through the outbox."""

from datetime import datetime, time

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from messaging.models import OutboxMessage
from messaging.rendering import absolute_url
from messaging.services import message_record_for_contact
from people.models import Consent
from people.services import consent_record, participant_find_or_create
from sessions.models import Registration
from sessions.services import registration_create

from ..models import Referral, ReferralAuditEvent, ReferralStatusChange
from ..selectors import REPORTED_STATUSES, reporting_allowed
from .audit import referral_audit_record

Status = Referral.Status

# Which status may follow which. Re-planning an intake or enrolling again counts as a change too.
TRANSITIONS = {
    Status.RECEIVED: {Status.INTAKE_PLANNED, Status.ENROLLED, Status.STOPPED, Status.NO_SHOW},
    Status.INTAKE_PLANNED: {Status.INTAKE_PLANNED, Status.ENROLLED, Status.STOPPED, Status.NO_SHOW},
    Status.ENROLLED: {Status.ENROLLED, Status.ACTIVE, Status.STOPPED, Status.NO_SHOW},
    Status.ACTIVE: {Status.COMPLETED, Status.STOPPED},
    Status.COMPLETED: set(),
    Status.STOPPED: {Status.RECEIVED},
    Status.NO_SHOW: {Status.RECEIVED, Status.INTAKE_PLANNED},
    # Only the referrer withdraws (referral_withdraw), and that is final: a new referral starts again.
    Status.WITHDRAWN: set(),
}
OPEN_STATUSES = (Status.RECEIVED, Status.INTAKE_PLANNED, Status.ENROLLED, Status.ACTIVE)

CONSENT_CONTACT_TEXT = _(
    "%(partner)s may give my name and my phone number or e-mail address to the library. The library may "
    "call me or send me a message about %(programme)s. I can stop this at any time."
)
CONSENT_REPORT_TEXT = _(
    "The library may tell %(partner)s whether I come to %(programme)s and whether I finish it. Nothing "
    "more. I can stop this at any time."
)


class ReferralRefused(Exception):
    """The referral or the step is not possible; `field` names the form field the reason belongs to."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


@transaction.atomic
def referral_create(
    *,
    contact,
    user,
    programme,
    name,
    phone="",
    email="",
    preferred_channel="",
    kind,
    consent_contact,
    consent_report_attendance,
    consent_given_on,
    note="",
    now=None,
):
    """A consultant refers a person; an existing participant of that library is linked, not duplicated."""
    from ..selectors import referable_programmes

    now = now or timezone.now()
    partner = contact.partner
    if not referable_programmes(partner).filter(pk=programme.pk).exists():
        raise ReferralRefused(
            gettext("%(programme)s does not take referrals from %(partner)s. Choose another programme.")
            % {"programme": programme.name, "partner": partner.name},
            field="programme",
        )
    if not consent_contact:
        raise ReferralRefused(
            gettext("The library can only take the referral if the participant agrees to be contacted."),
            field="consent_contact",
        )
    if consent_given_on is None or consent_given_on > timezone.localdate(now):
        raise ReferralRefused(
            gettext("Give the date the participant agreed, today or earlier."), "consent_given_on"
        )

    participant = participant_find_or_create(
        library=programme.library, name=name, phone=phone, email=email, preferred_channel=preferred_channel
    )
    if (
        Referral.objects.filter(partner=partner, participant=participant, programme=programme)
        .filter(status__in=OPEN_STATUSES)
        .exists()
    ):
        raise ReferralRefused(
            gettext("Your organisation has already referred this person to this programme. See the overview.")
        )
    given_at = timezone.make_aware(datetime.combine(consent_given_on, time.min))
    words = {"partner": partner.name, "programme": programme.name}
    with translation.override(participant.language):
        consent_record(
            participant=participant,
            purpose=Consent.Purpose.CONTACT,
            text=str(CONSENT_CONTACT_TEXT) % words,
            method=Consent.Method.REFERRAL,
            now=given_at,
        )
        if consent_report_attendance:
            consent_record(
                participant=participant,
                purpose=Consent.Purpose.REPORT_TO_REFERRER,
                text=str(CONSENT_REPORT_TEXT) % words,
                method=Consent.Method.REFERRAL,
                now=given_at,
            )
    referral = Referral.objects.create(
        library=programme.library,
        partner=partner,
        referrer=contact,
        participant=participant,
        participant_name=name,
        participant_phone=str(phone or ""),
        participant_email=(email or "").strip().lower(),
        participant_channel=preferred_channel,
        programme=programme,
        kind=kind,
        consent_contact=True,
        consent_report_attendance=consent_report_attendance,
        consent_given_on=consent_given_on,
        note=note,
    )
    ReferralStatusChange.objects.create(
        referral=referral, to_status=Status.RECEIVED, changed_at=now, changed_by=user
    )
    referral_audit_record(
        user=user, action=ReferralAuditEvent.Action.CREATED, referrals=[referral], partner=partner, now=now
    )
    return referral


def referral_created_in_admin(*, referral, user, now=None):
    """Staff entered a referral themselves (a call from a partner): start its history the same way."""
    now = now or timezone.now()
    if referral.consent_report_attendance:
        referral_consent_report_record(referral=referral, now=now)
    ReferralStatusChange.objects.create(
        referral=referral, to_status=referral.status, changed_at=now, changed_by=user
    )
    referral_audit_record(user=user, action=ReferralAuditEvent.Action.CREATED, referrals=[referral], now=now)


def referral_consent_report_record(*, referral, now=None):
    """Staff note that the participant (again) agreed to report back: a new consent, with its words."""
    words = {"partner": referral.partner.name, "programme": referral.programme.name}
    with translation.override(referral.participant.language):
        return consent_record(
            participant=referral.participant,
            purpose=Consent.Purpose.REPORT_TO_REFERRER,
            text=str(CONSENT_REPORT_TEXT) % words,
            method=Consent.Method.REFERRAL,
            now=now,
        )


@transaction.atomic
def referral_status_change(
    *, referral, status, user, intake_at=None, intake_place="", stop_reason="", registration=None, now=None
):
    """Move a referral on, record who did it and when, and tell the referrer through the outbox."""
    now = now or timezone.now()
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("programme", "referrer", "library")
        .get(pk=referral.pk)
    )
    previous = referral.status
    if status not in TRANSITIONS[previous]:
        raise ReferralRefused(
            gettext("A referral that is “%(current)s” cannot become “%(new)s”.")
            % {"current": referral.get_status_display(), "new": Status(status).label},
            field="status",
        )
    if status == Status.INTAKE_PLANNED and not intake_at:
        raise ReferralRefused(gettext("Give the date and time of the intake."), field="intake_at")
    if status == Status.STOPPED and not stop_reason.strip():
        raise ReferralRefused(gettext("Say why the referral stopped."), field="stop_reason")

    referral.status = status
    referral.status_changed_at = now
    fields = ["status", "status_changed_at", "updated_at"]
    if status == Status.INTAKE_PLANNED:
        referral.intake_at, referral.intake_place = intake_at, intake_place.strip()
        fields += ["intake_at", "intake_place"]
    if status == Status.STOPPED or previous == Status.STOPPED:
        referral.stop_reason = stop_reason.strip() if status == Status.STOPPED else ""
        fields.append("stop_reason")
    referral.save(update_fields=fields)
    change = ReferralStatusChange.objects.create(
        referral=referral,
        from_status=previous,
        to_status=status,
        changed_at=now,
        changed_by=user,
        intake_at=referral.intake_at if status == Status.INTAKE_PLANNED else None,
        intake_place=referral.intake_place if status == Status.INTAKE_PLANNED else "",
        stop_reason=referral.stop_reason if status == Status.STOPPED else "",
        registration=registration,
    )
    referral_audit_record(
        user=user,
        action=ReferralAuditEvent.Action.CHANGED,
        referrals=[referral],
        detail=f"{previous} → {status}",
        now=now,
    )
    _notify_referrer(referral, change)
    return change


def _notify_referrer(referral, change):
    contact = referral.referrer
    if contact is None or contact.partner_id != referral.partner_id:
        return None
    # A status after enrolment says whether the person came: without consent the referrer is not told.
    if change.to_status in REPORTED_STATUSES and not reporting_allowed(referral):
        return None
    language = "nl"
    with translation.override(language):
        context = {
            "participant": referral.name_for_referrer,
            "programme": referral.programme.name,
            "status": str(Status(change.to_status).label),
            "link": absolute_url(reverse("referrers:detail", args=[referral.pk])),
        }
        if change.intake_at:
            local = timezone.localtime(change.intake_at)
            when = f"{date_format(local, 'l j F Y')}, {local:%H:%M}"
            context["intake"] = f"{when}, {change.intake_place}" if change.intake_place else when
    return message_record_for_contact(
        kind=OutboxMessage.Kind.REFERRAL_STATUS,
        contact=contact,
        library=referral.library,
        key=f"{referral.pk}:{change.pk}",
        context=context,
        language=language,
    )


@transaction.atomic
def referral_enrol(*, referral, user, session=None, run=None, now=None):
    """Sign the referred participant up for a meeting or a course run, and mark the referral enrolled."""
    now = now or timezone.now()
    # Locked first, so that two members of staff enrolling at once do not both sign the person up.
    referral = (
        Referral.objects.select_for_update(of=("self",)).select_related("participant").get(pk=referral.pk)
    )
    if referral.status not in (Status.RECEIVED, Status.INTAKE_PLANNED, Status.ENROLLED):
        raise ReferralRefused(gettext("Only a referral that is not under way yet can be enrolled."))
    target = run or session
    if target is None or target.programme_id != referral.programme_id:
        raise ReferralRefused(gettext("Choose a meeting or course run of the referred programme."), "target")
    participant = referral.participant
    if not (participant.phone or participant.email):
        # registration_create finds the person by phone or e-mail; without them it would make a new one.
        raise ReferralRefused(gettext("This participant has no phone number or e-mail address."))
    result = registration_create(
        session=session,
        run=run,
        name=participant.name,
        phone=str(participant.phone or ""),
        email=participant.email,
        preferred_channel=participant.preferred_channel,
        source=Registration.Source.REFERRAL,
        language=participant.language,
        referral=referral,
        now=now,
    )
    registration = result.registration
    if registration.referral_id is None:
        Registration.objects.filter(pk=registration.pk).update(referral=referral)
        registration.referral = referral
    change = referral_status_change(
        referral=referral, status=Status.ENROLLED, user=user, registration=registration, now=now
    )
    return result, change
