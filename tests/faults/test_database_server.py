"""/healthz follows the database: 503 while it cannot be reached, 200 again
once it is back, in the same process with the same settings.

The database is "cut" with a small TCP proxy started here, between Django
and the real PostgreSQL server: cutting it closes its listening socket and
every live connection, so the server itself (which others share) is never
touched. Requests go through the WSGI application as gunicorn calls it, so
Django's request_started and request_finished handlers run: they look after
persistent connections (CONN_MAX_AGE, CONN_HEALTH_CHECKS), and the test
client leaves them out.
"""

import socket
import threading
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from django.db import connection

from config.wsgi import application

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs a database server to cut off: runs on PostgreSQL "
        "(DATABASE_URL=postgres://...), as in the PostgreSQL leg of .ci/run",
    ),
    # No test transaction: the connection must be free to close and connect
    # again. (pytest-django runs these after the other database tests.)
    pytest.mark.django_db(transaction=True),
]


class Proxy:
    """Forwards 127.0.0.1:<port> to `upstream` until cut; restored on the
    same port."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.port = 0
        self.accepted = 0  # connections forwarded, ever
        self.sockets = set()
        self.lock = threading.Lock()
        self.restore()

    def restore(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.running = threading.Event()
        self.running.set()
        self.accepting = threading.Thread(
            target=self._accept, args=(self.listener,), daemon=True
        )
        self.accepting.start()

    def cut(self):
        """Refuse new connections and drop the live ones."""
        self.running.clear()
        self.listener.close()
        # The port is free once no thread waits on the listening socket.
        self.accepting.join(timeout=5)
        with self.lock:
            sockets, self.sockets = self.sockets, set()
        for sock in sockets:
            with_closed(sock)

    def _accept(self, listener):
        running = self.running
        while running.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:  # closed by cut()
                return
            client.settimeout(None)
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.accepted += 1
                self.sockets |= {client, server}
            for source, target in ((client, server), (server, client)):
                threading.Thread(
                    target=self._pump, args=(source, target), daemon=True
                ).start()

    def _pump(self, source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        with_closed(source)
        with_closed(target)


def with_closed(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


def serve(path):
    """(status, body) of a GET through the WSGI application."""
    environ = {"PATH_INFO": path, "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    statuses = []
    result = application(environ, lambda status, headers: statuses.append(status))
    try:
        body = b"".join(result)
    finally:
        result.close()  # as the server does: fires request_finished
    return int(statuses[0].split()[0]), body


@pytest.fixture
def proxy(monkeypatch):
    """Django's connection to the test database, through a Proxy."""
    database = connection.settings_dict
    # As production runs: persistent connections, checked before reuse.
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
    proxy = Proxy((database["HOST"] or "localhost", int(database["PORT"] or 5432)))
    connection.close()
    monkeypatch.setitem(database, "HOST", "127.0.0.1")
    monkeypatch.setitem(database, "PORT", str(proxy.port))
    yield proxy
    proxy.cut()
    connection.close()


def test_503_while_the_database_is_down_and_200_once_it_is_back(proxy):
    assert serve("/healthz") == (200, b"ok\n")
    first = connection.connection
    assert serve("/healthz") == (200, b"ok\n")
    assert connection.connection is first  # persistent: kept between requests
    assert proxy.accepted == 1

    proxy.cut()
    assert serve("/healthz") == (503, b"database unavailable\n")
    assert serve("/healthz") == (503, b"database unavailable\n")
    # A page that needs the database is the 500 page; nothing escapes.
    status, body = serve("/")
    assert status == 500
    assert b"Something went wrong on our side" in body

    proxy.restore()
    assert serve("/healthz") == (200, b"ok\n")
    assert connection.connection is not first
    assert proxy.accepted == 2


def test_a_stale_persistent_connection_is_replaced(proxy):
    """The database went away and came back between two requests. The kept
    connection is dead; the health check before its first use notices, and
    Django connects again: even the first request after is answered."""
    assert serve("/healthz") == (200, b"ok\n")
    stale = connection.connection
    proxy.cut()
    proxy.restore()
    assert serve("/healthz") == (200, b"ok\n")
    assert connection.connection is not stale
    assert proxy.accepted == 2
    status, body = serve("/")  # and the pages work again
    assert status == 200
    assert b"Side by Side" in body
