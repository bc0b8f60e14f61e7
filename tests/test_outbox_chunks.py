"""Delivery in chunks: one task sends many messages, reading shared rows once, never a stale status."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from messaging.dispatch import outbox_claim_due
from messaging.models import OutboxMessage
from messaging.sms.backends import locmem
from messaging.tasks import send_messages
from tests.outbox_support import make_messages

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def outbox():
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


def statuses(messages):
    return sorted(
        OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).values_list("status", flat=True)
    )


def test_a_chunk_is_sent_with_few_queries_per_message(outbox):
    messages = make_messages(20)
    ids = outbox_claim_due()
    with CaptureQueriesContext(connection) as queries:
        send_messages(ids)
    assert statuses(messages) == ["sent"] * 20
    assert len(outbox) == 20
    # Per message: lock, update, and the transaction; the meeting and the text once per chunk.
    assert len(queries) <= 4 * 20 + 4


def test_the_meetings_of_a_chunk_are_read_in_one_query(outbox):
    messages = [message for _meeting in range(5) for message in make_messages(4)]  # five meetings
    ids = outbox_claim_due()
    with CaptureQueriesContext(connection) as queries:
        send_messages(ids)
    assert statuses(messages) == ["sent"] * 20
    meeting_reads = [q for q in queries.captured_queries if 'FROM "programme_sessions_session"' in q["sql"]]
    assert len(meeting_reads) == 1


def test_a_message_cancelled_after_the_chunk_was_read_is_not_sent(outbox, monkeypatch):
    first, second = make_messages(2)
    ids = outbox_claim_due()

    from messaging import dispatch, tasks

    real_preload = dispatch.messages_preload

    def preload_then_cancel(*, message_ids):
        cache = real_preload(message_ids=message_ids)
        OutboxMessage.objects.filter(pk=second.pk).update(status=OutboxMessage.Status.CANCELLED)
        return cache

    monkeypatch.setattr(tasks, "messages_preload", preload_then_cancel)
    send_messages(ids)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("sent", "cancelled")
    assert len(outbox) == 1


def test_a_chunk_stops_before_its_lease_runs_out(outbox, settings):
    messages = make_messages(3)
    ids = outbox_claim_due()
    settings.OUTBOX_LEASE_SECONDS = 0  # the deadline has passed before the first message
    send_messages(ids)
    assert statuses(messages) == ["queued"] * 3
    assert outbox == []
