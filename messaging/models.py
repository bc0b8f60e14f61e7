from django.db import models
from django.utils.translation import gettext_lazy as _

from people.models import ContactChannel


class OutboxMessage(models.Model):
    """A message the portal has decided to send, written in the transaction that causes it.

    The database is where a pending message lives; a dispatcher picks up rows that are due.
    """

    class Kind(models.TextChoices):
        REGISTRATION_CONFIRMED = "registration_confirmed", _("Registration confirmed")
        REGISTRATION_WAITLISTED = "registration_waitlisted", _("Placed on the waiting list")
        WAITLIST_PROMOTED = "waitlist_promoted", _("A place came free")
        REGISTRATION_CANCELLED = "registration_cancelled", _("Registration cancelled")
        PERSONAL_LINK = "personal_link", _("Personal link sent again")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
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
    registration = models.ForeignKey(
        "programme_sessions.Registration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("registration"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel.choices)
    language = models.CharField(_("language"), max_length=5, default="nl")
    context = models.JSONField(_("details"), default=dict, blank=True)
    due_at = models.DateTimeField(_("send at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["due_at"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_channel_display()})"
