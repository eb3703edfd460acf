"""Linked-data resources: /id/… (303), /page/… (HTML), /data/… (RDF), and the home page."""
from __future__ import annotations


from flask import Blueprint, Response, current_app, redirect, render_template, request
from rdflib import Graph

from .errors import BadRequest, StrategiaverkkoError
from .http_cache import conditional
from .script_json import script_json
from .i18n import UI, reader_languages
from .iris import Iris
from .negotiate import choose, prefers_html
from .view import resource_view

bp = Blueprint("pages", __name__)

RDF_EXTENSIONS = {  # extension -> (media type, rdflib format)
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "xml"),
    "nt": ("application/n-triples", "nt"),
}
MEDIA_TO_EXT = {media: ext for ext, (media, _) in RDF_EXTENSIONS.items()}


class NotFound(StrategiaverkkoError):
    status = 404
    title = "Not found"


def iris() -> Iris:
    return current_app.extensions["strategiaverkko.iris"]


def state():
    return current_app.extensions["strategiaverkko.state"]


def languages() -> list[str]:
    return reader_languages(request.args.get("lang"), request.headers.get("Accept-Language"),
                            current_app.config["STRATEGIAVERKKO"]["fallback_languages"])


def ui() -> dict:
    return UI[languages()[0]]


def describe_or_404(iri: str) -> list[tuple]:
    if not iri:
        raise BadRequest("Name the resource to show: ?iri= followed by its absolute IRI.")
    try:
        quads = state().current().store.describe(iri)
    except ValueError:   # the store refuses what is not an absolute IRI
        raise BadRequest(f"<{iri}> is not an absolute IRI.") from None
    if not any(str(s) == iri for s, *_ in quads) and not any(str(o) == iri for _, _, o, _ in quads):
        raise NotFound(f"There is nothing about <{iri}> in the graph.")
    return quads


def ontology_labels() -> dict:
    """Labels of every ontology term (for predicates and types on pages), cached per build."""
    build = state().current()
    cached = build.cache.get("ontology-labels")
    if cached is not None:
        return cached
    from .store import to_rdflib
    labels: dict = {}
    rows = build.store.query(f"""SELECT ?s ?p ?o WHERE {{ GRAPH <{iris().graph('ontology')}> {{ ?s ?p ?o
        FILTER(?p IN (<http://www.w3.org/2000/01/rdf-schema#label>, <http://www.w3.org/2004/02/skos/core#prefLabel>)) }} }}""")
    for row in rows:
        labels.setdefault(to_rdflib(row["s"]), {}).setdefault(to_rdflib(row["p"]), []).append(to_rdflib(row["o"]))
    build.cache.put("ontology-labels", labels, 200_000)
    return labels


def rdf_document(iri: str, quads: list[tuple]) -> Graph:
    from .namespaces import prefixes
    g = Graph()
    for prefix, ns in prefixes(iris()).items():
        g.bind(prefix, ns)
    for s, p, o, _ in quads:
        g.add((s, p, o))
    return g


def rdf_response(iri: str, path: str, ext: str) -> Response:
    build = state().current()
    media, fmt = RDF_EXTENSIONS[ext]
    key = ("data", iri, ext)
    body = build.cache.get(key)
    if body is None:
        graph = rdf_document(iri, describe_or_404(iri))
        body = graph.serialize(format=fmt, encoding="utf-8")
        build.cache.put(key, body, len(body))
    response = Response(body, content_type=f"{media}; charset=utf-8")
    response.headers["Content-Location"] = f"/data/{path}.{ext}"
    response.headers["Link"] = alternates_link(path)
    return conditional(response, build, *key)


def alternates_link(path: str) -> str:
    links = [f'</page/{path}>; rel="alternate"; type="text/html"']
    links += [f'</data/{path}.{ext}>; rel="alternate"; type="{media}"' for ext, (media, _) in RDF_EXTENSIONS.items()]
    return ", ".join(links)


@bp.route("/id/<path:path>")
def identifier(path: str):
    """Cool URIs: the thing itself is not a document, so 303 to its HTML or RDF description."""
    iri = iris().base + "id/" + path
    describe_or_404(iri)
    accept = request.headers.get("Accept")
    if not accept or prefers_html(accept):
        target = f"/page/{path}"
    else:
        media = choose(accept, list(MEDIA_TO_EXT), default="text/turtle")
        target = f"/data/{path}.{MEDIA_TO_EXT[media]}"
    response = redirect(target, code=303)
    response.vary.add("Accept")
    return response


