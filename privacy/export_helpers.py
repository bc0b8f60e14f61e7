"""Turning model rows into readable label → value rows for a subject access export."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from phonenumber_field.phonenumber import PhoneNumber


def display(value):
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if isinstance(value, PhoneNumber):
        return value.as_national if value.country_code == 31 else value.as_international
    return str(value)


def label(model, field_name):
    return str(model._meta.get_field(field_name).verbose_name).capitalize()


def field_value(obj, field_name):
    field = obj._meta.get_field(field_name)
    if field.choices:
        return display(getattr(obj, f"get_{field_name}_display")())
    return display(getattr(obj, field.attname if not field.is_relation else field_name))


def row(obj, fields, **extra):
    """{label: value} for the given fields of obj, then any extra (label=value) pairs."""
    result = {label(type(obj), name): field_value(obj, name) for name in fields}
    result.update({key: display(value) for key, value in extra.items()})
    return result


def section_title(model):
    return str(model._meta.verbose_name_plural).capitalize()
