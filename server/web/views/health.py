"""/healthz: for operators and load balancers, never cached."""

from __future__ import annotations

import json

from flask import Blueprint, Response

from ...core.errors import StrategiaverkkoError
from ..context import state

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz() -> Response:
    try:
        build = state().current()
    except StrategiaverkkoError as e:
        return Response(
            json.dumps({"status": "no build", "message": e.message}),
            status=503,
            mimetype="application/json",
            headers={"Cache-Control": "no-store"},
        )
    body: dict[str, object] = {
        "status": "ok",
        "build": build.id,
        "created": build.manifest["created"],
        "triples": build.manifest["triples"],
        "source_commit": build.manifest.get("source", {}).get("commit"),
    }
    if build.fallback is not None:
        # Still answering, from the previous intact build: an operator must look at var/current.
        body |= {"status": "degraded", "damaged_current_build": build.fallback}
    return Response(json.dumps(body), mimetype="application/json", headers={"Cache-Control": "no-store"})
