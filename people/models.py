from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from portal.models import TimeStampedModel


class ContactChannel(models.TextChoices):
    SMS = "sms", _("Text message (SMS)")
    WHATSAPP = "whatsapp", _("WhatsApp")
    CALL = "call", _("Phone call")
    EMAIL = "email", _("E-mail")


PHONE_CHANNELS = [ContactChannel.SMS, ContactChannel.WHATSAPP, ContactChannel.CALL]


class Participant(TimeStampedModel):
    """A job seeker. Only what is needed to reach them: never a citizen service number (BSN).

    One person has one record per library organisation, so that one erasure removes them everywhere.
    """

    library = models.ForeignKey(
        "programmes.Library",
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("library organisation"),
    )
    name = models.CharField(_("name"), max_length=150)
    phone = PhoneNumberField(_("phone number"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    preferred_channel = models.CharField(
        _("preferred way to be reached"), max_length=10, choices=ContactChannel.choices, blank=True
    )
    language = models.CharField(
        _("language for messages"), max_length=5, choices=settings.LANGUAGES, default="nl"
    )
    registered_at_desk = models.BooleanField(
        _("registered at the desk"),
        default=False,
        help_text=_("Someone signed up in person or by phone and gave no contact details."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("account"),
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    # Set when names, contact details and free text were removed (retention or an erasure request).
    # The row stays, so that counts of sign-ups, attendance and referrals stay right.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["name"]
        permissions = [
            ("export_participant", _("Can download everything about a participant")),
            ("erase_participant", _("Can erase a participant now")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="")
                | ~Q(email="")
                | Q(registered_at_desk=True)
                | Q(anonymised_at__isnull=False),
                name="participant_reachable",
                violation_error_message=_("Give a phone number or an e-mail address."),
            ),
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=True) | Q(name="", phone="", email="", user__isnull=True),
                name="participant_anonymised_is_blank",
                violation_error_message=_(
                    "An anonymised participant has no name, contact details or account."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(preferred_channel="email") | ~Q(email=""),
                name="participant_email_channel_has_email",
                violation_error_message=_("To be reached by e-mail, give an e-mail address."),
            ),
            models.CheckConstraint(
                condition=~Q(preferred_channel__in=["sms", "whatsapp", "call"]) | ~Q(phone=""),
                name="participant_phone_channel_has_phone",
                violation_error_message=_("To be reached by phone, give a phone number."),
            ),
            models.UniqueConstraint(
                fields=["library", "phone"],
                condition=~Q(phone=""),
                name="participant_unique_phone_per_library",
                violation_error_message=_("Someone with this phone number is already known here."),
            ),
            models.UniqueConstraint(
                "library",
                Lower("email"),
                condition=~Q(email=""),
                name="participant_unique_email_per_library",
                violation_error_message=_("Someone with this e-mail address is already known here."),
            ),
        ]

    def __str__(self):
        if self.anonymised_at:
            return gettext("Anonymised participant #%(number)s") % {"number": self.pk}
        return self.name

    @property
    def is_anonymised(self):
        return self.anonymised_at is not None

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Consent(models.Model):
    """What a participant agreed to, when and how. Withdrawal takes effect at once."""

    class Purpose(models.TextChoices):
        CONTACT = "contact", _("The library may contact me about this activity")
        REPORT_TO_REFERRER = (
            "report_to_referrer",
            _("The library may tell the person who referred me whether I came"),
        )

    class Method(models.TextChoices):
        ONLINE = "online", _("Online form")
        DESK = "desk", _("At the desk")
        PHONE = "phone", _("By phone")
        REFERRAL = "referral", _("Through the referrer")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="consents", verbose_name=_("participant")
    )
    purpose = models.CharField(_("what was agreed"), max_length=30, choices=Purpose.choices)
    text = models.TextField(_("the words the person agreed to"))
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    given_at = models.DateTimeField(_("given"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]

    def __str__(self):
        return self.get_purpose_display()

    @property
    def is_active(self):
        return self.withdrawn_at is None


class Worker(TimeStampedModel):
    """Someone who runs things: staff, a volunteer, a guest speaker, a coach or a teacher.

    Contact details are for staff only; they are never shown on public pages.
    """

    class Kind(models.TextChoices):
        STAFF = "staff", _("Library staff")
        VOLUNTEER = "volunteer", _("Volunteer")
        SPEAKER = "speaker", _("Guest speaker")
        COACH = "coach", _("Coach")
        TEACHER = "teacher", _("Teacher")

    library = models.ForeignKey(
        "programmes.Library",
        on_delete=models.PROTECT,
        related_name="workers",
        verbose_name=_("library organisation"),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    organisation = models.ForeignKey(
        "partners.PartnerOrganisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workers",
        verbose_name=_("from partner"),
        help_text=_("For example the IBN teacher, or a speaker from a job centre."),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = PhoneNumberField(_("phone number"), blank=True)
    topics = models.TextField(
        _("skills and topics"), blank=True, help_text=_("For example: a brave career switch; writing a CV.")
    )
    availability = models.TextField(_("availability"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="worker",
        verbose_name=_("account"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("host, volunteer or speaker")
        verbose_name_plural = _("hosts, volunteers and speakers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["library", "name", "kind"], name="worker_unique_per_library"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"
