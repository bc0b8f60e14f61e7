"""Settings shared by every environment. Values come from the environment (django-environ)."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "phonenumber_field",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_ratelimit",
    "portal",
    "programmes",
    "partners",
    "people",
    "sessions.apps.ProgrammeSessionsConfig",
    "messaging",
    "appointments",
    "certificates",
    "minilibrary",
    "reports",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Internationalisation: Dutch first, English available.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

PHONENUMBER_DEFAULT_REGION = "NL"
PHONENUMBER_DEFAULT_FORMAT = "E164"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# django-allauth: login by e-mail address. Consultants never sign up: library staff invite them
# (partners.services.consultant_invite); the adapter keeps sign-up closed to their addresses.
ACCOUNT_ADAPTER = "portal.account_adapter.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_RATE_LIMITS = {
    # A library PC or a municipal office shares one IP: limit per account more tightly than per IP, so
    # that one person guessing (or forgetting) a password does not lock out the whole office. Wrong
    # two-factor codes count as failed logins of that account too.
    "login": "60/m/ip",
    "login_failed": "20/m/ip,5/5m/key",
    "reset_password": "30/m/ip,3/5m/key",
    "reset_password_from_key": "30/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Werkportaal bibliotheek"
# Staff and consultants must set up an authenticator app before they see anything (RequireMFAMiddleware).
PORTAL_REQUIRE_MFA = env.bool("PORTAL_REQUIRE_MFA", default=True)
# Job seekers may make an account to see their sign-ups; consultants are invited instead.
PORTAL_PUBLIC_SIGNUP = env.bool("PORTAL_PUBLIC_SIGNUP", default=True)
LOGIN_REDIRECT_URL = "/"

# Celery: Redis in production and in the tests; a broker on the local disk when no Redis is configured.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "filesystem://localhost//"
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {}
    if REDIS_URL
    else {
        "data_folder_in": str(BASE_DIR / ".celery" / "queue"),
        "data_folder_out": str(BASE_DIR / ".celery" / "queue"),
        "control_folder": str(BASE_DIR / ".celery" / "control"),
    }
)
# The file-system broker does not make its folders; any command may publish a task.
for _folder in CELERY_BROKER_TRANSPORT_OPTIONS.values():
    Path(_folder).mkdir(parents=True, exist_ok=True)
# Redis is shared by every web process, so rate limits hold across them; without Redis (local
# development, one process) a process-local cache is enough.
CACHES = {
    "default": (
        {
            "BACKEND": "portal.cache.RedisCache",
            "LOCATION": env("REDIS_CACHE_URL", default=REDIS_URL),
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Django's own Redis cache increments atomically; django-ratelimit just does not list it.
SILENCED_SYSTEM_CHECKS = (
    ["django_ratelimit.W001"] if REDIS_URL else ["django_ratelimit.E003", "django_ratelimit.W001"]
)
RATELIMIT_VIEW = "sessions.views.rate_limited"
# Sign-ups: library PCs share one IP address, so the per-IP limit is generous and the per-contact one strict.
# Public pages for visitors who are not logged in are cached this long (0: off); see portal/page_cache.py.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=20)
SIGNUP_RATE_PER_IP = env("SIGNUP_RATE_PER_IP", default="60/h")
SIGNUP_RATE_PER_CONTACT = env("SIGNUP_RATE_PER_CONTACT", default="8/h")
# Referrals one consultant's account may send (the form checked and accepted) per period.
REFERRAL_RATE_PER_USER = env("REFERRAL_RATE_PER_USER", default="60/h")

CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task cut off by a lost broker connection is redelivered; the row lock and the idempotency key
# make that safe, and it is the default from Celery 6 on.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "dispatch-outbox": {"task": "messaging.tasks.dispatch_outbox", "schedule": 60.0},
    # Anonymise participants whose library's retention period has passed (daily, at night).
    "anonymise-expired-participants": {
        "task": "privacy.tasks.participants_anonymise_expired",
        "schedule": crontab(hour=3, minute=30),
    },
    # The mini-library's borrower labels (a first name or a partner's number) expire too.
    "minilibrary-borrower-labels": {
        "task": "minilibrary.tasks.borrower_labels_anonymise_expired",
        "schedule": crontab(hour=3, minute=45),
    },
}
CELERY_TASK_ALWAYS_EAGER = False

# Security headers that hold in every environment. No inline scripts or styles anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Logged-in pages read the session from the cache (Redis in production), the database only on a miss.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = False

MAILERS = {
    "default": {
        "BACKEND": env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
    }
}
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="werk@bibliotheek.example")

# Absolute links in messages (personal links, the agenda).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# Messages: SMS through a backend like Django's e-mail backends (console by default).
SMS_BACKEND = env("SMS_BACKEND", default="messaging.sms.backends.console.SmsBackend")
SMS_FILE_PATH = env("SMS_FILE_PATH", default=str(BASE_DIR / ".sms"))
SMS_HTTP_URL = env("SMS_HTTP_URL", default="")
SMS_HTTP_TOKEN = env("SMS_HTTP_TOKEN", default="")
SMS_HTTP_SENDER = env("SMS_HTTP_SENDER", default="Bibliotheek")
SMS_HTTP_TIMEOUT = env.float("SMS_HTTP_TIMEOUT", default=10)
# The outbox dispatcher: how many due rows one run claims, how long a claim lasts before the row is
# claimed again (a lost broker message or a dead worker), and how often a failing send is retried.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=500)
# Messages per delivery task (dispatch_outbox splits its claim into tasks of this size).
OUTBOX_SEND_CHUNK = env.int("OUTBOX_SEND_CHUNK", default=50)
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
# A queued run of the dispatcher stands for every message recorded before it starts; when no worker
# clears its mark, a new run is queued after this. 0: a run per message (needed when each process
# has a cache of its own, as without Redis).
OUTBOX_WAKE_PENDING_SECONDS = env.int("OUTBOX_WAKE_PENDING_SECONDS", default=30 if REDIS_URL else 0)
# /healthz reports an error when a due message has waited longer than this (the beat runs every minute).
OUTBOX_STALL_SECONDS = env.int("OUTBOX_STALL_SECONDS", default=900)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
