"""A TCP proxy to cut or freeze a server without touching it, and requests
through the WSGI application as gunicorn makes them.

The database (or a private Redis) is reached through a Proxy started by the
test: cutting it closes its listening socket and every live connection;
freezing it keeps every connection open but passes nothing on, as a server
that has stopped answering does. The server itself, which others share, is
never touched. Requests go through the WSGI application so that Django's
request_started and request_finished handlers run: they look after
persistent connections (CONN_MAX_AGE, CONN_HEALTH_CHECKS), and the test
client leaves them out.
"""

import socket
import threading
from wsgiref.util import setup_testing_defaults

import pytest
from django.db import connection


class Proxy:
    """Forwards 127.0.0.1:<port> to `upstream` until cut; restored on the
    same port."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.port = 0
        self.accepted = 0  # connections forwarded, ever
        self.sockets = set()
        self.lock = threading.Lock()
        self.flowing = threading.Event()
        self.flowing.set()
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
        self.flowing.set()  # nothing is held back any more

    def freeze(self):
        """Accept connections and keep them open, but pass nothing on."""
        self.flowing.clear()

    def thaw(self):
        self.flowing.set()

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
            with self.lock:
                self.sockets.add(client)
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client):
        self.flowing.wait()
        try:
            server = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            with_closed(client)
            return
        server.settimeout(None)
        with self.lock:
            self.accepted += 1
            self.sockets.add(server)
        for source, target in ((client, server), (server, client)):
            threading.Thread(
                target=self._pump, args=(source, target), daemon=True
            ).start()

    def _pump(self, source, target):
        try:
            while data := source.recv(65536):
                self.flowing.wait()
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


def serve(path, **headers):
    """(status, headers, body) of a GET through the WSGI application, as
    gunicorn calls it. `headers`: extra environ keys, such as HTTP_COOKIE."""
    from config.wsgi import application

    path, _, query = path.partition("?")
    environ = {"PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": "testserver"}
    environ.update(headers)
    setup_testing_defaults(environ)
    started = []
    result = application(
        environ, lambda status, headers: started.extend([status, headers])
    )
    try:
        body = b"".join(result)
    finally:
        result.close()  # as the server does: fires request_finished
    status, response_headers = started
    return int(status.split()[0]), dict(response_headers), body


@pytest.fixture
def database_proxy(monkeypatch):
    """Django's connection to the test database, through a Proxy.

    Needs a database server: on SQLite the test is skipped (the PostgreSQL
    leg of .ci/run runs it)."""
    database = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("needs a database server to cut off: runs on PostgreSQL")
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
