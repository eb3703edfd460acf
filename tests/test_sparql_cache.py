"""Repeated queries are answered from the build's cache: the same bytes the first answer had, and
never another request's answer (another format, another dataset, another build), nor an answer
to a text that must be refused."""

from __future__ import annotations

import csv
import io
import json
import uuid
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from builds import switch_to, two_builds
from rdflib import Graph

from server.core.settings import load_settings
from server.web.app import create_app
from server.web.http.server_timing import parse

BASE = "https://w3id.org/strategiaverkko/"
JSON = "application/sparql-results+json"
SELECT = """SELECT ?county ?label WHERE { ?county a stv:WellbeingServicesCounty ; skos:prefLabel ?label }
ORDER BY ?county ?label"""
CONSTRUCT = """CONSTRUCT { ?county skos:prefLabel ?label } WHERE {
  ?county a stv:WellbeingServicesCounty ; skos:prefLabel ?label }"""
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
COUNT_NAMED = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def fresh(query: str) -> str:
    """The query with a comment of its own, so no earlier test has its answer cached."""
    return f"{query}\n# {uuid.uuid4().hex}"


def ask(client, query: str, accept: str | None = None, **params):
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", query_string={"query": query, **params}, headers=headers)


def was_cached(response) -> bool:
    return "(cached)" in response.headers.get("X-Query-Time", "")


def count(response) -> int:
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(json.loads(response.data)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize(
    "query, media",
    [
        (SELECT, "application/sparql-results+json"),
        (SELECT, "application/sparql-results+xml"),
        (SELECT, "text/csv"),
        (SELECT, "text/tab-separated-values"),
        ("ASK { ?s a stv:Strategy }", "application/sparql-results+json"),
        (CONSTRUCT, "text/turtle"),
        (CONSTRUCT, "application/n-triples"),
        (CONSTRUCT, "application/ld+json"),
        (CONSTRUCT, "application/rdf+xml"),
        (f"DESCRIBE <{BASE}id/strategy/etela-savo>", "text/turtle"),
    ],
)
def test_a_cached_answer_is_the_first_answer_byte_for_byte(client, query, media):
    query = fresh(query)
    first = ask(client, query, media)
    again = ask(client, query, media)
    assert first.status_code == again.status_code == 200, first.get_data(as_text=True)
    assert not was_cached(first) and was_cached(again)
    assert again.data == first.data and len(first.data) > 0
    assert again.headers["Content-Type"] == first.headers["Content-Type"] == f"{media}; charset=utf-8"


def test_each_format_of_a_cached_query_gets_its_own_bytes(client):
    query = fresh(SELECT)
    json_body = ask(client, query, JSON).data
    assert ask(client, query, JSON).data == json_body
    as_csv = ask(client, query, "text/csv")
    assert as_csv.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(as_csv.get_data(as_text=True))))
    assert rows[0] == ["county", "label"] and len(rows) == 1 + len(json.loads(json_body)["results"]["bindings"])
    as_xml = ask(client, query, "application/sparql-results+xml")
    assert as_xml.headers["Content-Type"].startswith("application/sparql-results+xml")
    assert ET.fromstring(as_xml.data).tag.endswith("sparql")
    as_tsv = ask(client, query, "text/tab-separated-values")
    assert as_tsv.data.startswith(b"?county\t?label")
    # ?format= wins over Accept, also when the Accept's format is cached; aliases reach the same answer.
    overridden = ask(client, query, JSON, format="csv")
    assert overridden.headers["Content-Type"].startswith("text/csv") and overridden.data == as_csv.data
    alias = ask(client, query, "application/json")
    assert alias.headers["Content-Type"].startswith(JSON) and alias.data == json_body and was_cached(alias)
    assert ask(client, query, JSON).data == json_body


def test_one_accept_header_is_negotiated_per_query_form(client):
    select, construct = fresh(SELECT), fresh(CONSTRUCT)
    for accept, select_media, graph_media in [
        ("*/*", JSON, "text/turtle"),
        (f"{JSON}, application/n-triples;q=0.5", JSON, "application/n-triples"),
        ("text/csv;q=0.4, application/rdf+xml", "text/csv", "application/rdf+xml"),
    ]:
        for _ in range(2):  # the second time from the cache
            assert ask(client, select, accept).headers["Content-Type"] == f"{select_media}; charset=utf-8"
            assert ask(client, construct, accept).headers["Content-Type"] == f"{graph_media}; charset=utf-8"
    turtle = ask(client, construct, "text/turtle")
    assert len(Graph().parse(data=turtle.get_data(as_text=True), format="turtle")) > 0


