"""Outbox delivery with a real Redis broker and a real Celery worker: once, and nothing lost.

Every test here commits its rows (transaction=True) so that a `celery -A portal worker` subprocess sees
them, publishes `dispatch_outbox` to a redis-server of its own, and waits for the outcome in the
database. Broker and worker are killed on purpose in some tests: the database is where a pending message
lives, the lease makes a lost claim claimable again, and the idempotency key keeps a repeated send from
reaching the phone twice. See tests/outbox_support.py for the machinery.
"""

import signal
import threading
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from messaging.dispatch import message_deliver, outbox_claim_due
from messaging.models import OutboxMessage
from messaging.sms.backends.filebased import read_all
from messaging.tasks import dispatch_outbox
from tests import factories
from tests.outbox_support import (
    Status,
    describe_state,
    make_messages,
    publish,
    publish_ignoring_outage,
    run_in_threads,
    status_counts,
    wait_for,
)

# The fixtures: broker, start_worker, sms_provider, sms_dir.
pytest_plugins = ["tests.conftest_outbox"]
pytestmark = pytest.mark.django_db(transaction=True)

DISPATCH = "messaging.tasks.dispatch_outbox"


def sent_count():
    return OutboxMessage.objects.filter(status=Status.SENT).count()


def all_sent(n):
    def all_sent():
        return sent_count() == n

    return all_sent


def nothing_left_to_do():
    return not OutboxMessage.objects.filter(status__in=[Status.PENDING, Status.QUEUED]).exists()


def assert_sent_once(messages):
    """Every one of these rows is SENT, with the time it was sent and no error left on it."""
    rows = OutboxMessage.objects.filter(pk__in=[m.pk for m in messages])
    assert rows.count() == len(messages)
    assert set(rows.values_list("status", flat=True)) == {Status.SENT}
    assert not rows.filter(sent_at__isnull=True).exists()
    assert not rows.exclude(last_error="").exists()


class TestDueMessages:
    def test_due_messages_are_sent_exactly_once_and_future_ones_wait(self, broker, start_worker, sms_dir):
        due = make_messages(50)
        future = make_messages(5, due_at=timezone.now() + timedelta(hours=1))
        worker = start_worker(backend="file", sms_dir=sms_dir)

        task_id = publish(broker, dispatch_outbox)

        assert worker.task_result(DISPATCH, task_id) == "50"
        wait_for(all_sent(50), describe=lambda: describe_state(worker))
        assert_sent_once(due)
        files = read_all(sms_dir)
        assert len(files) == 50
        assert sorted(m.idempotency_key for m in files) == sorted(m.idempotency_key for m in due)
        by_key = {m.idempotency_key: m for m in files}
        for message in OutboxMessage.objects.filter(pk__in=[m.pk for m in due]).select_related("participant"):
            assert message.attempts == 1
            assert message.provider_id == message.idempotency_key  # what the file backend answers
            assert by_key[message.idempotency_key].to == str(message.participant.phone)
            assert by_key[message.idempotency_key].body.startswith("Hallo ")

        # Another run finds nothing due: the sent ones are not sent again, the future ones still wait.
        assert worker.task_result(DISPATCH, publish(broker, dispatch_outbox)) == "0"
        future_rows = OutboxMessage.objects.filter(pk__in=[m.pk for m in future])
        assert set(future_rows.values_list("status", "queued_at", "attempts")) == {(Status.PENDING, None, 0)}
        assert len(read_all(sms_dir)) == 50


def assert_delivered_once_each(provider, messages):
    """The provider delivered each row's key exactly once, and each row records the id it was given."""
    delivered = provider.delivered_keys()
    assert len(delivered) == len(set(delivered)) == len(messages)
    assert set(delivered) == {m.idempotency_key for m in messages}
    ids = {m["idempotency_key"]: m["id"] for m in provider.messages}
    rows = OutboxMessage.objects.filter(pk__in=[m.pk for m in messages])
    assert {row.idempotency_key: row.provider_id for row in rows} == ids


