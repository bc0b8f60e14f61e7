from functools import lru_cache

from crispy_forms.utils import render_crispy_form
from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import get_language

from portal.rendered import RenderedOnce

register = template.Library()


@register.simple_tag
def icon(name):
    """A decorative icon from the sprite; the text beside it carries the meaning."""
    # A page has a dozen or more icons, and finding the sprite's hashed name each time adds up.
    return _icon(name, settings.STATIC_URL)


@lru_cache(maxsize=128)
def _icon(name, _static_url):
    return format_html(
        '<svg class="icon" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        static("icons/icons.svg"),
        name,
    )


_EMPTY_FORMS = RenderedOnce(up_to=50)


@register.simple_tag
def crispy_fixed(form):
    """A form's markup, as ``{% crispy form %}`` gives it.

    An empty form marked ``fixed_when_empty`` (no choices read from the database, no initial values
    per visitor) looks the same on every page in a language, so it is rendered once per process.
    """
    if form.is_bound or not getattr(form, "fixed_when_empty", False):
        return render_crispy_form(form, helper=form.helper)
    return _EMPTY_FORMS.get(
        (type(form), get_language()), lambda: render_crispy_form(form, helper=form.helper)
    )
