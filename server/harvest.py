"""What harvesters and crawlers fetch: /catalog, /.well-known/void, /download/…, /sitemap.xml, /robots.txt."""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from flask import Blueprint, Response, current_app, render_template, request, send_from_directory

from .catalog import CatalogContext, catalog_graph, void_graph
from .http_cache import conditional
from .script_json import script_json
from .negotiate import choose, prefers_html
from .pages import NotFound, iris, state
from .store import to_rdflib

bp = Blueprint("harvest", __name__)
RDF_MEDIA = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
             "application/n-triples": "nt"}
EXTENSIONS = {"ttl": "text/turtle", "rdf": "application/rdf+xml", "jsonld": "application/ld+json",
              "nt": "application/n-triples"}


def public_url() -> str:
    configured = current_app.config["STRATEGIAVERKKO"]["public_url"]
    return (configured or request.host_url).rstrip("/")


def context() -> CatalogContext:
    build = state().current()
    return CatalogContext(iris(), public_url(), build.manifest, current_app.config["STRATEGIAVERKKO"])


def _organisation_slug(iri: str) -> str | None:
    """The slug of one of our organisation IRIs; None for any other IRI (the catalog has no
    dataset for it, and cutting a prefix it lacks would make up a slug)."""
    prefix = iris().thing("organisation", "")
    return iri[len(prefix):] if iri.startswith(prefix) else None


def organisation_labels() -> dict[str, dict]:
    rows = state().current().store.query(f"""SELECT ?org ?label WHERE {{
        ?s a <{iris().vocab}Strategy> ; <{iris().vocab}organisation> ?org .
        ?org <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }}""")
    out: dict[str, dict] = {}
    for row in rows:
        slug = _organisation_slug(row["org"].value)
        if slug is not None:
            label = to_rdflib(row["label"])
            out.setdefault(slug, {"labels": {}})["labels"][label.language] = str(label)
    return out


def strategy_periods() -> dict:
    """slug (None: all) -> (earliest start, latest end) of the strategies' validity periods."""
    rows = state().current().store.query(f"""SELECT ?org ?start ?end WHERE {{
        ?s a <{iris().vocab}Strategy> ; <{iris().vocab}organisation> ?org ;
           <http://purl.org/dc/terms/temporal> ?t .
        OPTIONAL {{ ?t <http://www.w3.org/ns/dcat#startDate> ?start }}
        OPTIONAL {{ ?t <http://www.w3.org/ns/dcat#endDate> ?end }} }}""")
    periods: dict = {}
    for row in rows:
        slug = _organisation_slug(row["org"].value)
        for key in ((slug, None) if slug is not None else (None,)):
            start, end = periods.get(key, (None, None))
            s = row["start"].value if row["start"] else None
            e = row["end"].value if row["end"] else None
            periods[key] = (min(filter(None, [start, s]), default=None), max(filter(None, [end, e]), default=None))
    return periods


def rdf_or_html(graph_key: tuple, make_graph, html_template: str | None = None, **html_context) -> Response:
    build = state().current()
    accept = request.headers.get("Accept")
    ext = request.args.get("format")
    if html_template and not ext and accept and prefers_html(accept):
        media = "text/html"
    elif ext in EXTENSIONS:
        media = EXTENSIONS[ext]
    else:
        media = choose(accept, list(RDF_MEDIA), default="text/turtle")
    key = (*graph_key, public_url(), media)
    body = build.cache.get(key)
    if body is None:
        graph = make_graph()
        if media == "text/html":
            from .pages import languages
            body = render_template(html_template, view=catalog_view(graph, languages()),
                                   **html_context).encode("utf-8")
        else:
            body = graph.serialize(format=RDF_MEDIA[media], encoding="utf-8")
        build.cache.put(key, body, len(body))
    response = Response(body, content_type=f"{media}; charset=utf-8")
    return conditional(response, build, *map(str, key))