def test_the_dataset_parameters_are_part_of_the_cached_answer(client):
    query, named = fresh(COUNT), fresh(COUNT_NAMED)
    for _ in range(2):  # the second round from the cache
        union = count(ask(client, query, JSON))
        ontology = count(ask(client, query, JSON, **{"default-graph-uri": BASE + "graph/ontology"}))
        inferred = count(ask(client, query, JSON, **{"default-graph-uri": BASE + "graph/inferred"}))
        both = count(
            client.get(
                "/sparql",
                query_string=[
                    ("query", query),
                    ("default-graph-uri", BASE + "graph/ontology"),
                    ("default-graph-uri", BASE + "graph/inferred"),
                ],
                headers={"Accept": JSON},
            )
        )
        assert union > ontology > 0 and union > inferred > 0 and ontology != inferred
        assert both == ontology + inferred
        all_named = count(ask(client, named, JSON))
        named_ontology = count(ask(client, named, JSON, **{"named-graph-uri": BASE + "graph/ontology"}))
        assert named_ontology == ontology and all_named == union


def test_texts_that_must_be_refused_stay_refused(client):
    query = fresh(SELECT)
    assert ask(client, query, JSON).status_code == 200
    assert was_cached(ask(client, query, JSON))
    # The same text as an update, by either route, is still refused.
    assert client.post("/sparql", data=query.encode(), content_type="application/sparql-update").status_code == 403
    assert client.post("/sparql", data={"update": query}).status_code == 403
    # A format the form has not got is still 406, before and after a cached answer in another.
    assert ask(client, query, "text/turtle").status_code == 406
    assert ask(client, query, JSON, format="turtle").status_code == 406
    assert ask(client, query, JSON).status_code == 200
    for bad, status in [
        (fresh("SELECT ?x WHERE { ?x ?y "), 400),
        (fresh("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"), 403),
        (fresh("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }"), 403),
    ]:
        for _ in range(3):
            response = ask(client, bad, JSON)
            assert response.status_code == status, response.get_data(as_text=True)
            assert "X-Query-Time" not in response.headers


def test_the_query_page_and_a_client_share_one_answer(client):
    query = fresh(SELECT)
    page = ask(client, query, "text/html")
    assert page.status_code == 200 and page.mimetype == "text/html"
    labels = [b["label"]["value"] for b in json.loads(ask(client, query, JSON).data)["results"]["bindings"]]
    assert labels and all(label in page.get_data(as_text=True) for label in labels[:3])
    assert was_cached(ask(client, query, JSON))
    construct = fresh(CONSTRUCT)
    assert ask(client, construct, "text/turtle").status_code == 200
    page = ask(client, construct, "text/html")
    assert page.status_code == 200 and "skos:prefLabel" in page.get_data(as_text=True)


def test_a_new_build_is_not_answered_from_the_old_builds_cache(real_settings, tmp_path):
    """Two builds that differ by one triple: after the switch the same text answers the new data."""
    var = tmp_path / "var"
    _, new = two_builds(real_settings, var)
    store = ox.Store(str(new / "store"))
    store.add(
        ox.Quad(
            ox.NamedNode(BASE + "id/thing/cache-test"),
            ox.NamedNode(BASE + "ontology#note"),
            ox.Literal("only in the new build"),
            ox.NamedNode(BASE + "graph/asserted"),
        )
    )
    store.flush()
    del store
    # The extra triple is in the new build's store, not in its TriG dump, which the query
    # processes load their in-memory copies from: so they must answer from the store.
    app = create_app(load_settings({"var_dir": str(var), "memory_store_max_triples": 0}))
    try:
        client = app.test_client()
        before = count(ask(client, COUNT, JSON))
        assert was_cached(ask(client, COUNT, JSON))
        switch_to(var, "new")
        after = ask(client, COUNT, JSON)
        assert not was_cached(after) and count(after) == before + 1
    finally:
        app.extensions["strategiaverkko.pool"].close()