class TestBrokerOutage:
    def test_redis_killed_mid_dispatch_and_restarted_loses_and_repeats_nothing(
        self, broker, start_worker, sms_provider
    ):
        messages = make_messages(200)
        sms_provider.delay = 0.02  # so that sending 200 takes a few seconds, and the kill lands mid-way
        worker = start_worker(backend="http", provider=sms_provider)

        publish(broker, dispatch_outbox)
        wait_for(lambda: sent_count() >= 30, describe=lambda: describe_state(worker, sms_provider))
        broker.kill(signal.SIGKILL)  # with every queued send_message task in it
        sent_at_kill = sent_count()
        assert sent_at_kill < 200, "everything was sent before the broker died: the test proved nothing"
        broker.start()  # same port, empty: no persistence
        restarted_at = timezone.now()
        assert broker.client().llen("celery") == 0

        # As beat would: dispatch every second. Rows still queued from before the crash are claimed
        # again once their lease (5 s) has run out.
        wait_for(
            all_sent(200),
            tick=lambda: publish_ignoring_outage(broker, dispatch_outbox),
            tick_every=1.0,
            describe=lambda: describe_state(worker, sms_provider),
        )
        assert_sent_once(messages)
        assert_delivered_once_each(sms_provider, messages)
        # A lost task never reached the provider. (Today no send is even repeated: running tasks finish
        # while the broker is away. Celery 6 is to cancel them on connection loss; the key covers that.)
        assert sms_provider.requests >= 200
        reclaimed = OutboxMessage.objects.filter(pk__in=[m.pk for m in messages], queued_at__gte=restarted_at)
        assert reclaimed.count() > 0  # the lease, not the broker, brought them back
        assert worker.alive()

    def test_dispatch_with_the_broker_down_hands_its_claims_back(self, broker, start_worker, sms_dir):
        messages = make_messages(20)
        broker.kill(signal.SIGKILL)

        # The task's body, run here: it claims the rows, cannot enqueue the first one, gives them all back.
        with pytest.raises(OperationalError):
            dispatch_outbox()
        assert status_counts() == {Status.PENDING: 20}
        assert not OutboxMessage.objects.filter(queued_at__isnull=False).exists()

        broker.start()
        worker = start_worker(backend="file", sms_dir=sms_dir)
        assert worker.task_result(DISPATCH, publish(broker, dispatch_outbox)) == "20"
        wait_for(all_sent(20), describe=lambda: describe_state(worker))
        assert_sent_once(messages)
        assert {f.idempotency_key for f in read_all(sms_dir)} == {m.idempotency_key for m in messages}


class TestWorkerCrash:
    def test_worker_killed_mid_batch_loses_nothing_and_delivers_nothing_twice(
        self, broker, start_worker, sms_provider
    ):
        messages = make_messages(40)
        sms_provider.delay = 0.3  # each send spends most of its time waiting for the provider's answer
        first = start_worker(backend="http", provider=sms_provider)
        publish(broker, dispatch_outbox)

        def mid_request():
            # Eight sent, and a request that reached the provider less than 0.1 s ago (0.2 s from its answer).
            if sent_count() < 8:
                return None
            with sms_provider._lock:
                now = time.monotonic()
                return [key for key, since in sms_provider.in_flight.items() if now - since < 0.1]

        # Beat's ticks: a chunk stops before its rows' lease runs out, and the rest are claimed again.
        wait_for(
            mid_request,
            interval=0.01,
            tick=lambda: publish(broker, dispatch_outbox),
            tick_every=1.0,
            describe=lambda: describe_state(first, sms_provider),
        )
        first.kill(signal.SIGKILL)  # the main process and both pool processes, mid-request
        with sms_provider._lock:
            # Requests the provider has not answered yet: their sender is gone and never learns the answer.
            stranded = list(sms_provider.in_flight)
        assert not first.alive()
        assert stranded, "the kill did not land during a request"
        assert sent_count() < 40

        second = start_worker(backend="http", provider=sms_provider)
        wait_for(
            all_sent(40),
            tick=lambda: publish_ignoring_outage(broker, dispatch_outbox),
            tick_every=1.0,
            describe=lambda: describe_state(second, sms_provider),
        )
        assert_sent_once(messages)
        assert_delivered_once_each(sms_provider, messages)
        # The provider delivered the stranded sends; the new worker sent them again with the same key
        # and the provider answered with the first id instead of delivering them twice.
        per_key = sms_provider.requests_per_key()
        for key in stranded:
            assert per_key[key] >= 2
            assert sms_provider.delivered_keys().count(key) == 1
        assert sms_provider.requests >= 40 + len(stranded)


