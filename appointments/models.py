import uuid
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.models import FieldConstraintsMixin, TimeStampedModel
from programmes.models import validate_reminder_hours


def _minutes(value):
    return value.hour * 60 + value.minute


class CoachProfile(FieldConstraintsMixin, TimeStampedModel):
    """A coach or volunteer who takes one-to-one appointments.

    The coach logs in with the account set on their worker record (Worker.user), so there is one
    place that says which account belongs to which person.
    """

    # Where each constraint's message is shown in a form (portal.models.FieldConstraintsMixin).
    constraint_fields = {
        "coach_profile_limit_positive": "max_future_appointments",
    }

    worker = models.OneToOneField(
        "people.Worker",
        on_delete=models.PROTECT,
        related_name="coach_profile",
        verbose_name=_("coach or volunteer"),
        limit_choices_to={"kind__in": ["coach", "volunteer"]},
        help_text=_("To let the coach log in and see their day, give the worker an account."),
    )
    public_title = models.CharField(
        _("shown to job seekers as"),
        max_length=100,
        default=_("Career coach"),
        help_text=_("For example: career coach, or volunteer career coach."),
    )
    public_name = models.CharField(
        _("name shown to job seekers"),
        max_length=100,
        blank=True,
        help_text=_("For example only a first name. Empty: no name is shown."),
    )
    max_future_appointments = models.PositiveSmallIntegerField(
        _("appointments one person may have at once"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("How many future appointments with this coach one person may book."),
    )
    reminder_hours = models.CharField(
        _("reminders (hours before the appointment)"),
        max_length=50,
        default="24,2",
        blank=True,
        validators=[validate_reminder_hours],
        help_text=_("Hours before the start, separated by commas. Empty: no reminders."),
    )
    feed_version = models.PositiveIntegerField(
        _("calendar link version"),
        default=1,
        editable=False,
        help_text=_("Raised to make the old private calendar link stop working."),
    )
    is_active = models.BooleanField(_("takes appointments"), default=True)

    class Meta:
        verbose_name = _("coach profile")
        verbose_name_plural = _("coach profiles")
        ordering = ["worker__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_future_appointments__gte=1),
                name="coach_profile_limit_positive",
                violation_error_message=_("Allow at least one appointment per person."),
            ),
        ]

    def __str__(self):
        return self.worker.name

    @property
    def library(self):
        return self.worker.library

    @property
    def reminder_offsets(self):
        return sorted({int(part) for part in self.reminder_hours.split(",") if part.strip()}, reverse=True)


