"""The SMS layer: validation, each backend, and the HTTP backend against the fake provider. No database."""

import io
import json
import socket
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured

from messaging.sms import (
    PermanentSmsError,
    SmsError,
    SmsMessage,
    TemporarySmsError,
    get_backend,
    send_sms,
)
from messaging.sms.backends import console, filebased, http, locmem
from messaging.sms.backends.base import BaseSmsBackend
from messaging.sms.fake_provider import FakeSmsProvider

MOBILE = "+31612345678"
HTTP_BACKEND = "messaging.sms.backends.http.SmsBackend"


def message(key="registration_confirmed:1:sms", to=MOBILE, body="Je bent aangemeld voor Walk & Talk.", **kw):
    return SmsMessage(to=to, body=body, idempotency_key=key, **kw)


@pytest.fixture
def outbox():
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


@pytest.fixture
def provider():
    with FakeSmsProvider(token="secret") as provider:
        yield provider


@pytest.fixture
def http_backend(provider):
    return http.SmsBackend(url=provider.url, token="secret", timeout=5)


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TestValidation:
    def test_mobile_number_is_accepted(self, outbox):
        send_sms(message(), backend=locmem.SmsBackend())
        assert outbox[0].to == MOBILE

    def test_number_is_normalised_to_e164(self, outbox):
        send_sms(message(to="+31 6 1234 5678"), backend=locmem.SmsBackend())
        assert outbox[0].to == MOBILE

    def test_landline_is_refused_with_a_readable_reason(self, outbox):
        with pytest.raises(PermanentSmsError) as exc:
            send_sms(message(to="+31201234567"), backend=locmem.SmsBackend())
        assert str(exc.value) == (
            "The number +31201234567 is a landline, which cannot receive SMS messages; "
            "a Dutch mobile number (06…) is needed."
        )
        assert outbox == []

    def test_landline_reason_names_whatsapp(self):
        with pytest.raises(PermanentSmsError, match="cannot receive WhatsApp messages"):
            send_sms(message(to="+31201234567", channel="whatsapp"), backend=locmem.SmsBackend())

    def test_other_dutch_numbers_that_are_not_mobile_are_refused(self):
        with pytest.raises(PermanentSmsError, match=r"is not a Dutch mobile number \(06…\)"):
            send_sms(message(to="+31881234567"), backend=locmem.SmsBackend())

    def test_number_without_country_code_is_refused(self):
        with pytest.raises(PermanentSmsError) as exc:
            send_sms(message(to="12345"), backend=locmem.SmsBackend())
        assert str(exc.value) == (
            "The number 12345 is not a valid phone number in international format "
            "(it must start with + and the country code, e.g. +31612345678)."
        )

    def test_dutch_mobile_number_with_a_digit_missing_is_refused(self):
        with pytest.raises(PermanentSmsError) as exc:
            send_sms(message(to="+31 6 1234 567"), backend=locmem.SmsBackend())
        assert str(exc.value) == "The number +31 6 1234 567 is not a valid Dutch mobile number."

    def test_foreign_mobile_number_is_accepted(self, outbox):
        send_sms(message(to="+32470123456"), backend=locmem.SmsBackend())
        assert outbox[0].to == "+32470123456"

    def test_empty_number_is_refused(self):
        with pytest.raises(PermanentSmsError, match="No phone number"):
            send_sms(message(to=""), backend=locmem.SmsBackend())

    def test_body_of_640_characters_is_accepted(self, outbox):
        send_sms(message(body="x" * 640), backend=locmem.SmsBackend())
        assert len(outbox) == 1

    def test_longer_body_is_refused(self):
        with pytest.raises(PermanentSmsError, match="641 characters long; the limit is 640"):
            send_sms(message(body="x" * 641), backend=locmem.SmsBackend())

    @pytest.mark.parametrize(
        ("changes", "reason"),
        [
            ({"body": "  "}, "The message is empty."),
            ({"channel": "pigeon"}, "Unknown channel"),
            ({"key": ""}, "idempotency key"),
            ({"key": "bad\nkey"}, "idempotency key"),
        ],
    )
    def test_other_unsendable_messages(self, changes, reason):
        with pytest.raises(PermanentSmsError, match=reason):
            send_sms(message(**changes), backend=locmem.SmsBackend())

    def test_caller_message_is_left_unchanged(self, outbox):
        original = message(to="+31 6 1234 5678")
        send_sms(original, backend=locmem.SmsBackend())
        assert original.to == "+31 6 1234 5678"

    def test_exception_hierarchy(self):
        assert issubclass(PermanentSmsError, SmsError)
        assert issubclass(TemporarySmsError, SmsError)
        assert issubclass(SmsError, Exception)


