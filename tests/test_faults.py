"""Faults and hostile input, round two (issue #29): each defect the fault-injection pass found,
reproduced against real builds in temporary folders, and now handled."""

from __future__ import annotations

import http.client
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS
from servers import running_server
from source_trees import FIXTURES, make_source_tree

from server.cli import main
from server.core.iris import Iris
from server.core.settings import PROJECT_ROOT, load_settings
from server.pipeline.build import build, check
from server.pipeline.publish import UnsafePath, inside
from server.store.manifest import current_build, trig_dump_of
from server.web.app import create_app
from server.web.wsgi import HEADER_READ_TIMEOUT_MS

BASE = "https://w3id.org/strategiaverkko/"
MINIMAL = (FIXTURES / "minimal.ttl").read_text("utf-8")
CLIMBING = BASE + "id/organisation/../../../../../../tmp/strategiaverkko-escape"


def settings_for(tmp_path: Path, extra_data: str = "") -> dict:
    source = make_source_tree(tmp_path / "src", {"minimal.ttl": MINIMAL + extra_data})
    return load_settings({"source_dir": str(source), "var_dir": str(tmp_path / "var")})


# --- 1. A data file must not make the build write outside var/ ------------------------


def climbing_strategy(organisation: str) -> str:
    return f"""
<id/strategy/karkuri> a stv:Strategy ;
    skos:prefLabel "Karkurin strategia"@fi ;
    stv:organisation <{organisation}> ;
    prov:wasDerivedFrom <id/source/testi> .
<{organisation}> a stv:WellbeingServicesCounty ;
    skos:prefLabel "Karkuri"@fi ;
    stv:areaCode "98" ;
    prov:wasDerivedFrom <id/source/testi> .
"""


def test_an_iri_that_climbs_out_of_the_id_space_fails_the_check(tmp_path):
    settings = settings_for(tmp_path, climbing_strategy(CLIMBING))
    _, report = check(settings)
    assert not report.conforms
    finding = next(f for f in report.violations if f.focus == CLIMBING)
    assert "'..'" in finding.message
    assert finding.file and finding.file.endswith("minimal.ttl") and finding.line


def test_a_refused_build_writes_nothing_anywhere(tmp_path):
    settings = settings_for(tmp_path, climbing_strategy(CLIMBING))
    result = CliRunner().invoke(
        main,
        ["--setting", f"source_dir={settings['source_dir']}", "--setting", f"var_dir={settings['var_dir']}", "build"],
    )
    assert result.exit_code == 1, result.output
    assert not Path("/tmp/strategiaverkko-escape.ttl").exists()
    assert current_build(settings["var_dir"]) is None


@pytest.mark.parametrize(
    "local",
    [
        "id/organisation/Etela-Savo",  # not lowercase
        "id/organisation/etela_savo",  # underscore
        "id/organisation/a/b/c",  # more segments than a thing has
        "id/organisation/",  # no slug
        "somewhere/else",  # under the base, outside id/, graph/ and the ontology
        "id/organisation/x%2F..%2Fy",  # an encoded slash and dots
    ],
)
def test_iris_we_would_not_mint_are_refused(local):
    assert Iris(BASE).problem(BASE + local)


@pytest.mark.parametrize(
    "local",
    ["id/organisation/etela-savo", "graph/curated", "ontology#Strategy", "ontology/external#stratml", "ontology"],
)
def test_iris_we_mint_are_accepted(local):
    assert Iris(BASE).problem(BASE + local) is None


def test_minting_refuses_a_slug_that_is_not_one():
    with pytest.raises(ValueError):
        Iris(BASE).thing("organisation", "../../etc")
    assert Iris(BASE).slug_of(CLIMBING, "organisation") is None
    assert Iris(BASE).slug_of(BASE + "id/synthetic/organisation/x", "organisation") is None  # not ours to dump


