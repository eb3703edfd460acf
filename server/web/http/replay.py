"""Answer a repeated request with the response its first asking got, before Flask is entered.

A build is immutable, so a response made from it (a query result, a page, the catalog) is the
same for every request that matches it in method, URL, body and the request headers our views
read. The build's caches already keep query results and rendered pages, but a cache hit there
still costs the whole Flask request (routing, form parsing, hooks, negotiation): about 1 ms,
which is more than the Oxigraph server takes to answer a small query from scratch. Here a
repeated request costs one dictionary lookup. This is the job a caching proxy (Varnish, nginx's
proxy_cache) does in front of a server, kept in the worker so that it needs no deployment and
knows exactly which responses are immutable.

What is kept: 200 responses to GET and POST that `web.http.conditional` marked as made from
the build they are keyed by, that a shared cache may keep, with a known length, and that vary
on nothing but the headers keyed here. The key holds the method, scheme, host, script name,
path, query string, Content-Type and body, and Accept, Accept-Encoding and Accept-Language
(whether or not the response names them in Vary: every HTML page follows the reader's
language). A response that varies on Cookie (the language cookie) is kept too: a request with
any cookie is never answered from here, so a kept response only ever meets requests without
one. Everything else goes to Flask as before: HEAD, conditional requests (Flask answers
304), requests with cookies or credentials, bodies of unknown length, streamed files.
Entries live in the build's byte-bounded cache, so a new build starts afresh.
"""

from __future__ import annotations

import io
import time

from . import server_timing
from .access_log import log_request, request_id

FROM_BUILD = "strategiaverkko.from_build"  # environ key: the id of the build a response was made from
KEYED_HEADERS = ("HTTP_ACCEPT", "HTTP_ACCEPT_ENCODING", "HTTP_ACCEPT_LANGUAGE")
VARY_KEYED = {name.removeprefix("HTTP_").replace("_", "-").lower() for name in KEYED_HEADERS}
# Vary values a kept response may name: the keyed headers, and Cookie (cookie requests pass through).
VARY_REPLAYABLE = VARY_KEYED | {"cookie"}
# Requests whose answer depends on more than the key, or that Flask answers differently (304, HEAD).
PASS_THROUGH_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
    "HTTP_RANGE",
    "HTTP_COOKIE",
    "HTTP_AUTHORIZATION",
)
# Said afresh for each request (the replay's own Server-Timing, a new request id), or by the HTTP server.
NOT_REPLAYED = {"x-request-id", "server-timing", "set-cookie", "date", "server", "connection", "transfer-encoding"}


class ResponseReplay:
    """WSGI middleware around the Flask app; `state` is the app's BuildState."""

    def __init__(self, app, state, max_body_bytes: int):
        self.app, self.state, self.max_body_bytes = app, state, max_body_bytes

    def __call__(self, environ, start_response):
        started = environ[server_timing.STARTED] = time.perf_counter()
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "POST") or any(name in environ for name in PASS_THROUGH_HEADERS):
            return self.app(environ, start_response)
        try:
            build = self.state.current()
        except Exception:  # noqa: BLE001 - no build (503) and the like: Flask says so
            return self.app(environ, start_response)
        body = b""
        if method == "POST":
            length = environ.get("CONTENT_LENGTH") or ""
            if not length.isdigit() or int(length) > self.max_body_bytes:
                return self.app(environ, start_response)  # chunked or too large: Flask decides (413 …)
            body = environ["wsgi.input"].read(int(length))
            environ["wsgi.input"] = io.BytesIO(body)  # Flask reads the same bytes
        key = (
            "response",
            method,
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST") or environ.get("SERVER_NAME"),
            environ.get("SERVER_PORT"),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            environ.get("CONTENT_TYPE", ""),
            body,
            *(environ.get(name) for name in KEYED_HEADERS),
        )
        stored = build.cache.get(key)
        if stored is not None:
            return self._replay(stored, environ, start_response, started)
        return self._pass_and_keep(environ, start_response, build, key, len(body))

    def _replay(self, stored, environ, start_response, started):
        status, headers, body = stored
        rid = request_id(environ.get("HTTP_X_REQUEST_ID"))
        timing = server_timing.metric("app", time.perf_counter() - started, "replayed")
        start_response(status, [*headers, ("X-Request-Id", rid), (server_timing.HEADER, timing)])
        log_request(
            rid, environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), int(status[:3]), started, cached="response"
        )
        return [body]

    def _pass_and_keep(self, environ, start_response, build, key, request_bytes: int):
        seen = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        kept = self._keepable(seen, environ, build)
        if kept is None:
            return result
        status, headers, length = kept
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        if len(body) == length:
            build.cache.put(key, (status, headers, body), len(body) + request_bytes + 1024)  # 1 KiB: headers, key
        return [body]

    def _keepable(self, seen, environ, build):
        """(status, headers to replay, body length) if this response may be replayed, else None."""
        status, headers = seen.get("status", ""), seen.get("headers", [])
        if not status.startswith("200") or environ.get(FROM_BUILD) != build.id:
            return None
        names = {name.lower(): value for name, value in headers}
        control = names.get("cache-control", "").lower()
        length = names.get("content-length", "")
        vary = {v.strip().lower() for v in names.get("vary", "").split(",") if v.strip()}
        if (
            "no-store" in control
            or "private" in control
            or "no-cache" in control
            or "set-cookie" in names
            or not length.isdigit()
            or not vary <= VARY_REPLAYABLE
        ):
            return None
        replayed = []
        for name, value in headers:
            lower = name.lower()
            if lower in NOT_REPLAYED:
                continue
            if lower == "x-query-time":
                value = "0.0 ms (cached)"  # as a hit in the query cache says
            replayed.append((name, value))
        return status, replayed, int(length)
