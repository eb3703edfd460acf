"""Browser assets installed from the npm registry (`npm ci`, see package.json), served by the app.

Only the files the query page uses are reachable. Without them (npm not run) the page
still works with a plain text area.
"""

from __future__ import annotations

from flask import Blueprint, abort, send_from_directory

from ...core.settings import PROJECT_ROOT

bp = Blueprint("assets", __name__)
CODEMIRROR = PROJECT_ROOT / "node_modules" / "codemirror"
SERVED = {
    "codemirror.js": "lib/codemirror.js",
    "codemirror.css": "lib/codemirror.css",
    "sparql-mode.js": "mode/sparql/sparql.js",
    "show-hint.js": "addon/hint/show-hint.js",
    "show-hint.css": "addon/hint/show-hint.css",
}


def editor_available() -> bool:
    return all((CODEMIRROR / path).is_file() for path in SERVED.values())


@bp.route("/assets/codemirror/<name>")
def codemirror(name: str):
    path = SERVED.get(name)
    if path is None or not (CODEMIRROR / path).is_file():
        abort(404)
    return send_from_directory(CODEMIRROR, path, max_age=86400)
