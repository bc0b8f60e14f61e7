"""Development: SQLite and a file-system Celery broker unless DATABASE_URL / REDIS_URL say otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-secret")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
WHITENOISE_AUTOREFRESH = True
# Newcomers look around with the demo logins without an authenticator app; PORTAL_REQUIRE_MFA=true
# shows what staff and consultants get in production.
PORTAL_REQUIRE_MFA = env.bool("PORTAL_REQUIRE_MFA", default=False)
# The process-local cache here is not shared with the worker: show live pages while developing.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=0)
