"""/search?q=: things whose names and texts match the words, as HTML or JSON (/search.json or
Accept: application/json). Finnish word forms match (presenters/search.py)."""

from __future__ import annotations

import json

from flask import Blueprint, render_template, request

from ..context import current_build, iris, languages
from ..http.conditional import build_response
from ..presenters.search import as_json, search

bp = Blueprint("search", __name__)
MAX_QUERY = 200


def _query() -> str:
    return " ".join((request.args.get("q") or "").split())[:MAX_QUERY]


def _wants_json() -> bool:
    if request.path.endswith(".json") or request.args.get("format") == "json":
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


@bp.route("/search")
@bp.route("/search.json")
def search_page():
    q, langs = _query(), languages()
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    build = current_build()
    if _wants_json():
        response = build_response(
            ("search.json", q, page, tuple(langs)),
            lambda: json.dumps(as_json(search(build, iris(), q, langs, page), q), ensure_ascii=False).encode("utf-8"),
            "application/json",
            language=langs[0],
        )
    else:
        response = build_response(
            ("search", q, page, tuple(langs)),
            lambda: render_template("search.html", q=q, result=search(build, iris(), q, langs, page)).encode("utf-8"),
            "text/html; charset=utf-8",
            language=langs[0],
        )
    if request.path == "/search":
        response.vary.add("Accept")
    return response