class TestConcurrentDispatchers:
    def test_two_claims_at_once_take_disjoint_rows_and_together_all_due_ones(self):
        due = make_messages(150)
        make_messages(5, due_at=timezone.now() + timedelta(hours=1))

        def claim_until_empty():
            claimed = []
            while ids := outbox_claim_due(limit=7):
                claimed.extend(ids)
            return claimed

        first, second = run_in_threads([claim_until_empty, claim_until_empty])

        assert first and second, "one thread claimed everything: they never ran side by side"
        assert len(first) == len(set(first)) and len(second) == len(set(second))
        assert set(first).isdisjoint(second)
        assert set(first) | set(second) == {m.pk for m in due}
        assert status_counts() == {Status.QUEUED: 150, Status.PENDING: 5}

    def test_a_claim_skips_a_row_whose_delivery_holds_its_lock(self):
        [message] = make_messages(1)
        assert outbox_claim_due() == [message.pk]
        long_after = timezone.now() + timedelta(hours=1)  # its lease has long run out
        locked, release = threading.Event(), threading.Event()

        def deliver_slowly():
            # What message_deliver does while it waits for the provider: hold the row's lock.
            with transaction.atomic():
                OutboxMessage.objects.select_for_update().get(pk=message.pk)
                locked.set()
                release.wait(10)

        holder = threading.Thread(target=lambda: run_in_threads([deliver_slowly]))
        holder.start()
        try:
            assert locked.wait(10)
            assert outbox_claim_due(now=long_after) == []
        finally:
            release.set()
            holder.join()
        assert outbox_claim_due(now=long_after) == [message.pk]

    def test_dispatch_tasks_running_side_by_side_claim_each_row_once(self, broker, start_worker, sms_dir):
        messages = make_messages(100)
        # Small batches, so that several dispatch runs are needed; a long lease, so that nothing is
        # claimed twice legitimately and the claimed counts must add up to exactly 100.
        worker = start_worker(backend="file", sms_dir=sms_dir, OUTBOX_BATCH_SIZE=30, OUTBOX_LEASE_SECONDS=300)

        task_ids = [publish(broker, dispatch_outbox) for _ in range(4)]  # two pool processes: two at a time

        claimed = [int(worker.task_result(DISPATCH, task_id)) for task_id in task_ids]
        assert sum(claimed) == 100
        assert max(claimed) <= 30
        wait_for(all_sent(100), describe=lambda: describe_state(worker))
        assert_sent_once(messages)
        assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
        files = read_all(sms_dir)
        assert len(files) == 100
        assert {f.idempotency_key for f in files} == {m.idempotency_key for m in messages}


