from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from phonenumber_field.modelfields import PhoneNumberField

from people.models import ContactChannel
from portal.models import AddressModel, FieldConstraintsMixin, TimeStampedModel


class PartnerOrganisation(TimeStampedModel):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        SHELTERED_EMPLOYMENT = "sheltered_employment", _("Sheltered-employment company")
        WORK_LEARNING = "work_learning", _("Work-learning company")
        TRAINING_PROVIDER = "training_provider", _("Training or content provider")
        COACHING_NETWORK = "coaching_network", _("Coaching network")
        LITERACY_ALLIANCE = "literacy_alliance", _("Literacy alliance")
        E_LEARNING = "e_learning", _("E-learning platform")
        EDUCATION = "education", _("School or college")

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("short name in web addresses"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    libraries = models.ManyToManyField(
        "programmes.Library",
        blank=True,
        related_name="partners",
        verbose_name=_("works with"),
    )

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnerSite(AddressModel, TimeStampedModel):
    """A partner's premises where the library holds meetings, intakes or outreach (IBN, Relim)."""

    partner = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="sites", verbose_name=_("partner")
    )
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        verbose_name = _("partner site")
        verbose_name_plural = _("partner sites")
        ordering = ["partner__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "name"], name="partner_site_unique_name"),
        ]

    def __str__(self):
        return f"{self.partner.name} – {self.name}"


class PartnerContact(FieldConstraintsMixin, TimeStampedModel):
    """A named contact at a partner: a consultant, a coordinator, a teacher."""

    # Where each constraint's message is shown in a form (portal.models.FieldConstraintsMixin).
    constraint_fields = {
        "partner_contact_reachable": "phone",
        "partner_contact_account_has_email": "email",
    }

    partner = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partner")
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = PhoneNumberField(_("phone number"), blank=True)
    # One account, one contact, one organisation: a consultant's account never reaches a second
    # organisation. Only the invitation (partners.services.consultant_invite) sets it.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_contact",
        verbose_name=_("account for the referral portal"),
    )
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["partner__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""),
                name="partner_contact_reachable",
                violation_error_message=_("Give an e-mail address or a phone number."),
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=True) | ~Q(email=""),
                name="partner_contact_account_has_email",
                violation_error_message=_("A consultant with an account logs in with an e-mail address."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.partner.name})"


class Agreement(FieldConstraintsMixin, TimeStampedModel):
    """What a library agreed with a partner, with a reach target ("about 30 people a year, three years")."""

    # Where each constraint's message is shown in a form (portal.models.FieldConstraintsMixin).
    constraint_fields = {
        "agreement_ends_after_start": "ends_on",
        "agreement_target_positive": "target_participants_per_year",
    }

    library = models.ForeignKey(
        "programmes.Library",
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("library organisation"),
    )
    partner = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("partner")
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("programme"),
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    target_participants_per_year = models.PositiveIntegerField(
        _("target: participants per year"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="agreement_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(target_participants_per_year__isnull=True)
                | Q(target_participants_per_year__gt=0),
                name="agreement_target_positive",
                violation_error_message=_("The target must be 1 or more participants."),
            ),
        ]

    def __str__(self):
        return self.title