@bp.route("/page/")
def page_for_iri():
    """Any IRI the graph mentions, ours or not (e.g. a vocabulary term): /page/?iri=…"""
    iri = request.args.get("iri", "")
    path = iris().browse_path(iri)
    if path and path.startswith("/page/"):
        return redirect(path, code=301)
    quads = describe_or_404(iri)
    langs = languages()
    view = resource_view(iri, quads, langs, iris(), ontology_labels())
    return render_template("resource.html", view=view, path=None, iri_param=iri, lang=langs[0], ui=UI[langs[0]],
                           alternates=[(ext, media) for ext, (media, _) in RDF_EXTENSIONS.items()],
                           jsonld=schema_org_jsonld(view))


@bp.route("/graph/<name>")
def named_graph(name: str):
    """A named graph's own IRI ({base}graph/…), where the data describes it (e.g. graph/curated:
    what kind of text it holds and the activity that made it): HTML or RDF by the Accept header."""
    iri = iris().base + "graph/" + name
    quads = describe_or_404(iri)
    accept = request.headers.get("Accept")
    if not accept or prefers_html(accept):
        langs = languages()
        view = resource_view(iri, quads, langs, iris(), ontology_labels())
        response = Response(render_template(
            "resource.html", view=view, path=None, iri_param=iri, lang=langs[0], ui=UI[langs[0]],
            alternates=[(ext, media) for ext, (media, _) in RDF_EXTENSIONS.items()], jsonld=schema_org_jsonld(view)),
            content_type="text/html; charset=utf-8")
        response.vary.add("Accept-Language")
    else:
        media = choose(accept, list(MEDIA_TO_EXT), default="text/turtle")
        body = rdf_document(iri, quads).serialize(format=RDF_EXTENSIONS[MEDIA_TO_EXT[media]][1], encoding="utf-8")
        response = Response(body, content_type=f"{media}; charset=utf-8")
    response.vary.add("Accept")
    return response


@bp.route("/data/")
def data_for_iri():
    iri = request.args.get("iri", "")
    media = choose(request.headers.get("Accept"), list(MEDIA_TO_EXT), default="text/turtle")
    ext = request.args.get("format") if request.args.get("format") in RDF_EXTENSIONS else MEDIA_TO_EXT[media]
    media, fmt = RDF_EXTENSIONS[ext]
    body = rdf_document(iri, describe_or_404(iri)).serialize(format=fmt, encoding="utf-8")
    return Response(body, content_type=f"{media}; charset=utf-8")


@bp.route("/data/<path:path>")
def data(path: str):
    stem, dot, ext = path.rpartition(".")
    if dot and ext in RDF_EXTENSIONS and "/" in stem:
        return rdf_response(iris().base + "id/" + stem, stem, ext)
    media = choose(request.headers.get("Accept"), list(MEDIA_TO_EXT), default="text/turtle")
    return rdf_response(iris().base + "id/" + path, path, MEDIA_TO_EXT[media])


@bp.route("/page/<path:path>")
def page(path: str):
    iri = iris().base + "id/" + path
    langs = languages()
    build = state().current()
    key = ("page", iri, tuple(langs))
    body = build.cache.get(key)
    if body is None:
        quads = describe_or_404(iri)
        view = resource_view(iri, quads, langs, iris(), ontology_labels())
        template, extra = "resource.html", {}
        from .strategy_view import special_view
        special = special_view(build.store, iri, view, langs, iris())
        if special is not None:
            template, extra = special
        body = render_template(template, view=view, path=path, lang=langs[0], ui=UI[langs[0]],
                               alternates=[(ext, media) for ext, (media, _) in RDF_EXTENSIONS.items()],
                               jsonld=schema_org_jsonld(view), **extra).encode("utf-8")
        build.cache.put(key, body, len(body))
    response = Response(body, content_type="text/html; charset=utf-8")
    response.headers["Link"] = alternates_link(path)
    response.headers["Content-Language"] = langs[0]
    response.vary.add("Accept-Language")
    return conditional(response, build, *map(str, key))


def schema_org_jsonld(view) -> str:
    """schema.org JSON-LD for search engines: organisations as GovernmentOrganization, etc."""
    types = {v.iri for v in view.types}
    stv = iris().vocab
    if stv + "WellbeingServicesCounty" in types or "http://data.europa.eu/m8g/PublicOrganisation" in types:
        kind = "GovernmentOrganization"
    elif stv + "Strategy" in types or any(t and t.startswith(stv) and "Programme" in t for t in types):
        kind = "CreativeWork"
    elif stv + "Decision" in types or stv + "Consultation" in types:
        kind = "Event"
    else:
        kind = "Thing"
    data = {"@context": "https://schema.org", "@type": kind, "@id": view.iri, "name": view.title,
            "url": view.iri}
    if view.title_lang:
        data["inLanguage"] = view.title_lang
    # "</" would end the script element early; JSON allows it escaped.
    return script_json(data)
