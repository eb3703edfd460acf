"""Conditional and cached responses: a build is immutable, so its id makes a strong validator,
and anything made from it may be kept for as long as it serves."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from datetime import datetime

from flask import Response, request

from ...store.current import Build
from ..context import current_build, language_in_url, settings
from .replay import FROM_BUILD
from .shared_pages import shared_pages


def etag_for(build_id: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join((build_id, *parts)).encode()).hexdigest()[:32]
    return digest


def conditional(response: Response, build: Build, *parts: str) -> Response:
    """Set ETag and Last-Modified from the build; answer 304 when the client has it already."""
    response.set_etag(etag_for(build.id, *parts))
    response.last_modified = datetime.fromisoformat(build.manifest["created"])
    response.headers.setdefault("Cache-Control", "public, max-age=300")
    # Made from this build and nothing else: the response replay may answer with it while the build serves.
    request.environ[FROM_BUILD] = build.id
    response.make_conditional(request)  # in place: 304 and no body when the client has it
    return response


def cached_body(build: Build, key: Hashable, make: Callable[[], bytes]) -> bytes:
    """The bytes `make()` gives for `key` on this build: made once on the machine (any worker's
    rendering is shared through the build's pages.sqlite) and kept in this worker's memory."""
    body = build.cache.get(key)
    if body is None:
        shared = shared_pages(build.path, settings())
        body = shared.get(key)
        if body is None:
            body = make()
            shared.put(key, body)
        build.cache.put(key, body, len(body))
    return body


def build_response(
    key: tuple,
    make: Callable[[], bytes],
    content_type: str,
    *,
    language: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The one way a view answers with something made from the current build: the body from the
    build's cache (made by `make()` the first time), validators from the build and `key`, and
    304 for a client that has it. `language` is the reader's (Content-Language, Vary)."""
    build = current_build()
    if language is not None:
        # A page's links keep a language asked for in the URL, so the page differs with it.
        key = (*key, language_in_url())
    response = Response(cached_body(build, key, make), content_type=content_type)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if language is not None:
        response.headers["Content-Language"] = language
        response.vary.add("Accept-Language")
    return conditional(response, build, *map(str, key))