def catalog_view(graph, langs: list[str]) -> dict:
    """Datasets and their distributions from the catalog graph, for the HTML page and its JSON-LD."""
    from rdflib.namespace import DCAT, DCTERMS, RDF

    def text(node, prop):
        values = list(graph.objects(node, prop))
        for lang in langs:
            for v in values:
                if getattr(v, "language", None) == lang:
                    return str(v)
        return str(values[0]) if values else ""

    datasets = []
    for ds in sorted(graph.subjects(RDF.type, DCAT.Dataset), key=str):
        dists = []
        for dist in sorted(graph.objects(ds, DCAT.distribution), key=str):
            url = graph.value(dist, DCAT.downloadURL) or graph.value(dist, DCAT.accessURL)
            dists.append({"title": text(dist, DCTERMS.title), "url": str(url),
                          "media": str(graph.value(dist, DCAT.mediaType) or "").rsplit("media-types/", 1)[-1],
                          "size": graph.value(dist, DCAT.byteSize)})
        datasets.append({"iri": str(ds), "title": text(ds, DCTERMS.title), "description": text(ds, DCTERMS.description),
                         "landing": str(graph.value(ds, DCAT.landingPage) or ""), "distributions": dists})
    jsonld = {"@context": "https://schema.org", "@type": "DataCatalog", "name": "Strategiaverkko",
              "license": "https://creativecommons.org/licenses/by/4.0/",
              "dataset": [{"@type": "Dataset", "@id": d["iri"], "name": d["title"], "description": d["description"],
                           "license": "https://creativecommons.org/licenses/by/4.0/",
                           "creator": {"@type": "Organization", "name": "Strategiaverkko"},
                           "spatialCoverage": {"@type": "Place", "name": "Finland"},
                           "distribution": [{"@type": "DataDownload", "contentUrl": x["url"], "encodingFormat": x["media"]}
                                            for x in d["distributions"] if "/download/" in x["url"]]}
                          for d in datasets]}
    return {"datasets": datasets, "jsonld": script_json(jsonld)}


@bp.route("/catalog")
def catalog():
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        raise NotFound("The page number must be a whole number.") from None
    ctx = context()
    make = lambda: catalog_graph(ctx, organisation_labels(), strategy_periods(), page)  # noqa: E731
    return rdf_or_html(("catalog", page), make, "catalog.html", page=page, ctx=ctx)


@bp.route("/.well-known/void")
def void():
    ctx = context()
    return rdf_or_html(("void",), lambda: void_graph(ctx, state().current().store))


def _download_dir() -> Path:
    return state().current().path / "download"


@bp.route("/download/")
def downloads():
    build = state().current()
    response = Response(render_template("downloads.html", dumps=build.manifest["dumps"], manifest=build.manifest),
                        content_type="text/html; charset=utf-8")
    return conditional(response, build, "downloads", request.headers.get("Accept-Language", ""))


@bp.route("/download/<path:name>")
def download(name: str):
    build = state().current()
    known = {d["name"]: d for d in build.manifest["dumps"]}
    if name not in known and name != "SHA256SUMS":
        raise NotFound(f"No download called {name}. See /download/ for the list.")
    media = known[name]["media_type"] if name in known else "text/plain"
    response = send_from_directory(_download_dir(), name, mimetype=media, conditional=True, etag=True,
                                   max_age=3600)
    if name.endswith(".gz"):
        # The file is gzip-compressed N-Triples: say so without asking clients to decompress it.
        response.headers["Content-Type"] = "application/gzip"
        response.headers["Content-Disposition"] = f"attachment; filename={Path(name).name}"
    elif media.startswith("text/"):
        response.headers["Content-Type"] = f"{media}; charset=utf-8"
    if request.method == "HEAD":
        # HEAD sends no body: close the file now rather than when the response is collected.
        response.close()
        response.response = []
    return response


@bp.route("/sitemap.xml")
def sitemap():
    build = state().current()
    key = ("sitemap", public_url())
    body = build.cache.get(key)
    if body is None:
        base_id = iris().base + "id/"
        rows = build.store.query(f"""SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{base_id}")) }}
                                     ORDER BY ?s""")
        lastmod = build.manifest["created"][:10]
        paths = ["/", "/compare", "/sparql", "/ontology", "/catalog", "/download/"]
        paths += [iris().browse_path(r["s"].value) for r in rows]
        urls = "".join(f"<url><loc>{escape(public_url() + p)}</loc><lastmod>{lastmod}</lastmod></url>" for p in paths)
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n').encode("utf-8")
        build.cache.put(key, body, len(body))
    return conditional(Response(body, content_type="application/xml; charset=utf-8"), build, *key)


@bp.route("/robots.txt")
def robots():
    text = f"User-agent: *\nAllow: /\nDisallow: /sparql?\nSitemap: {public_url()}/sitemap.xml\n"
    return conditional(Response(text, content_type="text/plain; charset=utf-8"), state().current(), "robots", text)
