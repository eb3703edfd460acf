"""/ontology: documentation for people, the ontology itself for machines (content negotiation).

Generated from the built ontology graph, so the docs cannot drift from the ontology:
every class and property with labels, definition, domain, range, super- and
subclasses, alignments and how many instances (or uses) it has in the data.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, Response, render_template, request
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from .http_cache import conditional
from .i18n import UI, pick_label
from .namespaces import prefixes
from .negotiate import choose, prefers_html
from .pages import iris, languages, state
from .store import to_rdflib

bp = Blueprint("ontology", __name__)
RDF_FORMATS = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
               "application/n-triples": "nt"}
EXTENSIONS = {"ttl": "text/turtle", "rdf": "application/rdf+xml", "jsonld": "application/ld+json",
              "nt": "application/n-triples"}


@dataclass
class Term:
    iri: str
    anchor: str
    labels: list[Literal]
    label: str
    definitions: list[Literal]
    kinds: list[str]
    relations: list[tuple[str, list[tuple[str, str | None]]]] = field(default_factory=list)
    count: int = 0


def ontology_graph() -> Graph:
    build = state().current()
    cached = build.cache.get("ontology-graph")
    if cached is not None:
        return cached
    g = Graph()
    for prefix, ns in prefixes(iris()).items():
        g.bind(prefix, ns)
    g.bind("vann", "http://purl.org/vocab/vann/")
    g.bind("fibo", "https://spec.edmcouncil.org/fibo/ontology/FND/GoalsAndObjectives/Objectives/")
    for row in build.store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{iris().graph('ontology')}> {{ ?s ?p ?o }} }}"):
        g.add((to_rdflib(row["s"]), to_rdflib(row["p"]), to_rdflib(row["o"])))
    build.cache.put("ontology-graph", g, 2_000_000)
    return g


def usage_counts() -> dict[str, int]:
    """Instances of each class and uses of each property in the data: every graph of the build
    but the ontology itself (asserted, inferred, curated, ...)."""
    build = state().current()
    counts: dict[str, int] = {}
    data_graphs = [g for g in build.manifest["graphs"] if g != iris().graph("ontology")]
    graphs = " ".join(f"FROM <{g}>" for g in data_graphs)
    for row in build.store.query(f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) {graphs} WHERE {{ ?s a ?c }} GROUP BY ?c"):
        counts[row["c"].value] = int(row["n"].value)
    for row in build.store.query(f"SELECT ?p (COUNT(*) AS ?n) {graphs} WHERE {{ ?s ?p ?o }} GROUP BY ?p"):
        counts.setdefault(row["p"].value, int(row["n"].value))
    return counts


def _in_language_order(literals: list[Literal], langs: list[str]) -> list[Literal]:
    rank = {lang: i for i, lang in enumerate(langs)}
    return sorted(literals, key=lambda l: (rank.get(l.language, len(rank)), l.language or ""))


def _name(g: Graph, node, langs) -> tuple[str, str | None]:
    labels = {p: list(g.objects(node, p)) for p in (RDFS.label, SKOS.prefLabel)}
    if not any(labels.values()):
        # Things of the data (e.g. a source document) are labelled in the data, not the ontology.
        labels = {SKOS.prefLabel: [to_rdflib(r["l"]) for r in state().current().store.query(
            f"SELECT ?l WHERE {{ <{node}> <{SKOS.prefLabel}> ?l }}")]}
    label = pick_label(labels, langs)
    local = iris().browse_path(str(node))
    href = local if local else str(node)
    if label is not None:
        return str(label), href
    for prefix, ns in sorted(prefixes(iris()).items(), key=lambda kv: -len(kv[1])):
        if str(node).startswith(ns):
            return f"{prefix}:{str(node)[len(ns):]}", href
    return str(node), href


def terms(g: Graph, langs: list[str]) -> tuple[list[Term], list[Term], list[Term]]:
    """Classes, properties, and concepts (our own code lists and the external terms we align to)."""
    vocab = iris().vocab
    hash_namespaces = (vocab, iris().ontology + "/external#")
    counts = usage_counts()
    ui = UI[langs[0]]
    classes, properties, concepts = [], [], []
    for node in sorted(set(g.subjects(RDF.type, None)), key=str):
        if not isinstance(node, URIRef) or not str(node).startswith(hash_namespaces):
            continue
        anchor = str(node).split("#", 1)[1]
        kinds = [str(k) for k in g.objects(node, RDF.type)]
        labels = sorted(list(g.objects(node, RDFS.label)) + list(g.objects(node, SKOS.prefLabel)),
                        key=lambda l: (l.language or ""))
        label = pick_label({RDFS.label: labels}, langs)
        term = Term(str(node), anchor, labels, str(label) if label else anchor,
                    _in_language_order(list(g.objects(node, SKOS.definition)), langs), kinds,
                    count=counts.get(str(node), 0))
        rel = lambda name, values: term.relations.append((name, [_name(g, v, langs) for v in sorted(values, key=str)])) if values else None  # noqa: E731
        rel("rdfs:subClassOf", list(g.objects(node, RDFS.subClassOf)))
        rel("⊒ " + ui["type"], list(g.subjects(RDFS.subClassOf, node)))
        rel("rdfs:subPropertyOf", list(g.objects(node, RDFS.subPropertyOf)))
        rel("rdfs:domain", list(g.objects(node, RDFS.domain)))
        rel("rdfs:range", list(g.objects(node, RDFS.range)))
        rel("owl:inverseOf", list(g.objects(node, OWL.inverseOf)) + list(g.subjects(OWL.inverseOf, node)))
        rel("skos:closeMatch", list(g.objects(node, SKOS.closeMatch)))
        rel("dct:source", list(g.objects(node, DCTERMS.source)))
        rel("skos:inScheme", list(g.objects(node, SKOS.inScheme)))
        rel("skos:notation", [Literal(n) for n in g.objects(node, SKOS.notation)])
        if str(OWL.Class) in kinds:
            classes.append(term)
        elif str(OWL.ObjectProperty) in kinds or str(OWL.DatatypeProperty) in kinds:
            properties.append(term)
        else:
            concepts.append(term)
    return classes, properties, concepts


@bp.route("/ontology")
@bp.route("/ontology.<ext>")
@bp.route("/ontology/<path:rest>")
def ontology(ext: str | None = None, rest: str | None = None):
    build = state().current()
    if ext is not None and ext not in EXTENSIONS:
        from .pages import NotFound
        raise NotFound(f"No ontology format .{ext}; try " + ", ".join("." + e for e in EXTENSIONS))
    accept = request.headers.get("Accept")
    if ext is None and (not accept or prefers_html(accept)):
        langs = languages()
        key = ("ontology-html", tuple(langs))
        body = build.cache.get(key)
        if body is None:
            g = ontology_graph()
            classes, properties, concepts = terms(g, langs)
            header = URIRef(iris().ontology)
            body = render_template("ontology.html", classes=classes, properties=properties, concepts=concepts,
                                   titles=_in_language_order(list(g.objects(header, DCTERMS.title)), langs),
                                   descriptions=_in_language_order(list(g.objects(header, DCTERMS.description)), langs),
                                   version=g.value(header, OWL.versionInfo), iri=iris().ontology,
                                   prefix=g.value(header, URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix")),
                                   license=g.value(header, DCTERMS.license), formats=EXTENSIONS).encode("utf-8")
            build.cache.put(key, body, len(body))
        response = Response(body, content_type="text/html; charset=utf-8")
        response.vary.add("Accept-Language")
        return conditional(response, build, *map(str, key))
    media = EXTENSIONS[ext] if ext else choose(accept, list(RDF_FORMATS), default="text/turtle")
    key = ("ontology-rdf", media)
    body = build.cache.get(key)
    if body is None:
        body = ontology_graph().serialize(format=RDF_FORMATS[media], encoding="utf-8")
        build.cache.put(key, body, len(body))
    response = Response(body, content_type=f"{media}; charset=utf-8")
    response.headers["Link"] = ", ".join(f'</ontology.{e}>; rel="alternate"; type="{m}"' for e, m in EXTENSIONS.items())
    return conditional(response, build, *key)