def test_without_a_build_a_forbidden_query_is_still_refused_first(tmp_path):
    app = create_app(load_settings({"var_dir": str(tmp_path / "empty")}))
    try:
        client = app.test_client()
        assert ask(client, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", JSON).status_code == 403
        assert ask(client, SELECT, "image/png").status_code == 406
        assert ask(client, SELECT, JSON).status_code == 503
    finally:
        app.extensions["strategiaverkko.pool"].close()


@pytest.mark.parametrize("cache_bytes, cached", [(64 * 1024, False), (4 * 1024 * 1024, True)])
def test_cache_bytes_decides_which_results_are_kept(real_settings, cache_bytes, cached):
    """A result larger than a quarter of cache_bytes is computed every time; with room for it,
    the repeat is answered from the cache (the same bytes, marked so in X-Query-Time)."""
    app = create_app({**real_settings, "cache_bytes": cache_bytes})
    try:
        client = app.test_client()
        big = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 2000"
        first = client.post("/sparql", data={"query": big}, headers={"Accept": JSON})
        again = client.post("/sparql", data={"query": big}, headers={"Accept": JSON})
        assert first.status_code == again.status_code == 200
        assert 64 * 1024 // 4 < len(first.data) < 4 * 1024 * 1024 // 4
        assert again.data == first.data
        assert again.headers["X-Query-Time"].endswith("(cached)") is cached
    finally:
        app.extensions["strategiaverkko.pool"].close()


class _SlowPool:
    """Stands in for the query processes: answers after a pause, counting the queries it runs."""

    def __init__(self, seconds: float, error: Exception | None = None):
        self.seconds, self.error, self.calls = seconds, error, []

    def run(self, job):
        import time

        from server.query.sandbox import QueryAnswer

        self.calls.append(job.query)
        time.sleep(self.seconds)
        if self.error is not None:
            raise self.error
        return QueryAnswer(b'{"head": {"vars": []}, "results": {"bindings": []}}', self.seconds)


def _burst(app, texts: list[str]) -> list:
    from concurrent.futures import ThreadPoolExecutor

    def ask_once(text):
        return app.test_client().post("/sparql", data={"query": text}, headers={"Accept": JSON})

    with ThreadPoolExecutor(len(texts)) as threads:
        return list(threads.map(ask_once, texts))


def test_a_burst_of_the_same_new_query_runs_it_once(real_settings):
    """Eight clients ask the same uncached query at once: one query process computes it and
    all eight get its answer (they would otherwise take every process or get 503)."""
    app = create_app(real_settings)
    slow = _SlowPool(0.5)
    app.extensions["strategiaverkko.pool"].close()
    app.extensions["strategiaverkko.pool"] = app.extensions["strategiaverkko.queries"].pool = slow
    same = f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1 # {uuid.uuid4()}"
    answers = _burst(app, [same] * 8)
    assert [a.status_code for a in answers] == [200] * 8
    assert len({a.data for a in answers}) == 1
    assert slow.calls == [same]
    # Server-Timing: the one that ran it says the engine's time; the others say they joined it,
    # with no engine time of their own (theirs would be the run's whole time, more than they waited).
    timings = [parse(a.headers["Server-Timing"]) for a in answers]
    assert sum("engine" in t for t in timings) == 1
    assert sum('desc="joined"' in a.headers["Server-Timing"] for a in answers) == 7
    others = [f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {n} # {uuid.uuid4()}" for n in range(1, 4)]
    _burst(app, others)
    assert sorted(slow.calls[1:]) == sorted(others)  # different texts are not shared


def test_a_burst_shares_the_error_of_its_one_run(real_settings):
    from server.query.sandbox import QueryTimeout

    app = create_app(real_settings)
    slow = _SlowPool(0.3, QueryTimeout("The query ran for more than 10 s and was stopped."))
    app.extensions["strategiaverkko.pool"].close()
    app.extensions["strategiaverkko.pool"] = app.extensions["strategiaverkko.queries"].pool = slow
    text = f"SELECT * WHERE {{ ?s ?p ?o }} # {uuid.uuid4()}"
    answers = _burst(app, [text] * 5)
    assert [a.status_code for a in answers] == [503] * 5
    assert len(slow.calls) == 1
    again = _burst(app, [text])  # an error is not cached: a later request tries again
    assert again[0].status_code == 503 and len(slow.calls) == 2


def test_pinned_entries_outlive_eviction_but_take_at_most_half():
    from server.core.caching import BuildCache as ByteLRU

    cache = ByteLRU(1000)
    cache.put("canned", b"a", 150, pinned=True)
    cache.put("canned too", b"b", 150, pinned=True)
    cache.put("one pin too many", b"c", 250, pinned=True)  # 550 > half: kept as a plain entry
    for i in range(10):
        cache.put(f"other {i}", b"x", 200)
    assert cache.get("canned") == b"a" and cache.get("canned too") == b"b"
    assert cache.get("one pin too many") is None and cache.get("other 0") is None
    assert cache.get("other 9") == b"x" and cache.size <= 1000
    cache.put("other 9", b"x", 200, pinned=True)  # an entry already cached can be pinned where it is
    for i in range(10, 20):
        cache.put(f"other {i}", b"x", 200)
    assert cache.get("other 9") == b"x" and cache.pinned_size == 500 and cache.size <= 1000


def test_a_query_calling_now_or_rand_is_run_each_time_and_never_validated(client):
    """NOW(), RAND() …: each run has its own answer, so it is neither kept nor given an ETag (one
    ETag for different bodies let a client's 304 keep a stale NOW(), and each worker its own)."""
    query = "SELECT (RAND() AS ?r) (NOW() AS ?t) WHERE {}"
    answers = [client.get("/sparql", query_string={"query": query}, headers={"Accept": JSON}) for _ in range(3)]
    assert all(a.status_code == 200 for a in answers)
    assert len({a.get_json()["results"]["bindings"][0]["r"]["value"] for a in answers}) == 3
    assert all("ETag" not in a.headers and a.headers["Cache-Control"] == "no-store" for a in answers)
    assert "cached" not in answers[1].headers["X-Query-Time"]
    # A variable or a string with the name is not a call: such a query is kept as before.
    kept = 'SELECT ?now WHERE { BIND ("RAND()" AS ?now) }'
    first, again = (client.get("/sparql", query_string={"query": kept}, headers={"Accept": JSON}) for _ in range(2))
    assert "ETag" in first.headers and "cached" in again.headers["X-Query-Time"]
