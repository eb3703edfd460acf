"""The client the benchmark times queries and pages with (bench/http_client.py), against a real
HTTP/1.1 server on loopback: what it reports is what the tables say about every engine."""

from __future__ import annotations

import gzip
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from server.core.settings import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
from http_client import Client, TimedOut  # noqa: E402


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    connections: set = set()

    def do_POST(self):
        Handler.connections.add(self.client_address)
        length = int(self.headers["Content-Length"])
        form = self.rfile.read(length).decode()
        if "slow" in form:
            time.sleep(1.5)
        body = json.dumps({"echo": form}).encode()
        if "gzip" in self.headers.get("Accept-Encoding", "") and "plain" not in form:
            body = gzip.compress(body)
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        if "close" in form:
            self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(body)
        except BrokenPipeError:
            pass  # the client gave up waiting (the time-out test)
        if "drop" in form:
            self.close_connection = True  # closed without saying so, as an idle keep-alive time-out does

    def log_message(self, *args):
        pass


@pytest.fixture()
def server():
    Handler.connections = set()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def base(httpd) -> str:
    return f"http://127.0.0.1:{httpd.server_address[1]}"


def test_requests_share_one_connection_and_gzip_is_inflated(server):
    with Client(base(server)) as client:
        answers = [client.post_form("/q", {"query": f"ASK {i}"}, "application/json", timeout=5) for i in range(5)]
    assert [a.body for a in answers] == [b'{"echo": "query=ASK+%d"}' % i for i in range(5)]
    assert answers[0].headers["content-encoding"] == "gzip"
    assert client.connections == 1 and len(Handler.connections) == 1
    assert all(0 < a.seconds < 1 for a in answers)


def test_a_connection_the_server_closes_is_replaced(server):
    with Client(base(server)) as client:
        client.post_form("/q", {"query": "close"}, "application/json", timeout=5)  # server says Connection: close
        again = client.post_form("/q", {"query": "plain"}, "application/json", timeout=5)
    assert again.body == b'{"echo": "query=plain"}' and again.headers.get("content-encoding") is None
    assert client.connections == 2


def test_a_connection_dropped_while_idle_is_replaced_without_an_error(server):
    with Client(base(server)) as client:
        client.post_form("/q", {"query": "drop"}, "application/json", timeout=5)
        time.sleep(0.2)  # the server has closed its end by now
        again = client.post_form("/q", {"query": "after"}, "application/json", timeout=5)
    assert again.status == 200 and again.body == b'{"echo": "query=after"}'
    assert client.connections == 2


def test_a_server_that_does_not_answer_in_time_is_reported(server):
    with Client(base(server)) as client:
        with pytest.raises(TimedOut):
            client.post_form("/q", {"query": "slow"}, "application/json", timeout=0.3)
        assert client.post_form("/q", {"query": "next"}, "application/json", timeout=5).status == 200