class Referral(FieldConstraintsMixin, TimeStampedModel):
    """A municipality or partner sends a participant to a programme."""

    # Where each constraint's message is shown in a form (portal.models.FieldConstraintsMixin).
    constraint_fields = {
        "referral_consent_has_date": "consent_given_on",
        "referral_intake_has_date": "intake_at",
        "referral_stop_has_reason": "stop_reason",
        "referral_withdrawal_has_reason": "withdrawal_reason",
    }

    class Kind(models.TextChoices):
        VOLUNTARY = "voluntary", _("Voluntary")
        MANDATORY = "mandatory", _("Instructed by the municipality")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        INTAKE_PLANNED = "intake_planned", _("Intake planned")
        ENROLLED = "enrolled", _("Enrolled")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        STOPPED = "stopped", _("Stopped")
        NO_SHOW = "no_show", _("Did not come")
        # Final: the consultant ended the referral (partners.services.referral_withdraw).
        WITHDRAWN = "withdrawn", _("Withdrawn by the referrer")

    class WithdrawalReason(models.TextChoices):
        FOUND_WORK = "found_work", _("Found work")
        MOVED = "moved", _("Moved away")
        OTHER_HELP = "other_help", _("Gets other help or training")
        NOT_NOW = "not_now", _("Does not want to take part now")
        MISTAKE = "mistake", _("Referred by mistake")
        OTHER = "other", _("Another reason")

    library = models.ForeignKey(
        "programmes.Library",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("library organisation"),
    )
    partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("referred by"),
    )
    referrer = models.ForeignKey(
        PartnerContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("consultant"),
    )
    participant = models.ForeignKey(
        "people.Participant",
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("participant"),
    )
    # The referrer sees this name, never the library's record: the participant may already be known
    # to the library under the same phone number, and that record is not the referrer's to see.
    participant_name = models.CharField(_("name as given by the referrer"), max_length=150, blank=True)
    # The same for the contact details: what the consultant typed, shown back to them (and to staff),
    # never the library's record of the person.
    participant_phone = PhoneNumberField(_("phone number as given by the referrer"), blank=True)
    participant_email = models.EmailField(_("e-mail address as given by the referrer"), blank=True)
    participant_channel = models.CharField(
        _("way to be reached, as given by the referrer"),
        max_length=10,
        choices=ContactChannel.choices,
        blank=True,
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("programme"),
    )
    kind = models.CharField(_("voluntary or mandatory"), max_length=10, choices=Kind.choices)
    consent_contact = models.BooleanField(_("consents to be contacted by the library"), default=False)
    consent_report_attendance = models.BooleanField(
        _("consents to attendance being reported to the referrer"), default=False
    )
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    note = models.CharField(
        _("short note"),
        max_length=500,
        blank=True,
        help_text=_("No citizen service number (BSN), no medical or benefit details."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    status_changed_at = models.DateTimeField(_("status changed"), auto_now_add=True)
    intake_at = models.DateTimeField(_("intake date and time"), null=True, blank=True)
    intake_place = models.CharField(_("intake place"), max_length=200, blank=True)
    stop_reason = models.CharField(_("reason for stopping"), max_length=300, blank=True)
    withdrawal_reason = models.CharField(
        _("reason for withdrawing"), max_length=20, choices=WithdrawalReason.choices, blank=True
    )
    withdrawal_note = models.CharField(_("note with the withdrawal"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_contact=False, consent_report_attendance=False)
                | Q(consent_given_on__isnull=False),
                name="referral_consent_has_date",
                violation_error_message=_("Give the date on which the participant gave consent."),
            ),
            models.CheckConstraint(
                condition=~Q(status="intake_planned") | Q(intake_at__isnull=False),
                name="referral_intake_has_date",
                violation_error_message=_("A planned intake needs a date and time."),
            ),
            models.CheckConstraint(
                condition=~Q(status="stopped") | ~Q(stop_reason=""),
                name="referral_stop_has_reason",
                violation_error_message=_("Say why the referral stopped."),
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawal_reason=""),
                name="referral_withdrawal_has_reason",
                violation_error_message=_("Say why the referral was withdrawn."),
            ),
        ]
        indexes = [
            models.Index(fields=["library", "status"]),
            # The referral portal: an organisation's referrals, newest first, a page at a time.
            models.Index(fields=["partner", "-created_at", "-id"], name="referral_partner_newest_idx"),
        ]

    def __str__(self):
        return f"{self.participant} → {self.programme}"

    @property
    def name_for_referrer(self):
        return self.participant_name or self.participant.name

    def clean(self):
        # A mismatch would send another organisation's consultant news about this person.
        errors = {}
        if self.referrer_id and self.partner_id and self.referrer.partner_id != self.partner_id:
            errors["referrer"] = _("Choose a consultant of the organisation that referred.")
        if self.programme_id and self.library_id and self.programme.library_id != self.library_id:
            errors["programme"] = _("Choose a programme of this library organisation.")
        if self.participant_id and self.library_id and self.participant.library_id != self.library_id:
            errors["participant"] = _("Choose a participant of this library organisation.")
        if errors:
            raise ValidationError(errors)


class ReferralStatusChange(models.Model):
    """One step of a referral, with who took it and when. Written only by `referral_status_change`."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("referral")
    )
    from_status = models.CharField(
        pgettext_lazy("status change", "from"), max_length=20, choices=Referral.Status.choices, blank=True
    )
    to_status = models.CharField(
        pgettext_lazy("status change", "to"), max_length=20, choices=Referral.Status.choices
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    intake_at = models.DateTimeField(_("intake date and time"), null=True, blank=True)
    intake_place = models.CharField(_("intake place"), max_length=200, blank=True)
    stop_reason = models.CharField(_("reason for stopping"), max_length=300, blank=True)
    registration = models.ForeignKey(
        "programme_sessions.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registration"),
    )

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display() or '–'} → {self.get_to_status_display()}"


class ReferralAuditEvent(models.Model):
    """Who viewed, changed or exported which referral. Read-only for staff in the admin."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        VIEWED = "viewed", _("Viewed")
        CHANGED = "changed", _("Changed")
        EXPORTED = "exported", _("Exported")
        CORRECTED = "corrected", _("Corrected by the referrer")
        WITHDRAWN = "withdrawn", _("Withdrawn by the referrer")

    library = models.ForeignKey(
        "programmes.Library",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("library organisation"),
    )
    # Kept as a number too: the log outlives a referral that is erased with its participant.
    referral = models.ForeignKey(
        Referral,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("referral"),
    )
    referral_number = models.PositiveBigIntegerField(_("referral number"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    user_email = models.EmailField(_("e-mail address of the account"), blank=True)
    partner = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
        help_text=_("The consultant's organisation; empty for library staff."),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("referral audit event")
        verbose_name_plural = _("referral audit log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["library", "at"]),
            models.Index(fields=["referral_number", "at"]),
        ]

    def __str__(self):
        return f"{self.user_email or '–'}: {self.get_action_display()} #{self.referral_number}"
