"""Researchers' own tools get correct answers from the production server (Granian on loopback)."""

from __future__ import annotations

import time
import urllib.error
import warnings

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


# Every return format SPARQLWrapper has, for every query form, by GET and by POST. A format that
# names a syntax (XML, JSON) means that syntax's natural format for the form: SPARQL results for
# SELECT and ASK, RDF/XML and JSON-LD for a graph, as Fuseki and Virtuoso read them.
FORMS = {
    "SELECT": f"SELECT ?p ?o WHERE {{ <{ROHKEUS}> ?p ?o }}",
    "ASK": f"ASK {{ <{ROHKEUS}> ?p ?o }}",
    "CONSTRUCT": f"CONSTRUCT WHERE {{ <{ROHKEUS}> ?p ?o }}",
    "DESCRIBE": f"DESCRIBE <{ROHKEUS}>",
}
NATURAL = {  # (form kind, SPARQLWrapper format) -> media type of the answer
    ("results", JSON): "application/sparql-results+json",
    ("results", XML): "application/sparql-results+xml",
    ("results", CSV): "text/csv",
    ("results", TSV): "text/tab-separated-values",
    ("graph", JSON): "application/ld+json",
    ("graph", XML): "application/rdf+xml",
    ("graph", RDFXML): "application/rdf+xml",
    ("graph", JSONLD): "application/ld+json",
    ("graph", TURTLE): "text/turtle",
    ("graph", N3): "text/turtle",
}


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV, TURTLE, JSONLD, RDFXML, N3])
@pytest.mark.parametrize("form", list(FORMS))
def test_sparqlwrapper_matrix(live_server, form, fmt, method):
    sw = SPARQLWrapper(live_server + "/sparql")
    sw.setQuery(FORMS[form])
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    kind = "results" if form in ("SELECT", "ASK") else "graph"
    expected = NATURAL.get((kind, fmt))
    with warnings.catch_warnings():
        # SPARQLWrapper warns that it sends Accept: */* for a format it does not expect with the
        # form (JSON for a CONSTRUCT …): that is its own notice, and the point of the matrix.
        warnings.simplefilter("ignore", RuntimeWarning)
        if expected is None:
            # No such format for this form (a graph as CSV, a result table as Turtle): 406, and
            # the answer names the formats there are.
            with pytest.raises(urllib.error.HTTPError) as refused:
                sw.query()
            assert refused.value.code == 406
            assert "Offered" in refused.value.read().decode("utf-8")
            refused.value.close()
            return
        result = sw.query()
        content_type = result.info()["content-type"]
        converted = result.convert()
        result.response.close()
    assert content_type.split(";")[0] == expected
    if kind == "graph":
        graph = (
            converted
            if isinstance(converted, Graph)
            else Graph().parse(
                data=converted, format={"text/turtle": "turtle", "application/ld+json": "json-ld"}[expected]
            )
        )
        assert (URIRef(ROHKEUS), None, None) in graph
    elif form == "ASK" and fmt == JSON:
        assert converted["boolean"] is True
    elif form == "SELECT" and fmt == JSON:
        assert converted["results"]["bindings"]


def test_a_request_can_lower_the_time_limit_but_not_raise_it(live_server, real_settings):
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    answer = requests.post(
        live_server + "/sparql",
        data={"query": endless, "timeout": "0.5"},
        headers={"Accept": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 503 and time.monotonic() - started < real_settings["query_timeout"]
    body = answer.json()
    assert body["details"]["limit_seconds"] == 0.5 and "timeout you asked for" in body["message"]
    for bad in ("soon", "-1", "0", "nan"):
        answer = requests.get(
            live_server + "/sparql",
            params={"query": "ASK {}", "timeout": bad},
            headers={"Accept": "application/json"},
            timeout=30,
        )
        assert answer.status_code == 400, bad
    higher = requests.get(
        live_server + "/sparql",
        params={"query": "ASK {}", "timeout": "100000"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert higher.status_code == 200  # accepted, and the endpoint's own limit still holds
