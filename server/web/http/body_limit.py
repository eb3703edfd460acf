"""Every request body is bounded by max_request_bytes, however it is framed.

Flask checks a declared Content-Length against MAX_CONTENT_LENGTH, but a chunked body has
none: Werkzeug then read what the server handed it and the query ran cut short. Here a body
of unknown length is read up to the bound before the app sees it: past the bound the request
is marked too large (Flask answers 413 in the reader's format); within it, the body is handed
on with its real length, so every layer after this one sees a plain, known-length body.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

TOO_LARGE = "strategiaverkko.body_too_large"  # environ key: the body went past the bound
_CHUNK = 64 * 1024


class BodyLimit:
    def __init__(self, app: Callable[..., Iterable[bytes]], max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not environ.get("CONTENT_LENGTH") and _may_have_body(environ):
            body, complete = _read_at_most(environ["wsgi.input"], self.max_bytes)
            if not complete:
                environ[TOO_LARGE] = True
                body = b""
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self.app(environ, start_response)


def _may_have_body(environ: dict[str, Any]) -> bool:
    # Only a body the server says ends by itself is read here: reading an unframed input
    # could wait on the connection for a body that never comes.
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    return chunked or bool(environ.get("wsgi.input_terminated"))


def _read_at_most(stream: Any, limit: int) -> tuple[bytes, bool]:
    """(the body, True) if it ends within `limit` bytes, else (what was read, False)."""
    parts: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(parts), True
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts), False
