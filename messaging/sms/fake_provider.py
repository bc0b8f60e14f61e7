"""A small fake SMS provider speaking the protocol of `backends.http`, for tests and local trials.

    with FakeSmsProvider(token="secret") as provider:
        backend = SmsBackend(url=provider.url, token="secret")
        ...
        assert len(provider.messages) == 1

Run it on its own with `python -m messaging.sms.fake_provider --port 8025`; it prints what it receives.
It deduplicates by Idempotency-Key the way a real provider does: a repeated key gets the first answer
again and is not delivered twice.
"""

import argparse
import itertools
import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_REQUEST_BYTES = 64 * 1024


class FakeSmsProvider:
    def __init__(self, port=0, token=None, delay=0, verbose=False):
        self.port = port
        self.token = token
        self.delay = delay  # seconds to wait before answering, to test timeouts
        self.verbose = verbose
        self.messages = []  # unique deliveries, in order
        self.requests = 0  # every POST, including repeats and failures
        self._lock = threading.Lock()
        self._ids_by_key = {}
        self._failures = deque()
        self._rejected = {}
        self._ids = itertools.count(1)
        self._stopping = threading.Event()
        self._server = None
        self._thread = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/messages"

    def fail_next(self, n=1, status=503, error=None):
        """Answer the next `n` POSTs with `status` and {"error": error}, delivering nothing.

        Without `error` the body names the simulated failure; with error="" the body is {}.
        """
        with self._lock:
            self._failures.extend([(status, error)] * n)

    def reject(self, number, error="Unknown number"):
        """Answer every message to `number` with 400 {"error": error}."""
        with self._lock:
            self._rejected[number] = error

    def start(self):
        self._stopping.clear()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler_class())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        # A short poll interval keeps stop() (and so each test's teardown) fast.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-sms-provider", daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        if self._server is None:
            return
        self._stopping.set()  # wakes handlers that are sleeping for `delay`
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def _handle(self, headers, raw):
        """Return (status, response body) for one POST."""
        if self.delay:
            self._stopping.wait(self.delay)
        with self._lock:
            self.requests += 1
            if self.token is not None and headers.get("Authorization") != f"Bearer {self.token}":
                return 401, {"error": "Invalid token"}
            if self._failures:
                status, error = self._failures.popleft()
                if error is None:
                    error = f"Simulated failure ({status})"
                return status, {"error": error} if error else {}
            key = headers.get("Idempotency-Key")
            if not key:
                return 400, {"error": "Missing Idempotency-Key header"}
            if key in self._ids_by_key:
                return 200, {"id": self._ids_by_key[key]}
            try:
                data = json.loads(raw)
                fields = {name: data[name] for name in ("to", "from", "body", "channel")}
            except (ValueError, TypeError, KeyError):
                return 400, {"error": "Expected JSON with to, from, body and channel"}
            if fields["to"] in self._rejected:
                return 400, {"error": self._rejected[fields["to"]]}
            message_id = f"fake-{next(self._ids)}"
            self._ids_by_key[key] = message_id
            self.messages.append(
                fields | {"id": message_id, "idempotency_key": key, "headers": dict(headers.items())}
            )
        if self.verbose:
            print(
                f"{message_id} {fields['channel']} to {fields['to']} ({key}):\n{fields['body']}\n", flush=True
            )
        return 201, {"id": message_id}

    def _handler_class(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = min(int(self.headers.get("Content-Length") or 0), MAX_REQUEST_BYTES)
                raw = self.rfile.read(length)
                status, body = provider._handle(self.headers, raw)
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, format, *args):
                if provider.verbose:
                    super().log_message(format, *args)

        return Handler


def main():
    parser = argparse.ArgumentParser(description="Run a fake SMS provider on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--token", default=None, help="require this bearer token")
    args = parser.parse_args()
    provider = FakeSmsProvider(port=args.port, token=args.token, verbose=True).start()
    print(f"Fake SMS provider on {provider.url}; set SMS_HTTP_URL to it. Ctrl-C stops.", flush=True)
    try:
        provider._thread.join()
    except KeyboardInterrupt:
        provider.stop()


if __name__ == "__main__":
    main()
