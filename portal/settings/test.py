"""Tests run against a real PostgreSQL and a real Redis (see README)."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/portal")}
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CACHES = {
    "default": {
        "BACKEND": "portal.cache.RedisCache",
        "LOCATION": env("REDIS_CACHE_URL", default="redis://127.0.0.1:6379/14"),
        # A worker started by a test gets the test process's prefix (tests/test_outbox_wake.py).
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default=DATABASES["default"]["NAME"]),
    }
}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
SIGNUP_RATE_PER_IP = "1000/h"
# Off: tests see live pages; tests/test_page_cache.py turns it on.
PUBLIC_PAGE_CACHE_SECONDS = 0
SIGNUP_RATE_PER_CONTACT = "1000/h"
# Off: every due message queues a run of the dispatcher; tests/test_outbox_wake.py turns it on.
OUTBOX_WAKE_PENDING_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
WHITENOISE_AUTOREFRESH = True
PORTAL_REQUIRE_MFA = True
SMS_BACKEND = env("SMS_BACKEND", default="messaging.sms.backends.locmem.SmsBackend")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
