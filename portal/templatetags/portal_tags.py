from functools import lru_cache

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html

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
