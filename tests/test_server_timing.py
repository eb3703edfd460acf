"""Server-Timing tells a reader's developer tools (and bench/lean.py) where a response's time
went: in the app, in the query service, in the query process; and it is never a stale copy."""

from __future__ import annotations

import uuid

import pytest

from server.web.app import create_app
from server.web.http.server_timing import parse

JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture()
def client(real_settings):
    app = create_app(real_settings)
    yield app.test_client(use_cookies=False)
    app.extensions["strategiaverkko.pool"].close()


def timing(response) -> dict[str, float | None]:
    return parse(response.headers["Server-Timing"])


def a_new_query() -> str:
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} # {uuid.uuid4().hex}"


def test_a_first_answer_says_how_long_the_engine_the_query_and_the_app_took(client):
    response = client.post("/sparql", data={"query": a_new_query()}, headers=JSON)
    assert response.status_code == 200
    metrics = timing(response)
    assert set(metrics) == {"query", "engine", "app"}
    engine, query, app = metrics["engine"], metrics["query"], metrics["app"]
    assert engine is not None and query is not None and app is not None
    assert 0 < engine <= query <= app
    # The query's own figure is the one X-Query-Time gives.
    assert abs(query - float(response.headers["X-Query-Time"].removesuffix(" ms"))) <= 0.06  # 0.1 ms rounding


def test_an_answer_from_the_query_cache_says_so(client):
    query = a_new_query()
    client.post("/sparql", data={"query": query}, headers=JSON)
    # A cookie passes the response replay by, so the view answers from the query cache.
    again = client.post("/sparql", data={"query": query}, headers={**JSON, "Cookie": "lang=fi"})
    assert 'query;desc="cached"' in again.headers["Server-Timing"]
    assert set(timing(again)) == {"query", "app"}


def test_a_replayed_response_says_its_own_time_not_the_first_ones(client):
    query = a_new_query()
    first = client.post("/sparql", data={"query": query}, headers=JSON)
    again = client.post("/sparql", data={"query": query}, headers=JSON)
    assert again.data == first.data
    assert again.headers["Server-Timing"].endswith('desc="replayed"')
    assert set(timing(again)) == {"app"}  # no query ran: the first one's query and engine are not repeated


def test_pages_and_errors_say_the_apps_time(client):
    for response in (
        client.get("/page/organisation/etela-savo", headers={"Accept": "text/html"}),
        client.get("/sparql", query_string={"query": "SELECT"}, headers=JSON),
    ):
        app = timing(response)["app"]
        assert app is not None and app > 0


def test_scripts_elsewhere_may_read_it(client):
    response = client.get("/sparql", query_string={"query": a_new_query()}, headers=JSON)
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert "Server-Timing" in exposed


def test_parse_reads_what_other_servers_write():
    assert parse('db;dur=53, app;dur=47.2, cache;desc="Cache Read";dur=23.2, miss') == {
        "db": 53.0,
        "app": 47.2,
        "cache": 23.2,
        "miss": None,
    }


def test_a_description_is_a_quoted_string():
    from server.web.http.server_timing import metric

    assert metric("x", 0.0012, 'a "b" \\ c') == 'x;dur=1.20;desc="a \\"b\\" \\\\ c"'


def test_other_sites_pages_may_time_it(client):
    response = client.get("/sparql", query_string={"query": a_new_query()}, headers=JSON)
    assert response.headers["Timing-Allow-Origin"] == "*"
