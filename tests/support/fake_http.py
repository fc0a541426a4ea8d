"""A local HTTP server that stands in for a front cache's API (Varnish,
Fastly, Cloudflare): it records each request and answers as the test
scripts it, on a free port of 127.0.0.1."""

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    method: str
    path: str
    headers: object  # an email.message.Message: case-insensitive
    body: bytes

    def json(self):
        return json.loads(self.body)


class FakeFrontCache(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.received = []
        self.answers = []  # (status, body, delay) to give, in turn
        self.default = (200, b'{"status": "ok", "success": true}', 0.0)
        self.arrived = threading.Condition()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def answer(self, *answers):
        """Give these answers, (status, body[, delay]), then the default."""
        self.answers += [(*answer, 0.0)[:3] for answer in answers]

    def wait_for(self, count, timeout=10):
        """Wait until `count` requests have arrived: the requests."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout)
        return list(self.received)


class Handler(BaseHTTPRequestHandler):
    def handle_request(self):
        server = self.server
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with server.arrived:
            server.received.append(
                Received(self.command, self.path, self.headers, body)
            )
            server.arrived.notify_all()
            status, answer, delay = (
                server.answers.pop(0) if server.answers else server.default
            )
        time.sleep(delay)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PURGE = handle_request

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_front_cache():
    server = FakeFrontCache()
    # Polled often: shutdown() waits for the next poll (0.5 s by default).
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
