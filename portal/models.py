from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AddressModel(models.Model):
    """A place people travel to: a library branch or a partner's site."""

    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(
        _("postcode"),
        max_length=7,
        help_text=_("For example 1234 AB."),
    )
    city = models.CharField(_("town or city"), max_length=100)
    directions = models.TextField(
        _("how to get there"),
        blank=True,
        help_text=_("Short and plain: entrance, floor, bus stop, parking, wheelchair access."),
    )

    class Meta:
        abstract = True

    @property
    def address(self):
        return f"{self.street}, {self.postcode} {self.city}"

    @property
    def route_url(self):
        from urllib.parse import quote_plus

        return f"https://www.openstreetmap.org/search?query={quote_plus(self.address)}"
