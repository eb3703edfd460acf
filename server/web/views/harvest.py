"""What harvesters and crawlers fetch: /catalog, /.well-known/void, /download/…, /sitemap.xml, /robots.txt."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, render_template, request, send_from_directory
from rdflib import Graph

from ...core.errors import BadRequest
from ...core.formats import HARVEST_FORMATS, RdfFormat
from ...store.manifest import CHECKSUMS, sha256_of
from ..context import NotFound, current_build, iris, languages, public_url, settings, statistics
from ..http.conditional import build_response
from ..http.negotiate import format_named, html_or_rdf
from ..presenters import queries
from ..presenters.catalog import (
    CatalogContext,
    catalog_graph,
    catalog_page,
    catalog_view,
    describing_page,
    organisation_labels,
    strategy_periods,
    void_graph,
)

bp = Blueprint("harvest", __name__)
_SERIALIZING = threading.Lock()


def context() -> CatalogContext:
    return CatalogContext(iris(), public_url(), current_build().manifest, settings())


def requested_format(html: bool) -> RdfFormat | None:
    """The format asked for (None: the HTML page): ?format= by any name clients give it (400 for
    one we do not have), else the Accept header."""
    name = request.args.get("format")
    if name and html and name.strip().lower() == "html":
        return None
    if name:
        return format_named(name, HARVEST_FORMATS)
    return html_or_rdf(request.headers.get("Accept"), html=html, html_without_accept=False, offered=HARVEST_FORMATS)


def rdf_or_html(
    fmt: RdfFormat | None,
    graph_key: tuple,
    make_graph: Callable[[], Graph],
    html_template: str | None = None,
    **html_context: Any,
) -> Response:
    """The graph `make_graph()` gives, in `fmt` (requested_format's answer; None: the HTML page)."""
    media = "text/html" if fmt is None else fmt.media_type

    def make() -> bytes:
        graph = make_graph()
        # The catalog graph is shared by every format and language (cached per build), and
        # rdflib's serializers bind prefixes into the graph as they go: one at a time.
        with _SERIALIZING:
            if fmt is None:
                assert html_template is not None  # HTML is offered (html=) only with a template
                view = catalog_view(graph, languages())
                return render_template(html_template, view=view, **html_context).encode("utf-8")
            return graph.serialize(format=fmt.rdflib, encoding="utf-8")

    if fmt is None:  # the page is in the reader's language: keyed by it, and Vary says so
        langs = languages()
        return build_response(
            (*graph_key, public_url(), media, tuple(langs)), make, f"{media}; charset=utf-8", language=langs[0]
        )
    return build_response((*graph_key, public_url(), media), make, f"{media}; charset=utf-8")


@bp.route("/catalog")
def catalog():
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        raise BadRequest("The page number must be a whole number.", key="page_number") from None
    ctx = context()
    build = current_build()
    _, pages, on_page = catalog_page(ctx, page)
    if not 1 <= page <= pages:
        raise NotFound(
            f"The catalog has {pages} page(s); there is no page {page}.",
            details={"page": page, "pages": pages},
            key="no_such_catalog_page",
        )
    # The paging links keep an explicit ?format=: a harvester (ckanext-dcat) reads every page in
    # the format of the first, and must not get Turtle for RDF/XML on page 2.
    fmt = requested_format(html=True)
    keep = fmt.key if fmt is not None and request.args.get("format") else None

    def make() -> Graph:
        # One graph per build, page, address and kept format, whatever the language asked: the
        # HTML in fi, sv and en and each RDF format are views of it (60-80 ms to make at 1M triples).
        key = ("catalog-graph", page, ctx.public_url, keep)
        graph = build.cache.get(key)
        if graph is None:
            labels = organisation_labels(build, iris(), on_page)
            graph = catalog_graph(ctx, labels, strategy_periods(statistics(), iris(), on_page), page, keep)
            build.cache.put(key, graph, 500 * len(graph))
        return graph

    return rdf_or_html(fmt, ("catalog", page, keep), make, "catalog.html", page=page, ctx=ctx)


@bp.route("/dataset/<slug>", defaults={"kind": "dataset"})
@bp.route("/distribution/<slug>", defaults={"kind": "distribution"})
@bp.route("/service/<slug>", defaults={"kind": "service"})
def catalog_entry(kind: str, slug: str):
    """A dataset, distribution or data service of the catalog ({base}dataset/…): a thing, not a
    document, so 303 to the catalog page that describes it, as /id/… does for the graph's things.
    The catalog negotiates the format; a browser lands on the dataset's place on the page."""
    ctx = context()
    found = describing_page(ctx, kind, slug)
    if found is None:
        raise NotFound(
            f"The catalog has no {kind} called {slug}.", details={"kind": kind, "name": slug}, key="no_catalog_entry"
        )
    page, anchor = found
    pages = catalog_page(ctx, page)[1]
    return redirect(
        ("/catalog" if pages == 1 else f"/catalog?page={page}") + (f"#{anchor}" if anchor else ""), code=303
    )


@bp.route("/.well-known/void")
def void():
    ctx = context()
    build = current_build()
    return rdf_or_html(requested_format(html=False), ("void",), lambda: void_graph(ctx, build.store, statistics()))


def _download_dir() -> Path:
    return current_build().path / "download"


@bp.route("/download/")
def downloads():
    build = current_build()
    langs = languages()
    return build_response(
        ("downloads", tuple(langs)),
        lambda: render_template("downloads.html", dumps=build.manifest["dumps"], manifest=build.manifest).encode(
            "utf-8"
        ),
        "text/html; charset=utf-8",
        language=langs[0],
    )


def _changed(dump: dict | None) -> datetime | None:
    """When a dump's bytes last changed (pipeline.publish.dated_dumps); None: the file's own time."""
    return datetime.fromisoformat(dump["modified"]) if dump and "modified" in dump else None


@bp.route("/download/<path:name>")
def download(name: str):
    build = current_build()
    known = {d["name"]: d for d in build.manifest["dumps"]}
    if name not in known and name != CHECKSUMS:
        raise NotFound(
            f"No download called {name}. See /download/ for the list.", details={"name": name}, key="no_such_download"
        )
    media = known[name]["media_type"] if name in known else "text/plain"
    # The ETag is the file's SHA-256, not its time and size: a rebuild that writes the same bytes
    # keeps it, so a harvester's conditional GET gets 304 and fetches nothing again.
    digest = known[name]["sha256"] if name in known else sha256_of(_download_dir() / CHECKSUMS)
    response = send_from_directory(
        _download_dir(),
        name,
        mimetype=media,
        conditional=True,
        etag=digest,
        last_modified=_changed(known.get(name)),
        max_age=3600,
    )
    if name.endswith(".gz"):
        # The file is gzip-compressed N-Triples: say so without asking clients to decompress it.
        response.headers["Content-Type"] = "application/gzip"
        response.headers["Content-Disposition"] = f"attachment; filename={Path(name).name}"
    elif media.startswith("text/"):
        response.headers["Content-Type"] = f"{media}; charset=utf-8"
    response.headers["Link"] = '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    if request.method == "HEAD":
        # HEAD sends no body: close the file now rather than when the response is collected.
        response.close()
        response.response = []
    return response


@bp.route("/sitemap.xml")
def sitemap():
    build = current_build()

    def make() -> bytes:
        rows = build.store.query(queries.SUBJECTS_IN, bind={"prefix": ox.Literal(iris().base + "id/")})
        lastmod = build.manifest["created"][:10]
        paths = ["/", "/compare", "/sparql", "/ontology", "/catalog", "/download/"]
        paths += [path for r in rows if (path := iris().browse_path(r["s"].value))]
        urls = "".join(f"<url><loc>{escape(public_url() + p)}</loc><lastmod>{lastmod}</lastmod></url>" for p in paths)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
        ).encode()

    return build_response(("sitemap", public_url()), make, "application/xml; charset=utf-8")


@bp.route("/robots.txt")
def robots():
    text = f"User-agent: *\nAllow: /\nDisallow: /sparql?\nSitemap: {public_url()}/sitemap.xml\n"
    return build_response(("robots", text), text.encode, "text/plain; charset=utf-8")
