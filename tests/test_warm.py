"""A web worker that opens a build warms it in the background: its query processes start and
the canned queries' answers are in the cache before anyone asks for them."""

from __future__ import annotations

import json
import logging

from server.query.canned import canned_queries
from server.web.app import create_app

JSON = "application/sparql-results+json"


def test_a_new_worker_has_every_canned_answer_ready(real_settings, caplog):
    app = create_app({**real_settings, "cache_bytes": 64 * 1024 * 1024})
    try:
        with caplog.at_level(logging.INFO, logger="strategiaverkko.warm"):
            client = app.test_client()
            assert client.get("/healthz").status_code == 200  # the first request opens the build
            build = app.extensions["strategiaverkko.state"].current()
            assert build.warmed.wait(timeout=120)
        pool = app.extensions["strategiaverkko.pool"]
        assert pool.idle_count() == pool.size  # every query process started, and free again
        for canned in canned_queries():
            response = client.post("/sparql", data={"query": canned.text}, headers={"Accept": JSON})
            assert response.status_code == 200, canned.name
            assert response.headers["X-Query-Time"] == "0.0 ms (cached)", canned.name
            assert "results" in json.loads(response.data) or "boolean" in json.loads(response.data)
        assert f"warmed build {build.id}: {len(canned_queries())} canned queries" in caplog.text
    finally:
        app.extensions["strategiaverkko.pool"].close()


def test_without_warming_nothing_is_computed_ahead(real_settings):
    app = create_app({**real_settings, "warm_on_open": False})
    try:
        client = app.test_client()
        assert client.get("/healthz").status_code == 200
        build = app.extensions["strategiaverkko.state"].current()
        assert not build.warmed.wait(timeout=2)
        canned = canned_queries()[0]
        response = client.post("/sparql", data={"query": canned.text}, headers={"Accept": JSON})
        assert response.status_code == 200 and "(cached)" not in response.headers["X-Query-Time"]
    finally:
        app.extensions["strategiaverkko.pool"].close()


def test_other_queries_do_not_push_the_warmed_answers_out(real_settings):
    # 2 MiB of cache and answers of 270 kB each: without pinning, twenty new queries
    # evict everything warming put there, and the query page's queries run again.
    app = create_app({**real_settings, "cache_bytes": 2 * 1024 * 1024})
    try:
        client = app.test_client()
        assert client.get("/healthz").status_code == 200
        assert app.extensions["strategiaverkko.state"].current().warmed.wait(timeout=120)
        big = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 1000"
        flood = [
            client.post("/sparql", data={"query": f"{big}\n# researcher {i}"}, headers={"Accept": JSON})
            for i in range(20)
        ]
        assert all(r.status_code == 200 for r in flood)
        assert sum(len(r.data) for r in flood) > 2 * 2 * 1024 * 1024  # more than the cache holds, twice
        again = client.post("/sparql", data={"query": f"{big}\n# researcher 0"}, headers={"Accept": JSON})
        assert "(cached)" not in again.headers["X-Query-Time"]  # the flood's own first answers were evicted
        for canned in canned_queries():
            response = client.post("/sparql", data={"query": canned.text}, headers={"Accept": JSON})
            assert response.headers["X-Query-Time"] == "0.0 ms (cached)", canned.name
    finally:
        app.extensions["strategiaverkko.pool"].close()


def _production_worker(settings, monkeypatch):
    from server.web.wsgi import production_app, settings_environment

    for name, value in settings_environment(settings).items():
        monkeypatch.setenv(name, value)  # what `serve` hands its Granian workers
    return production_app()


def test_a_production_worker_warms_the_build_at_start_not_at_its_first_request(real_settings, monkeypatch, caplog):
    """With several workers, one that traffic has not reached yet must not stay cold: the
    first researcher it serves would wait for the build to open and warm."""
    with caplog.at_level(logging.INFO, logger="strategiaverkko.warm"):
        app = _production_worker(real_settings, monkeypatch)
        try:
            # This app's own build: another test's app may still be warming in a thread of its own
            # (and logging to the same logger) while this one starts.
            build = app.extensions["strategiaverkko.state"].current()
            assert build.warmed.wait(timeout=120)
            assert any(
                r.name == "strategiaverkko.warm" and f"warmed build {build.id}" in r.getMessage()
                for r in caplog.records
            )
        finally:
            app.extensions["strategiaverkko.pool"].close()


def test_a_production_worker_without_a_build_starts_and_says_so(tmp_path, monkeypatch):
    from server.core.settings import load_settings

    app = _production_worker(load_settings({"var_dir": str(tmp_path / "empty")}), monkeypatch)
    try:
        response = app.test_client().get("/healthz")
        assert response.status_code == 503
    finally:
        app.extensions["strategiaverkko.pool"].close()


def test_warming_reads_the_on_disk_store_into_the_page_cache_first(real_settings, monkeypatch):
    """After a restart the store's files are not in the system's page cache: a worker's first
    pages read them from disk. Warming reads all of them once, before the canned queries."""
    from server.store.oxigraph import OxigraphStore

    read: list[int] = []
    real = OxigraphStore.prewarm
    monkeypatch.setattr(OxigraphStore, "prewarm", lambda self: read.append(real(self)) or read[-1])
    app = create_app(real_settings)
    try:
        assert app.test_client().get("/healthz").status_code == 200
        build = app.extensions["strategiaverkko.state"].current()
        assert build.warmed.wait(timeout=120)
        files = [p for p in (build.path / "store").iterdir() if p.is_file()]
        tables = sum(p.stat().st_size for p in files if p.suffix == ".sst")  # immutable
        assert len(read) == 1 and tables <= read[0] <= sum(p.stat().st_size for p in files)
        assert tables > 1_000_000
    finally:
        app.extensions["strategiaverkko.pool"].close()
