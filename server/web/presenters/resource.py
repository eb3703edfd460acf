"""Turn a resource's description (quads) into what a page shows: a title, types, ordered
property groups with labelled links, incoming links and sources, in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ...core.iris import Iris
from ...core.namespaces import prefixes
from ..i18n import DESCRIPTIVE_ORDER, LABEL_ORDER, best_literals, pick_label

EXTERNAL_LABELS = Path(__file__).parents[1] / "labels" / "external.ttl"

# The order properties are shown in; anything else follows, by label.
PROPERTY_ORDER = [
    "skos:prefLabel",
    "skos:altLabel",
    "stv:text",
    "dct:description",
    "skos:definition",
    "dct:title",
    "stv:order",
    "stv:organisation",
    "stv:partOfPlan",
    "dct:temporal",
    "dcat:startDate",
    "dcat:endDate",
    "stv:date",
    "stv:decidedBy",
    "stv:approves",
    "stv:documentStatus",
    "stv:refines",
    "stv:implements",
    "stv:basedOn",
    "stv:complements",
    "stv:presents",
    "stv:informs",
    "stv:consultedGroup",
    "stv:submittedTo",
    "stv:legalBasis",
    "stv:areaCode",
    "stv:region",
    "org:unitOf",
    "org:hasUnit",
    "org:member",
    "org:organization",
    "stv:validInYear",
    "dct:publisher",
    "dct:modified",
    "dct:language",
]
# Shown elsewhere on the page (the header or the sources box), not in the property list.
NOT_IN_LIST = {str(RDF.type), str(PROV.wasDerivedFrom), str(RDFS.label)}
GRAPH_KINDS = {
    "graph/asserted": "source",
    "graph/inferred": "inferred",
    "graph/ontology": "ontology",
    "graph/translations": "translation",
    "graph/curated": "curated",
}


@lru_cache(maxsize=1)
def external_labels() -> Graph:
    return Graph().parse(EXTERNAL_LABELS, format="turtle")


@dataclass
class Value:
    text: str
    href: str | None = None
    lang: str | None = None
    kind: str = "source"  # source | inferred | ontology | translation | curated
    iri: str | None = None
    datatype: str | None = None


@dataclass
class PropertyRow:
    iri: str
    label: str
    values: list[Value] = field(default_factory=list)


@dataclass
class ResourceView:
    iri: str
    title: str
    title_lang: str | None
    types: list[Value]
    properties: list[PropertyRow]
    inferred: list[PropertyRow]  # properties whose every value was inferred (OWL RL)
    incoming: list[PropertyRow]
    sources: list[Value]
    kinds: set[str]


class Labeller:
    """Labels for IRIs from a description plus the ontology and display labels, in the reader's languages."""

    def __init__(self, quads: list[tuple], languages: list[str], iris: Iris, ontology_labels: dict | None = None):
        self.languages, self.iris = languages, iris
        self._labels: dict = {}
        for s, p, o, _ in quads:
            if (p in LABEL_ORDER or p in DESCRIPTIVE_ORDER) and isinstance(o, Literal):
                self._labels.setdefault(s, {}).setdefault(p, []).append(o)
        for source in (ontology_labels or {}), _external_index():
            for s, by_prop in source.items():
                if s not in self._labels:
                    self._labels[s] = by_prop

    def literal(self, node) -> Literal | None:
        return pick_label(self._labels.get(node, {}), self.languages)

    def text(self, node) -> str:
        label = self.literal(node)
        if label is not None:
            text = str(label)
            return text if len(text) <= 140 else text[:139].rsplit(" ", 1)[0] + " …"
        return self.compact(node)

    def compact(self, node) -> str:
        iri = str(node)
        for prefix, ns in sorted(prefixes(self.iris).items(), key=lambda kv: -len(kv[1])):
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns) :]}"
        local = self.iris.local_path(iri)
        return local if local else iri