class TestGetBackend:
    def test_default_is_console(self, settings):
        del settings.SMS_BACKEND
        assert isinstance(get_backend(), console.SmsBackend)

    def test_setting_chooses_the_backend(self, settings, outbox):
        settings.SMS_BACKEND = "messaging.sms.backends.locmem.SmsBackend"
        assert isinstance(get_backend(), locmem.SmsBackend)
        assert send_sms(message()).startswith("locmem-")
        assert len(outbox) == 1

    def test_path_and_kwargs(self):
        stream = io.StringIO()
        backend = get_backend("messaging.sms.backends.console.SmsBackend", stream=stream, fail_silently=True)
        assert backend.stream is stream
        assert backend.fail_silently is True

    def test_base_backend_is_abstract(self):
        with pytest.raises(TypeError):
            BaseSmsBackend()


class TestConsoleBackend:
    def test_writes_a_readable_block(self):
        stream = io.StringIO()
        message_id = send_sms(message(channel="whatsapp"), backend=console.SmsBackend(stream=stream))
        text = stream.getvalue()
        assert message_id.startswith("console-")
        for line in (
            "Channel: whatsapp",
            "To: +31612345678",
            "Idempotency-Key: registration_confirmed:1:sms",
            f"Id: {message_id}",
            "Je bent aangemeld voor Walk & Talk.",
            "-" * 79,
        ):
            assert line in text

    def test_defaults_to_standard_output(self, capsys):
        send_sms(message(), backend=console.SmsBackend())
        assert "To: +31612345678" in capsys.readouterr().out

    def test_threads_do_not_interleave(self):
        class SlowStream(io.StringIO):
            def write(self, s):
                # Hand the processor to another thread between every character.
                for c in s:
                    super().write(c)
                    threading.Event().wait(0)
                return len(s)

        stream = SlowStream()
        backend = console.SmsBackend(stream=stream)
        threads = [
            threading.Thread(target=backend.send, args=(message(key=f"k{i}", body=f"body {i}"),))
            for i in range(8)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        blocks = stream.getvalue().split("-" * 79 + "\n")[:-1]
        assert len(blocks) == 8
        for block in blocks:
            key = block.split("Idempotency-Key: k")[1].split("\n")[0]
            assert block.rstrip().endswith(f"body {key}")

    def test_fail_silently(self):
        class Broken(io.StringIO):
            def write(self, s):
                raise OSError("disk full")

        assert console.SmsBackend(stream=Broken(), fail_silently=True).send(message()) == ""
        with pytest.raises(OSError):
            console.SmsBackend(stream=Broken()).send(message())


class TestLocmemBackend:
    def test_appends_to_the_outbox(self, outbox):
        first = send_sms(message(key="a"), backend=locmem.SmsBackend())
        second = send_sms(message(key="b"), backend=locmem.SmsBackend())
        assert first != second
        assert [m.idempotency_key for m in outbox] == ["a", "b"]

    def test_outbox_keeps_a_copy(self, outbox):
        sent = message()
        locmem.SmsBackend().send(sent)
        sent.body = "changed"
        assert outbox[0].body == "Je bent aangemeld voor Walk & Talk."

    def test_does_not_deduplicate_so_tests_can_see_double_sends(self, outbox):
        backend = locmem.SmsBackend()
        backend.send(message())
        backend.send(message())
        assert len(outbox) == 2


class TestFileBackend:
    def test_one_file_per_message(self, tmp_path):
        backend = filebased.SmsBackend(file_path=tmp_path)
        assert send_sms(message(key="a"), backend=backend) == "a"
        send_sms(message(key="b", channel="whatsapp"), backend=backend)
        messages = filebased.read_all(tmp_path)
        assert [(m.idempotency_key, m.channel) for m in messages] == [("a", "sms"), ("b", "whatsapp")]
        assert messages[0] == message(key="a")

    def test_same_key_twice_leaves_one_file(self, tmp_path):
        backend = filebased.SmsBackend(file_path=tmp_path)
        assert backend.send(message(key="x:1")) == "x:1"
        assert backend.send(message(key="x:1", body="second")) == "x:1"
        assert len(list(tmp_path.iterdir())) == 1
        assert [m.body for m in filebased.read_all(tmp_path)] == ["Je bent aangemeld voor Walk & Talk."]

    def test_keys_that_sanitise_alike_stay_apart(self, tmp_path):
        backend = filebased.SmsBackend(file_path=tmp_path)
        for key in ("a:b", "a/b", "a b"):
            backend.send(message(key=key))
        assert len(filebased.read_all(tmp_path)) == 3

    def test_key_cannot_escape_the_folder(self, tmp_path):
        folder = tmp_path / "sms"
        filebased.SmsBackend(file_path=folder).send(message(key="../../etc/passwd"))
        assert [p.parent for p in tmp_path.rglob("*.json")] == [folder]
        assert not any(p.name.startswith(".") for p in folder.iterdir())

    def test_path_from_settings(self, settings, tmp_path):
        settings.SMS_FILE_PATH = str(tmp_path / "out")
        send_sms(message(), backend="messaging.sms.backends.filebased.SmsBackend")
        assert len(filebased.read_all(tmp_path / "out")) == 1

    def test_needs_a_path(self, settings):
        settings.SMS_FILE_PATH = None
        with pytest.raises(ImproperlyConfigured):
            filebased.SmsBackend()

    def test_files_are_json(self, tmp_path):
        filebased.SmsBackend(file_path=tmp_path).send(message(body="Tot dinsdag! ☕"))
        (path,) = tmp_path.iterdir()
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["body"] == "Tot dinsdag! ☕"
        assert "sent_at" in data


class TestHttpBackend:
    def test_success_returns_the_id_and_sends_the_headers(self, provider, http_backend):
        message_id = send_sms(message(channel="whatsapp"), backend=http_backend)
        (delivered,) = provider.messages
        assert message_id == delivered["id"]
        assert delivered["headers"]["Authorization"] == "Bearer secret"
        assert delivered["headers"]["Idempotency-Key"] == "registration_confirmed:1:sms"
        assert delivered["headers"]["Content-Type"] == "application/json"
        assert {k: delivered[k] for k in ("to", "from", "body", "channel")} == {
            "to": MOBILE,
            "from": "Bibliotheek",
            "body": "Je bent aangemeld voor Walk & Talk.",
            "channel": "whatsapp",
        }

    def test_settings(self, settings, provider):
        settings.SMS_BACKEND = HTTP_BACKEND
        settings.SMS_HTTP_URL = provider.url
        settings.SMS_HTTP_TOKEN = "secret"
        settings.SMS_HTTP_SENDER = "BiebWerk"
        assert send_sms(message()) == provider.messages[0]["id"]
        assert provider.messages[0]["from"] == "BiebWerk"

    def test_same_idempotency_key_twice_reaches_the_provider_once(self, provider, http_backend):
        first = send_sms(message(), backend=http_backend)
        second = send_sms(message(), backend=http_backend)
        assert first == second
        assert provider.requests == 2
        assert len(provider.messages) == 1

    def test_different_keys_are_different_messages(self, provider, http_backend):
        send_sms(message(key="a"), backend=http_backend)
        send_sms(message(key="b"), backend=http_backend)
        assert len(provider.messages) == 2

    @pytest.mark.parametrize("status", [500, 502, 503, 408, 429])
    def test_server_errors_and_throttling_are_temporary(self, provider, http_backend, status):
        provider.fail_next(1, status=status)
        with pytest.raises(TemporarySmsError) as exc:
            send_sms(message(), backend=http_backend)
        assert exc.value.status == status
        assert "HTTP" in str(exc.value) and "tried again" not in str(exc.value)
        assert provider.messages == []
        # The retry goes through.
        assert send_sms(message(), backend=http_backend) == provider.messages[0]["id"]

    def test_retry_after_is_passed_on(self, provider, http_backend):
        provider.fail_next(1, status=429)
        with pytest.raises(TemporarySmsError) as exc:
            http_backend.send(message())
        assert exc.value.retry_after is None  # the fake sends no Retry-After
        assert http._retry_after({"Retry-After": "30"}) == 30
        assert http._retry_after({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0

    def test_rejected_number_is_permanent_with_the_providers_message(self, provider, http_backend):
        provider.reject(MOBILE, "Unknown number")
        with pytest.raises(PermanentSmsError) as exc:
            send_sms(message(), backend=http_backend)
        assert str(exc.value) == "Unknown number"
        assert exc.value.status == 400

    def test_client_error_without_a_message(self, provider, http_backend):
        provider.fail_next(1, status=422, error="")
        with pytest.raises(PermanentSmsError) as exc:
            http_backend.send(message())
        assert str(exc.value) == "The SMS provider refused the message (HTTP 422)."

    def test_wrong_token_is_permanent(self, provider):
        backend = http.SmsBackend(url=provider.url, token="wrong")
        with pytest.raises(PermanentSmsError, match="Invalid token") as exc:
            send_sms(message(), backend=backend)
        assert exc.value.status == 401

    def test_closed_port_is_temporary(self):
        backend = http.SmsBackend(url=f"http://127.0.0.1:{closed_port()}/messages", timeout=2)
        with pytest.raises(TemporarySmsError, match="Could not reach the SMS provider"):
            send_sms(message(), backend=backend)

    def test_timeout_is_temporary(self):
        with FakeSmsProvider(delay=5) as slow:
            backend = http.SmsBackend(url=slow.url, timeout=0.2)
            with pytest.raises(TemporarySmsError, match="did not answer within 0.2 seconds"):
                send_sms(message(), backend=backend)

    def test_fail_silently_returns_an_empty_id(self, provider):
        provider.fail_next(1, status=503)
        backend = http.SmsBackend(url=provider.url, token="secret", fail_silently=True)
        assert backend.send(message()) == ""

    def test_needs_a_url(self, settings):
        settings.SMS_HTTP_URL = ""
        with pytest.raises(ImproperlyConfigured):
            http.SmsBackend()

    def test_refuses_other_schemes(self):
        with pytest.raises(ImproperlyConfigured):
            http.SmsBackend(url="file:///etc/passwd")

    def test_concurrent_sends_with_one_key_deliver_once(self, provider, http_backend):
        ids = []
        threads = [
            threading.Thread(target=lambda: ids.append(http_backend.send(message()))) for _ in range(8)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(set(ids)) == 1
        assert provider.requests == 8
        assert len(provider.messages) == 1