def test_every_file_the_publisher_writes_stays_in_its_folder(tmp_path):
    assert inside(tmp_path, "organisations/etela-savo.ttl") == (tmp_path / "organisations/etela-savo.ttl").resolve()
    for name in ("../x.ttl", "organisations/../../x.ttl", "/tmp/x.ttl"):
        with pytest.raises(UnsafePath):
            inside(tmp_path, name)


def test_an_organisation_described_outside_the_base_is_warned_about(tmp_path):
    settings = settings_for(
        tmp_path,
        climbing_strategy("https://example.org/org/x").replace("<id/strategy/karkuri>", "<id/strategy/vieras>"),
    )
    _, report = check(settings)
    warning = next(f for f in report.warnings if f.focus == "https://example.org/org/x")
    assert "outside the base" in warning.message


def test_a_good_build_still_builds(tmp_path):
    settings = settings_for(tmp_path)
    result = build(settings)
    assert (result.path / "download" / "organisations" / "testi.ttl").is_file()
    assert os.path.commonpath([result.path, settings["var_dir"]]) == str(Path(settings["var_dir"]).resolve())


# --- 4, 5. A damaged build is not served; the newest intact one is, or 503 -------------


def copied_builds(real_settings: dict, var: Path) -> tuple[Path, Path]:
    """(older, current): two copies of the real build, var/current pointing at the second."""
    older, newer = var / "builds" / "20260101T000000000000Z-older", var / "builds" / "20260102T000000000000Z-newer"
    shutil.copytree(current_build(real_settings["var_dir"]), older)
    shutil.copytree(older, newer)
    manifest = json.loads((newer / "build.json").read_text())
    manifest["id"] = newer.name
    (newer / "build.json").write_text(json.dumps(manifest))
    (var / "current").symlink_to(f"builds/{newer.name}")
    return older, newer


def cut_trig_at_a_graph_boundary(build_dir: Path) -> None:
    trig = trig_dump_of(build_dir)
    text = trig.read_text("utf-8")
    last_graph = text.rindex("\n<https://w3id.org/strategiaverkko/graph/")
    trig.write_text(text[: last_graph + 1], "utf-8")  # still valid TriG: whole graphs, one fewer


def app_over(var: Path):
    return create_app({"var_dir": str(var), "warm_on_open": False, "query_processes": 1})


