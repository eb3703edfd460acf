"""The query store: a small read-only interface (store/oxigraph.py embeds Oxigraph, store/remote.py
talks to a remote SPARQL 1.1 server).

Everything that reads the built graph goes through `Store`, so a remote SPARQL 1.1
server can take the place of the embedded one when a deployment outgrows a machine.
The default graph of a query is the union of the build's named graphs (core/iris.GRAPHS)
unless the caller names a dataset.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from ..core.errors import StrategiaverkkoError
from .guard import Term, with_values

# Rows of a VALUES block: the variables, then one tuple of terms per row.
Values = tuple[Sequence[str], Iterable[Sequence[Term | None]]]


class QuerySyntaxError(StrategiaverkkoError):
    status = 400
    title = "Malformed query"


def with_bindings(sparql: str, bind: Mapping[str, Term] | None = None, values: Values | None = None) -> str:
    """The query text with `bind` (one value per variable) and `values` (rows) as VALUES blocks."""
    if bind:
        sparql = with_values(sparql, list(bind), [tuple(bind.values())])
    if values is not None:
        sparql = with_values(sparql, *values)
    return sparql


class Store(ABC):
    """Read-only access to one build's graph."""

    def query(
        self,
        sparql: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        *,
        bind: Mapping[str, Term] | None = None,
        values: Values | None = None,
    ) -> Any:
        """Run a SPARQL query. Returns pyoxigraph QuerySolutions, QueryBoolean or QueryTriples.

        `bind` gives variables one value each, `values` several rows: both reach the query as a
        VALUES block (store.guard.with_values), so no caller pastes a value into query text."""
        return self._run(with_bindings(sparql, bind, values), default_graphs, named_graphs)

    @abstractmethod
    def _run(self, sparql: str, default_graphs: list[str] | None, named_graphs: list[str] | None) -> Any:
        """Run the finished query text on this store."""

    @abstractmethod
    def graph_names(self) -> list[str]: ...

    def prewarm(self) -> int:
        """Read this store's files into the system's page cache ahead of the first pages that need
        them; returns the bytes read. A store held elsewhere has nothing to read here."""
        return 0

    def describe(self, iri: str) -> list[tuple]:
        """Quads (s, p, o, graph) as rdflib terms: the resource's outgoing and incoming triples,
        and the labels of every resource linked to it (a concise bounded description plus labels)."""
        rows = self.query(DESCRIBE_WITH_LABELS, named_graphs=None, bind={"r": ox.NamedNode(iri)})
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
            rows = self.query(TRIPLES_IN_GRAPH, bind={"g": ox.NamedNode(name)})
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
        rows: list[dict[str, str | None]] = []
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

# ?r's outgoing and incoming triples, and the labels (?p) of every resource linked to it.
DESCRIBE_WITH_LABELS = """
SELECT ?s ?p ?o ?g WHERE {
  { GRAPH ?g { ?r ?p ?o } BIND(?r AS ?s) }
  UNION { GRAPH ?g { ?s ?p ?r } BIND(?r AS ?o) }
  UNION { { ?r ?x ?s } UNION { ?s ?x ?r } UNION { ?r ?s ?x } UNION { ?x ?s ?r }
          GRAPH ?g { ?s ?p ?o }
          VALUES ?p { <http://www.w3.org/2004/02/skos/core#prefLabel> <http://www.w3.org/2000/01/rdf-schema#label>
                      <https://schema.org/name> <http://purl.org/dc/terms/title>
                      <http://purl.org/dc/terms/description> } }
}"""  # ?p: the LABEL_PROPERTIES above
TRIPLES_IN_GRAPH = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


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


def to_oxigraph(term) -> Any:
    """An rdflib term as pyoxigraph's (the inverse of to_rdflib). The few terms most triples
    share (predicates, classes, datatypes) are remembered: a build converts millions."""
    if isinstance(term, URIRef):
        return _named_node(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is None:
            return ox.Literal(str(term))
        return ox.Literal(str(term), datatype=_named_node(str(term.datatype)))
    raise TypeError(f"unexpected term {term!r}")


@lru_cache(maxsize=4096)
def _named_node(iri: str) -> Any:
    return ox.NamedNode(iri)


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
