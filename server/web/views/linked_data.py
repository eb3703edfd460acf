"""Linked-data resources: /id/… (303), /page/… (HTML), /data/… (RDF), and named graphs' own IRIs."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request
from rdflib import Graph

from ...core.errors import BadRequest
from ...core.formats import DOCUMENT_BY_EXTENSION, DOCUMENT_FORMATS, RdfFormat
from ...core.iris import is_absolute_iri
from ...core.namespaces import prefixes
from ...store.current import Build
from ..context import NotFound, current_build, iris, languages, with_url_language
from ..http.conditional import build_response
from ..http.negotiate import html_or_rdf
from ..i18n import UI
from ..presenters.linked_data import name_the_unlabelled, ontology_labels, schema_org_jsonld
from ..presenters.plans import special_view, stratml_download
from ..presenters.queries import resource_sparql_href
from ..presenters.resource import resource_view

bp = Blueprint("pages", __name__)
ALTERNATES = [(f.extension, f.media_type) for f in DOCUMENT_FORMATS]


def describe_or_404(iri: str) -> list[tuple]:
    checked_iri(iri)
    quads = current_build().store.describe(iri)
    if not any(str(s) == iri for s, *_ in quads) and not any(str(o) == iri for _, _, o, _ in quads):
        raise NotFound(f"There is nothing about <{iri}> in the graph.", details={"iri": iri}, key="nothing_about")
    return quads


def checked_iri(iri: str) -> str:
    """?iri= as given, or 400: before it reaches the store or a redirect (a CR or LF in it made
    Werkzeug refuse the Location header, which was a 500)."""
    if not iri:
        raise BadRequest("Name the resource to show: ?iri= followed by its absolute IRI.", key="iri_param_missing")
    if not is_absolute_iri(iri):
        raise BadRequest(f"{iri!r} is not an absolute IRI.", details={"iri": repr(iri)}, key="iri_not_absolute")
    return iri


def rdf_document(quads: list[tuple]) -> Graph:
    g = Graph()
    for prefix, ns in prefixes(iris()).items():
        g.bind(prefix, ns)
    for s, p, o, _ in quads:
        g.add((s, p, o))
    return g


def serialize(quads: list[tuple], fmt: RdfFormat) -> bytes:
    return rdf_document(quads).serialize(format=fmt.rdflib, encoding="utf-8")


def alternates_link(path: str) -> str:
    links = [f'</page/{path}>; rel="alternate"; type="text/html"']
    links += [f'</data/{path}.{ext}>; rel="alternate"; type="{media}"' for ext, media in ALTERNATES]
    kind, _, slug = path.partition("/")
    stratml = stratml_download(current_build().manifest, slug) if kind == "strategy" else None
    if stratml:
        links.append(f'<{stratml}>; rel="alternate"; type="application/xml"; title="StratML (ISO 17469-1)"')
    return ", ".join(links)


def rdf_response(iri: str, path: str, fmt: RdfFormat) -> Response:
    return build_response(
        ("data", iri, fmt.extension),
        lambda: serialize(describe_or_404(iri), fmt),
        f"{fmt.media_type}; charset=utf-8",
        headers={"Content-Location": f"/data/{path}.{fmt.extension}", "Link": alternates_link(path)},
    )


def resource_page(build: Build, iri: str, path: str | None, langs: list[str]) -> str:
    """The HTML page of any resource: a strategy or an organisation in its own layout."""
    view = resource_view(iri, describe_or_404(iri), langs, iris(), ontology_labels(build, iris()))
    name_the_unlabelled(build, view, langs, iris())
    template, extra = "resource.html", {}
    if path is not None:
        special = special_view(build, iri, view, langs, iris())
        if special is not None:
            template, extra = special
    return render_template(
        template,
        view=view,
        path=path,
        iri_param=None if path else iri,
        lang=langs[0],
        ui=UI[langs[0]],
        alternates=ALTERNATES,
        jsonld=schema_org_jsonld(view, iris()),
        # The query behind the page, for a reader who wants to go on in SPARQL.
        sparql_href=resource_sparql_href(iri),
        sparql_incoming_href=resource_sparql_href(iri, incoming=True),
        **extra,
    )


@bp.route("/id/<path:path>")
def identifier(path: str):
    """Cool URIs: the thing itself is not a document, so 303 to its HTML or RDF description."""
    describe_or_404(iris().base + "id/" + path)
    fmt = html_or_rdf(request.headers.get("Accept"))
    page = with_url_language(f"/page/{path}")  # the page keeps a language the link asked for (/id/…?lang=sv)
    response = redirect(page if fmt is None else f"/data/{path}.{fmt.extension}", code=303)
    response.vary.add("Accept")
    return response


@bp.route("/page/")
def page_for_iri():
    """Any IRI the graph mentions, ours or not (e.g. a vocabulary term): /page/?iri=…"""
    iri = checked_iri(request.args.get("iri", ""))
    path = iris().browse_path(iri)
    if path and path.startswith("/page/"):
        return redirect(path, code=301)
    return resource_page(current_build(), iri, None, languages())


@bp.route("/graph/<name>")
def named_graph(name: str):
    """A named graph's own IRI ({base}graph/…), where the data describes it (e.g. graph/curated:
    what kind of text it holds and the activity that made it): HTML or RDF by the Accept header."""
    iri = iris().base + "graph/" + name
    fmt = html_or_rdf(request.headers.get("Accept"))
    if fmt is None:
        response = Response(
            resource_page(current_build(), iri, None, languages()), content_type="text/html; charset=utf-8"
        )
        response.vary.add("Accept-Language")
    else:
        response = Response(serialize(describe_or_404(iri), fmt), content_type=f"{fmt.media_type}; charset=utf-8")
    response.vary.add("Accept")
    return response


@bp.route("/data/")
def data_for_iri():
    iri = request.args.get("iri", "")
    fmt = html_or_rdf(request.headers.get("Accept"), request.args.get("format"), html=False)
    assert fmt is not None
    return Response(serialize(describe_or_404(iri), fmt), content_type=f"{fmt.media_type}; charset=utf-8")


@bp.route("/data/<path:path>")
def data(path: str):
    stem, dot, ext = path.rpartition(".")
    if dot and ext in DOCUMENT_BY_EXTENSION and "/" in stem:
        return rdf_response(iris().base + "id/" + stem, stem, DOCUMENT_BY_EXTENSION[ext])
    fmt = html_or_rdf(request.headers.get("Accept"), html=False)
    assert fmt is not None
    return rdf_response(iris().base + "id/" + path, path, fmt)


@bp.route("/page/<path:path>")
def page(path: str):
    iri = iris().base + "id/" + path
    langs = languages()
    build = current_build()
    key = ("page", iri, tuple(langs))
    return build_response(
        key,
        lambda: resource_page(build, iri, path, langs).encode("utf-8"),
        "text/html; charset=utf-8",
        language=langs[0],
        headers={"Link": alternates_link(path)},
    )
