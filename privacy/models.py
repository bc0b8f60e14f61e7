from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who viewed, exported, changed, erased or anonymised personal data, and when.

    Holds numbers and labels only, never the personal data itself, so it can outlive an erasure.
    """

    class Action(models.TextChoices):
        VIEWED = "viewed", _("Viewed")
        EXPORTED = "exported", _("Exported")
        CHANGED = "changed", _("Changed")
        ERASED = "erased", _("Erased")
        ANONYMISED = "anonymised", _("Anonymised")

    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # Kept as text too: the log outlives the account. Empty means the system (the nightly task).
    user_label = models.CharField(_("account"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    library = models.ForeignKey(
        "programmes.Library",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("library organisation"),
    )
    model_label = models.CharField(_("kind of record"), max_length=100)
    object_id = models.CharField(_("record number"), max_length=64)
    participant_number = models.PositiveBigIntegerField(_("participant number"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("privacy audit event")
        verbose_name_plural = _("privacy audit log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["library", "at"], name="privacy_audit_library_at_idx"),
            models.Index(fields=["participant_number", "at"], name="privacy_audit_participant_idx"),
            models.Index(fields=["model_label", "object_id"], name="privacy_audit_object_idx"),
        ]

    def __str__(self):
        return f"{self.user_label or '–'}: {self.get_action_display()} {self.model_label} #{self.object_id}"
