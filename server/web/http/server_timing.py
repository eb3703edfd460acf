"""Server-Timing (W3C): where a response's time went, for a reader's developer tools, scripts
and bench/lean.py.

Every response says `app`: the milliseconds from the response replay's entry (just inside the
body limit, see web.http.replay) to the finished response, gzip included; what a client sees
beyond it is the HTTP server and the network. A SPARQL answer also says `query` (the query
service: a free slot, the hop to the query process and back, the engine) and `engine` (the
query process's own work: the engine and serialising its answer; with a remote store, the round
trip to it), or that the answer was cached, or joined another request's run of the same query
(then without `engine`). A response the replay answers says how long that took, and that it was
replayed. Timing-Allow-Origin (web.app) lets other sites' pages read it too.
"""

from __future__ import annotations

import time

from flask import Flask, Response, request

STARTED = "strategiaverkko.started"  # environ key: perf_counter() when the response replay was entered
HEADER = "Server-Timing"


def metric(name: str, seconds: float | None = None, description: str | None = None) -> str:
    """One metric of the header, e.g. `engine;dur=0.61` (milliseconds) or `query;desc="cached"`."""
    parts = [name]
    if seconds is not None:
        parts.append(f"dur={seconds * 1000:.2f}")
    if description is not None:
        quoted = description.replace("\\", "\\\\").replace('"', '\\"')  # a quoted-string (RFC 9110)
        parts.append(f'desc="{quoted}"')
    return ";".join(parts)


def init_app(app: Flask) -> None:
    """Call before any other after_request hook is registered: Flask runs them in reverse, so
    this one runs last and its time includes theirs (gzip among them)."""
    app.after_request(add_app_time)


def add_app_time(response: Response) -> Response:
    app_time = metric("app", time.perf_counter() - request.environ[STARTED])  # every request passes the replay
    earlier = response.headers.get(HEADER)
    response.headers[HEADER] = f"{earlier}, {app_time}" if earlier else app_time
    return response


def parse(header: str) -> dict[str, float | None]:
    """{name: milliseconds or None} from a Server-Timing value (for clients of ours: bench, tests)."""
    metrics: dict[str, float | None] = {}
    for entry in header.split(","):
        name, *params = (part.strip() for part in entry.split(";"))
        if not name:
            continue
        duration = next((p.partition("=")[2] for p in params if p.partition("=")[0].strip() == "dur"), None)
        metrics[name] = float(duration) if duration else None
    return metrics