def count_triples(client) -> int:
    answer = client.post(
        "/sparql",
        data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return int(answer.get_json()["results"]["bindings"][0]["n"]["value"])


def test_a_trig_dump_cut_at_a_graph_boundary_is_not_served(real_settings, tmp_path, caplog):
    older, newer = copied_builds(real_settings, tmp_path)
    cut_trig_at_a_graph_boundary(newer)
    app = app_over(tmp_path)
    try:
        client = app.test_client()
        health = client.get("/healthz")
        assert health.status_code == 200
        body = health.get_json()
        assert body["status"] == "degraded" and body["build"] == json.loads((older / "build.json").read_text())["id"]
        assert newer.name in body["damaged_current_build"]["current"]
        assert "strategiaverkko.trig" in body["damaged_current_build"]["reason"]
        assert count_triples(client) == body["triples"]  # every triple of the intact build, none missing
        assert any("is damaged" in r.getMessage() for r in caplog.records)
    finally:
        app.extensions["strategiaverkko.pool"].close()


@pytest.mark.parametrize(
    "damage", ["unreadable manifest", "manifest is not JSON", "store missing", "dump changed", "checksums changed"]
)
def test_with_no_intact_build_every_url_is_503_never_500(real_settings, tmp_path, damage):
    older, newer = copied_builds(real_settings, tmp_path)
    shutil.rmtree(older)
    if damage == "unreadable manifest":
        (newer / "build.json").unlink()
    elif damage == "manifest is not JSON":
        (newer / "build.json").write_text("{ not json")
    elif damage == "store missing":
        shutil.rmtree(newer / "store")
    elif damage == "checksums changed":
        (newer / "download" / "SHA256SUMS").write_text("0" * 64 + "  strategiaverkko.ttl\n")
    else:
        with open(newer / "download" / "strategiaverkko.ttl", "ab") as f:
            f.write(b"# changed after the build\n")
    app = app_over(tmp_path)
    try:
        client = app.test_client()
        for path in ("/healthz", "/", "/page/organisation/etela-savo", "/catalog", "/download/strategiaverkko.ttl"):
            response = client.get(path, headers={"Accept": "application/json"})
            assert response.status_code == 503, (path, response.status_code, response.get_data(as_text=True)[:300])
            assert "damaged" in response.get_data(as_text=True)
            response.close()
        assert count_triples_or_status(client) == 503
    finally:
        app.extensions["strategiaverkko.pool"].close()


def count_triples_or_status(client) -> int:
    return client.post("/sparql", data={"query": "ASK {}"}, headers={"Accept": "application/json"}).status_code


def test_an_intact_build_is_served_as_it_is(real_settings, tmp_path):
    copied_builds(real_settings, tmp_path)
    app = app_over(tmp_path)
    try:
        assert app.test_client().get("/healthz").get_json()["status"] == "ok"
    finally:
        app.extensions["strategiaverkko.pool"].close()


# --- Hostile HTTP, against the production server (Granian) ------------------------------


@pytest.fixture(scope="module")
def production(real_settings):
    with running_server(real_settings, workers=1, threads=4) as (url, _):
        yield url


def chunked_post(url: str, body: bytes, content_type: str) -> tuple[int, bytes]:
    """POST `body` with Transfer-Encoding: chunked (no Content-Length), as a streaming client does."""
    connection = http.client.HTTPConnection(url.split("//")[1], timeout=30)
    pieces = (body[i : i + 8192] for i in range(0, len(body), 8192))
    connection.request(
        "POST",
        "/sparql",
        body=pieces,
        encode_chunked=True,
        headers={"Content-Type": content_type, "Accept": "application/sparql-results+json"},
    )
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


COUNT = b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.mark.parametrize(
    "content_type, encode",
    [
        ("application/sparql-query", lambda q: q),
        ("application/x-www-form-urlencoded", lambda q: b"query=" + urllib.parse.quote_from_bytes(q).encode()),
    ],
)
def test_a_chunked_body_past_the_limit_gets_413_and_runs_nothing(production, real_settings, content_type, encode):
    limit = real_settings["max_request_bytes"]
    status, body = chunked_post(production, encode(COUNT + b" #" + b"x" * limit), content_type)
    assert status == 413, body[:300]
    status, body = chunked_post(production, encode(COUNT), content_type)
    assert status == 200 and b'"n"' in body


def test_ten_thousand_nested_braces_are_a_400_and_the_endpoint_lives_on(production):
    nested = "SELECT * WHERE " + "{" * 10_000 + " ?s ?p ?o " + "}" * 10_000
    answer = requests.post(
        production + "/sparql", data={"query": nested}, headers={"Accept": "application/json"}, timeout=30
    )
    assert answer.status_code == 400, answer.text[:300]
    assert "10000 levels deep" in answer.json()["message"]
    again = requests.post(
        production + "/sparql",
        data={"query": COUNT.decode()},
        timeout=30,
        headers={"Accept": "application/sparql-results+json"},
    )
    assert again.status_code == 200


@pytest.mark.parametrize(
    "iri",
    [
        "https://w3id.org/strategiaverkko/id/organisation/etela-savo\r\nX-Evil: 1",
        "https://w3id.org/strategiaverkko/id/organisation/etela-savo\n",
        "not an iri",
    ],
)
def test_a_control_character_in_the_iri_parameter_is_a_400(production, iri):
    for path in ("/page/", "/data/"):
        answer = requests.get(production + path, params={"iri": iri}, allow_redirects=False, timeout=30)
        assert answer.status_code == 400, (path, answer.status_code)
        assert "X-Evil" not in answer.headers


# --- 6. Build I/O failures: a clear message, exit 3, nothing left behind -----------------


def cli_build(settings: dict) -> subprocess.CompletedProcess:
    """`strategiaverkko build` in a process that cannot override file permissions: as root (CI),
    without CAP_DAC_OVERRIDE, so a read-only folder is read-only to it as it is to anyone else."""
    command = [
        sys.executable,
        "-m",
        "server.cli",
        "--setting",
        f"source_dir={settings['source_dir']}",
        "--setting",
        f"var_dir={settings['var_dir']}",
        "build",
    ]
    if os.geteuid() == 0:
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=PROJECT_ROOT)


