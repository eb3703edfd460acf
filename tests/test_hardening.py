"""It keeps serving, leaks nothing and escapes everything."""

from __future__ import annotations

import json
import logging

import pytest
from bs4 import BeautifulSoup
from source_trees import FIXTURES, make_source_tree

from server.core.settings import load_settings
from server.pipeline.build import build
from server.web.app import create_app

HOSTILE = '<script>alert("x")</script> "quoted" & \'single\''


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    """A build whose data contains markup and quotes in labels and texts."""
    root = tmp_path_factory.mktemp("hostile")
    text = (
        (FIXTURES / "minimal.ttl")
        .read_text("utf-8")
        .replace('"Rohkeus"@fi', '"Rohkeus ' + HOSTILE.replace('"', '\\"') + '"@fi')
    )
    make_source_tree(root / "src", {"minimal.ttl": text})
    settings = load_settings({"source_dir": str(root / "src"), "var_dir": str(root / "var")})
    build(settings)
    app = create_app(settings)
    yield app
    app.extensions["strategiaverkko.pool"].close()


@pytest.mark.parametrize(
    "path", ["/page/value/testi-a", "/page/strategy/testi", "/page/organisation/testi", "/search?q=rohkeus", "/"]
)
def test_literals_are_escaped_on_pages(hostile_app, path):
    response = hostile_app.test_client().get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html
    soup = BeautifulSoup(html, "html.parser")
    if path != "/":
        assert HOSTILE in soup.get_text()
    for script in soup.find_all("script"):
        assert script.get("src") or script.get("type") in ("application/ld+json", "application/json")


def test_json_ld_data_blocks_cannot_close_their_script_element(hostile_app):
    html = hostile_app.test_client().get("/page/value/testi-a").get_data(as_text=True)
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(block)["name"].startswith("Rohkeus <script>")


def test_query_page_cannot_be_used_to_run_script(client):
    crafted = "</textarea><script>alert(1)</script><textarea>"
    response = client.get("/sparql", query_string={"query": crafted}, headers={"Accept": "text/html"})
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self'")


@pytest.mark.parametrize(
    "path", ["/", "/sparql", "/page/value/etela-savo-rohkeus", "/ontology", "/catalog", "/page/value/no-such"]
)
def test_html_carries_security_headers(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.mimetype == "text/html"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_unexpected_errors_show_no_trace_or_path(app, monkeypatch):
    state = app.extensions["strategiaverkko.state"]

    def broken():
        raise RuntimeError("/very/secret/path/store.db is gone")

    monkeypatch.setattr(state, "current", broken)
    client = app.test_client()
    for accept in ("text/html", "application/json", "text/plain"):
        response = client.get("/page/value/etela-savo-rohkeus", headers={"Accept": accept})
        body = response.get_data(as_text=True)
        assert response.status_code == 500
        assert "/very/secret" not in body and "Traceback" not in body and "RuntimeError" not in body


def test_error_shape_is_pinned(client):
    response = client.get(
        "/sparql", query_string={"query": "SELECT ?x WHERE {"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    data = json.loads(response.data)
    assert set(data) == {"ok", "status", "title", "message", "details"}
    assert data["ok"] is False and data["status"] == 400 and data["title"] == "Malformed query"


def test_healthz_reports_the_build(client, real_settings):
    from server.store.manifest import current_build, read_manifest

    data = json.loads(client.get("/healthz").data)
    manifest = read_manifest(current_build(real_settings["var_dir"]))
    assert data == {
        "status": "ok",
        "build": manifest["id"],
        "created": manifest["created"],
        "triples": manifest["triples"],
        "source_commit": manifest["source"]["commit"],
    }


def test_healthz_without_a_build_is_503(tmp_path):
    app = create_app({"var_dir": str(tmp_path / "empty")})
    try:
        response = app.test_client().get("/healthz")
        assert response.status_code == 503 and json.loads(response.data)["status"] == "no build"
    finally:
        app.extensions["strategiaverkko.pool"].close()


def test_access_log_has_request_id_and_query_time(client, caplog):
    with caplog.at_level(logging.INFO, logger="strategiaverkko.access"):
        response = client.get(
            "/sparql",
            query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3 # log test"},
            headers={"Accept": "application/sparql-results+json", "X-Request-Id": "abc-123"},
        )
    assert response.headers["X-Request-Id"] == "abc-123"
    records = [json.loads(r.getMessage()) for r in caplog.records if r.name == "strategiaverkko.access"]
    record = next(r for r in records if r["request_id"] == "abc-123")
    assert record["path"] == "/sparql" and record["status"] == 200 and record["query_ms"] >= 0


def test_forged_request_ids_are_replaced(client):
    forged = 'x" {"status": 500}'
    response = client.get("/healthz", headers={"X-Request-Id": forged})
    assert response.headers["X-Request-Id"] != forged and len(response.headers["X-Request-Id"]) == 32


def test_slow_queries_are_logged(real_settings, caplog):
    app = create_app({**real_settings, "slow_query_seconds": 0.0})
    try:
        with caplog.at_level(logging.WARNING, logger="strategiaverkko.slow_queries"):
            app.test_client().get("/sparql", query_string={"query": "ASK { ?s ?p ?o } # slow log test"})
        records = [json.loads(r.getMessage()) for r in caplog.records if r.name == "strategiaverkko.slow_queries"]
        # The warm-up thread's canned queries may be logged too; find the request's own record.
        ours = [record for record in records if record["query"].endswith("# slow log test")]
        assert len(ours) == 1 and ours[0]["request_id"] and ours[0]["query_ms"] >= 0
    finally:
        app.extensions["strategiaverkko.pool"].close()
