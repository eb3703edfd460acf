"""The query store: a small read-only interface, with an embedded Oxigraph implementation.

Everything that reads the built graph goes through `Store`, so a remote SPARQL 1.1
server can take the place of the embedded one when a deployment outgrows a machine.
The default graph of a query is the union of the named graphs (asserted, curated,
inferred, ontology) unless the caller names a dataset.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from .errors import StrategiaverkkoError
from .sparql_text import declares_dataset

RESULT_FORMATS = {
    "json": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    "xml": (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    "csv": (ox.QueryResultsFormat.CSV, "text/csv"),
    "tsv": (ox.QueryResultsFormat.TSV, "text/tab-separated-values"),
}
RDF_FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
    "rdfxml": (ox.RdfFormat.RDF_XML, "application/rdf+xml"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "nquads": (ox.RdfFormat.N_QUADS, "application/n-quads"),
    "trig": (ox.RdfFormat.TRIG, "application/trig"),
}


class QuerySyntaxError(StrategiaverkkoError):
    status = 400
    title = "Malformed query"


class Store(ABC):
    """Read-only access to one build's graph."""

    @abstractmethod
    def query(self, sparql: str, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None):
        """Run a SPARQL query. Returns pyoxigraph QuerySolutions, QueryBoolean or QueryTriples."""

    @abstractmethod
    def graph_names(self) -> list[str]:
        ...

    def describe(self, iri: str) -> list[tuple]:
        """Quads (s, p, o, graph) as rdflib terms: the resource's outgoing and incoming triples,
        and the labels of every resource linked to it (a concise bounded description plus labels)."""
        r = f"<{iri}>"
        labels = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
        rows = self.query(f"""
            SELECT ?s ?p ?o ?g WHERE {{
              {{ GRAPH ?g {{ {r} ?p ?o }} BIND({r} AS ?s) }}
              UNION {{ GRAPH ?g {{ ?s ?p {r} }} BIND({r} AS ?o) }}
              UNION {{ {{ {r} ?x ?s }} UNION {{ ?s ?x {r} }} UNION {{ {r} ?s ?x }} UNION {{ ?x ?s {r} }}
                       GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ {labels} }} }}
            }}""", named_graphs=None)
        seen, quads = set(), []
        for row in rows:
            quad = (to_rdflib(row["s"]), to_rdflib(row["p"]), to_rdflib(row["o"]), to_rdflib(row["g"]))
            if quad not in seen:
                seen.add(quad)
                quads.append(quad)
        return quads

    def construct(self, sparql: str) -> Graph:
        """CONSTRUCT/DESCRIBE into an rdflib Graph (for serialisation with our prefixes)."""
        data = ox.serialize(self.query(sparql), format=ox.RdfFormat.N_TRIPLES)
        return Graph().parse(data=data, format="nt")

    def counts(self) -> dict[str, int]:
        """Triples per named graph, and in the union."""
        counts = {}
        for name in self.graph_names():
            rows = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
            counts[name] = int(next(iter(rows))["n"].value)
        return counts

    def select_rows(self, sparql: str, limit: int | None = None) -> tuple[list[str], list[dict]]:
        """Variables and rows of a SELECT as Python strings (None for unbound); for tables and tests."""
        result = self.query(sparql)
        if isinstance(result, ox.QueryBoolean):
            return ["boolean"], [{"boolean": bool(result)}]
        if not isinstance(result, ox.QuerySolutions):
            raise StrategiaverkkoError("expected a SELECT or ASK query", status=400)
        variables = [v.value for v in result.variables]
        rows = []
        for solution in result:
            if limit is not None and len(rows) >= limit:
                break
            rows.append({v: term_value(solution[v]) for v in variables})
        return variables, rows


LABEL_PROPERTIES = (  # what names a thing on a page: labels, else a title or description
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "https://schema.org/name",
    "http://purl.org/dc/terms/title",
    "http://purl.org/dc/terms/description",
)


_LABEL_NODES = [ox.NamedNode(p) for p in LABEL_PROPERTIES]


