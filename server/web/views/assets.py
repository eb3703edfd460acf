"""Browser assets installed from the npm registry (`npm ci`, see package.json), served by the app.

Only the files the query page uses are reachable. Without them (npm not run) the page
still works with a plain text area and a table.

- CodeMirror 5: the SPARQL editor (highlighting, completion).
- Chart.js 4: the bar and line charts and the timeline of the query page's results. Canvas
  drawing with no dependencies, no eval and no style elements (our Content-Security-Policy
  allows neither), maintained and widely used; one UMD file, loaded only when a chart is shown.
- Cytoscape.js 3: the graph view of CONSTRUCT and DESCRIBE results. One dependency-free file
  with layouts built in, drawing on a canvas fast enough for thousands of nodes; loaded only
  when the graph view is chosen.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, send_from_directory, url_for

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


# Further libraries of the query page: URL name -> (package folder, file in it).
LIBRARIES = {
    "chart.js": ("chart.js", "dist/chart.umd.min.js"),
    "cytoscape.js": ("cytoscape", "dist/cytoscape.min.js"),
}


def editor_available() -> bool:
    return all((CODEMIRROR / path).is_file() for path in SERVED.values())


@bp.route("/favicon.ico")
def favicon():
    """Browsers and feed readers ask for /favicon.ico whatever a page links: the site's icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.route("/assets/codemirror/<name>")
def codemirror(name: str):
    path = SERVED.get(name)
    if path is None or not (CODEMIRROR / path).is_file():
        abort(404)
    return send_from_directory(CODEMIRROR, path, max_age=86400)


@bp.route("/assets/lib/<name>")
def library(name: str):
    found = LIBRARIES.get(name)
    if found is None:
        abort(404)
    folder = PROJECT_ROOT / "node_modules" / found[0]
    if not (folder / found[1]).is_file():
        abort(404)
    return send_from_directory(folder, found[1], max_age=86400)
