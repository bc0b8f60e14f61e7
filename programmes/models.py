from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from portal.models import AddressModel, FieldConstraintsMixin, TimeStampedModel


def validate_reminder_hours(value):
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not all(part.isdigit() and 1 <= int(part) <= 24 * 14 for part in parts):
        raise ValidationError(
            _("Give whole hours between 1 and 336, separated by commas, for example 24,2."), code="invalid"
        )


class Library(TimeStampedModel):
    """A library organisation: the tenant that runs programmes and holds its participants' data."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("short name in web addresses"), max_length=80, unique=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = PhoneNumberField(_("phone number"), blank=True)
    retention_months = models.PositiveSmallIntegerField(
        _("keep participant data for (months after the last activity)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("After this time names and contact details are removed. The counts in reports stay."),
    )

    class Meta:
        verbose_name = _("library organisation")
        verbose_name_plural = _("library organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Branch(AddressModel, TimeStampedModel):
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="branches", verbose_name=_("library organisation")
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name in web addresses"), max_length=80)
    phone = PhoneNumberField(_("phone number"), blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["library__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["library", "slug"], name="branch_unique_slug_per_library"),
            models.UniqueConstraint(fields=["library", "name"], name="branch_unique_name_per_library"),
        ]

    def __str__(self):
        return self.name


class Programme(FieldConstraintsMixin, TimeStampedModel):
    # Where each constraint's message is shown in a form (portal.models.FieldConstraintsMixin).
    constraint_fields = {
        "programme_walk_in_without_registration": "registration_required",
        "programme_course_has_meetings": "number_of_meetings",
        "programme_capacity_positive": "default_capacity",
        "programme_walk_in_no_referrals": "accepts_referrals",
    }

    class Format(models.TextChoices):
        GROUP_MEETING = "group_meeting", _("Recurring group meeting")
        COURSE = "course", _("Course with a fixed number of meetings")
        WORKSHOP = "workshop", _("Workshop from a partner's script")
        APPOINTMENTS = "appointments", _("One-to-one appointments")
        WALK_IN = "walk_in", _("Walk-in hours without registration")
        READING_CIRCLE = "reading_circle", _("Reading circle")
        OUTREACH = "outreach", _("Outreach at a partner's site")

    class LanguageLevel(models.TextChoices):
        ANY = "", _("No particular level")
        A1 = "A1", "A1"
        A2 = "A2", "A2"
        B1 = "B1", "B1"
        B2 = "B2", "B2"
        C1 = "C1", "C1"
        C2 = "C2", "C2"

    class LanguageGroup(models.TextChoices):
        ANY = "", _("Everyone")
        NT1 = "NT1", _("NT1: Dutch is the first language")
        NT2 = "NT2", _("NT2: learning Dutch as a second language")

    class Delivery(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In person and online")

    class Rhythm(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        TWICE_MONTHLY = "twice_monthly", _("Twice a month")
        EVERY_FOUR_WEEKS = "every_four_weeks", _("Every four weeks")
        MONTHLY = "monthly", _("Every month")
        TWICE_YEARLY = "twice_yearly", _("Twice a year")
        YEARLY = "yearly", _("Once a year")
        BY_APPOINTMENT = "by_appointment", _("By appointment")
        IRREGULAR = "irregular", _("Now and then")

    # Formats where one sign-up covers every meeting of a run.
    ENROLMENT_FORMATS = (Format.COURSE, Format.READING_CIRCLE)

    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("library organisation")
    )
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name in web addresses"), max_length=80)
    summary = models.CharField(
        _("summary"), max_length=200, help_text=_("One short sentence in plain Dutch.")
    )
    description = models.TextField(
        _("description"), help_text=_("What it is, in short sentences and common words.")
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    audience = models.TextField(
        _("who it is for"),
        blank=True,
        help_text=_("For example: people looking for work or a career switch."),
    )
    language_level = models.CharField(
        _("language level"), max_length=2, choices=LanguageLevel.choices, blank=True, default=""
    )
    language_group = models.CharField(
        _("language group"), max_length=3, choices=LanguageGroup.choices, blank=True, default=""
    )
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.IN_PERSON
    )
    rhythm = models.CharField(_("usual rhythm"), max_length=20, choices=Rhythm.choices)
    number_of_meetings = models.PositiveSmallIntegerField(
        _("number of meetings"),
        null=True,
        blank=True,
        help_text=_("For a course or reading circle: how many meetings one run has."),
    )
    session_duration = models.DurationField(
        _("usual length of a meeting"), null=True, blank=True, help_text=_("For example 1:30:00.")
    )
    default_capacity = models.PositiveSmallIntegerField(
        _("usual number of places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    registration_required = models.BooleanField(_("registration needed"), default=True)
    accepts_referrals = models.BooleanField(_("accepts referrals"), default=False)
    referring_partners = models.ManyToManyField(
        "partners.PartnerOrganisation",
        blank=True,
        related_name="referable_programmes",
        verbose_name=_("may refer participants"),
        help_text=_("Municipalities and partners whose consultants may refer people to this programme."),
    )
    delivering_partners = models.ManyToManyField(
        "partners.PartnerOrganisation",
        blank=True,
        related_name="delivered_programmes",
        verbose_name=_("delivered with"),
        help_text=_("Partners who provide content, scripts, teachers or a place."),
    )
    default_branch = models.ForeignKey(
        Branch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("usual branch"),
    )
    what_to_bring = models.TextField(_("what to bring"), blank=True)
    is_published = models.BooleanField(
        _("shown on the website"), default=True, help_text=_("Uncheck to hide it from job seekers.")
    )
    reminder_hours = models.CharField(
        _("reminders (hours before the start)"),
        max_length=50,
        default="24,2",
        blank=True,
        validators=[validate_reminder_hours],
        help_text=_(
            "Hours before the start, separated by commas. 24,2 is one day and two hours before. Empty: none."
        ),
    )
    online_link_minutes_before = models.PositiveSmallIntegerField(
        _("send the online link (minutes before the start)"), default=30
    )
    certificate_min_attendance = models.PositiveSmallIntegerField(
        _("certificate from attendance (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Leave empty for no certificate. Otherwise: the share of a run's meetings a person must attend."
        ),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["library__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["library", "slug"], name="programme_unique_slug_per_library"),
            models.CheckConstraint(
                condition=~Q(format="walk_in") | Q(registration_required=False),
                name="programme_walk_in_without_registration",
                violation_error_message=_("Walk-in hours never need registration."),
            ),
            models.CheckConstraint(
                condition=~Q(format__in=["course", "reading_circle"])
                | Q(number_of_meetings__isnull=False, number_of_meetings__gt=0),
                name="programme_course_has_meetings",
                violation_error_message=_("A course or reading circle needs its number of meetings."),
            ),
            models.CheckConstraint(
                condition=Q(default_capacity__isnull=True) | Q(default_capacity__gt=0),
                name="programme_capacity_positive",
                violation_error_message=_("The number of places must be at least 1, or empty for no limit."),
            ),
            models.CheckConstraint(
                condition=~Q(format="walk_in") | Q(accepts_referrals=False),
                name="programme_walk_in_no_referrals",
                violation_error_message=_(
                    "Walk-in hours cannot take referrals: they record no personal data."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:detail", kwargs={"library": self.library.slug, "slug": self.slug})

    @property
    def is_enrolment(self):
        """One sign-up covers all meetings of a run (a course or a reading circle)."""
        return self.format in self.ENROLMENT_FORMATS

    @property
    def is_walk_in(self):
        return self.format == self.Format.WALK_IN

    @property
    def reminder_offsets(self):
        return sorted({int(part) for part in self.reminder_hours.split(",") if part.strip()}, reverse=True)


class ProgrammeMaterial(FieldConstraintsMixin, TimeStampedModel):
    # Where each constraint's message is shown in a form (portal.models.FieldConstraintsMixin).
    constraint_fields = {
        "material_has_link_or_file": "url",
    }

    class Kind(models.TextChoices):
        COURSE_MATERIAL = "course_material", _("Course material")
        SCRIPT = "script", _("Script (draaiboek)")
        E_LEARNING = "e_learning", _("E-learning")
        OTHER = "other", _("Other")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="materials", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COURSE_MATERIAL)
    provider = models.ForeignKey(
        "partners.PartnerOrganisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("made by"),
    )
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="materials/%Y/", blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("course material or script")
        verbose_name_plural = _("course material and scripts")
        ordering = ["programme", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file=""),
                name="material_has_link_or_file",
                violation_error_message=_("Give a link or upload a file."),
            ),
        ]

    def __str__(self):
        return self.title


class LibraryMembership(models.Model):
    """A staff member works for a library organisation and sees only its data in the admin."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="library_memberships",
        verbose_name=_("staff member"),
    )
    library = models.ForeignKey(
        Library, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("library organisation")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "library"], name="library_membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} – {self.library}"
