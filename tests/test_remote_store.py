"""A remote SPARQL 1.1 store instead of the embedded one: a real Oxigraph server on loopback,
loaded by `strategiaverkko build --store URL` (Graph Store Protocol) and queried over the
SPARQL Protocol. Every answer must match the embedded store's."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.parse

import pytest
import requests
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic
from servers import free_port
from source_trees import copy_real_sources

from server.cli import main
from server.core.settings import load_settings
from server.pipeline.build import build
from server.query.canned import canned_queries
from server.store.manifest import current_build, read_manifest
from server.web.app import create_app

JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """`oxigraph serve` (the oxigraph package's server), in memory, on a free loopback port."""
    binary = shutil.which("oxigraph")
    if binary is None:
        pytest.fail("the oxigraph server is missing: install the test extras (pip install -e '.[test]')")
    port = free_port()
    log = open(tmp_path_factory.mktemp("oxigraph") / "oxigraph.log", "wb")
    process = subprocess.Popen(
        [binary, "serve", "--bind", f"127.0.0.1:{port}", "--timeout-s", "10"], stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            requests.get(url + "/query", params={"query": "ASK {}"}, timeout=2)
            break
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("oxigraph serve did not start")
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def remote_settings(oxigraph_server, tmp_path_factory):
    """A build of the real data loaded into the Oxigraph server with the CLI, as an operator would."""
    root = copy_real_sources(tmp_path_factory.mktemp("src"))
    settings = load_settings({"source_dir": str(root), "var_dir": str(tmp_path_factory.mktemp("var"))})
    # Something an older build left in the store, which this build no longer has.
    stale = oxigraph_server + "/store?" + urllib.parse.urlencode({"graph": "https://example.org/stale"})
    requests.put(
        stale,
        data="<https://example.org/a> <https://example.org/b> <https://example.org/c> .",
        headers={"Content-Type": "application/n-triples"},
        timeout=5,
    ).raise_for_status()
    result = CliRunner().invoke(
        main,
        [
            "--setting",
            f"source_dir={root}",
            "--setting",
            f"var_dir={settings['var_dir']}",
            "build",
            "--store",
            oxigraph_server + "/query",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "upload" in result.output
    return settings


@pytest.fixture(scope="module")
def remote_client(remote_settings):
    # No store setting here: the build's manifest says where its data went.
    app = create_app({"source_dir": remote_settings["source_dir"], "var_dir": remote_settings["var_dir"]})
    yield app.test_client()
    app.extensions["strategiaverkko.pool"].close()


def remote_count(url: str, graph: str) -> int:
    answer = requests.post(
        url + "/query",
        data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": JSON},
        timeout=10,
    ).json()
    return int(answer["results"]["bindings"][0]["n"]["value"])


def test_build_loads_every_graph_and_removes_stale_ones(remote_settings, oxigraph_server):
    manifest = read_manifest(current_build(remote_settings["var_dir"]))
    assert manifest["store"] == {"query_url": oxigraph_server + "/query", "graph_store_url": oxigraph_server + "/store"}
    for graph, count in manifest["graphs"].items():
        assert remote_count(oxigraph_server, graph) == count > 0
    assert remote_count(oxigraph_server, "https://example.org/stale") == 0


def _unordered(value: str) -> str:
    """GROUP_CONCAT's order is not defined by SPARQL (and differs between stores): compare the parts."""
    for separator in (" | ", ", "):
        if separator in value:
            return separator.join(sorted(value.split(separator)))
    return value


def _bindings(response) -> list:
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    if "boolean" in answer:
        return [answer["boolean"]]
    rows = [
        tuple(sorted((k, _unordered(v["value"]), v.get("xml:lang"), v.get("datatype")) for k, v in b.items()))
        for b in answer["results"]["bindings"]
    ]
    return sorted(rows)


@pytest.mark.parametrize("query", canned_queries(), ids=lambda q: q.name)
def test_canned_queries_answer_the_same_from_the_remote_store(remote_client, client, query):
    remote = remote_client.post("/sparql", data={"query": query.text}, headers={"Accept": JSON})
    embedded = client.post("/sparql", data={"query": query.text}, headers={"Accept": JSON})
    assert _bindings(remote) == _bindings(embedded)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        "ASK { ?s a stv:Strategy }",
        "SELECT ?label WHERE { <id/strategy/etela-savo> skos:prefLabel ?label }",
        "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/strategiaverkko/graph/inferred> WHERE { ?s ?p ?o }",
    ],
)
def test_dataset_prefixes_and_relative_iris_behave_as_embedded(remote_client, client, query):
    remote = remote_client.post("/sparql", data={"query": query}, headers={"Accept": JSON})
    embedded = client.post("/sparql", data={"query": query}, headers={"Accept": JSON})
    assert _bindings(remote) == _bindings(embedded)


def test_construct_and_resource_documents_match(remote_client, client):
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a stv:Value ; ?p ?o }"
    remote = Graph().parse(
        data=remote_client.post("/sparql", data={"query": query}, headers={"Accept": "text/turtle"}).get_data(
            as_text=True
        ),
        format="turtle",
    )
    embedded = Graph().parse(
        data=client.post("/sparql", data={"query": query}, headers={"Accept": "text/turtle"}).get_data(as_text=True),
        format="turtle",
    )
    assert len(remote) > 20 and isomorphic(remote, embedded)
    for path in ("/data/strategy/etela-savo.ttl", "/data/organisation/etela-karjala.ttl"):
        remote_doc = Graph().parse(data=remote_client.get(path).get_data(as_text=True), format="turtle")
        embedded_doc = Graph().parse(data=client.get(path).get_data(as_text=True), format="turtle")
        assert isomorphic(remote_doc, embedded_doc), path
    page = remote_client.get("/page/strategy/etela-savo", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "YHDENVERTAISUUS" in page.get_data(as_text=True)


def test_syntax_errors_and_forbidden_queries_are_still_caught(remote_client):
    broken = remote_client.post("/sparql", data={"query": "SELECT ?x WHERE { ?x ?y }"}, headers={"Accept": JSON})
    assert broken.status_code == 400
    service = remote_client.post(
        "/sparql", data={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"}
    )
    assert service.status_code == 403


def test_a_store_that_is_down_gets_a_clear_502(remote_settings, tmp_path):
    port = free_port()  # nothing listens here
    app = create_app({**remote_settings, "store_url": f"http://127.0.0.1:{port}/query"})
    try:
        response = app.test_client().post("/sparql", data={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": JSON})
        assert response.status_code == 502 and response.headers["Retry-After"] == "5"
        assert "did not answer" in response.get_json()["message"]
    finally:
        app.extensions["strategiaverkko.pool"].close()


def test_a_failed_upload_leaves_the_previous_build_serving(remote_settings, tmp_path):
    before = current_build(remote_settings["var_dir"])
    port = free_port()
    with pytest.raises(Exception, match="did not answer"):
        build({**remote_settings, "store_url": f"http://127.0.0.1:{port}/query"})
    assert current_build(remote_settings["var_dir"]) == before
