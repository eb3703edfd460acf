"""The endpoint is read-only, never reaches out, and stops runaway queries."""

from __future__ import annotations

import json
import socket
import threading
import time

import pyoxigraph as ox
import pytest

from server.web.app import create_app

JSON = "application/sparql-results+json"


class Listener:
    """A TCP listener on loopback that counts every connection made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture()
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.mark.parametrize("route", ["form", "direct", "get", "query keyword"])
def test_update_is_refused_by_every_route(client, route):
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    if route == "form":
        response = client.post("/sparql", data={"update": update})
    elif route == "direct":
        response = client.post("/sparql", data=update.encode(), content_type="application/sparql-update")
    elif route == "get":
        response = client.get("/sparql", query_string={"update": update})
    else:
        response = client.post("/sparql", data={"query": update})
    assert response.status_code == 403
    assert "read-only" in response.get_data(as_text=True)
    check = client.get(
        "/sparql", query_string={"query": "ASK { <http://example.org/a> ?p ?o }"}, headers={"Accept": JSON}
    )
    assert json.loads(check.data)["boolean"] is False


@pytest.mark.parametrize(
    "template, status",
    [
        ("SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}", 403),
        ("SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}", 403),
        ("SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}", 200),
        ("SELECT * FROM NAMED <http://127.0.0.1:{port}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", 200),
        ("LOAD <http://127.0.0.1:{port}/data.ttl>", 403),
        ("DESCRIBE <http://127.0.0.1:{port}/thing>", 200),
        ('SELECT * WHERE {{ BIND(IRI("http://127.0.0.1:{port}/x") AS ?x) ?x ?p ?o }}', 200),
    ],
)
def test_no_query_reaches_out(client, listener, template, status):
    query = template.format(port=listener.port)
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "*/*"})
    assert response.status_code == status, response.get_data(as_text=True)
    time.sleep(0.3)
    assert listener.connections == 0


def test_from_a_local_file_reads_nothing(client):
    response = client.post(
        "/sparql", data={"query": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"}, headers={"Accept": JSON}
    )
    assert response.status_code == 200
    assert json.loads(response.data)["results"]["bindings"] == []
    assert b"root:" not in response.data


@pytest.fixture()
def strict_app(real_settings):
    app = create_app(
        {**real_settings, "query_timeout": 1.0, "max_result_bytes": 20_000, "query_processes": 1, "warm_on_open": False}
    )  # nothing else may hold the one query process
    yield app
    app.extensions["strategiaverkko.pool"].close()


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_runaway_query_is_stopped_and_the_worker_is_free_again(strict_app):
    client = strict_app.test_client()
    started = time.perf_counter()
    slow = client.post("/sparql", data={"query": RUNAWAY})
    took = time.perf_counter() - started
    assert slow.status_code == 503 and "more than 1 s" in slow.get_data(as_text=True)
    assert took < 3
    started = time.perf_counter()
    fast = client.post("/sparql", data={"query": "ASK { ?s a stv:Strategy }"}, headers={"Accept": JSON})
    assert fast.status_code == 200 and json.loads(fast.data)["boolean"] is True
    assert time.perf_counter() - started < 1.0  # the killed query's process was replaced, not waited for


def test_result_size_limit(strict_app):
    client = strict_app.test_client()
    response = client.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": JSON})
    assert response.status_code == 413
    assert "larger than 20,000 bytes" in response.get_data(as_text=True)


def test_concurrent_heavy_queries_are_bounded(real_settings):
    """With every query process busy, a further query waits briefly, then gets 503 + Retry-After."""
    import threading

    app = create_app(
        {**real_settings, "query_timeout": 3.0, "query_processes": 1, "query_queue_seconds": 0.5, "warm_on_open": False}
    )  # nothing else may hold the one query process
    try:
        heavy_answer = {}

        def heavy():
            heavy_answer["response"] = app.test_client().post("/sparql", data={"query": RUNAWAY})

        worker = threading.Thread(target=heavy)
        worker.start()
        time.sleep(0.5)  # the heavy query holds the only query process now
        started = time.perf_counter()
        refused = app.test_client().post("/sparql", data={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": JSON})
        assert time.perf_counter() - started < 2
        assert refused.status_code == 503 and refused.headers["Retry-After"] == "2"
        assert "busy" in json.loads(refused.data)["message"]
        worker.join(timeout=10)
        assert heavy_answer["response"].status_code == 503  # stopped at its time limit
        again = app.test_client().post("/sparql", data={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": JSON})
        assert again.status_code == 200
    finally:
        app.extensions["strategiaverkko.pool"].close()


def test_the_in_memory_copy_holds_the_store_whether_read_from_the_dump_or_the_store(real_settings):
    from pathlib import Path

    from server.store.manifest import current_build, trig_dump_of
    from server.store.oxigraph import OxigraphStore

    build_dir = Path(current_build(real_settings["var_dir"]))
    on_disk = OxigraphStore(build_dir / "store")
    every_quad = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o"
    expected = on_disk.query(every_quad).serialize(format=ox.QueryResultsFormat.CSV)
    for copy in (on_disk.in_memory_copy(trig_dump_of(build_dir)), on_disk.in_memory_copy()):
        assert copy.query(every_quad).serialize(format=ox.QueryResultsFormat.CSV) == expected
