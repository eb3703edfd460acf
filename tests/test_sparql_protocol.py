"""The /sparql endpoint speaks the SPARQL 1.1 Protocol: query routes, formats, service description, errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import Namespace

BASE = "https://w3id.org/strategiaverkko/"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VALUES_ES = """SELECT ?label WHERE { ?v a stv:Value ; stv:organisation/stv:areaCode "12" ;
                                   skos:prefLabel ?label ; stv:order ?n } ORDER BY ?n"""
EXPECTED_ES = ["YHDENVERTAISUUS", "VAIKUTTAVUUS", "ASIAKASLÄHTÖISYYS", "ROHKEUS", "TURVALLISUUS"]
JSON = "application/sparql-results+json"


def labels_from_json(body: bytes) -> list[str]:
    return [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]]


def test_get_post_form_and_post_direct_agree(client):
    get = client.get("/sparql", query_string={"query": VALUES_ES}, headers={"Accept": JSON})
    form = client.post("/sparql", data={"query": VALUES_ES}, headers={"Accept": JSON})
    direct = client.post(
        "/sparql", data=VALUES_ES.encode(), content_type="application/sparql-query", headers={"Accept": JSON}
    )
    for response in (get, form, direct):
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.headers["Content-Type"] == "application/sparql-results+json; charset=utf-8"
        assert labels_from_json(response.data) == EXPECTED_ES


@pytest.mark.parametrize(
    "accept, media",
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("application/json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_formats_by_accept(client, accept, media):
    response = client.get("/sparql", query_string={"query": VALUES_ES}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media
    text = response.get_data(as_text=True)
    for label in EXPECTED_ES:
        assert label in text


def test_csv_is_real_csv(client):
    response = client.get("/sparql", query_string={"query": VALUES_ES, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows == [["label"]] + [[label] for label in EXPECTED_ES]


@pytest.mark.parametrize(
    "fmt, rdflib_format", [("turtle", "turtle"), ("jsonld", "json-ld"), ("rdfxml", "xml"), ("ntriples", "nt")]
)
def test_construct_formats_parse(client, fmt, rdflib_format):
    query = f"CONSTRUCT {{ ?v ?p ?o }} WHERE {{ BIND(<{BASE}id/value/etela-savo-rohkeus> AS ?v) ?v ?p ?o }}"
    response = client.get("/sparql", query_string={"query": query, "format": fmt})
    assert response.status_code == 200, response.get_data(as_text=True)
    g = Graph().parse(data=response.data, format=rdflib_format)
    assert (URIRef(BASE + "id/value/etela-savo-rohkeus"), URIRef(BASE + "ontology#order"), None) in g


def test_describe_by_accept(client):
    response = client.get(
        "/sparql",
        query_string={"query": f"DESCRIBE <{BASE}id/strategy/etela-savo>"},
        headers={"Accept": "application/ld+json"},
    )
    assert response.mimetype == "application/ld+json"
    assert len(Graph().parse(data=response.data, format="json-ld")) > 3


def test_ask(client):
    response = client.get("/sparql", query_string={"query": "ASK { ?s a stv:Strategy }"}, headers={"Accept": JSON})
    assert json.loads(response.data) == {"head": {}, "boolean": True}


def test_unsatisfiable_accept_is_406_listing_offers(client):
    response = client.get("/sparql", query_string={"query": VALUES_ES}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    text = response.get_data(as_text=True)
    for media in ("application/sparql-results+json", "text/csv", "text/tab-separated-values"):
        assert media in text


def test_service_description(client, app):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    g = Graph().parse(data=response.data, format="turtle")
    service = next(g.subjects(URIRef(SD.endpoint), None))
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    names = {str(n) for n in g.objects(None, SD.name)}
    # Every graph of the build is named, the asserted, inferred and ontology graphs among them.
    assert names == set(app.extensions["strategiaverkko.state"].current().manifest["graphs"])
    assert {BASE + "graph/asserted", BASE + "graph/inferred", BASE + "graph/ontology"} <= names
    assert (service, SD.resultFormat, URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON")) in g
    jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=jsonld.data, format="json-ld")) == len(g)


def test_cors_on_every_response(client):
    for response in (
        client.get("/sparql", query_string={"query": VALUES_ES}),
        client.get("/sparql", query_string={"query": "SELECT"}),
        client.options("/sparql"),
    ):
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
        assert {"Retry-After", "X-Query-Time", "X-Request-Id", "Content-Disposition"} <= exposed


def test_default_graph_uri_is_honoured(client):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    union = json.loads(client.get("/sparql", query_string={"query": count}, headers={"Accept": JSON}).data)
    onto = json.loads(
        client.get(
            "/sparql",
            query_string={"query": count, "default-graph-uri": BASE + "graph/ontology"},
            headers={"Accept": JSON},
        ).data
    )
    n_union = int(union["results"]["bindings"][0]["n"]["value"])
    n_onto = int(onto["results"]["bindings"][0]["n"]["value"])
    assert 0 < n_onto < n_union


def test_named_graph_uri_is_honoured(client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.post(
        "/sparql", data={"query": query, "named-graph-uri": BASE + "graph/inferred"}, headers={"Accept": JSON}
    )
    graphs = [b["g"]["value"] for b in json.loads(response.data)["results"]["bindings"]]
    assert graphs == [BASE + "graph/inferred"]


def test_malformed_query_is_400_with_position(client):
    response = client.get("/sparql", query_string={"query": "SELECT ?x WHERE {\n  ?x ?y \n}"})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert text.startswith("Malformed query:") and "3:" in text


def test_unsupported_post_type_is_415(client):
    response = client.post("/sparql", data=b"{}", content_type="application/json")
    assert response.status_code == 415


def test_request_body_limit(app, client):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (app.config["STRATEGIAVERKKO"]["max_request_bytes"] + 10)
    response = client.post("/sparql", data=big.encode(), content_type="application/sparql-query")
    assert response.status_code == 413


def test_query_string_limit_for_get(app, client):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (app.config["STRATEGIAVERKKO"]["max_request_bytes"] + 10)
    response = client.get("/sparql", query_string={"query": big}, headers={"Accept": JSON})
    assert response.status_code == 414 and "POST" in response.get_json()["message"]


def test_from_in_the_query_selects_the_dataset(client):
    count = "SELECT (COUNT(*) AS ?n) FROM <%s> WHERE { ?s ?p ?o }"
    onto = client.get("/sparql", query_string={"query": count % (BASE + "graph/ontology")}, headers={"Accept": JSON})
    inferred = client.get(
        "/sparql", query_string={"query": count % (BASE + "graph/inferred")}, headers={"Accept": JSON}
    )
    n = [int(json.loads(r.data)["results"]["bindings"][0]["n"]["value"]) for r in (onto, inferred)]
    assert n[0] > 0 and n[1] > 0 and n[0] != n[1]


def test_query_page_speaks_the_readers_language(client):
    """The query page follows the language switch and Accept-Language like every other page,
    the canned questions included."""
    from bs4 import BeautifulSoup

    def page(url, accept_language):
        response = client.get(url, headers={"Accept": "text/html", "Accept-Language": accept_language})
        assert response.status_code == 200
        assert "Accept-Language" in response.headers.get("Vary", "")
        return BeautifulSoup(response.get_data(as_text=True), "html.parser")

    fi = page("/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%202", "fi-FI,fi;q=0.9")
    assert fi.html["lang"] == "fi"
    assert fi.h1.get_text() == "SPARQL-kysely"
    assert fi.find("button", id="run").get_text() == "Suorita kysely"
    assert fi.find("span", class_="count").get_text() == "2 riviä"
    # The questions speak the reader's language too, grouped by topic.
    assert fi.find("h3", id="topic-versions").get_text() == "Versiot, kaudet ja päätökset"
    assert "Strategioita muovanneet päätökset" in [a.get_text() for a in fi.select("a.canned-query")]
    en = page("/sparql", "en-GB")
    assert en.h1.get_text() == "SPARQL query" and en.find("button", id="run").get_text() == "Run query"
    sv = page("/sparql?lang=sv", "fi")
    assert sv.h1.get_text() == "SPARQL-fråga" and sv.find("label", attrs={"for": "query"}).get_text() == "Fråga"
    assert "Beslut som format strategierna" in [a.get_text() for a in sv.select("a.canned-query")]


def test_csv_with_a_byte_order_mark_on_request_and_a_file_name_for_downloads(client):
    plain = client.get("/sparql", query_string={"query": VALUES_ES, "format": "csv"})
    assert not plain.data.startswith(b"\xef\xbb\xbf") and "Content-Disposition" not in plain.headers
    marked = client.get("/sparql", query_string={"query": VALUES_ES, "format": "csv", "bom": "1", "download": "1"})
    assert marked.status_code == 200 and marked.mimetype == "text/csv"
    assert marked.data == b"\xef\xbb\xbf" + plain.data
    assert marked.headers["Content-Disposition"] == 'attachment; filename="query-results.csv"'
    # The two are different answers to a cache: their validators differ.
    assert marked.headers["ETag"] != plain.headers["ETag"]
    # A mark belongs to text tables only: JSON stays JSON, whatever is asked.
    json_answer = client.get("/sparql", query_string={"query": VALUES_ES, "format": "json", "bom": "1"})
    assert json.loads(json_answer.data)["results"]["bindings"]
    graph = client.get(
        "/sparql",
        query_string={"query": f"DESCRIBE <{BASE}id/value/etela-savo-rohkeus>", "format": "turtle", "download": "1"},
    )
    assert graph.headers["Content-Disposition"] == 'attachment; filename="query-results.ttl"'


def test_the_query_command_keeps_its_logs_off_the_answer(real_settings):
    """`strategiaverkko query … > answer.csv` must give a clean file: here every query is "slow"
    (slow_query_seconds=0), so the slow-query log speaks, and it speaks on stderr only."""
    import os
    import subprocess
    import sys

    from server.core.settings import PROJECT_ROOT

    env = {**os.environ, "STRATEGIAVERKKO_VAR_DIR": real_settings["var_dir"]}
    command = [sys.executable, "-c", "from server.cli import main; main()"]
    result = subprocess.run(
        [*command, "--setting", "slow_query_seconds=0", "query", VALUES_ES, "--format", "csv"],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["label"] + EXPECTED_ES
    assert "slow_queries" in result.stderr