class TestProviderErrors:
    def test_a_temporary_error_is_retried_with_backoff_then_sent_once(
        self, broker, start_worker, sms_provider
    ):
        [message] = make_messages(1)
        sms_provider.fail_next(2, status=503)
        worker = start_worker(backend="http", provider=sms_provider)  # retry base 1 s: waits of 1 s, 2 s

        wait_for(
            all_sent(1),
            tick=lambda: publish(broker, dispatch_outbox),
            tick_every=0.25,
            describe=lambda: describe_state(worker, sms_provider),
        )
        message.refresh_from_db()
        assert message.status == Status.SENT
        assert message.attempts == 3
        assert message.last_error == ""
        assert message.sent_at is not None
        assert [status for _, _, status in sms_provider.request_log] == [503, 503, 201]
        assert_delivered_once_each(sms_provider, [message])
        times = [at for at, _, _ in sms_provider.request_log]
        # due_at = start of the failed attempt + 1 s, then + 2 s; the dispatcher ticks every 0.25 s.
        assert times[1] - times[0] >= 0.9
        assert times[2] - times[1] >= 1.9

    def test_a_permanent_error_fails_the_message_without_holding_up_the_others(
        self, broker, start_worker, sms_provider
    ):
        messages = make_messages(10)
        rejected, landline, fine = messages[0], messages[1], messages[2:]
        rejected_number = str(rejected.participant.phone)
        sms_provider.reject(rejected_number, error="Dit nummer is niet in gebruik")
        Participant = type(landline.participant)
        Participant.objects.filter(pk=landline.participant_id).update(phone="+31201234567")
        worker = start_worker(backend="http", provider=sms_provider)

        publish(broker, dispatch_outbox)
        wait_for(nothing_left_to_do, describe=lambda: describe_state(worker, sms_provider))

        rejected.refresh_from_db()
        assert (rejected.status, rejected.attempts, rejected.sent_at) == (Status.FAILED, 1, None)
        assert rejected.last_error == "Dit nummer is niet in gebruik"
        landline.refresh_from_db()
        assert (landline.status, landline.attempts, landline.sent_at) == (Status.FAILED, 1, None)
        assert landline.last_error == (
            "The number +31201234567 is a landline, which cannot receive SMS messages; "
            "a Dutch mobile number (06…) is needed."
        )
        assert_sent_once(fine)
        assert_delivered_once_each(sms_provider, fine)
        assert sms_provider.requests == 9  # the landline never left the portal

        # Failed is final: another run claims nothing and asks the provider nothing.
        assert worker.task_result(DISPATCH, publish(broker, dispatch_outbox)) == "0"
        assert sms_provider.requests == 9

    def test_a_temporary_error_that_persists_fails_after_the_last_attempt(
        self, broker, start_worker, sms_provider
    ):
        [message] = make_messages(1)
        sms_provider.fail_next(10, status=503)
        worker = start_worker(backend="http", provider=sms_provider, OUTBOX_MAX_ATTEMPTS=2)

        wait_for(
            nothing_left_to_do,
            tick=lambda: publish(broker, dispatch_outbox),
            tick_every=0.25,
            describe=lambda: describe_state(worker, sms_provider),
        )
        message.refresh_from_db()
        assert (message.status, message.attempts, message.sent_at) == (Status.FAILED, 2, None)
        assert "HTTP 503" in message.last_error
        assert sms_provider.requests == 2
        assert sms_provider.messages == []
        assert worker.task_result(DISPATCH, publish(broker, dispatch_outbox)) == "0"
        assert sms_provider.requests == 2


class TestKnownProblems:
    """In-process (no worker needed): message_deliver against the real database and SMS backends."""

    def test_a_text_message_is_not_html_escaped(self, settings, sms_dir):
        settings.SMS_BACKEND = "messaging.sms.backends.filebased.SmsBackend"
        settings.SMS_FILE_PATH = str(sms_dir)
        session = factories.SessionFactory(programme__name="Walk & Talk")
        [message] = make_messages(1, session=session)
        Participant = type(message.participant)
        Participant.objects.filter(pk=message.participant_id).update(name="Anne van 't Hek")

        assert outbox_claim_due() == [message.pk]
        assert message_deliver(message_id=message.pk) == Status.SENT

        [sms] = read_all(sms_dir)
        assert "Hallo Anne van 't Hek." in sms.body
        assert "Je bent aangemeld voor Walk & Talk." in sms.body

    def test_a_message_that_gave_up_does_not_say_it_will_be_tried_again(self, settings, sms_provider):
        settings.SMS_BACKEND = "messaging.sms.backends.http.SmsBackend"
        settings.SMS_HTTP_URL = sms_provider.url
        settings.OUTBOX_MAX_ATTEMPTS = 1
        [message] = make_messages(1)
        sms_provider.fail_next(1, status=503)

        assert outbox_claim_due() == [message.pk]
        assert message_deliver(message_id=message.pk) == Status.FAILED

        message.refresh_from_db()
        assert "tried again" not in message.last_error
        assert not message.last_error.startswith("TemporarySmsError")
