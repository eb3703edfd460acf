"""What /ontology shows: documentation for people, generated from the built ontology graph.

Generated from the built ontology graph, so the docs cannot drift from the ontology:
every class and property with labels, definition, domain, range, super- and
subclasses, alignments and how many instances (or uses) it has in the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from ...core.iris import Iris
from ...core.namespaces import prefixes
from ...store import statistics as build_statistics
from ...store.base import to_rdflib
from ...store.current import Build
from ..i18n import UI, pick_label
from . import queries


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


@dataclass
class TreeNode:
    term: Term
    children: list[TreeNode] = field(default_factory=list)
    repeated: bool = False  # shown in full under another superclass already (a class with two)


def class_tree(classes: list[Term], g: Graph) -> list[TreeNode]:
    """The subclass hierarchy of our classes as nested nodes, by label. A class whose superclasses are
    all outside our classes is a root; a class with two superclasses of ours appears under each (in
    full the first time); a cycle of subclass links cannot loop."""
    by_iri = {t.iri: t for t in classes}
    parents = {
        t.iri: sorted({str(o) for o in g.objects(URIRef(t.iri), RDFS.subClassOf) if str(o) in by_iri} - {t.iri})
        for t in classes
    }
    children: dict[str, list[Term]] = {}
    for iri, ups in parents.items():
        for up in ups:
            children.setdefault(up, []).append(by_iri[iri])
    shown: set[str] = set()

    def grow(term: Term, path: frozenset[str]) -> TreeNode:
        node = TreeNode(term, repeated=term.iri in shown)
        shown.add(term.iri)
        if not node.repeated:
            for child in sorted(children.get(term.iri, []), key=lambda t: t.label.casefold()):
                if child.iri not in path:
                    node.children.append(grow(child, path | {child.iri}))
        return node

    roots = [t for t in classes if not parents[t.iri]]
    tree = [grow(t, frozenset({t.iri})) for t in sorted(roots, key=lambda t: t.label.casefold())]
    # Classes only on a cycle have no root above them: list them at the top rather than not at all.
    for t in sorted(classes, key=lambda t: t.label.casefold()):
        if t.iri not in shown:
            tree.append(grow(t, frozenset({t.iri})))
    return tree


def ontology_graph(build: Build, iris: Iris) -> Graph:
    cached = build.cache.get("ontology-graph")
    if cached is not None:
        return cached
    g = Graph()
    for prefix, ns in prefixes(iris).items():
        g.bind(prefix, ns)
    g.bind("vann", "http://purl.org/vocab/vann/")
    g.bind("fibo", "https://spec.edmcouncil.org/fibo/ontology/FND/GoalsAndObjectives/Objectives/")
    for row in build.store.query(queries.ONTOLOGY_TRIPLES):
        g.add((to_rdflib(row["s"]), to_rdflib(row["p"]), to_rdflib(row["o"])))
    build.cache.put("ontology-graph", g, 2_000_000)
    return g


def usage_counts(build: Build, iris: Iris) -> dict[str, int]:
    """Instances of each class and uses of each property in the data: every graph of the build
    but the ontology itself (asserted, inferred, curated, ...); counted when the build was made."""
    stats = build_statistics.of(build, iris.graph("ontology"), iris.base)
    return {**stats["data_property_uses"], **stats["data_instances"]}


def literals_of(g: Graph, node: Node, prop: URIRef) -> list[Literal]:
    """The texts `node` has for `prop` (a value that is not a literal is not text to show)."""
    return [o for o in g.objects(node, prop) if isinstance(o, Literal)]


def in_language_order(literals: list[Literal], langs: list[str]) -> list[Literal]:
    rank = {lang: i for i, lang in enumerate(langs)}
    return sorted(literals, key=lambda lit: (rank.get(lit.language or "", len(rank)), lit.language or ""))


def _name(build: Build, iris: Iris, g: Graph, node, langs) -> tuple[str, str | None]:
    """How a relation's value is shown: (its label or prefixed name, where it links; None for a
    literal such as a notation, which is text, not a link)."""
    if isinstance(node, Literal):
        return str(node), None
    labels = {p: list(g.objects(node, p)) for p in (RDFS.label, SKOS.prefLabel)}
    if not any(labels.values()):
        # Things of the data (e.g. a source document) are labelled in the data, not the ontology.
        rows = (
            build.store.query(queries.PREF_LABELS_OF, bind={"resource": ox.NamedNode(node)})
            if isinstance(node, URIRef)
            else []
        )
        labels = {SKOS.prefLabel: [to_rdflib(r["l"]) for r in rows]}
    label = pick_label(labels, langs)
    local = iris.browse_path(str(node))
    href = local if local else str(node)
    if label is not None:
        return str(label), href
    for prefix, ns in sorted(prefixes(iris).items(), key=lambda kv: -len(kv[1])):
        if str(node).startswith(ns):
            return f"{prefix}:{str(node)[len(ns) :]}", href
    return str(node), href


def terms(build: Build, iris: Iris, g: Graph, langs: list[str]) -> tuple[list[Term], list[Term], list[Term]]:
    """Classes, properties, and concepts (our own code lists and the external terms we align to)."""
    vocab = iris.vocab
    hash_namespaces = (vocab, iris.ontology + "/external#")
    counts = usage_counts(build, iris)
    ui = UI[langs[0]]
    classes, properties, concepts = [], [], []
    for node in sorted(set(g.subjects(RDF.type, None)), key=str):
        if not isinstance(node, URIRef) or not str(node).startswith(hash_namespaces):
            continue
        anchor = str(node).split("#", 1)[1]
        kinds = [str(k) for k in g.objects(node, RDF.type)]
        labels = sorted(
            literals_of(g, node, RDFS.label) + literals_of(g, node, SKOS.prefLabel),
            key=lambda lit: lit.language or "",
        )
        label = pick_label({RDFS.label: labels}, langs)
        term = Term(
            str(node),
            anchor,
            labels,
            str(label) if label else anchor,
            in_language_order(literals_of(g, node, SKOS.definition), langs),
            kinds,
            count=counts.get(str(node), 0),
        )

        def rel(name: str, values: list, term: Term = term) -> None:
            if values:
                term.relations.append((name, [_name(build, iris, g, v, langs) for v in sorted(values, key=str)]))

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