@pytest.mark.parametrize("read_only", ["var", "var and builds"])
def test_a_read_only_var_is_a_clear_error_and_leaves_nothing(tmp_path, read_only):
    settings = settings_for(tmp_path)
    first = cli_build(settings)
    assert first.returncode == 0, first.stderr
    var = Path(settings["var_dir"])
    before = sorted(p.name for p in (var / "builds").iterdir())
    served = current_build(var)
    folders = [var, var / "builds"] if read_only == "var and builds" else [var]
    for folder in folders:
        folder.chmod(0o555)
    try:
        second = cli_build(settings)
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert second.returncode == 3, second.stderr
    assert "cannot write the build" in second.stderr and "Permission denied" in second.stderr
    assert "Traceback" not in second.stderr
    assert sorted(p.name for p in (var / "builds").iterdir()) == before
    assert current_build(var) == served


def test_a_full_disk_is_a_clear_error_and_leaves_nothing(tmp_path, monkeypatch):
    import server.pipeline.build as build_module

    settings = settings_for(tmp_path)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device", str(Path(settings["var_dir"]) / "builds" / "x"))

    monkeypatch.setattr(build_module, "write_dumps", disk_full)
    result = CliRunner().invoke(
        main,
        ["--setting", f"source_dir={settings['source_dir']}", "--setting", f"var_dir={settings['var_dir']}", "build"],
    )
    assert result.exit_code == 3, result.output
    assert "No space left on device" in result.output and "previous build is still served" in result.output
    assert [p.name for p in (Path(settings["var_dir"]) / "builds").iterdir()] == []


# --- 2. Idle connections do not lock other clients out ----------------------------------


def test_two_thousand_idle_connections_lock_nobody_out(real_settings):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2500:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    with running_server(real_settings) as (url, _):
        host, port = url.split("//")[1].split(":")
        idle = [socket.create_connection((host, int(port)), timeout=5) for _ in range(2000)]
        try:
            for path in ("/healthz", "/page/organisation/etela-savo", "/sparql?query=ASK%7B%7D"):
                started = time.monotonic()
                answer = requests.get(url + path, timeout=10, headers={"Accept": "application/sparql-results+json"})
                assert answer.status_code == 200 and time.monotonic() - started < 2, (path, answer.status_code)
            # One that starts a request and stops, or keeps a connection open after its answer, is
            # closed once the header read time-out passes. (One that never sends a byte stays until
            # the client or a proxy closes it: Granian's parser starts that clock at the first byte;
            # the places are sized so that thousands of those lock nobody out, as above.)
            stalled = socket.create_connection((host, int(port)), timeout=HEADER_READ_TIMEOUT_MS / 1000 + 10)
            stalled.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            started = time.monotonic()
            assert stalled.recv(1) == b""
            assert time.monotonic() - started < HEADER_READ_TIMEOUT_MS / 1000 + 5
            stalled.close()
        finally:
            for connection in idle:
                connection.close()


# --- 10. Smaller: byte-order marks, CRLF files, long GET queries ---------------------------


def test_a_byte_order_mark_is_accepted(tmp_path):
    settings = settings_for(tmp_path)
    data = Path(settings["source_dir"]) / "data" / "minimal.ttl"
    data.write_text("\ufeff" + data.read_text("utf-8"), encoding="utf-8")
    _, report = check(settings)
    assert report.conforms, report.text


