import http.server
import threading

import pytest

from bench.loadgen import parse_wrk, python_load

WRK_OUTPUT = """\
Running 5s test @ http://127.0.0.1:33529/bad
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    67.98ms   63.01ms 265.02ms   83.33%
    Req/Sec    36.38     14.22    60.00     62.50%
  Latency Distribution
     50%  440.00us
     75%   47.68ms
     90%  193.88ms
     99%    1.20s
  3200 requests in 5.01s, 4.38KB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 32
Requests/sec:    638.72
Transfer/sec:      3.86KB
"""


def test_parse_wrk():
    result = parse_wrk(WRK_OUTPUT)
    assert result.rate == 638.72
    assert result.requests == 3200
    assert result.seconds == pytest.approx(5.01)
    assert result.errors == 35
    assert result.latency_ms == {
        50: pytest.approx(0.44),
        75: 47.68,
        90: 193.88,
        99: 1200.0,
    }


def test_parse_wrk_without_errors():
    output = WRK_OUTPUT.replace("  Non-2xx or 3xx responses: 32\n", "").replace(
        "  Socket errors: connect 0, read 2, write 0, timeout 1\n", ""
    )
    assert parse_wrk(output).errors == 0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def do_GET(self):
        status = 503 if self.path == "/down" else 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def port():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_python_load_sends_exactly_total_requests(port):
    result = python_load(port, ["/a", "/b", "/down"], connections=3, total=30)
    assert result.requests == 30
    assert result.statuses == {200: 20, 503: 10}
    assert result.unexpected == {"503 /down": 10}
    assert result.failures == 10
    assert result.rate > 0
    assert result.latency_ms()["n"] == 30


def test_python_load_stops_after_its_time(port):
    result = python_load(port, ["/"], connections=2, seconds=0.3)
    assert 0.3 <= result.seconds < 2
    assert result.requests > 0
    assert result.failures == 0


def test_python_load_counts_connection_errors():
    with pytest.raises(ValueError):
        python_load(1, ["/"], connections=1)
    result = python_load(1, ["/"], connections=2, total=4)  # nothing listens
    assert result.requests == 4
    assert sum(result.errors.values()) == 4
    assert result.failures == 4
