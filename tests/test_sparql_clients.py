"""Researchers' own tools get correct answers from the production server (Granian on loopback)."""

from __future__ import annotations

import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

PREFIXES = """PREFIX stv: <https://w3id.org/strategiaverkko/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
VALUES_ES = (
    PREFIXES
    + """SELECT ?label WHERE { ?v a stv:Value ; stv:organisation/stv:areaCode "12" ;
                                                skos:prefLabel ?label ; stv:order ?n } ORDER BY ?n"""
)
EXPECTED_ES = ["YHDENVERTAISUUS", "VAIKUTTAVUUS", "ASIAKASLÄHTÖISYYS", "ROHKEUS", "TURVALLISUUS"]
ROHKEUS = "https://w3id.org/strategiaverkko/id/value/etela-savo-rohkeus"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_json(live_server, method):
    sw = SPARQLWrapper(live_server + "/sparql")
    sw.setMethod(method)
    sw.setQuery(VALUES_ES)
    sw.setReturnFormat(JSON)
    result = sw.query().convert()
    assert [b["label"]["value"] for b in result["results"]["bindings"]] == EXPECTED_ES


def test_sparqlwrapper_xml(live_server):
    sw = SPARQLWrapper(live_server + "/sparql")
    sw.setQuery(VALUES_ES)
    sw.setReturnFormat(XML)
    doc = sw.query().convert()
    literals = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert literals == EXPECTED_ES


@pytest.mark.parametrize("fmt", [CSV, TSV])
def test_sparqlwrapper_csv_tsv(live_server, fmt):
    sw = SPARQLWrapper(live_server + "/sparql")
    sw.setQuery(VALUES_ES)
    sw.setReturnFormat(fmt)
    lines = sw.query().convert().decode("utf-8").splitlines()
    if fmt == CSV:
        assert lines == ["label"] + EXPECTED_ES
    else:  # TSV writes RDF terms
        assert lines == ["?label"] + [f'"{label}"@fi' for label in EXPECTED_ES]


@pytest.mark.parametrize("fmt", [TURTLE, JSONLD, RDFXML, N3])
def test_sparqlwrapper_construct(live_server, fmt):
    sw = SPARQLWrapper(live_server + "/sparql")
    sw.setQuery(f"CONSTRUCT WHERE {{ <{ROHKEUS}> ?p ?o }}")
    sw.setReturnFormat(fmt)
    converted = sw.query().convert()
    g = (
        converted
        if isinstance(converted, Graph)
        else Graph().parse(data=converted, format={TURTLE: "turtle", N3: "turtle"}.get(fmt, fmt))
    )
    assert (URIRef(ROHKEUS), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), None) in g


def test_rdflib_sparqlstore(live_server):
    store = SPARQLStore(live_server + "/sparql", returnFormat="json")
    g = Graph(store=store)
    rows = list(g.query(VALUES_ES))
    assert [str(r[0]) for r in rows] == EXPECTED_ES
    assert (URIRef(ROHKEUS), None, None) in g


def test_curl_style_plain_get(live_server):
    response = requests.get(
        live_server + "/sparql", params={"query": VALUES_ES}, headers={"Accept": "text/csv"}, timeout=10
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.text.splitlines()[1:] == EXPECTED_ES


def test_long_queries_work_by_get_like_the_query_pages_links(live_server):
    """The query page links each canned query as GET /sparql?query=…; the longest are several
    kilobytes, past the default request-line limits of HTTP servers (4094 bytes in gunicorn)."""
    from server.query.canned import canned_queries

    longest = max(canned_queries(), key=lambda q: len(q.text))
    url = live_server + "/sparql?" + requests.compat.urlencode({"query": longest.text})
    assert len(url) > 4094
    response = requests.get(url, headers={"Accept": "application/sparql-results+json"}, timeout=20)
    assert response.status_code == 200, response.text[:300]
