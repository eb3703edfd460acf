"""Versions of a strategy: which is current, and what the graph records of each part of each."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, RDF

from server.core.iris import Iris
from server.core.settings import PROJECT_ROOT, load_settings
from server.pipeline.derive import derive
from server.pipeline.load import load_sources

BASE = load_settings()["base_iri"]
STV = Namespace(BASE + "ontology#")
INFERRED = f"<{BASE}graph/inferred>"


def _asserted() -> Graph:
    return load_sources(PROJECT_ROOT, BASE).data["asserted"]


def test_every_strategy_is_current_or_replaced_and_replaced_ones_have_a_newer_version():
    asserted = _asserted()
    derived = derive(asserted, Iris(BASE))
    strategies = set(asserted.subjects(RDF.type, STV.Strategy))
    replaced = set(asserted.objects(None, DCTERMS.replaces))
    assert replaced and replaced < strategies
    for strategy in strategies:
        statuses = list(derived.objects(strategy, STV.versionStatus))
        assert statuses == [STV.ReplacedVersion if strategy in replaced else STV.CurrentVersion], strategy


def test_recorded_parts_are_derived_only_where_the_data_says_nothing():
    asserted = _asserted()
    derived = derive(asserted, Iris(BASE))
    for strategy in asserted.subjects(RDF.type, STV.Strategy):
        has_values = any((s, RDF.type, STV.Value) in asserted for s in asserted.subjects(STV.partOfPlan, strategy))
        stated = {asserted.value(r, STV.aspect) for r in asserted.objects(strategy, STV.recording)}
        derived_aspects = {derived.value(r, STV.aspect) for r in derived.objects(strategy, STV.recording)}
        assert (STV.Value in derived_aspects) == (has_values and STV.Value not in stated), strategy
        assert not derived_aspects & stated
        for recording in derived.objects(strategy, STV.recording):
            assert derived.value(recording, STV.recordingStatus) == STV.Recorded


def test_the_version_status_is_queryable_from_the_inferred_graph(client):
    query = f"""PREFIX stv: <{BASE}ontology#>
    SELECT ?strategy WHERE {{ GRAPH {INFERRED} {{ ?strategy stv:versionStatus stv:ReplacedVersion }} }}"""
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    rows = {b["strategy"]["value"] for b in response.get_json()["results"]["bindings"]}
    assert rows == {str(s) for s in _asserted().objects(None, DCTERMS.replaces)}


def test_the_ontology_page_explains_versions_with_a_worked_example(client):
    for lang, heading in (("fi", "Versiot, voimassaoloajat ja lähteet"), ("en", "Versions, periods and provenance")):
        page = client.get("/ontology", headers={"Accept-Language": lang}).get_data(as_text=True)
        assert f'id="versions-h">{heading}</h2>' in page
        assert "varsinais-suomi-paivitys-2026" in page and 'href="/sparql?query=' in page
