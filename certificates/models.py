import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# No 0/O, 1/I/L: the number is read out over the phone and typed in by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_certificate_code():
    """A short verification code such as "K7QM-3XRA"; uniqueness is checked by the database."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


class Certificate(models.Model):
    """A certificate or diploma given for a course run, as it was printed.

    The texts that appear on paper are stored when it is issued, so that printing it again gives
    the same document even if the programme or the participant's record changes later.
    """

    class Kind(models.TextChoices):
        DIPLOMA = "diploma", _("Diploma")
        CERTIFICATE = "certificate", _("Certificate")

    code = models.CharField(
        _("certificate number"),
        max_length=9,
        unique=True,
        default=new_certificate_code,
        editable=False,
        help_text=_("Printed on the certificate, so that the library can check it."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, editable=False)
    library = models.ForeignKey(
        "programmes.Library",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("library organisation"),
        editable=False,
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("programme"),
        editable=False,
    )
    run = models.ForeignKey(
        "programme_sessions.CourseRun",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("course run"),
        editable=False,
    )
    participant = models.ForeignKey(
        "people.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("participant"),
        editable=False,
    )
    registration = models.ForeignKey(
        "programme_sessions.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("registration"),
        editable=False,
    )
    name = models.CharField(
        _("name on the certificate"),
        max_length=150,
        blank=True,
        help_text=_("Correct a spelling mistake here before printing again."),
    )
    programme_name = models.CharField(_("programme as printed"), max_length=150, editable=False)
    library_name = models.CharField(_("library as printed"), max_length=150, editable=False)
    place = models.CharField(_("place as printed"), max_length=300, blank=True, editable=False)
    first_meeting_on = models.DateField(_("first meeting"), editable=False)
    last_meeting_on = models.DateField(_("last meeting"), editable=False)
    meetings_attended = models.PositiveSmallIntegerField(_("meetings attended"), editable=False)
    meetings_held = models.PositiveSmallIntegerField(_("meetings held"), editable=False)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
        editable=False,
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "participant"],
                name="certificate_once_per_run_and_person",
                violation_error_message=_("This person already has a certificate for this course run."),
            ),
            models.CheckConstraint(
                condition=Q(last_meeting_on__gte=F("first_meeting_on")),
                name="certificate_dates_in_order",
                violation_error_message=_("The last meeting cannot be before the first."),
            ),
            models.CheckConstraint(
                condition=Q(meetings_attended__lte=F("meetings_held")) & Q(meetings_attended__gt=0),
                name="certificate_attended_within_held",
                violation_error_message=_(
                    "The meetings attended must be at least 1 and at most the meetings held."
                ),
            ),
        ]
        indexes = [models.Index(fields=["library", "-issued_at"], name="certificate_library_idx")]

    def __str__(self):
        return f"{self.code} – {self.name or _('(name removed)')}"