def test_crlf_line_ends_do_not_reach_the_literals(tmp_path):
    settings = settings_for(tmp_path)
    data = Path(settings["source_dir"]) / "data" / "minimal.ttl"
    text = data.read_text("utf-8").replace('"Paras paikka."@fi', '"""Paras' + "\n" + 'paikka."""@fi')
    data.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    result = build(settings)
    vision = (
        Graph()
        .parse(result.path / "download" / "strategiaverkko.ttl")
        .value(URIRef(BASE + "id/vision/testi"), SKOS.prefLabel)
    )
    assert str(vision) == "Paras\npaikka."


def test_a_get_query_past_what_the_http_server_carries_is_a_414_that_says_post(production):
    query = "ASK {} #" + "x" * 70_000
    for client_url in (production,):
        answer = requests.get(client_url + "/sparql", params={"query": query}, timeout=30)
        assert answer.status_code == 414
    posted = requests.post(
        production + "/sparql", data={"query": query}, timeout=30, headers={"Accept": "application/sparql-results+json"}
    )
    assert posted.status_code == 200


def test_the_app_draws_the_get_line_where_the_http_server_does(client):
    answer = client.get(
        "/sparql", query_string={"query": "ASK {} #" + "x" * 70_000}, headers={"Accept": "application/json"}
    )
    assert answer.status_code == 414 and "POST the query" in answer.get_json()["message"]
    assert (
        client.get(
            "/sparql",
            query_string={"query": "ASK {} #" + "x" * 60_000},
            headers={"Accept": "application/sparql-results+json"},
        ).status_code
        == 200
    )


# --- 9. Stopping the server stops its running queries at once ------------------------------

ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 4,000³ rows to count


def test_a_stop_does_not_wait_for_running_queries(real_settings, monkeypatch):
    monkeypatch.setenv("STRATEGIAVERKKO_QUERY_TIMEOUT", "30")
    answers: list = []
    with running_server(real_settings, workers=1) as (url, process):

        def ask() -> None:
            try:
                answers.append(requests.post(url + "/sparql", data={"query": ENDLESS}, timeout=60).status_code)
            except requests.RequestException as e:  # the connection closed as the server stopped
                answers.append(type(e).__name__)

        asker = threading.Thread(target=ask)
        asker.start()
        time.sleep(2)  # the query is running in a query process
        assert answers == []
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=25)
        stopped_in = time.monotonic() - started
        asker.join(timeout=10)
    assert stopped_in < 8, f"the stop took {stopped_in:.1f} s; query_timeout is 30 s"
    assert answers and answers[0] != 200


def test_the_query_guard_bounds_length_and_nesting():
    from server.store.guard import QueryTooDeep, QueryTooLong, inspect

    assert inspect("SELECT * WHERE { { ?s ?p ?o } }", max_bytes=100) == "SELECT"
    with pytest.raises(QueryTooLong):
        inspect("SELECT * WHERE { ?s ?p ?o } #" + "é" * 60, max_bytes=100)  # 120+ bytes in UTF-8
    with pytest.raises(QueryTooDeep):
        inspect("ASK " + "{" * 201 + "}" * 201)
    assert inspect('ASK { ?s ?p "' + "{" * 500 + '" }') == "ASK"  # braces in a string are not nesting


# --- What a review of the fixes found ---------------------------------------------------


def test_nesting_hidden_in_what_looks_like_an_iri_is_still_counted():
    """`?x<((…1))&&2>1` is a comparison, but a regular expression reads `<((…))&&2>` as an IRI."""
    from server.store.guard import QueryTooDeep, inspect

    with pytest.raises(QueryTooDeep):
        inspect("SELECT * WHERE { FILTER(?x<" + "(" * 1000 + "1" + ")" * 1000 + "&&2>1) }")


