"""Privacy contract: the name printed on a certificate is personal data of the participant."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Certificate


def _day(day):
    return formats.date_format(day, "j F Y")


def export(participant) -> dict[str, list[dict[str, str]]]:
    certificates = Certificate.objects.filter(participant=participant).order_by("issued_at", "pk")
    rows = [
        {
            _("Certificate number"): certificate.code,
            _("Kind"): certificate.get_kind_display(),
            _("Name on the certificate"): certificate.name,
            _("Programme"): certificate.programme_name,
            _("Meetings"): f"{_day(certificate.first_meeting_on)} – {_day(certificate.last_meeting_on)}",
            _("Meetings attended"): f"{certificate.meetings_attended} / {certificate.meetings_held}",
            _("Issued on"): _day(timezone.localdate(certificate.issued_at)),
        }
        for certificate in certificates
    ]
    return {_("Certificates"): rows}


def erase(participant) -> None:
    # The row stays, so that reports can still count the certificates given.
    Certificate.objects.filter(participant=participant).exclude(name="").update(name="")
