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
from ..formatting import human_literal, is_known_datatype
from ..i18n import DESCRIPTIVE_ORDER, LABEL_ORDER, best_literals, language_of, pick_label

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
    datatype: str | None = None  # shown beside the value only when the text cannot say it
    lexical: str | None = None  # the literal as stored, when the text shows it another way
    also_as: list[str] = field(default_factory=list)  # asserted properties an inferred value repeats
    labelled: bool = True  # False: the text is the IRI's short form, for want of a label
    # A name made of labels in more than one language: its pieces, each with its language (see
    # linked_data.names_by_links); `lang` is then None.
    parts: tuple[tuple[str, str | None], ...] = ()


@dataclass
class PropertyRow:
    iri: str
    label: str
    values: list[Value] = field(default_factory=list)

    @property
    def kind(self) -> str | None:
        """The kind all values share (shown once, beside the property), or None if they differ."""
        kinds = {v.kind for v in self.values}
        return kinds.pop() if len(kinds) == 1 else None


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
    # Inferred values that repeat asserted ones on the page: (property label, value), shown once.
    repeated: list[tuple[str, Value]] = field(default_factory=list)
    title_labelled: bool = True  # False: the title is the IRI's short form, for want of a label
    title_parts: tuple[tuple[str, str | None], ...] = ()  # as Value.parts


class Labeller:
    """Labels for IRIs from a description plus the ontology and display labels, in the reader's languages."""

    def __init__(self, quads: list[tuple], languages: list[str], iris: Iris, ontology_labels: dict | None = None):
        self.languages, self.iris = languages, iris
        self._labels: dict = {}
        for s, p, o, _ in quads:
            if (p in LABEL_ORDER or p in DESCRIPTIVE_ORDER) and isinstance(o, Literal):
                self._labels.setdefault(s, {}).setdefault(p, []).append(o)
        for source in (ontology_labels or {}), external_label_index():
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
def external_label_index() -> dict:
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
        text = human_literal(node, labeller.languages[0])
        datatype = None if is_known_datatype(node.datatype) else str(node.datatype)
        lexical = str(node) if text != str(node) else None
        # A web address (xsd:anyURI, e.g. a source's schema:url) is a link the reader can follow.
        web = str(node) if node.datatype == XSD.anyURI and str(node).startswith(("https://", "http://")) else None
        return Value(text, href=web, lang=node.language, kind=kind, datatype=None if web else datatype, lexical=lexical)
    label = labeller.literal(node)
    return Value(
        labeller.text(node),
        href=href_for(node, iris),
        lang=language_of(label),
        kind=kind,
        iri=str(node),
        labelled=label is not None,
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
    types, sources = [], []
    kinds: set[str] = set()
    seen_values = set()
    # The base forms the build derives for search (graph/baseforms): for SPARQL, not for reading.
    hidden_words = iris.vocab + "baseForm"
    for s, p, o, g in quads:
        if s == node:
            if p == RDF.type:
                if (o, "type") not in seen_values:
                    seen_values.add((o, "type"))
                    types.append(_value(o, g, labeller, iris))
            elif p == PROV.wasDerivedFrom and _kind(g, iris) == "source":
                sources.append(_value(o, g, labeller, iris))
            elif str(p) not in NOT_IN_LIST and str(p) != hidden_words:
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
            row.values.append(_value(o, best_graph, labeller, iris))
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
    # One pool for both directions: an inverse the reasoner added (a plan "contains" this value)
    # repeats what the page already shows the other way (this value is "part of" the plan).
    repeated = _drop_repeats([*properties, *inferred_rows, *incoming_rows])
    properties = [row for row in properties if row.values]
    inferred_rows = [row for row in inferred_rows if row.values]
    incoming_rows = [row for row in incoming_rows if row.values]
    for row in (*properties, *inferred_rows, *incoming_rows):
        kinds.update(v.kind for v in row.values)
    _name_apart([*properties, *inferred_rows], labeller)
    _name_apart(incoming_rows, labeller)
    title_literal = labeller.literal(node)
    title = str(title_literal) if title_literal is not None else labeller.compact(node)
    types.sort(key=lambda v: (v.kind != "source", v.text.lower()))
    return ResourceView(
        iri,
        title,
        language_of(title_literal),
        types,
        properties,
        inferred_rows,
        incoming_rows,
        sources,
        kinds,
        repeated,
        title_labelled=title_literal is not None,
    )


def _drop_repeats(rows: list[PropertyRow]) -> list[tuple[str, Value]]:
    """Take out inferred values that an asserted row already shows (OWL RL's super-properties and
    inverses: "contains" beside "contains statement"), noting which asserted property each repeats;
    return them, for the page's "derived" details."""
    asserted: dict[tuple, list[str]] = {}
    for row in rows:
        for v in row.values:
            if v.kind != "inferred":
                asserted.setdefault(_same(v), []).append(row.label)
    repeated = []
    for row in rows:
        kept = []
        for v in row.values:
            if v.kind == "inferred" and _same(v) in asserted:
                v.also_as = [label for label in asserted[_same(v)] if label != row.label]
                repeated.append((row.label, v))
            else:
                kept.append(v)
        row.values = kept
    return repeated


def _same(v: Value) -> tuple:
    return ("iri", v.iri) if v.iri else ("literal", v.text, v.lang)


def _name_apart(rows: list[PropertyRow], labeller: Labeller) -> None:
    """Two properties with one label (stv:organisation and org:organization, both "organisation")
    get their prefixed names beside it, so the groups can be told apart."""
    by_label: dict[str, list[PropertyRow]] = {}
    for row in rows:
        by_label.setdefault(row.label, []).append(row)
    for same in by_label.values():
        if len(same) > 1:
            for row in same:
                row.label = f"{row.label} ({labeller.compact(URIRef(row.iri))})"
