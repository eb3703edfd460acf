"""One error shape on the wire: HTML for browsers, JSON for JSON clients, plain text for the rest."""

from __future__ import annotations

import json
import logging

from flask import Response, render_template, request
from werkzeug.exceptions import HTTPException

from ...core.errors import StrategiaverkkoError
from .negotiate import prefers_html

log = logging.getLogger("strategiaverkko")


def render_error(error: StrategiaverkkoError) -> Response:
    accept = request.headers.get("Accept", "")
    if prefers_html(accept):
        response = Response(render_template("error.html", error=error), status=error.status, mimetype="text/html")
    elif "json" in accept:
        response = Response(
            json.dumps(error.to_dict(), ensure_ascii=False), status=error.status, mimetype="application/json"
        )
    else:
        response = Response(f"{error.title}: {error.message}\n", status=error.status, mimetype="text/plain")
    if error.retry_after is not None:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def render_http_exception(error: HTTPException) -> Response:
    if error.code == 413:
        return render_error(
            StrategiaverkkoError(
                "The request body is larger than this endpoint accepts.", status=413, title="Request too large"
            )
        )
    wrapped = StrategiaverkkoError(error.description or error.name, status=error.code or 500, title=error.name)
    response = render_error(wrapped)
    valid_methods = getattr(error, "valid_methods", None)
    if error.code == 405 and valid_methods:
        response.headers["Allow"] = ", ".join(valid_methods)
    return response


def render_unexpected(error: Exception) -> Response:
    # Never show a traceback or a path to the client; the log has it.
    log.exception("unexpected error on %s %s", request.method, request.path)
    return render_error(
        StrategiaverkkoError(
            "Something went wrong on our side. The error has been logged.", status=500, title="Internal error"
        )
    )