def test_a_manifest_with_an_incomplete_dump_entry_is_damage_not_a_500(real_settings, tmp_path):
    older, newer = copied_builds(real_settings, tmp_path)
    shutil.rmtree(older)
    manifest = json.loads((newer / "build.json").read_text())
    del manifest["dumps"][0]["sha256"]
    (newer / "build.json").write_text(json.dumps(manifest))
    app = app_over(tmp_path)
    try:
        response = app.test_client().get("/healthz")
        assert response.status_code == 503 and "damaged" in response.get_json()["message"]
    finally:
        app.extensions["strategiaverkko.pool"].close()


def test_a_rollback_does_not_fall_back_to_the_build_rolled_back_from(real_settings, tmp_path):
    older, newer = copied_builds(real_settings, tmp_path)
    (tmp_path / "current").unlink()
    (tmp_path / "current").symlink_to(f"builds/{older.name}")  # rolled back to the older build
    cut_trig_at_a_graph_boundary(older)  # … which is damaged: there is nothing older to serve
    app = app_over(tmp_path)
    try:
        assert app.test_client().get("/healthz").status_code == 503
    finally:
        app.extensions["strategiaverkko.pool"].close()


def test_someone_elses_iri_may_have_dot_segments(tmp_path):
    extra = "<id/source/testi> <https://schema.org/url> <https://example.org/a/../strategia.pdf> .\n"
    _, report = check(settings_for(tmp_path, extra))
    assert not [f for f in report.violations if "example.org" in f.focus], report.text


def test_a_decision_without_an_iri_does_not_break_its_strategys_page(tmp_path):
    extra = """
[] a stv:Decision ; stv:approves <id/strategy/testi> ; stv:date "2023-06-20"^^xsd:date ;
   stv:decidedBy <id/organisation/testi-aluevaltuusto> ; prov:wasDerivedFrom <id/source/testi> .
"""
    settings = settings_for(tmp_path, extra)
    build(settings)
    app = create_app({**settings, "warm_on_open": False, "query_processes": 1})
    try:
        assert app.test_client().get("/page/strategy/testi").status_code == 200
    finally:
        app.extensions["strategiaverkko.pool"].close()


def test_ties_between_rdf_formats_keep_their_old_answers(client):
    """Harvesters' documents answer RDF/XML, linked-data documents JSON-LD, when both are equally welcome."""
    assert client.get("/catalog", headers={"Accept": "application/*"}).mimetype == "application/rdf+xml"
    assert client.get("/ontology", headers={"Accept": "application/*"}).mimetype == "application/rdf+xml"
    assert client.get("/data/organisation/etela-savo", headers={"Accept": "application/*"}).mimetype == (
        "application/ld+json"
    )
    graph = client.post(
        "/sparql", data={"query": "CONSTRUCT WHERE { ?s a ?o } LIMIT 1"}, headers={"Accept": "application/json+ld"}
    )
    assert graph.status_code == 200 and graph.mimetype == "application/ld+json"


def test_a_recheck_keeps_the_fallback_it_serves_and_returns_to_a_repaired_build(real_settings, tmp_path, monkeypatch):
    import server.store.current as current_module

    older, newer = copied_builds(real_settings, tmp_path)
    trig = trig_dump_of(newer)
    intact = trig.read_bytes()
    cut_trig_at_a_graph_boundary(newer)
    monkeypatch.setattr(current_module, "RECHECK_DAMAGED_SECONDS", 0.0)
    state = current_module.BuildState(tmp_path)
    fallback = state.current()
    assert fallback.fallback is not None and fallback.path == older.resolve()
    assert state.current() is fallback  # rechecked, still damaged: the same build, caches and all
    trig.write_bytes(intact)
    repaired = state.current()
    assert repaired.fallback is None and repaired.path == newer.resolve()


def test_health_without_a_build_is_never_cached(tmp_path):
    """A load balancer's cache must not keep 'no build' once a build is in place."""
    app = app_over(tmp_path)
    try:
        health = app.test_client().get("/healthz")
        assert health.status_code == 503 and health.get_json()["status"] == "no build"
        assert health.headers["Cache-Control"] == "no-store"
    finally:
        app.extensions["strategiaverkko.pool"].close()
