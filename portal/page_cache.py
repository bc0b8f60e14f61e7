"""Short-lived caching of public pages for visitors who are not logged in.

The agenda, the home page and a meeting's page are the same for every anonymous visitor, except for
the CSRF token in their forms: the cached copy holds a placeholder that is filled in with this
visitor's own token on every hit. Pages carry a version per "scope" (all meetings, one meeting); a
change bumps the version after commit, so a new sign-up shows at once on the meeting's page, while
lists may lag by at most PUBLIC_PAGE_CACHE_SECONDS. A sign-up itself always counts live seats.
"""

import hashlib
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import patch_vary_headers

_TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")')
_PLACEHOLDER = b"\x00csrf\x00"


# The scopes whose pages name libraries, branches, partner sites and programmes (the agenda and a
# meeting's page; the free times with a coach): a change to any of those makes them all stale.
PLACE_AND_PROGRAMME_SCOPES = ("sessions", "appointments")


def _version_key(scope):
    return f"page-version:{scope}"


def page_versions_bump(*scopes):
    """Cached pages of these scopes are stale once the current transaction commits."""
    if scopes:
        transaction.on_commit(
            lambda: cache.set_many({_version_key(scope): time.time_ns() for scope in scopes}, timeout=None)
        )


def _has_messages(request):
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def cache_public_page(scopes):
    """Cache a GET view's page for anonymous visitors; ``scopes(request, **kwargs)`` lists its versions."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
            if (
                not seconds
                or request.method != "GET"
                or request.user.is_authenticated
                or _has_messages(request)
            ):
                return view(request, *args, **kwargs)
            version_keys = [_version_key(scope) for scope in scopes(request, *args, **kwargs)]
            raw = f"{request.get_full_path()}|{translation.get_language()}"
            key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
            # One round trip: the page is stored with the versions it was made under, and is used
            # only while they are still the current ones.
            found = cache.get_many([*version_keys, key])
            versions = [found.get(version_key, 0) for version_key in version_keys]
            cached = found.get(key)
            if cached is not None and cached[0] == versions:
                _versions, content_type, body = cached
                response = HttpResponse(
                    body.replace(_PLACEHOLDER, get_token(request).encode()), content_type=content_type
                )
                patch_vary_headers(response, ["Cookie"])
                return response
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                body = _TOKEN_FIELD.sub(rb"\1" + _PLACEHOLDER + rb"\2", response.content)
                cache.set(key, (versions, response["Content-Type"], body), seconds)
            return response

        return wrapper

    return decorator
