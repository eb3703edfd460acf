"""One JSON line per request on `strategiaverkko.access`: its id, method, path, status and time.

Written by the Flask app and by the response replay (web.http.replay) for the requests it answers itself, so both
kinds of request are logged alike.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

access = logging.getLogger("strategiaverkko.access")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id(incoming: str | None) -> str:
    """A caller's X-Request-Id if it is short and plain (so it cannot forge log lines), else a new one."""
    return incoming if incoming and _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def log_request(rid: str, method: str, path: str, status: int, started: float, **extra) -> None:
    record = {
        "request_id": rid,
        "method": method,
        "path": path,
        "status": status,
        "ms": round((time.perf_counter() - started) * 1000, 2),
        **extra,
    }
    access.info(json.dumps(record))
