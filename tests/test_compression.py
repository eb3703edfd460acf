"""Clients that send Accept-Encoding: gzip get compressed pages, documents and query results;
others get the bytes as before. Caches are told the answer varies by encoding, and a cached
copy's ETag still validates."""

from __future__ import annotations

import gzip
import json
import uuid

import pytest
import requests

JSON = "application/sparql-results+json"
LABELS = "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label } ORDER BY ?s ?label"
GZIP = {"Accept-Encoding": "gzip, deflate"}

ADDRESSES = [
    ("/page/strategy/etela-savo", {}),
    ("/data/strategy/etela-savo.ttl", {}),
    ("/data/strategy/etela-savo.jsonld", {}),
    ("/catalog", {"Accept": "text/turtle"}),
    ("/sparql?" + requests.compat.urlencode({"query": LABELS}), {"Accept": JSON}),
    ("/sparql?" + requests.compat.urlencode({"query": LABELS}), {"Accept": "text/csv"}),
]


@pytest.mark.parametrize("path, headers", ADDRESSES)
def test_gzip_for_clients_that_ask_is_the_same_document(client, path, headers):
    plain = client.get(path, headers=headers)
    packed = client.get(path, headers=headers | GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 3
    assert int(packed.headers["Content-Length"]) == len(packed.data)
    assert packed.headers["Content-Type"] == plain.headers["Content-Type"]
    for response in (plain, packed):
        assert {"Accept", "Accept-Encoding"} <= {v.strip() for v in response.headers["Vary"].split(",")}
    # Same representation, other bytes: a weak ETag with the same tag.
    assert packed.headers["ETag"] == "W/" + plain.headers["ETag"]


@pytest.mark.parametrize("accept_encoding", ["identity", "gzip;q=0", "br", "deflate"])
def test_no_gzip_unless_the_client_takes_it(client, accept_encoding):
    response = client.get("/page/strategy/etela-savo", headers={"Accept-Encoding": accept_encoding})
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
    assert b"</html>" in response.data


def test_any_encoding_means_gzip_too(client):
    response = client.get("/page/strategy/etela-savo", headers={"Accept-Encoding": "*"})
    assert response.headers["Content-Encoding"] == "gzip"


def test_small_answers_go_as_they_are(client):
    response = client.get(
        "/sparql", query_string={"query": "ASK { ?s a stv:Strategy }"}, headers={"Accept": JSON} | GZIP
    )
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
    assert json.loads(response.data)["boolean"] is True


@pytest.mark.parametrize("path, headers", [ADDRESSES[0], ADDRESSES[4]])
def test_the_compressed_copy_validates_with_its_etag(client, path, headers):
    packed = client.get(path, headers=headers | GZIP)
    again = client.get(path, headers=headers | GZIP | {"If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    # A client that dropped gzip but kept the validator still has the same representation.
    plain = client.get(path, headers=headers | {"If-None-Match": packed.headers["ETag"]})
    assert plain.status_code == 304


def test_a_query_answer_is_validated_per_query_and_format(client):
    query = f"{LABELS}\n# {uuid.uuid4().hex}"
    first = client.get("/sparql", query_string={"query": query}, headers={"Accept": JSON})
    etag = first.headers["ETag"]
    assert (
        client.get(
            "/sparql", query_string={"query": query}, headers={"Accept": JSON, "If-None-Match": etag}
        ).status_code
        == 304
    )
    other_format = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "text/csv", "If-None-Match": etag}
    )
    other_text = client.get(
        "/sparql", query_string={"query": query + " "}, headers={"Accept": JSON, "If-None-Match": etag}
    )
    assert other_format.status_code == other_text.status_code == 200


def test_production_server_compresses_for_http_clients(live_server):
    """requests asks for gzip by default and inflates transparently, as harvesters' clients do."""
    response = requests.post(f"{live_server}/sparql", data={"query": LABELS}, headers={"Accept": JSON}, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert len(response.json()["results"]["bindings"]) > 100