def to_rdflib(term):
    """A pyoxigraph term as the rdflib term templates and serialisers use."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected term {term!r}")


class RdflibTerms:
    """Oxigraph terms as the rdflib terms rdflib's own parser makes, each distinct term made
    once: a plain literal stays plain (Oxigraph types it xsd:string), and a blank node is a
    fresh one per label (as parsing a file gives) or keeps its label (an answer about a graph
    whose blank nodes are rdflib's)."""

    def __init__(self, fresh_blank_nodes: bool):
        self.fresh_blank_nodes = fresh_blank_nodes
        self._made: dict = {}

    def __call__(self, term):
        made = self._made.get(term)
        if made is None:
            made = self._made[term] = self._make(term)
        return made

    def _make(self, term):
        if isinstance(term, ox.BlankNode):
            return BNode() if self.fresh_blank_nodes else BNode(term.value)
        if isinstance(term, ox.Literal) and not term.language and term.datatype == _XSD_STRING:
            return Literal(term.value)
        return to_rdflib(term)


_XSD_STRING = ox.NamedNode(str(XSD.string))


def term_value(term) -> str | None:
    if term is None:
        return None
    return term.value


class OxigraphStore(Store):
    """The embedded store of a build directory, opened read-only (many processes may share it)."""

    def __init__(self, path: Path | str, read_only: bool = True, prefixes: dict[str, str] | None = None,
                 base_iri: str | None = None):
        self.path = Path(path)
        self.prefixes = prefixes or {}
        # With a base, queries may write <id/organisation/etela-savo> like the data files do.
        self.base_iri = base_iri
        self._store = ox.Store.read_only(str(self.path)) if read_only else ox.Store(str(self.path))

    def in_memory_copy(self, trig_dump: Path | None = None) -> "OxigraphStore":
        """The same graphs in an in-memory store: queries run several times faster than on the
        on-disk indexes (2.5× over all canned queries on the real data), at the cost of RAM.

        `trig_dump`, the build's TriG dump of this store, is the quick way in: at 1M triples it
        parses in 3 s, where reading the quads out of the on-disk store takes 7 s before any
        parsing. The copy is filled with `load`, not `bulk_load`: on a store filled by the bulk
        loader the canned queries ran 5-20% slower (bench build at 1M, query 06: 600 ms against 500)."""
        copy = OxigraphStore.__new__(OxigraphStore)
        copy.path, copy.prefixes, copy.base_iri = self.path, self.prefixes, self.base_iri
        copy._store = ox.Store()
        if trig_dump is not None and trig_dump.is_file():
            copy._store.load(path=str(trig_dump), format=ox.RdfFormat.TRIG)
        else:
            copy._store.load(input=ox.serialize(self._store.quads_for_pattern(None, None, None),
                                                format=ox.RdfFormat.N_QUADS),
                             format=ox.RdfFormat.N_QUADS)
        return copy

    @classmethod
    def create(cls, path: Path | str, graphs: dict[str, Iterable[bytes] | bytes]) -> "OxigraphStore":
        """Write a new store at `path` holding each N-Triples payload in its named graph."""
        store = ox.Store(str(path))
        for graph_iri, ntriples in graphs.items():
            store.bulk_load(input=ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph_iri))
        store.flush()
        store.optimize()
        del store
        return cls(path)

    def query(self, sparql: str, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None):
        kwargs = {"prefixes": self.prefixes, "base_iri": self.base_iri}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        elif not declares_dataset(sparql):
            # The union default graph, unless the query names its own dataset with FROM
            # (Oxigraph would otherwise ignore the FROM clauses).
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return self._store.query(sparql, **kwargs)
        except SyntaxError as e:
            raise QuerySyntaxError(str(e)) from None

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def describe(self, iri: str) -> list[tuple]:
        # Same answer as Store.describe, read straight from the indexes (several times faster).
        node = ox.NamedNode(iri)
        quads = list(self._store.quads_for_pattern(node, None, None))
        quads += self._store.quads_for_pattern(None, None, node)
        linked = {q.object for q in quads if not isinstance(q.object, ox.Literal)}
        linked |= {q.subject for q in quads} | {q.predicate for q in quads}
        linked.discard(node)
        for other in linked:
            for label_property in _LABEL_NODES:
                quads += self._store.quads_for_pattern(other, label_property, None)
        seen, out = set(), []
        for q in quads:
            quad = (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), to_rdflib(q.graph_name))
            if quad not in seen:
                seen.add(quad)
                out.append(quad)
        return out
