import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from portal.models import FieldConstraintsMixin, TimeStampedModel


class CourseRun(FieldConstraintsMixin, TimeStampedModel):
    """One run of a course or reading circle: one sign-up enrols a person in all its meetings."""

    # Where each constraint's message is shown in a form (portal.models.FieldConstraintsMixin).
    constraint_fields = {
        "course_run_capacity_positive": "capacity",
    }

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


class Session(FieldConstraintsMixin, TimeStampedModel):
    """One meeting: a Walk & Talk evening, a course meeting, an hour of walk-in help."""

    # Where each constraint's message is shown in a form (portal.models.FieldConstraintsMixin).
    constraint_fields = {
        "session_ends_after_start": "ends_at",
        "session_one_place": "partner_site",
        "session_has_place": "branch",
        "session_moved_online_has_link": "online_url",
        "session_cancelled_has_reason": "cancellation_reason",
        "session_capacity_positive": "capacity",
        "session_registration_window": "registration_closes_at",
    }

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
    show_speakers = models.BooleanField(
        _("show guest speakers on the website"),
        default=False,
        help_text=_("Their names appear on the meeting's public page. Contact details never do."),
    )
    materials = models.ManyToManyField(
        "programmes.ProgrammeMaterial",
        blank=True,
        related_name="sessions",
        verbose_name=_("material and scripts used"),
    )
    # The numbers of a meeting that took place, stored by `session_close` (and recomputed when it is
    # closed again or a mark changes afterwards). Empty until the meeting is closed.
    count_registered = models.PositiveIntegerField(
        _("expected"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("People with a place, not walk-ins."),
    )
    count_present = models.PositiveIntegerField(_("present"), null=True, blank=True, editable=False)
    count_walk_ins = models.PositiveIntegerField(_("walked in"), null=True, blank=True, editable=False)
    count_no_show = models.PositiveIntegerField(_("did not come"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

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
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            # Counting the meetings to come (the admin list opens on them) reads only this index.
            models.Index(fields=["starts_at", "ends_at"], name="session_start_end_idx"),
            models.Index(fields=["starts_at", "id"], name="session_start_idx"),
        ]

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
    # No index of their own: (session, status) and (run, status) below serve every lookup by either.
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("meeting"),
        db_index=False,
    )
    run = models.ForeignKey(
        CourseRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("course run"),
        db_index=False,
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
            models.Index(fields=["created_at"], name="registration_created_idx"),
        ]

    def __str__(self):
        return f"{self.participant} – {self.session or self.run}"


class Attendance(models.Model):
    """Whether a person came to one meeting: one row per registration and meeting.

    A sign-up for a single meeting gets one row; a sign-up for a course run gets one row for each
    meeting of the run. Walk-ins (people who came without signing up) are marked as such.
    """

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("registration")
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("meeting")
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    walk_in = models.BooleanField(
        _("walked in"), default=False, help_text=_("Came without signing up first.")
    )
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"],
                name="attendance_once_per_meeting",
                violation_error_message=_("This person is already marked for this meeting."),
            ),
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self):
        return f"{self.registration.participant} – {self.session}: {self.get_status_display()}"

    def clean(self):
        if not (self.registration_id and self.session_id):
            return
        registration, session = self.registration, self.session
        if registration.session_id and registration.session_id != session.pk:
            raise ValidationError(_("This registration is for another meeting."))
        if registration.run_id and registration.run_id != session.run_id:
            raise ValidationError(_("This registration is for a course run this meeting is not part of."))


def validate_walk_in_topics(value):
    """Only the fixed topic codes, each once: the list must never carry free text about a person."""
    known = set(WalkInVisit.Topic.values)
    if (
        not isinstance(value, list)
        or not all(isinstance(code, str) and code in known for code in value)
        or len(set(value)) != len(value)
    ):
        raise ValidationError(_("Choose topics from the list only."), code="invalid_topic")


class WalkInVisit(models.Model):
    """A tally of people helped at a walk-in hour (open learning centre): numbers and topics only.

    Walk-in hours record no personal data, so there is deliberately no field for a name, contact
    details or notes about a person.
    """

    class Topic(models.TextChoices):
        # Migration 0003 adds a PostgreSQL check that lists these codes: change both together.
        CV = "cv", _("CV")
        VACANCY = "vacancy", _("Responding to a vacancy")
        LETTER = "letter", _("Application letter")
        DIGITAL = "digital", _("Digital skills")
        LANGUAGE = "language", _("Language")
        OTHER = "other", _("Other")

    date = models.DateField(_("date"), default=timezone.localdate)
    branch = models.ForeignKey(
        "programmes.Branch",
        on_delete=models.PROTECT,
        related_name="walk_in_visits",
        verbose_name=_("branch"),
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="walk_in_visits",
        verbose_name=_("walk-in hour"),
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        related_name="walk_in_visits",
        limit_choices_to={"format": "walk_in"},
        verbose_name=_("programme"),
    )
    number_of_people = models.PositiveSmallIntegerField(_("number of people"), default=1)
    topics = models.JSONField(
        _("topics"),
        default=list,
        validators=[validate_walk_in_topics],
        help_text=_("What people wanted help with."),
    )
    volunteer = models.ForeignKey(
        "people.Worker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="walk_in_visits",
        verbose_name=_("volunteer on duty"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("counted by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("walk-in visit")
        verbose_name_plural = _("walk-in visits")
        ordering = ["-date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number_of_people__gt=0),
                name="walk_in_visit_people_positive",
                violation_error_message=_("Count at least one person."),
            ),
        ]
        indexes = [models.Index(fields=["date", "branch"])]

    def __str__(self):
        people = ngettext("%(count)d person", "%(count)d people", self.number_of_people) % {
            "count": self.number_of_people
        }
        return f"{self.date:%d-%m-%Y}, {people}"

    @property
    def topic_labels(self):
        labels = dict(self.Topic.choices)
        return [labels.get(code, code) for code in self.topics or []]

    def clean(self):
        errors = {}
        programme = self.programme if self.programme_id else None
        branch = self.branch if self.branch_id else None
        if programme is not None and not programme.is_walk_in:
            errors["programme"] = _("Choose a walk-in programme.")
        if programme is not None and branch is not None and programme.library_id != branch.library_id:
            errors["branch"] = _("Choose a branch of the library that runs the programme.")
        if self.session_id and programme is not None and self.session.programme_id != programme.pk:
            errors["session"] = _("This walk-in hour belongs to another programme.")
        if self.volunteer_id and branch is not None and self.volunteer.library_id != branch.library_id:
            errors["volunteer"] = _("Choose a volunteer of this library.")
        if errors:
            raise ValidationError(errors)
