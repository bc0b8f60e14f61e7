import uuid

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.models import TimeStampedModel


class CourseRun(TimeStampedModel):
    """One run of a course or reading circle: one sign-up enrols a person in all its meetings."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="runs", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("For example: Zoek werk, spring 2027."))
    capacity = models.PositiveSmallIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    registration_closes_at = models.DateTimeField(
        _("sign-up closes"), null=True, blank=True, help_text=_("Empty: at the start of the first meeting.")
    )

    class Meta:
        verbose_name = _("course run")
        verbose_name_plural = _("course runs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="course_run_capacity_positive",
                violation_error_message=_("The number of places must be at least 1, or empty for no limit."),
            ),
        ]

    def __str__(self):
        return self.title


class Session(TimeStampedModel):
    """One meeting: a Walk & Talk evening, a course meeting, an hour of walk-in help."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        MOVED_ONLINE = "moved_online", _("Moved online")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="sessions", verbose_name=_("programme")
    )
    run = models.ForeignKey(
        CourseRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("course run"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    branch = models.ForeignKey(
        "programmes.Branch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("branch"),
    )
    partner_site = models.ForeignKey(
        "partners.PartnerSite",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("partner site"),
    )
    room = models.CharField(_("room"), max_length=100, blank=True)
    online_url = models.URLField(
        _("online meeting link"), blank=True, help_text=_("Only sent to people who signed up.")
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    topic = models.CharField(_("theme or topic"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.SCHEDULED)
    cancellation_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    registration_opens_at = models.DateTimeField(
        _("sign-up opens"), null=True, blank=True, help_text=_("Empty: open now.")
    )
    registration_closes_at = models.DateTimeField(
        _("sign-up closes"), null=True, blank=True, help_text=_("Empty: at the start.")
    )
    workers = models.ManyToManyField(
        "people.Worker",
        through="SessionRole",
        related_name="sessions",
        blank=True,
        verbose_name=_("hosts, volunteers and speakers"),
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(branch__isnull=True) | Q(partner_site__isnull=True),
                name="session_one_place",
                violation_error_message=_("Choose a branch or a partner site, not both."),
            ),
            models.CheckConstraint(
                condition=Q(branch__isnull=False) | Q(partner_site__isnull=False) | ~Q(online_url=""),
                name="session_has_place",
                violation_error_message=_("Choose a branch, a partner site or give an online link."),
            ),
            models.CheckConstraint(
                condition=~Q(status="moved_online") | ~Q(online_url=""),
                name="session_moved_online_has_link",
                violation_error_message=_("A meeting moved online needs its online link."),
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""),
                name="session_cancelled_has_reason",
                violation_error_message=_("Say why the meeting is cancelled."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="session_capacity_positive",
                violation_error_message=_("The number of places must be at least 1, or empty for no limit."),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="session_registration_window",
                violation_error_message=_("Sign-up must close after it opens."),
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.programme.name} – {local:%d-%m-%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("sessions:detail", kwargs={"pk": self.pk})

    @property
    def is_online(self):
        return self.status == self.Status.MOVED_ONLINE or (
            bool(self.online_url) and not self.branch_id and not self.partner_site_id
        )

    @property
    def place(self):
        """The branch or partner site, or None for an online meeting."""
        if self.is_online:
            return None
        return self.branch or self.partner_site

    @property
    def closes_at(self):
        return self.registration_closes_at or self.starts_at

    @property
    def seat_capacity(self):
        """The places that count: a course meeting has those of its course run."""
        return self.run.capacity if self.run_id else self.capacity

    @property
    def seats_left(self):
        """Free places, from the seat annotations of the selectors; None when there is no limit."""
        capacity, taken = self.seat_capacity, getattr(self, "seats_taken", None)
        if capacity is None or taken is None:
            return None
        return max(0, capacity - taken)


class SessionRole(models.Model):
    class Role(models.TextChoices):
        HOST = "host", _("Host")
        VOLUNTEER = "volunteer", _("Volunteer")
        SPEAKER = "speaker", _("Guest speaker")
        COACH = "coach", _("Coach")
        TEACHER = "teacher", _("Teacher")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="roles", verbose_name=_("meeting")
    )
    worker = models.ForeignKey(
        "people.Worker", on_delete=models.PROTECT, related_name="roles", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("role at a meeting")
        verbose_name_plural = _("roles at meetings")
        constraints = [
            models.UniqueConstraint(fields=["session", "worker", "role"], name="session_role_unique"),
        ]

    def __str__(self):
        return f"{self.worker.name}: {self.get_role_display()}"


class Registration(TimeStampedModel):
    """A participant's place at one meeting, or in a whole course run."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        DESK = "desk", _("At the desk")
        PHONE = "phone", _("By phone")
        REFERRAL = "referral", _("Referral")

    # Statuses that hold a seat.
    SEATED = (Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(
        "people.Participant",
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("participant"),
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("meeting"),
    )
    run = models.ForeignKey(
        CourseRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("course run"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    source = models.CharField(
        _("signed up via"), max_length=10, choices=Source.choices, default=Source.ONLINE
    )
    help_wanted = models.CharField(_("would like help with"), max_length=300, blank=True)
    referral = models.ForeignKey(
        "partners.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("referral"),
    )
    cancelled_at = models.DateTimeField(pgettext_lazy("registration", "cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(session__isnull=False, run__isnull=True)
                | Q(session__isnull=True, run__isnull=False),
                name="registration_session_or_run",
                violation_error_message=_("A registration is for one meeting or for one course run."),
            ),
            models.UniqueConstraint(
                fields=["participant", "session"],
                condition=~Q(status="cancelled") & Q(session__isnull=False),
                name="registration_once_per_session",
                violation_error_message=_("This person is already signed up for this meeting."),
            ),
            models.UniqueConstraint(
                fields=["participant", "run"],
                condition=~Q(status="cancelled") & Q(run__isnull=False),
                name="registration_once_per_run",
                violation_error_message=_("This person is already signed up for this course."),
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="registration_cancelled_has_time",
                violation_error_message=_("A cancelled registration needs the time it was cancelled."),
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(fields=["run", "status"]),
        ]

    def __str__(self):
        return f"{self.participant} – {self.session or self.run}"
