"""Production settings pass Django's deployment checks; every response carries the security headers."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories

BASE_DIR = Path(settings.BASE_DIR)
VENV_PYTHON = BASE_DIR / ".venv" / "bin" / "python"
PYTHON = str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable

# Variables the production settings read; the subprocess gets exactly the ones each test gives it.
PRODUCTION_VARIABLES = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_", "PORTAL_", "SMS_")


def production_env(**overrides):
    env = {key: value for key, value in os.environ.items() if not key.startswith(PRODUCTION_VARIABLES)}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="werk.bibliotheek.example",
        DATABASE_URL="postgres://portal:geheim@db.internal:5432/portal",
        REDIS_URL="redis://redis.internal:6379/0",
        PORTAL_BASE_URL="https://werk.bibliotheek.example",
        SMS_BACKEND="messaging.sms.backends.http.SmsBackend",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def check_deploy(env):
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def no_dotenv():
    """base.py reads a .env file; one on this machine would hide a missing variable."""
    if (BASE_DIR / ".env").exists():
        pytest.skip(".env exists in the project directory; it would feed settings to the subprocess")


def test_production_passes_check_deploy(no_dotenv):
    result = check_deploy(production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr and "?: (" not in result.stderr


def test_check_deploy_does_fail_on_a_warning(no_dotenv):
    """The fail level works: a weak secret key is reported (security.W009) and fails the command."""
    result = check_deploy(production_env(DJANGO_SECRET_KEY="kort"))
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_production_refuses_to_start_without_secret_key(no_dotenv):
    result = check_deploy(production_env(DJANGO_SECRET_KEY=None))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "variable", ["DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "PORTAL_BASE_URL", "SMS_BACKEND"]
)
def test_production_needs_its_other_variables(no_dotenv, variable):
    result = check_deploy(production_env(**{variable: None}))
    assert result.returncode != 0
    assert variable in result.stderr


# --- Security headers ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz"])
def test_security_headers(client, path):
    response = client.get(path)
    assert response.status_code in (200, 503)

    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"

    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


INLINE_CODE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>"),  # inline script
    re.compile(r"<style\b"),  # style element
    re.compile(r"\sstyle=\""),  # style attribute
    re.compile(r"\son[a-z]+=\""),  # event handler attribute
]


@pytest.mark.django_db
def test_our_admin_pages_contain_nothing_the_csp_blocks(staff_client):
    """Without 'unsafe-inline', inline scripts and styles would silently not work in the browser."""
    session = factories.SessionFactory(starts_at=factories.next_week_at_ten())
    factories.RegistrationFactory(session=session)
    pages = [
        reverse("admin:index"),
        reverse("admin:programmes_programme_generate_sessions", args=[session.programme.pk]),
        reverse("admin:programmes_programme_change", args=[session.programme.pk]),
        reverse("admin:programme_sessions_session_change", args=[session.pk]),
        reverse("admin:programme_sessions_session_changelist"),
    ]
    for page in pages:
        response = staff_client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        for pattern in INLINE_CODE:
            assert not pattern.search(html), (page, pattern.search(html).group(0))


# --- Language ------------------------------------------------------------------------------------


def test_default_language_is_dutch():
    assert settings.LANGUAGE_CODE == "nl"
    assert settings.LANGUAGES[0][0] == "nl"
    assert settings.TIME_ZONE == "Europe/Amsterdam"


@pytest.mark.django_db
def test_pages_are_dutch_without_a_language_preference(client):
    # Staff log in on allauth's page too (/admin/login/ redirects there).
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert response["Content-Language"] == "nl"
    html = response.content.decode()
    assert '<html lang="nl"' in html
    assert "Wachtwoord" in html  # allauth's own Dutch for "Password"
