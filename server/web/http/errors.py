"""One error shape on the wire: HTML for browsers, JSON for JSON clients, plain text for the rest."""

from __future__ import annotations

import json
import logging

from flask import Response, render_template, request
from werkzeug.exceptions import HTTPException

from ...core.errors import StrategiaverkkoError
from ..context import language_asked, languages
from ..error_texts import MESSAGES, shown_error
from .negotiate import prefers_html

log = logging.getLogger("strategiaverkko")
# Werkzeug's own errors (no route, wrong method …) by status: the message they get in our words.
HTTP_EXCEPTION_KEYS = {404: "no_such_page", 405: "method_not_allowed", 413: "too_large", 500: "internal"}


def render_error(error: StrategiaverkkoError) -> Response:
    accept = request.headers.get("Accept", "")
    if prefers_html(accept):
        shown = shown_error(error.status, error.key, error.message, error.details, languages()[0])
        response = Response(
            render_template("error.html", error=error, shown=shown), status=error.status, mimetype="text/html"
        )
        response.vary.add("Accept-Language")
    elif "json" in accept:
        response = Response(
            json.dumps(error.to_dict(), ensure_ascii=False), status=error.status, mimetype="application/json"
        )
    else:
        title, message = plain_words(error)
        response = Response(f"{title}: {message}\n", status=error.status, mimetype="text/plain")
    # Every form carries words in the reader's language (JSON in details.reader).
    response.vary.add("Accept-Language")
    if error.retry_after is not None:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def plain_words(error: StrategiaverkkoError) -> tuple[str, str]:
    """The title and message of a plain-text error: in the language the reader named, else in
    English, as tools that name none (curl, scripts) have always had them."""
    if not language_asked():
        return error.title, error.message
    lang = languages()[0]
    shown = shown_error(error.status, error.key, error.message, error.details, lang)
    reader = error.details.get("reader") or {}
    if error.key not in MESSAGES.get(lang, {}) and reader.get("message"):
        return shown.title, reader["message"]  # the query's own words: its place, its limit
    return shown.title, shown.message


def render_http_exception(error: HTTPException) -> Response:
    if error.code == 413:
        return render_error(
            StrategiaverkkoError(
                "The request body is larger than this endpoint accepts.",
                status=413,
                title="Request too large",
                key="too_large",
            )
        )
    wrapped = StrategiaverkkoError(
        error.description or error.name,
        details={"method": request.method},
        status=error.code or 500,
        title=error.name,
        key=HTTP_EXCEPTION_KEYS.get(error.code or 500),
    )
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
            "Something went wrong on our side. The error has been logged.",
            status=500,
            title="Internal error",
            key="internal",
        )
    )