@lru_cache(maxsize=1)
def _external_index() -> dict:
    index: dict = {}
    for s, p, o in external_labels():
        index.setdefault(s, {}).setdefault(p, []).append(o)
    return index


def href_for(node, iris: Iris) -> str | None:
    if isinstance(node, BNode):
        return None
    local = iris.browse_path(str(node))
    if local:
        return local
    return str(node)


def _kind(graph, iris: Iris) -> str:
    local = iris.local_path(str(graph)) if graph is not None else None
    return GRAPH_KINDS.get(local or "", "source")


def _value(node, graph, labeller: Labeller, iris: Iris) -> Value:
    kind = _kind(graph, iris)
    if isinstance(node, Literal):
        datatype = str(node.datatype) if node.datatype and node.datatype != XSD.string else None
        return Value(str(node), lang=node.language, kind=kind, datatype=datatype)
    label = labeller.literal(node)
    return Value(
        labeller.text(node),
        href=href_for(node, iris),
        lang=label.language if label is not None else None,
        kind=kind,
        iri=str(node),
    )


def _order_key(labeller: Labeller):
    positions = {name: i for i, name in enumerate(PROPERTY_ORDER)}

    def key(row: PropertyRow):
        compact = labeller.compact(URIRef(row.iri))
        return (positions.get(compact, len(positions)), row.label.lower())

    return key


def resource_view(
    iri: str, quads: list[tuple], languages: list[str], iris: Iris, ontology_labels: dict | None = None
) -> ResourceView:
    node = URIRef(iri)
    labeller = Labeller(quads, languages, iris, ontology_labels)
    outgoing: dict[str, list] = {}
    incoming: dict[str, list] = {}
    types, sources, kinds = [], [], set()
    seen_values = set()
    for s, p, o, g in quads:
        if s == node:
            if p == RDF.type:
                if (o, "type") not in seen_values:
                    seen_values.add((o, "type"))
                    types.append(_value(o, g, labeller, iris))
            elif p == PROV.wasDerivedFrom and _kind(g, iris) == "source":
                sources.append(_value(o, g, labeller, iris))
            elif str(p) not in NOT_IN_LIST:
                outgoing.setdefault(str(p), []).append((o, g))
        elif o == node:
            incoming.setdefault(str(p), []).append((s, g))
    properties = []
    for p, values in outgoing.items():
        literals = [o for o, _ in values if isinstance(o, Literal)]
        shown_literals = set(best_literals(literals, languages))
        row = PropertyRow(p, labeller.text(URIRef(p)))
        seen = set()
        for o, g in values:
            if isinstance(o, Literal) and o not in shown_literals:
                continue
            if o in seen:  # the same value in two graphs: show it once, as asserted if it is
                continue
            seen.add(o)
            graphs = [gg for oo, gg in values if oo == o]
            best_graph = next((gg for gg in graphs if _kind(gg, iris) == "source"), graphs[0])
            value = _value(o, best_graph, labeller, iris)
            kinds.add(value.kind)
            row.values.append(value)
        if row.values:
            properties.append(row)
    properties.sort(key=_order_key(labeller))
    inferred_rows = [row for row in properties if all(v.kind == "inferred" for v in row.values)]
    properties = [row for row in properties if row not in inferred_rows]
    incoming_rows = []
    for p, values in incoming.items():
        row = PropertyRow(p, labeller.text(URIRef(p)))
        seen = set()
        for s, g in values:
            if s not in seen:
                seen.add(s)
                row.values.append(_value(s, g, labeller, iris))
        row.values.sort(key=lambda v: v.text.lower())
        incoming_rows.append(row)
    incoming_rows.sort(key=_order_key(labeller))
    title_literal = labeller.literal(node)
    title = str(title_literal) if title_literal is not None else labeller.compact(node)
    types.sort(key=lambda v: (v.kind != "source", v.text.lower()))
    return ResourceView(
        iri,
        title,
        title_literal.language if title_literal is not None else None,
        types,
        properties,
        inferred_rows,
        incoming_rows,
        sources,
        kinds,
    )
