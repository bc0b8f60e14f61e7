from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from people.models import ContactChannel


class MessageKind(models.TextChoices):
    REGISTRATION_CONFIRMED = "registration_confirmed", _("Registration confirmed")
    REGISTRATION_WAITLISTED = "registration_waitlisted", _("Placed on the waiting list")
    WAITLIST_PROMOTED = "waitlist_promoted", _("A place came free")
    REGISTRATION_CANCELLED = "registration_cancelled", _("Registration cancelled")
    PERSONAL_LINK = "personal_link", _("Personal link sent again")
    REMINDER = "reminder", _("Reminder before a meeting")
    ONLINE_LINK = "online_link", _("Link to an online meeting")
    SESSION_CANCELLED = "session_cancelled", _("Meeting cancelled")
    SESSION_MOVED = "session_moved", _("Meeting moved to another time")
    SESSION_MOVED_ONLINE = "session_moved_online", _("Meeting moved online")
    STAFF_MESSAGE = "staff_message", _("Message from staff")
    REFERRAL_STATUS = "referral_status", _("Referral status changed")
    APPOINTMENT_CONFIRMED = "appointment_confirmed", _("Appointment booked")
    APPOINTMENT_CANCELLED = "appointment_cancelled", _("Appointment cancelled")
    APPOINTMENT_MOVED = "appointment_moved", _("Appointment moved to another time")
    APPOINTMENT_REMINDER = "appointment_reminder", _("Reminder before an appointment")


class OutboxMessage(models.Model):
    """A message the portal has decided to send, written in the transaction that causes it.

    The database is where a pending message lives: the dispatcher claims rows that are due and hands
    each to a Celery task, so a lost broker message is claimed again and nothing is lost.
    """

    Kind = MessageKind

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        QUEUED = "queued", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Not sent")

    library = models.ForeignKey(
        "programmes.Library",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("library organisation"),
    )
    participant = models.ForeignKey(
        "people.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("participant"),
    )
    contact = models.ForeignKey(
        "partners.PartnerContact",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("partner contact"),
    )
    registration = models.ForeignKey(
        "programme_sessions.Registration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("registration"),
    )
    session = models.ForeignKey(
        "programme_sessions.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("meeting"),
    )
    appointment = models.ForeignKey(
        "appointments.Appointment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("appointment"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=MessageKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel.choices)
    language = models.CharField(_("language"), max_length=5, default="nl")
    context = models.JSONField(_("details"), default=dict, blank=True)
    due_at = models.DateTimeField(_("send at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    queued_at = models.DateTimeField(_("handed to a worker"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    provider_id = models.CharField(_("provider's message id"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["due_at"]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=["pending", "queued"]),
                name="outbox_due_idx",
            ),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["due_at", "id"], name="outbox_due_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(participant__isnull=False) | Q(contact__isnull=False),
                name="outbox_has_recipient",
                violation_error_message=_("A message needs a participant or a partner contact."),
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="outbox_sent_has_time",
                violation_error_message=_("A sent message needs the time it was sent."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_channel_display()})"

    @property
    def recipient(self):
        return self.participant or self.contact


class MessageTemplate(models.Model):
    """Staff's own wording for a kind of message, replacing the built-in text without a deploy."""

    library = models.ForeignKey(
        "programmes.Library",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="message_templates",
        verbose_name=_("library organisation"),
        help_text=_("Empty: for every library that has no text of its own."),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=MessageKind.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="nl")
    subject = models.CharField(
        _("e-mail subject"), max_length=200, help_text=_("Only for e-mail. Text messages have no subject.")
    )
    body = models.TextField(
        _("text"),
        help_text=_(
            "Short sentences, one idea each. Put {{ date }}, {{ time }} and {{ place }} in that order. "
            "Other fields: {{ name }}, {{ programme }}, {{ topic }}, {{ link }}, {{ online_link }}, "
            "{{ position }}, {{ message }}, {{ reason }}, {{ library }}, {{ status }}, {{ coach }}."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("message text")
        verbose_name_plural = _("message texts")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["library", "kind", "language"],
                condition=Q(library__isnull=False),
                name="message_template_unique_per_library",
                violation_error_message=_("There is already a text for this kind of message and language."),
            ),
            models.UniqueConstraint(
                fields=["kind", "language"],
                condition=Q(library__isnull=True),
                name="message_template_unique_for_all",
                violation_error_message=_("There is already a text for this kind of message and language."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.language})"

    def clean(self):
        # Template errors surface here, when staff save, never when a message is sent.
        from .rendering import TemplateProblem, check_template

        for field in ("subject", "body"):
            try:
                check_template(getattr(self, field))
            except TemplateProblem as problem:
                raise ValidationError({field: str(problem)}) from problem