class AvailabilityBlock(FieldConstraintsMixin, TimeStampedModel):
    """A block of time in which a coach takes appointments at one place, cut into slots."""

    # Where each constraint's message is shown in a form (portal.models.FieldConstraintsMixin).
    constraint_fields = {
        "availability_block_ends_after_start": "end_time",
        "availability_block_slot_positive": "slot_minutes",
        "availability_block_one_place": "partner_site",
    }

    coach = models.ForeignKey(
        CoachProfile, on_delete=models.PROTECT, related_name="blocks", verbose_name=_("coach")
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="availability_blocks",
        limit_choices_to={"format": "appointments"},
        verbose_name=_("programme"),
        help_text=_("For example: career coach in the Week van de Loopbaan."),
    )
    branch = models.ForeignKey(
        "programmes.Branch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="availability_blocks",
        verbose_name=_("branch"),
    )
    partner_site = models.ForeignKey(
        "partners.PartnerSite",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="availability_blocks",
        verbose_name=_("partner site"),
    )
    room = models.CharField(_("room"), max_length=100, blank=True)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("length of one appointment (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    pause_minutes = models.PositiveSmallIntegerField(
        _("pause between appointments (minutes)"), default=0, validators=[MaxValueValidator(120)]
    )
    topics = models.CharField(
        _("topics offered"),
        max_length=300,
        blank=True,
        help_text=_("Short, separated by commas. For example: practise a job interview, your CV."),
    )
    is_published = models.BooleanField(
        _("shown on the website"),
        default=True,
        help_text=_("Uncheck to hide the free times from job seekers."),
    )

    class Meta:
        verbose_name = _("availability block")
        verbose_name_plural = _("availability blocks")
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="availability_block_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gt=0),
                name="availability_block_slot_positive",
                violation_error_message=_("An appointment lasts at least one minute."),
            ),
            models.CheckConstraint(
                condition=Q(branch__isnull=False, partner_site__isnull=True)
                | Q(branch__isnull=True, partner_site__isnull=False),
                name="availability_block_one_place",
                violation_error_message=_("Choose a branch or a partner site (one of them)."),
            ),
        ]
        indexes = [models.Index(fields=["date", "is_published"])]

    def __str__(self):
        return f"{self.coach} – {self.date:%d-%m-%Y} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    @property
    def place(self):
        return self.branch or self.partner_site

    @property
    def topic_list(self):
        return [part.strip() for part in self.topics.split(",") if part.strip()]

    def local_datetime(self, value):
        return timezone.make_aware(datetime.combine(self.date, value))

    def clean(self):
        errors = {}
        coach = self.coach if self.coach_id else None
        library_id = coach.worker.library_id if coach else None
        if library_id and self.branch_id and self.branch.library_id != library_id:
            errors["branch"] = _("Choose a branch of the coach's library.")
        if library_id and self.programme_id and self.programme.library_id != library_id:
            errors["programme"] = _("Choose a programme of the coach's library.")
        if self.start_time and self.end_time and self.slot_minutes:
            length = _minutes(self.end_time) - _minutes(self.start_time)
            if 0 < length < self.slot_minutes:
                errors["end_time"] = _("The block is shorter than one appointment.")
        if errors:
            raise ValidationError(errors)


class Slot(models.Model):
    """One bookable time in a block. Booked slots survive when staff regenerate the block."""

    block = models.ForeignKey(
        AvailabilityBlock, on_delete=models.CASCADE, related_name="slots", verbose_name=_("block")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    is_withdrawn = models.BooleanField(
        _("no longer offered"),
        default=False,
        help_text=_("The block changed and this time is not in it any more."),
    )

    class Meta:
        verbose_name = _("appointment time")
        verbose_name_plural = _("appointment times")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["block", "starts_at"],
                name="slot_unique_start_per_block",
                violation_error_message=_("This block already has a time starting then."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="slot_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]
        indexes = [models.Index(fields=["starts_at", "id"], name="slot_start_idx")]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{local:%d-%m-%Y %H:%M}"


class Appointment(TimeStampedModel):
    """One person's appointment in one slot. At most one active appointment per slot."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", pgettext_lazy("appointment status", "Cancelled")
        ATTENDED = "attended", _("Came")
        NO_SHOW = "no_show", _("Did not come")

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        DESK = "desk", _("At the desk")
        PHONE = "phone", _("By phone")

    ACTIVE = (Status.BOOKED, Status.ATTENDED, Status.NO_SHOW)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("time")
    )
    participant = models.ForeignKey(
        "people.Participant",
        on_delete=models.CASCADE,
        related_name="appointments",
        verbose_name=_("participant"),
    )
    topic = models.CharField(_("wants to work on"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    source = models.CharField(_("booked via"), max_length=10, choices=Source.choices, default=Source.ONLINE)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("booked by staff member"),
    )
    cancelled_at = models.DateTimeField(pgettext_lazy("appointment", "cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["slot__starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=~Q(status="cancelled"),
                name="appointment_one_per_slot",
                violation_error_message=_("Someone already has this time."),
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="appointment_cancelled_has_time",
                violation_error_message=_("A cancelled appointment needs the time it was cancelled."),
            ),
        ]
        indexes = [models.Index(fields=["participant", "status"])]

    def __str__(self):
        return f"{self.participant} – {self.slot}"

    @property
    def is_active(self):
        return self.status != self.Status.CANCELLED
