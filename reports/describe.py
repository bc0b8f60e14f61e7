"""The report's choices in words, for the page heading and the first table of an export."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partners.models import PartnerOrganisation
from programmes.models import Branch, Library, Programme


def scope_description(scope):
    """[(label, value)]: library, programme, branch, partner, period."""

    def name(model, pk, default):
        if not pk:
            return default
        return str(model.objects.filter(pk=pk).values_list("name", flat=True).first() or "–")

    if scope.library_ids is None:
        libraries = _("All libraries")
    else:
        libraries = ", ".join(
            Library.objects.filter(pk__in=list(scope.library_ids)).values_list("name", flat=True)
        )
    return [
        (_("Library organisation"), libraries or "–"),
        (_("Programme"), name(Programme, scope.programme_id, _("All programmes"))),
        (_("Branch"), name(Branch, scope.branch_id, _("All branches"))),
        (
            _("Partner or municipality"),
            name(PartnerOrganisation, scope.partner_id, _("All, also without referral")),
        ),
        (_("From"), date_format(scope.date_from, "j F Y")),
        (_("Up to and including"), date_format(scope.date_to, "j F Y")),
    ]


def scope_title(scope):
    parts = [value for label, value in scope_description(scope)[1:4] if value]
    period = f"{date_format(scope.date_from, 'd-m-Y')} – {date_format(scope.date_to, 'd-m-Y')}"
    return f"{', '.join(parts)}, {period}"[:300]
