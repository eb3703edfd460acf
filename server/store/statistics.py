"""A build's statistics, counted once when it is built and kept in build.json ("statistics").

The VoID description, /ontology and the query page's completion show counts over the whole
graph. At a million triples each of those counts takes up to a second on the store (the three
pages took 0.5-1.3 s to render the first time), and a build never changes: so the build counts
them once, and the pages read them from the manifest. A build made before the counts were
kept gets them counted once, when a page first asks.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from .base import Store
from .current import Build

# Over the union of the build's graphs (what VoID describes). The totals follow from these: the
# distinct triples are the sum of the property partitions, the classes and properties their
# number; so each costly pass over the store is made once.
_CLASS_PARTITIONS = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"
_PROPERTY_PARTITIONS = "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } GROUP BY ?p"
_SUBJECTS = "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"
_DISTINCT_OBJECTS = "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"
# Over the data: every graph but the ontology (what /ontology says of each term's use).
_USES_PER_PROPERTY = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
# The validity periods of every strategy, by organisation (what the catalog says each dataset covers).
# ?strategy and ?organisation are our vocabulary's class and property (given: it follows the base IRI).
_STRATEGY_PERIODS = """
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
SELECT ?org ?start ?end WHERE {
  ?s a ?strategy ; ?organisation ?org ; dct:temporal ?t .
  OPTIONAL { ?t dcat:startDate ?start }
  OPTIONAL { ?t dcat:endDate ?end } }"""


def _by_term(rows, term: str) -> dict[str, int]:
    return {row[term].value: int(row["n"].value) for row in rows}


def count(store: Store, graphs: list[str], ontology_graph: str, base_iri: str) -> dict[str, Any]:
    """Every statistic the pages show, counted on `store` (`graphs`: the build's named graphs)."""
    data_graphs = [g for g in graphs if g != ontology_graph]
    classes = _by_term(store.query(_CLASS_PARTITIONS), "c")
    properties = _by_term(store.query(_PROPERTY_PARTITIONS), "p")
    subjects = [row["s"] for row in store.query(_SUBJECTS)]
    ours = base_iri + "id/"  # an entity: a thing named in our id/ space
    return {
        "triples": sum(properties.values()),
        "entities": sum(1 for s in subjects if isinstance(s, ox.NamedNode) and s.value.startswith(ours)),
        "classes": len(classes),
        "properties": len(properties),
        "distinct_subjects": len(subjects),
        "distinct_objects": int(next(iter(store.query(_DISTINCT_OBJECTS)))["n"].value),
        "class_partitions": classes,
        "property_partitions": properties,
        "data_instances": _by_term(store.query(_CLASS_PARTITIONS, default_graphs=data_graphs), "c"),
        "data_property_uses": _by_term(store.query(_USES_PER_PROPERTY, default_graphs=data_graphs), "p"),
        "strategy_periods": strategy_periods(store, base_iri + "ontology#"),
    }


def strategy_periods(store: Store, vocab: str) -> dict[str, list[str | None]]:
    """Organisation IRI ("" for the whole graph) -> [earliest start, latest end] of its strategies'
    validity periods, as the values are written (a year, a month or a day: compared as text, so
    "2023" comes before "2023-01-01"); None where no strategy gives that bound."""
    periods: dict[str, list[str | None]] = {}
    ours = {"strategy": ox.NamedNode(vocab + "Strategy"), "organisation": ox.NamedNode(vocab + "organisation")}
    for row in store.query(_STRATEGY_PERIODS, bind=ours):
        start = row["start"].value if row["start"] else None
        end = row["end"].value if row["end"] else None
        for key in (row["org"].value, ""):
            earliest, latest = periods.get(key, [None, None])
            periods[key] = [
                min(filter(None, [earliest, start]), default=None),
                max(filter(None, [latest, end]), default=None),
            ]
    return periods


def of(build: Build, ontology_graph: str, base_iri: str) -> dict[str, Any]:
    """The build's statistics: from its manifest, or counted once for a build made without them
    (a build made before the strategies' periods were kept counts only those: the rest is kept)."""
    kept = build.manifest.get("statistics")
    if kept is not None and "strategy_periods" in kept:
        return kept
    cached = build.cache.get("statistics")
    if cached is None:
        if kept is not None:
            cached = {**kept, "strategy_periods": strategy_periods(build.store, base_iri + "ontology#")}
        else:
            cached = count(build.store, list(build.manifest["graphs"]), ontology_graph, base_iri)
        # Pinned: counting again would cost seconds at a million triples.
        build.cache.put("statistics", cached, 100_000, pinned=True)
    return cached
