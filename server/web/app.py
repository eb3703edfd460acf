"""The Flask application: `create_app()` wires settings, the served build, the query service and
the blueprints."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, g, request
from jinja2 import pass_context
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from ..core.errors import StrategiaverkkoError
from ..core.iris import Iris
from ..core.namespaces import prefixes
from ..core.settings import load_settings
from ..query.sandbox import QueryPool
from ..query.service import QueryService
from ..query.warm import warm_in_background
from ..store.current import Build, BuildState
from ..store.short_links import ShortLinks
from . import context
from .formatting import human_date, human_number, load_locale_data
from .http import compression, server_timing
from .http.access_log import log_request, request_id
from .http.body_limit import TOO_LARGE, BodyLimit
from .http.errors import render_error, render_http_exception, render_unexpected
from .http.replay import ResponseReplay
from .i18n import UI
from .presenters.catalog import dump_text
from .views import assets, compare, coverage, harvest, health, home, linked_data, ontology, search, sparql
from .warm_pages import WARMING, warm_pages_in_background

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600
SHORT_LINKS_FILE = "short-links.sqlite"  # beside the builds in var/: a short link outlives a rebuild


def create_app(settings: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    load_locale_data()
    values = load_settings(settings)
    app.config["STRATEGIAVERKKO"] = values
    iris = Iris(values["base_iri"])
    state = BuildState(
        values["var_dir"], prefixes(iris), iris.base, store_url=values["store_url"], cache_bytes=values["cache_bytes"]
    )
    pool = QueryPool(
        size=values["query_processes"], timeout=values["query_timeout"], wait_for_free=values["query_queue_seconds"]
    )
    service = QueryService(state, pool, values, prefixes(iris))

    def on_open(build: Build) -> None:
        build.answer = lambda text: service.answer_json(build, text)
        if values["warm_on_open"]:
            warming = warm_in_background(service, build)
            if values["warm_pages"]:
                warm_pages_in_background(app, build, after=warming)

    state.on_open = on_open
    app.extensions[context.IRIS] = iris
    app.extensions[context.STATE] = state
    app.extensions[context.POOL] = pool
    app.extensions[context.QUERIES] = service
    app.extensions[context.SHORT_LINKS] = ShortLinks(
        Path(values["var_dir"]) / SHORT_LINKS_FILE, values["short_links_max"]
    )
    app.config["MAX_CONTENT_LENGTH"] = values["max_request_bytes"]

    app.jinja_env.globals["browse_path"] = iris.browse_path
    app.jinja_env.globals["lang_href"] = lang_href
    app.jinja_env.filters["keep_lang"] = keep_lang
    app.jinja_env.filters["human_date"] = human_date
    app.jinja_env.filters["human_number"] = human_number
    app.jinja_env.filters["dump_text"] = dump_text
    app.jinja_env.globals["language_in_url"] = context.language_in_url
    app.jinja_env.globals["editor_available"] = assets.editor_available()
    server_timing.init_app(app)  # first: its hook runs last, so its time includes the others'
    compression.init_app(app)
    for blueprint in (
        sparql.bp,
        assets.bp,
        linked_data.bp,
        home.bp,
        coverage.bp,
        ontology.bp,
        search.bp,
        harvest.bp,
        compare.bp,
        health.bp,
    ):
        app.register_blueprint(blueprint)

    @app.context_processor
    def reader_context() -> dict[str, Any]:
        # Every template gets the reader's language and the chrome's words; views may override.
        langs = context.languages()
        return {"lang": langs[0], "ui": UI[langs[0]]}

    @app.before_request
    def identify_request() -> None:
        # (Its clock started at the response replay, which every request passes: server_timing.STARTED.)
        g.request_id = request_id(request.headers.get("X-Request-Id"))
        if request.environ.get(TOO_LARGE):
            raise RequestEntityTooLarge()

    @app.after_request
    def access_log(response: Response) -> Response:
        response.headers["X-Request-Id"] = g.get("request_id", "")
        if request.environ.get(WARMING):
            return response  # the worker's own warm-up (warm_pages), not a reader
        extra = {"query_ms": g.query_ms} if g.get("query_ms") is not None else {}
        log_request(
            g.get("request_id"),
            request.method,
            request.path,
            response.status_code,
            request.environ[server_timing.STARTED],
            **extra,
        )
        return response

    @app.after_request
    def cors_and_security(response: Response) -> Response:
        # Any web page may query us: the data is public and the endpoint is read-only.
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, Accept-Language, If-None-Match"
        # What a script elsewhere may read: validators, links, the query's time, when to retry a
        # busy endpoint, a download's name, where the time went and the id that finds the request in our log.
        response.headers["Access-Control-Expose-Headers"] = (
            "ETag, Link, Content-Location, X-Query-Time, Server-Timing, Retry-After, Content-Disposition, X-Request-Id"
        )
        response.headers["Access-Control-Max-Age"] = "86400"  # a browser need not ask again for a day
        response.headers["Timing-Allow-Origin"] = "*"  # and its Server-Timing, to their pages' timing API
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if response.mimetype == "text/html":
            # Our pages load scripts and styles only from this server; JSON-LD data blocks are not scripts.
            response.headers.setdefault("Content-Security-Policy", CSP)
            response.headers.setdefault("X-Frame-Options", "DENY")
        response.vary.add("Accept")
        return response

    @app.after_request
    def remember_language(response: Response) -> Response:
        # The language switch's choice sticks: a cookie keeps it for the next pages, and whatever
        # follows the reader's language follows the cookie too, so caches must key on it.
        asked = context.language_in_url()
        if asked and request.cookies.get(context.LANGUAGE_COOKIE) != asked and response.mimetype == "text/html":
            response.set_cookie(
                context.LANGUAGE_COOKIE,
                asked,
                max_age=LANGUAGE_COOKIE_SECONDS,
                samesite="Lax",
                httponly=True,
                secure=request.is_secure,
            )
            # A shared cache must not hand this cookie to the next reader.
            response.cache_control.public = False
            response.cache_control.private = True
        if "accept-language" in {v.lower() for v in response.vary}:
            response.vary.add("Cookie")
        return response

    # A repeated request for one of the build's immutable responses never enters Flask; and
    # outermost, every body is bounded before anything reads it.
    replay = ResponseReplay(app.wsgi_app, state, values["max_request_bytes"])
    app.wsgi_app = BodyLimit(replay, values["max_request_bytes"])  # type: ignore[method-assign]
    hops = values["trusted_proxies"]
    if hops > 0:
        # Outside everything: the replay's keys, the links and the log see the address readers used.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )
    app.register_error_handler(StrategiaverkkoError, render_error)
    app.register_error_handler(HTTPException, render_http_exception)
    app.register_error_handler(Exception, render_unexpected)
    return app


# The request parameters some page reads (and keys its cached rendering by). Others change
# nothing on a page, and must not reach its links: the first reader's rendering is kept for all.
PAGE_PARAMETERS = frozenset({"q", "kind", "org", "a", "b", "view", "page", "query", "iri"})


def lang_href(code: str) -> str:
    """The language switch's link: this page in another language, the parameters it reads kept."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k in PAGE_PARAMETERS]
    return "?" + urlencode(args + [("lang", code)])


@pass_context  # never folded into the template at compile time: the answer is per request
def keep_lang(_context: Any, href: str) -> str:
    """The template filter of context.with_url_language."""
    return context.with_url_language(href)
