from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class FieldConstraintsMixin:
    """A check constraint's message next to the field it is about, not at the top of the form.

    ``constraint_fields`` maps a constraint's name to that field. When the form does not have the
    field (it is excluded from validation), the message stays at the top.
    """

    constraint_fields = {}

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            fields = {
                str(constraint.get_violation_error_message()): self.constraint_fields[constraint.name]
                for constraint in self._meta.constraints
                if constraint.name in self.constraint_fields
            }
            by_field = {}
            for field, errors in error.error_dict.items():
                for item in errors:
                    target = fields.get(str(item.message)) if field == NON_FIELD_ERRORS else None
                    if target is None or target in (exclude or ()):
                        target = field
                    by_field.setdefault(target, []).append(item)
            raise ValidationError(by_field) from None


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
