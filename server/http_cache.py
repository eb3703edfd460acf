"""Conditional requests: a build is immutable, so its id makes a strong validator."""
from __future__ import annotations

import hashlib
from datetime import datetime

from flask import Response, request

from .response_cache import FROM_BUILD


def etag_for(build_id: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join((build_id, *parts)).encode()).hexdigest()[:32]
    return digest


def conditional(response: Response, build, *parts: str) -> Response:
    """Set ETag and Last-Modified from the build; answer 304 when the client has it already."""
    response.set_etag(etag_for(build.id, *parts))
    response.last_modified = datetime.fromisoformat(build.manifest["created"])
    response.headers.setdefault("Cache-Control", "public, max-age=300")
    # Made from this build and nothing else: response_cache may replay it while the build serves.
    request.environ[FROM_BUILD] = build.id
    return response.make_conditional(request)
