"""The benchmark's HTTP client: one keep-alive connection per server, over http.client.

A small query is answered in well under a millisecond by the Oxigraph server on loopback, so
the client's own cost per request decides what such a measurement says. requests (what the
benchmark used before) costs about 0.8 ms more per request than http.client here (Oxigraph's
answer to canned query 07 on the real data: 1.39 against 0.62 ms p50), added to every engine
alike; that pulls every ratio towards 1 and hid how much each server costs. A timed request
is sent on an open connection; connecting is not timed, nor is parsing the answer. What is
timed is what any client must do to have the answer: send, wait, read it whole, and inflate
it when the server sent gzip (ours does for answers of 1 KB or more; the peers do not).
"""

from __future__ import annotations

import gzip
import http.client
import socket
import time
import urllib.parse

# A keep-alive connection the server has closed meanwhile fails at once with one of these:
# the request is sent again on a new connection, untimed as before.
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, http.client.CannotSendRequest)


class TimedOut(Exception):
    pass


class Answer:
    def __init__(self, seconds: float, status: int, body: bytes, headers: dict[str, str]):
        self.seconds, self.status, self.body, self.headers = seconds, status, body, headers


class Client:
    """Requests to one server (base URL such as http://127.0.0.1:8080), one at a time."""

    def __init__(self, base_url: str):
        parts = urllib.parse.urlsplit(base_url)
        if parts.hostname is None:
            raise ValueError(f"not an absolute http URL: {base_url}")
        self.host, self.port = parts.hostname, parts.port or 80
        self._conn: http.client.HTTPConnection | None = None
        self.connections = 0  # opened so far (a test checks that they are kept alive)

    def post_form(self, path: str, form: dict[str, str], accept: str, timeout: float) -> Answer:
        body = urllib.parse.urlencode(form).encode("utf-8")
        return self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}, timeout
        )

    def get(self, path: str, headers: dict[str, str], timeout: float) -> Answer:
        return self.request("GET", path, None, headers, timeout)

    def request(self, method: str, path: str, body: bytes | None, headers: dict[str, str], timeout: float) -> Answer:
        headers = {"Accept-Encoding": "gzip", **headers}
        for attempt in (1, 2):
            reused = self._conn is not None
            conn = self._connection(timeout)
            started = time.perf_counter()
            try:
                conn.request(method, path, body, headers)
                response = conn.getresponse()
                raw = response.read()
            except TimeoutError:
                self.close()
                raise TimedOut(f"no answer within {timeout:.0f} s") from None
            except _STALE:
                self.close()
                if reused:  # closed by the server while idle: once more on a new connection
                    continue
                raise
            if response.getheader("Content-Encoding") == "gzip":
                raw = gzip.decompress(raw)
            seconds = time.perf_counter() - started
            if response.will_close:
                self.close()
            return Answer(seconds, response.status, raw, {k.lower(): v for k, v in response.getheaders()})
        raise AssertionError("unreachable")

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
            self._conn.connect()
            self._conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as requests (urllib3) does
            self.connections += 1
        else:
            self._conn.sock.settimeout(timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
