"""/healthz answers for the load balancer: the real PostgreSQL and the real Redis broker."""

import pytest
from django.urls import reverse

from portal.celery import app as celery_app

CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broken_broker():
    """Point the Celery app at a port where nothing listens, and put the real broker back afterwards."""
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = CLOSED_PORT_BROKER
    try:
        yield
    finally:
        celery_app.conf.broker_url = original
    assert celery_app.conf.broker_url == original


@pytest.mark.django_db
def test_healthy_with_real_database_and_broker(client, settings):
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert celery_app.conf.broker_url.startswith("redis://")

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok",
        "database": {"ok": True, "detail": "postgresql"},
        "broker": {"ok": True, "detail": "redis"},
        "outbox": {"ok": True, "detail": "flowing"},
    }


@pytest.mark.django_db
def test_unhealthy_when_the_broker_is_unreachable(client, broken_broker):
    assert celery_app.conf.broker_write_url == CLOSED_PORT_BROKER

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == {"ok": True, "detail": "postgresql"}
    assert body["broker"]["ok"] is False
    assert body["broker"]["detail"]  # the kind of error, e.g. OperationalError


@pytest.mark.django_db
def test_broker_is_healthy_again_after_the_override(client):
    """Runs after the failing test (no random order): the fixture really put the broker back."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"]["ok"] is True


@pytest.mark.django_db
def test_only_get(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_unhealthy_when_messages_stop_going_out(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    from tests import factories

    settings.OUTBOX_STALL_SECONDS = 900
    factories.OutboxMessageFactory(due_at=timezone.now() - timedelta(minutes=5))  # waiting its turn
    assert client.get(reverse("healthz")).status_code == 200

    factories.OutboxMessageFactory(due_at=timezone.now() - timedelta(minutes=20))
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["outbox"] == {
        "ok": False,
        "detail": "a message has waited 20 minutes past its time",
    }
