"""The Flask application: `create_app()` wires settings, the served build and the blueprints."""
from __future__ import annotations

import json
import logging
import time

from flask import Flask, Response, g, render_template, request
from werkzeug.exceptions import HTTPException

from .config import load_settings
from .errors import StrategiaverkkoError
from .iris import Iris
from .namespaces import prefixes
from .negotiate import prefers_html
from .access_log import log_request, request_id
from .response_cache import ResponseCache
from .sandbox import QueryPool
from .state import BuildState
from .warm import warm_in_background

log = logging.getLogger("strategiaverkko")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def create_app(settings: dict | None = None) -> Flask:
    app = Flask(__name__)
    values = load_settings(settings)
    app.config["STRATEGIAVERKKO"] = values
    iris = Iris(values["base_iri"])
    app.extensions["strategiaverkko.iris"] = iris
    app.extensions["strategiaverkko.state"] = BuildState(
        values["var_dir"], prefixes(iris), iris.base, store_url=values["store_url"], cache_bytes=values["cache_bytes"],
        on_open=(lambda build: warm_in_background(app, build)) if values["warm_on_open"] else None)
    app.extensions["strategiaverkko.pool"] = QueryPool(
        size=values["query_processes"], timeout=values["query_timeout"],
        wait_for_free=values["query_queue_seconds"])
    app.config["MAX_CONTENT_LENGTH"] = values["max_request_bytes"]

    app.jinja_env.globals["browse_path"] = iris.browse_path
    app.jinja_env.globals["lang_href"] = lang_href

    from . import assets, harvest, home, ontology_docs, pages, search, sparql
    from . import compression, coverage
    compression.init_app(app)
    app.jinja_env.globals["editor_available"] = assets.editor_available()
    app.register_blueprint(sparql.bp)
    app.register_blueprint(assets.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(home.bp)
    app.register_blueprint(coverage.bp)
    app.register_blueprint(ontology_docs.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(harvest.bp)
    from . import compare
    app.register_blueprint(compare.bp)

    @app.context_processor
    def reader_context():
        # Every template gets the reader's language and the chrome's words; views may override.
        from .i18n import UI
        langs = pages.languages()
        return {"lang": langs[0], "ui": UI[langs[0]]}

    @app.before_request
    def start_timer():
        g.started = time.perf_counter()
        g.request_id = request_id(request.headers.get("X-Request-Id"))

    @app.after_request
    def access_log(response: Response) -> Response:
        response.headers["X-Request-Id"] = g.get("request_id", "")
        extra = {"query_ms": g.query_ms} if g.get("query_ms") is not None else {}
        log_request(g.get("request_id"), request.method, request.path, response.status_code,
                    g.get("started", time.perf_counter()), **extra)
        return response

    @app.after_request
    def cors_and_security(response: Response) -> Response:
        # Any web page may query us: the data is public and the endpoint is read-only.
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, Accept-Language, If-None-Match"
        response.headers["Access-Control-Expose-Headers"] = "ETag, Link, Content-Location, X-Query-Time"
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if response.mimetype == "text/html":
            # Our pages load scripts and styles only from this server; JSON-LD data blocks are not scripts.
            response.headers.setdefault("Content-Security-Policy", CSP)
            response.headers.setdefault("X-Frame-Options", "DENY")
        response.vary.add("Accept")
        return response

    @app.route("/healthz")
    def healthz():
        state = app.extensions["strategiaverkko.state"]
        try:
            build = state.current()
        except StrategiaverkkoError as e:
            return Response(json.dumps({"status": "no build", "message": e.message}), status=503,
                            mimetype="application/json")
        body = {"status": "ok", "build": build.id, "created": build.manifest["created"],
                "triples": build.manifest["triples"], "source_commit": build.manifest["source"]["commit"]}
        return Response(json.dumps(body), mimetype="application/json", headers={"Cache-Control": "no-store"})

    # Outermost: a repeated request for one of the build's immutable responses never enters Flask.
    app.wsgi_app = ResponseCache(app.wsgi_app, app.extensions["strategiaverkko.state"], values["max_request_bytes"])
    app.register_error_handler(StrategiaverkkoError, render_error)
    app.register_error_handler(HTTPException, render_http_exception)
    app.register_error_handler(Exception, render_unexpected)
    return app


def lang_href(code: str) -> str:
    """The language switch's link: this page in another language, its other parameters kept."""
    from urllib.parse import urlencode
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return "?" + urlencode(args + [("lang", code)])


def render_error(error: StrategiaverkkoError) -> Response:
    """One error shape: HTML for browsers, JSON for JSON clients, plain text for the rest."""
    accept = request.headers.get("Accept", "")
    if prefers_html(accept):
        response = Response(render_template("error.html", error=error), status=error.status, mimetype="text/html")
    elif "json" in accept:
        response = Response(json.dumps(error.to_dict(), ensure_ascii=False), status=error.status,
                            mimetype="application/json")
    else:
        response = Response(f"{error.title}: {error.message}\n", status=error.status, mimetype="text/plain")
    if error.retry_after is not None:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def render_http_exception(error: HTTPException) -> Response:
    if error.code == 413:
        return render_error(StrategiaverkkoError(
            "The request body is larger than this endpoint accepts.", status=413, title="Request too large"))
    wrapped = StrategiaverkkoError(error.description or error.name, status=error.code or 500, title=error.name)
    response = render_error(wrapped)
    if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def render_unexpected(error: Exception) -> Response:
    # Never show a traceback or a path to the client; the log has it.
    log.exception("unexpected error on %s %s", request.method, request.path)
    return render_error(StrategiaverkkoError("Something went wrong on our side. The error has been logged.",
                                             status=500, title="Internal error"))
