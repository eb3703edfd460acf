"""The scale benchmark: build stages, canned queries against two peer servers, pages and load.

    python bench/run.py            # ~10 k, ~100 k and ~1 M triples
    python bench/run.py --quick    # ~10 k only, few runs: a smoke test of the whole benchmark

For each size, real data + N synthetic organisations (bench/generate.py) go into a source
tree in a temporary folder, and then, all in this one run:

1. Build: the real pipeline (server.pipeline.build.build) in a fresh process per size, with time and
   peak memory per stage (bench/stages.py).
2. Queries: every canned query (server/query/canned_queries/*.rq) against three servers on loopback holding
   the same build's triples (its TriG dump): ours (`strategiaverkko serve`, production
   defaults), rdflib-endpoint (rdflib's engine behind FastAPI/uvicorn) and an Oxigraph server
   (`oxigraph serve`, in memory). First-seen runs send a text the server has not seen
   (a distinct comment line); repeated runs send the same text again. Interleaved per run,
   so background load hits all three alike.
3. Pages: a sample of resource pages (/page/...) and RDF documents (/data/...) from one client,
   first request (rendered) and again (cached).
4. Load: wrk (a C load generator) against our server with its default workers, a fixed mix of
   pages, RDF documents, canned queries and catalog fetches, after a warm-up; errors counted.

Writes bench/results/bench.md (a Markdown report), bench.png (plots) and bench.json (every
measurement); with --quick, bench-quick.*. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
import requests  # noqa: E402
from common import (  # noqa: E402
    PROJECT_ROOT,
    RESULTS_DIR,
    command_line,
    gib,
    machine,
    mib,
    ms,
    percentile,
    say,
    served_build,
    tree_rss_bytes,
)
from http_client import Answer, Client, TimedOut  # noqa: E402

BASE = "https://w3id.org/strategiaverkko/"
SYNTHETIC = BASE + generate.SPACE
QUERY_DIR = PROJECT_ROOT / "server" / "query" / "canned_queries"
JSON_RESULTS = "application/sparql-results+json"

FULL: dict[str, Any] = {
    "sizes": ["10k", "100k", "1M"],
    "cold_runs": 7,
    "repeated_runs": 10,
    # rdflib-endpoint is slow at size: fewer runs, and a query that takes longer than the
    # timeout is recorded as such, not asked again at that size, and the server restarted
    # (it goes on computing).
    "rdflib_runs": {"10k": 3, "100k": 2, "1M": 1},
    "rdflib_timeout_s": 120,
    "pages": 200,
    "data_docs": 50,
    "load_sizes": ["10k", "1M"],
    "load_seconds": 30,
    "load_warmup_seconds": 10,
    "load_warmup_rounds": 6,
    "load_connections": 32,
    "load_threads": 2,
}
QUICK: dict[str, Any] = {
    "sizes": ["10k"],
    "cold_runs": 3,
    "repeated_runs": 3,
    "rdflib_runs": {"10k": 1, "100k": 1, "1M": 1},
    "rdflib_timeout_s": 10,
    "pages": 20,
    "data_docs": 10,
    "load_sizes": ["10k"],
    "load_seconds": 3,
    "load_warmup_seconds": 1,
    "load_warmup_rounds": 2,
    "load_connections": 32,
    "load_threads": 2,
}
# The load mix: share of each kind of request.
MIX = {"page": 0.50, "data": 0.15, "query": 0.25, "catalog": 0.10}
# Load scenarios: (kinds, Accept-Encoding sent). Browsers, requests, httpx and curl --compressed
# ask for gzip, so the scenarios do; "mix-identity" is the same mix from a client that does not.
LOAD_SCENARIOS = {
    "mix": (MIX, "gzip"),
    "mix-identity": (MIX, "identity"),
    "pages": ({"page": 1.0}, "gzip"),
    "queries": ({"query": 1.0}, "gzip"),
    "catalog": ({"catalog": 1.0}, "gzip"),
}


# --- Servers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ask_nothing(query_url: str, timeout: float) -> int | None:
    """POST ASK {} (it touches no data): the HTTP status, or None if the server did not answer."""
    try:
        return requests.post(
            query_url, data={"query": "ASK {}"}, headers={"Accept": JSON_RESULTS}, timeout=timeout
        ).status_code
    except requests.RequestException:
        return None


@dataclass
class Server:
    name: str
    argv: list[str]
    port: int
    query_url: str
    log: Path
    env: dict | None = None
    process: subprocess.Popen | None = None
    ready_seconds: float = 0.0
    rss: int = 0

    def start(self, timeout: float = 1800) -> None:
        started = time.perf_counter()
        with self.log.open("ab") as log:
            # A session of its own, so stop() can end the server and every process it started.
            self.process = subprocess.Popen(
                self.argv, stdout=log, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT, env=self.env, start_new_session=True
            )
        _RUNNING.append(self)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited while starting; see {self.log}:\n{self.log.read_text()[-3000:]}"
                )
            if ask_nothing(self.query_url, timeout=5) == 200:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not answer within {timeout} s")
            time.sleep(0.3)
        self.ready_seconds = time.perf_counter() - started

    def measure_rss(self) -> int:
        self.rss = tree_rss_bytes(self.process.pid) if self.process else 0
        return self.rss

    def stop(self) -> None:
        if self.process is None:
            return
        pgid = self.process.pid  # the session leader's pid is its process group id
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        try:  # query subprocesses of our workers, uvicorn helpers …: only this server's group
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process = None
        if self in _RUNNING:
            _RUNNING.remove(self)


_RUNNING: list[Server] = []


def stop_all() -> None:
    for server in list(_RUNNING):
        server.stop()


def our_server(var_dir: Path, log: Path) -> Server:
    port = free_port()
    # `strategiaverkko serve` with its defaults (workers, threads, query processes, timeouts).
    return Server(
        "ours",
        [sys.executable, "-m", "server.cli", "--setting", f"var_dir={var_dir}", "serve", "--port", str(port)],
        port,
        f"http://127.0.0.1:{port}/sparql",
        log,
    )


def wait_until_warm(server: Server, timeout: float = 1800) -> float:
    """Seconds until every worker of our server has warmed the build (server/query/warm.py logs
    "warmed build" once per worker; Granian logs "Started worker-N" once per worker). A worker
    opens the build, and starts warming it, at its first request, so ASK {} is sent until then.
    Measured before that, at 1M the first canned queries ran beside the warm-up (and on the
    on-disk store, as the in-memory copies were loading) and timed out."""
    started = time.perf_counter()
    deadline = time.monotonic() + timeout
    while True:
        text = server.log.read_text(encoding="utf-8", errors="replace")
        workers = text.count("Started worker-")
        if workers and text.count("strategiaverkko.warm warmed build") >= workers:
            return time.perf_counter() - started
        if time.monotonic() > deadline:
            raise RuntimeError(f"{server.name} was not warm within {timeout} s; see {server.log}")
        ask_nothing(server.query_url, timeout=30)
        time.sleep(0.5)


def oxigraph_server(log: Path) -> Server:
    port = free_port()
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    return Server(
        "oxigraph",
        [oxigraph, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        port,
        f"http://127.0.0.1:{port}/query",
        log,
    )


def rdflib_server(trig: Path, log: Path) -> Server:
    port = free_port()
    return Server(
        "rdflib",
        [sys.executable, "-m", "rdflib_endpoint", "serve", str(trig), "--host", "127.0.0.1", "--port", str(port)],
        port,
        f"http://127.0.0.1:{port}/",
        log,
    )


def load_oxigraph(server: Server, trig: Path) -> float:
    """POST the TriG dump into the in-memory store (Graph Store Protocol); returns seconds."""
    started = time.perf_counter()
    with trig.open("rb") as body:
        r = requests.post(
            f"http://127.0.0.1:{server.port}/store",
            data=body,
            headers={"Content-Type": "application/trig"},
            timeout=3600,
        )
    r.raise_for_status()
    return time.perf_counter() - started


def count_triples(server: Server) -> int:
    r = requests.post(
        server.query_url,
        data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": JSON_RESULTS},
        timeout=3600,
    )
    r.raise_for_status()
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


# --- Queries ---------------------------------------------------------------------------------


@dataclass
class Runs:
    seconds: list[float] = field(default_factory=list)
    rows: int | None = None
    failure: str | None = None  # why there are no (or fewer) timings

    @property
    def p50(self) -> float | None:
        return percentile(self.seconds, 50) if self.seconds else None

    @property
    def p95(self) -> float | None:
        return percentile(self.seconds, 95) if self.seconds else None

    def as_dict(self) -> dict:
        return {"seconds": self.seconds, "rows": self.rows, "failure": self.failure, "p50": self.p50, "p95": self.p95}


NOT_RUN = "not run (--skip-rdflib)"
CLIENT = (
    "http.client, one keep-alive connection per server (bench/http_client.py; connecting and "
    "parsing the JSON are not timed, inflating gzip is)"
)
OLD_CLIENT = "requests with its defaults (it looks for proxy settings in the environment on every request: ~1 ms)"


def canned() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(QUERY_DIR.glob("*.rq"))}


def ask(client: Client, server: Server, text: str, timeout: float) -> tuple[float, int]:
    """One query, its whole JSON result read (and inflated); (seconds, rows). The rows are
    counted from the parsed answer after the clock stops."""
    answer = ask_for_answer(client, server, text, timeout)
    return answer.seconds, len(json.loads(answer.body)["results"]["bindings"])


def ask_for_answer(client: Client, server: Server, text: str, timeout: float) -> Answer:
    """One query's timed answer, with its headers; QueryFailed for any status but 200."""
    answer = client.post_form(urllib.parse.urlsplit(server.query_url).path, {"query": text}, JSON_RESULTS, timeout)
    if answer.status != 200:
        raise QueryFailed(answer.status, answer.body)
    return answer


class QueryFailed(Exception):
    """A query a server did not answer; `reason` says why in a table's words: "stopped" at its
    time limit, "too large" (past a result size limit), or the HTTP status."""

    # Our server's error titles (server.query.sandbox) for the two limits a heavy query meets.
    REASONS_BY_TITLE = {"Query took too long": "stopped", "Result too large": "too large"}

    def __init__(self, status: int, body: bytes):
        super().__init__(f"HTTP {status}: {body[:200].decode('utf-8', 'replace')}")
        try:
            title = json.loads(body).get("title")
        except (ValueError, AttributeError):
            title = None  # not our JSON error (the Oxigraph server answers in plain text)
        self.reason = self.REASONS_BY_TITLE.get(title, f"HTTP {status}")


def distinct(text: str, tag: str) -> str:
    """The same query with a comment line that makes its text new to any cache."""
    return f"{text}\n# bench {tag}\n"


def measure_queries(servers: dict[str, Server], plan: dict, size: str, restart_rdflib) -> dict:
    """Per canned query and engine: first-seen and repeated Runs. Engines take turns run by run."""
    clients = {name: Client(f"http://127.0.0.1:{server.port}") for name, server in servers.items()}
    try:
        return _measure_queries(servers, clients, plan, size, restart_rdflib)
    finally:
        for c in clients.values():
            c.close()


def _measure_queries(
    servers: dict[str, Server], clients: dict[str, Client], plan: dict, size: str, restart_rdflib
) -> dict:
    out: dict[str, dict] = {}
    nonce = random.Random(0)
    rdflib_runs = plan["rdflib_runs"].get(size, 1)
    for name, text in canned().items():
        say(f"  query {name} …")
        result = {engine: {"first": Runs(), "repeated": Runs()} for engine in servers}
        timeouts = {engine: (plan["rdflib_timeout_s"] if engine == "rdflib" else 600) for engine in servers}
        get_status: int | str | None = None  # the status of the GET, or why it failed
        alive = set(servers)

        def attempt(engine: str, kind: str, query: str) -> None:
            runs = result[engine][kind]
            try:
                seconds, rows = ask(clients[engine], servers[engine], query, timeouts[engine])
            except TimedOut:
                runs.failure = f"no answer within {timeouts[engine]:.0f} s"
                alive.discard(engine)
                if engine == "rdflib":
                    # rdflib goes on computing the abandoned query: start it afresh.
                    restart_rdflib()
                return
            except QueryFailed as e:
                runs.failure = str(e)
                alive.discard(engine)
                return
            if runs.rows is not None and runs.rows != rows:
                runs.failure = f"row count changed between runs: {runs.rows} then {rows}"
            runs.rows = rows
            runs.seconds.append(seconds)

        # One untimed warm-up for ours and Oxigraph (opens stores, fills OS caches; our result
        # cache is keyed by the exact text, so the warm-up text is never asked again). Not for
        # rdflib-endpoint, which has nothing to warm and is slow enough as it is.
        for engine in servers:
            if engine != "rdflib":
                attempt(engine, "first", distinct(text, f"warm-up {nonce.random()}"))
                result[engine]["first"].seconds.clear()
        # The same query by GET, as the query page's links send it: does it get through?
        try:
            get_status = requests.get(
                servers["ours"].query_url, params={"query": text}, headers={"Accept": JSON_RESULTS}, timeout=600
            ).status_code
        except requests.RequestException as e:
            get_status = type(e).__name__
        for k in range(plan["cold_runs"]):
            for engine in servers:
                if engine in alive and (engine != "rdflib" or k < rdflib_runs):
                    attempt(engine, "first", distinct(text, f"run {k} {nonce.random()}"))
        # Repeated: the very same text each time (rdflib-endpoint and Oxigraph cache no results).
        for k in range(plan["repeated_runs"]):
            for engine in servers:
                if engine in alive and engine != "rdflib":
                    attempt(engine, "repeated", text)
        out[name] = {engine: {kind: r.as_dict() for kind, r in kinds.items()} for engine, kinds in result.items()}
        if "rdflib" not in servers:
            out[name]["rdflib"] = {kind: Runs(failure=NOT_RUN).as_dict() for kind in ("first", "repeated")}
        out[name]["get_status"] = get_status
        out[name]["get_url_bytes"] = len("/sparql?" + urllib.parse.urlencode({"query": text}))
        rows = {e: result[e]["first"].rows for e in servers if result[e]["first"].rows is not None}
        say(
            "    "
            + ", ".join(
                f"{e} p50 {ms(p50)} ms"
                if (p50 := result[e]["first"].p50) is not None
                else f"{e} {result[e]['first'].failure}"
                for e in servers
            )
            + f"; rows {rows}"
        )
    return out


# --- Pages -----------------------------------------------------------------------------------


def page_goal_met(page: dict) -> str:
    """Whether a resource page renders within 20 ms: first time, or only once cached."""
    if page["first"]["p50"] is None:
        return "–"
    if page["first"]["p50"] < 0.02:
        return "yes"
    return "cached only" if page["again"]["p50"] < 0.02 else "no"


def sample_resources(store_path: Path, count: int, prefix: str = SYNTHETIC) -> list[str]:
    """Resources under `prefix` (the synthetic ones by default) of every kind, a deterministic spread
    over the whole graph. Read from the build's store directly: through our endpoint this query exceeds
    query_timeout at 1M."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_path))
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    iris = sorted(
        {
            q.subject.value
            for q in store.quads_for_pattern(None, rdf_type, None)
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(prefix)
        }
    )
    del store
    if not iris:
        return []
    step = max(1, len(iris) // count)
    return [iri[len(BASE + "id/") :] for iri in iris[::step][:count]]


def measure_pages(server: Server, paths: list[str], data_paths: list[str]) -> dict:
    out = {}
    with Client(f"http://127.0.0.1:{server.port}") as client:
        for kind, urls in (("page", [f"/page/{p}" for p in paths]), ("data", [f"/data/{p}.ttl" for p in data_paths])):
            first: list[float] = []
            again: list[float] = []
            errors, sizes = 0, []
            for url in urls:
                for bucket in (first, again):
                    answer = client.get(url, {"Accept-Language": "fi"}, timeout=120)
                    bucket.append(answer.seconds)
                    if answer.status != 200:
                        errors += 1
                sizes.append(len(answer.body))
            out[kind] = {
                "first": Runs(first).as_dict(),
                "again": Runs(again).as_dict(),
                "errors": errors,
                "count": len(urls),
                "median_bytes": sorted(sizes)[len(sizes) // 2] if sizes else 0,
            }
    return out


# --- Load ------------------------------------------------------------------------------------

WRK_SCRIPT = """-- Generated by bench/run.py: a fixed list of requests, taken in turn by each connection.
local requests = {
%s
}
local counter = 0
local thread_id = 0
local next_id = 0
setup = function(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end
init = function(args)
  counter = thread_id * 7919
end
local accept_encoding = %s
request = function()
  counter = counter + 1
  local r = requests[(counter %% #requests) + 1]
  local headers = { ["Accept"] = r[2], ["Accept-Encoding"] = accept_encoding }
  if r[3] then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", r[1], headers, r[3])
  end
  headers["Accept-Language"] = "fi"
  return wrk.format("GET", r[1], headers)
end
"""


def build_real_data(folder: Path) -> Path:
    """Build data/ (the real data, no synthetic organisations) into folder/var; returns the build's folder."""
    from server.core.settings import load_settings
    from server.pipeline.build import build

    settings = load_settings({"var_dir": str(folder / "var"), "source_dir": str(PROJECT_ROOT)})
    say("building the real data")
    build(settings)
    return served_build(settings["var_dir"])


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def load_requests(
    kinds: dict[str, float], pages: list[str], data: list[str], queries: dict[str, str], total: int = 1000
) -> list[tuple]:
    # Queries are POSTed (form-encoded), as most SPARQL clients send long queries; GET is
    # checked once per query (see get_status in the report).
    pools: dict[str, list[tuple[str, ...]]] = {
        "page": [(f"/page/{p}", "text/html") for p in pages],
        "data": [(f"/data/{p}.ttl", "text/turtle") for p in data],
        "query": [("/sparql", JSON_RESULTS, urllib.parse.urlencode({"query": q})) for q in queries.values()],
        "catalog": [("/catalog", "text/turtle")],
    }
    rng = random.Random(7)
    out = []
    for kind, share in kinds.items():
        pool = pools[kind]
        out += [pool[i % len(pool)] for i in range(round(total * share))]
    rng.shuffle(out)
    return out


def run_wrk(
    port: int,
    reqs: list[tuple],
    seconds: int,
    connections: int,
    threads: int,
    folder: Path,
    name: str,
    accept_encoding: str = "gzip",
) -> dict:
    script = folder / f"wrk-{name}.lua"
    listed = ",\n".join("  { " + ", ".join(map(lua_string, r)) + " }" for r in reqs)
    script.write_text(WRK_SCRIPT % (listed, lua_string(accept_encoding)), encoding="utf-8")
    argv = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}",
    ]
    text = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 120).stdout
    command = (
        f"wrk -t {threads} -c {connections} -d {seconds}s --timeout 10s --latency -s wrk-{name}.lua "
        "http://127.0.0.1:PORT"
    )
    return parse_wrk(text) | {"command": command}


def transfer_mb(wrk_result: dict) -> str:
    """wrk's Transfer/sec in MB/s (decimal, as the other sizes here), from its raw output."""
    m = re.search(r"Transfer/sec:\s+([\d.]+)([KMG]?B)", wrk_result.get("raw", ""))
    if not m:
        return "–"
    factor = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[m.group(2)]  # wrk's units are binary
    return f"{float(m.group(1)) * factor / 1e6:,.0f}"


def _seconds(value: str) -> float:
    parts = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if parts is None:
        raise ValueError(f"not a wrk duration: {value!r}")
    number, unit = parts.groups()
    return float(number) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def parse_wrk(text: str) -> dict:
    out: dict = {"raw": text}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    out["rps"] = float(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in ([\d.]+\w+)", text)
    out["requests"] = int(m.group(1)) if m else None
    for pct in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+([\d.]+\w+)", text, re.M)
        out[f"p{pct}"] = _seconds(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    non2xx = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    socket_errors = sum(map(int, m.groups())) if m else 0
    out["errors"] = non2xx + socket_errors
    out["non2xx"], out["socket_errors"] = non2xx, socket_errors
    return out


def steady(rounds: list[dict]) -> bool:
    """Whether the last warm-up round shows a steady state: no errors, and requests/s within 10%
    of the round before it (so never after one round, nor while the rate is still climbing)."""
    if len(rounds) < 2 or rounds[-1]["errors"]:
        return False
    last, before = rounds[-1]["rps"] or 0, rounds[-2]["rps"] or 0
    return abs(last - before) <= 0.1 * max(last, before)


def measure_load(server: Server, plan: dict, pages: list[str], data: list[str], folder: Path) -> dict:
    if not shutil.which("wrk"):
        return {"skipped": "wrk is not installed (apt-get install wrk)"}
    queries = canned()
    out = {}
    for name, (kinds, encoding) in LOAD_SCENARIOS.items():
        reqs = load_requests(kinds, pages, data, queries)
        args = (server.port, reqs)
        opts = dict(
            connections=plan["load_connections"], threads=plan["load_threads"], folder=folder, accept_encoding=encoding
        )
        # Warm up until the server is in its steady state: a round with no errors whose rate is
        # within 10% of the round before it. Until each worker has computed each canned query
        # (again: the query measurements before this fill the cache with first-seen answers, and
        # at 1M those push the canned ones out), heavy queries hold connections for seconds; a
        # round can then have no errors and still serve 27 requests/s.
        warmup = []
        for round_ in range(plan["load_warmup_rounds"]):
            w = run_wrk(*args, seconds=plan["load_warmup_seconds"], name=f"{name}-warmup{round_}", **opts)
            warmup.append({"rps": w["rps"], "errors": w["errors"]})
            if steady(warmup):
                break
        result = run_wrk(*args, seconds=plan["load_seconds"], name=name, **opts)
        result["warmup"] = warmup
        result["accept_encoding"] = encoding
        result["rss_after"] = server.measure_rss()
        say(
            f"  load {name}: {result['rps']} req/s, p50 {ms(result['p50'] or 0)} ms, "
            f"p99 {ms(result['p99'] or 0)} ms, errors {result['errors']}"
        )
        out[name] = result
    return out


# --- Build -----------------------------------------------------------------------------------


def run_stage(argv: list[str], log: Path) -> dict:
    """A bench/stages.py process; its JSON line."""
    command = [sys.executable, str(Path(__file__).resolve().parent / "stages.py"), *argv]
    with log.open("ab") as err:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, cwd=PROJECT_ROOT)
        try:
            stdout, _ = process.communicate()
        except BaseException:
            process.kill()
            raise
    if process.returncode != 0:
        raise RuntimeError(f"{shlex.join(command)} failed ({process.returncode}); see {log}")
    return json.loads(stdout.decode().strip().splitlines()[-1])


def build_size(size: str, n: int, plan: dict, folder: Path, seed: int) -> dict:
    src, var, log = folder / "src", folder / "var", folder / "stages.log"
    started = time.perf_counter()
    copied = generate.source_tree(src, n, seed)
    generated = time.perf_counter() - started
    synthetic_bytes = (src / "data" / generate.SYNTHETIC_FILE).stat().st_size
    out: dict = {"n": n, "sources": copied, "generate_seconds": generated, "synthetic_bytes": synthetic_bytes}
    say(
        f"[{size}] generated {n} organisations ({synthetic_bytes / 1e6:.1f} MB) in {generated:.1f} s; sources: {copied}"
    )
    say(f"[{size}] build …")
    out["build"] = run_stage(["build", str(src), str(var)], log)
    b = out["build"]
    say(
        f"[{size}] {b['triples']:,} triples; stages "
        + ", ".join(f"{k} {v['seconds']:.1f} s" for k, v in b["stages"].items())
    )
    if b["violations"]:
        raise RuntimeError(f"the {size} data has {b['violations']} violations")
    return out


# --- One size --------------------------------------------------------------------------------


def bench_size(size: str, plan: dict, seed: int, folder: Path, parts: set[str]) -> dict:
    n = generate.ORGS_FOR_SIZE[size]
    out = build_size(size, n, plan, folder, seed)
    build_dir = Path(out["build"]["build"])
    trig = build_dir / "download" / "strategiaverkko.trig"
    logs = folder / "logs"
    logs.mkdir(exist_ok=True)

    ours = our_server(folder / "var", logs / "ours.log")
    oxi = oxigraph_server(logs / "oxigraph.log")
    rdf = None if plan.get("skip_rdflib") else rdflib_server(trig, logs / "rdflib.log")
    peers = [s for s in (ours, oxi, rdf) if s is not None]
    try:
        say(f"[{size}] starting the servers …")
        ours.start()
        if "queries" not in parts:
            out["queries"], out["rss"] = {}, {"ours": ours.measure_rss()}
            return measure_rest(size, plan, out, ours, build_dir, folder, parts)
        oxi.start()
        out["oxigraph_load_seconds"] = load_oxigraph(oxi, trig)
        if rdf is not None:
            rdf.start()
        out["ready_seconds"] = {
            "ours": ours.ready_seconds,
            "rdflib": rdf.ready_seconds if rdf else None,
            "oxigraph": oxi.ready_seconds + out["oxigraph_load_seconds"],
        }
        out["warm_seconds"] = wait_until_warm(ours)
        say(f"[{size}] ours warm after a further {out['warm_seconds']:.0f} s")
        counts = {s.name: count_triples(s) for s in peers}
        out["quads"] = counts
        if len(set(counts.values())) != 1:
            raise RuntimeError(f"the servers hold different numbers of quads: {counts}")
        say(
            f"[{size}] all {len(peers)} hold {counts['ours']:,} quads"
            + (f"; rdflib-endpoint ready after {rdf.ready_seconds:.0f} s" if rdf else "")
        )

        def restart_rdflib() -> None:
            assert rdf is not None  # only a query rdflib-endpoint ran restarts it
            rdf.stop()
            rdf.start()

        out["queries"] = measure_queries({s.name: s for s in peers}, plan, size, restart_rdflib)
        out["rss"] = {s.name: s.measure_rss() for s in peers}
        for server in peers[1:]:
            server.stop()
        return measure_rest(size, plan, out, ours, build_dir, folder, parts)
    finally:
        for server in reversed(peers):
            server.stop()


def measure_rest(
    size: str, plan: dict, out: dict, ours: Server, build_dir: Path, folder: Path, parts: set[str]
) -> dict:
    pages = sample_resources(build_dir / "store", plan["pages"])
    data = pages[:: max(1, len(pages) // plan["data_docs"])][: plan["data_docs"]]
    if "pages" in parts:
        say(f"[{size}] {len(pages)} pages, {len(data)} RDF documents, one client …")
        out["pages"] = measure_pages(ours, pages, data)
    if "load" in parts and size in plan["load_sizes"]:
        say(f"[{size}] load …")
        out["load"] = measure_load(ours, plan, pages, data, folder)
    return out


# --- Report ----------------------------------------------------------------------------------

STAGES = ["load", "check", "infer", "store", "publish"]


def fmt_s(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:,.1f}"


def fmt_ms(seconds: float | None) -> str:
    return "–" if seconds is None else ms(seconds)


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:,.1f}×" if a / b >= 10 else f"{a / b:,.2f}×"


def rdflib_ratio(rd: dict, ours: dict) -> str:
    """rdflib p50 / ours p50; a lower bound when rdflib gave no answer within its time limit."""
    m = re.match(r"no answer within (\d+) s", rd["failure"] or "")
    if not rd["seconds"] and m and ours["p50"]:
        return f"> {float(m.group(1)) / ours['p50']:,.0f}×"
    return ratio(rd["p50"], ours["p50"])


def geomean(values: list[float]) -> float | None:
    values = [v for v in values if v]
    if not values:
        return None
    product = 1.0
    for v in values:
        product *= v
    return product ** (1 / len(values))


def _stage_memory(stage: dict) -> int:
    # Runs recorded before the tree was measured have only the build process's peak.
    return stage.get("peak_tree_pss") or stage.get("peak_rss") or 0


def _build_memory(build: dict) -> int:
    return build.get("peak_tree_pss") or build["peak_rss"]


def report(results: dict) -> str:
    meta, sizes = results["meta"], results["sizes"]
    L = [
        "# Strategiaverkko at scale: build, queries against peers, pages and load",
        "",
        f"- Command: `{meta['command']}`",
        f"- Date: {meta['date']}; took {meta['minutes']:.0f} min"
        + (
            "" if meta.get("complete", True) else " (**incomplete**: the run stopped before it had measured every size)"
        ),
        f"- Sources: {meta['sources']}; server code: {meta['server_commit']}; seed {meta['seed']}",
        *(f"- {k}: {v}" for k, v in meta["machine"].items()),
        "- Other jobs may have been running on the machine: compare engines by their ratios (measured "
        "side by side, interleaved run by run), not by absolute times across runs.",
        "",
        "## Sizes",
        "",
        "| size | synthetic organisations (N) | triples in the build | by graph | synthetic Turtle |",
        "|---|---:|---:|---|---:|",
    ]
    for size, r in sizes.items():
        graphs = ", ".join(f"{k.rsplit('/', 1)[-1]} {v:,}" for k, v in sorted(r["build"]["graphs"].items()))
        L.append(
            f"| {size} | {r['n']:,} | {r['build']['triples']:,} | {graphs} | {r['synthetic_bytes'] / 1e6:.1f} MB |"
        )
    L += [
        "",
        "The real data (data/ at the commit above) is in every build; `python bench/generate.py N` makes the "
        "synthetic organisations.",
        "",
        "## Build stages (seconds, and in brackets the peak memory in MiB)",
        "",
        "`server.pipeline.build.build()` in a fresh process per size; a stage's peak includes what earlier stages "
        "still hold. "
        "Memory is that of the build process and the processes it forks (the check runs in one process per CPU "
        "from 50,000 triples), as proportional set size (PSS: a page shared by k processes counts 1/k in each), "
        "sampled every 0.25 s; *peak, build process* is that process's own resident peak (VmHWM).",
        "",
        "| size | " + " | ".join(STAGES) + " | total | peak (GiB) | peak, build process (GiB) |",
        "|---|" + "---:|" * (len(STAGES) + 3),
    ]
    for size, r in sizes.items():
        st = r["build"]["stages"]
        cells = [f"{st[stage]['seconds']:,.1f} ({mib(_stage_memory(st[stage]))})" for stage in STAGES]
        L.append(
            f"| {size} | " + " | ".join(cells) + f" | {r['build']['total_seconds']:,.1f} | "
            f"{gib(_build_memory(r['build']))} | {gib(r['build']['peak_rss'])} |"
        )
    L += [""]

    L += [
        "## Canned queries (ms, whole JSON result read)",
        "",
        "*first* = a query text the server has not seen before (a distinct comment line each run); *again* = the same "
        "text repeated. rdflib-endpoint and Oxigraph keep no result cache, so for them every run is a first run; "
        "rdflib's runs are all first runs. Ratios: rdflib p50 / ours p50 (first), ours first p50 / Oxigraph first p50, "
        "ours again p50 / Oxigraph again p50. The first *again* run is the first time that exact text is sent, so it "
        "fills our cache: the *again* p95 of ours includes that one uncached run (the p50 does not). The client is "
        f"{meta.get('client', OLD_CLIENT)}, which asks for gzip: our server compresses answers of 1 KB or more (the "
        "Oxigraph server and rdflib-endpoint do not), so our times include compressing and inflating them.",
        "",
    ]
    for size, r in sizes.items():
        q = r.get("queries")
        if not q:
            L += [f"### {size} ({r['build']['triples']:,} triples)", "", "Not measured in this run.", ""]
            continue
        L += [
            f"### {size} ({r['build']['triples']:,} triples)",
            "",
            "| query | rows | ours first p50 / p95 | ours again p50 / p95 | Oxigraph first p50 / p95 | Oxigraph "
            "again p50 "
            "| rdflib-endpoint p50 / p95 (runs) | rdflib ÷ ours | ours ÷ Oxigraph, first | ours ÷ Oxigraph, again |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, e in q.items():
            o1, o2, x1, x2, rd = (
                e["ours"]["first"],
                e["ours"]["repeated"],
                e["oxigraph"]["first"],
                e["oxigraph"]["repeated"],
                e["rdflib"]["first"],
            )
            rows = {v for v in (o1["rows"], x1["rows"], rd["rows"]) if v is not None}
            rows_cell = f"{o1['rows']:,}" if len(rows) == 1 else "≠ " + "/".join(str(v["rows"]) for v in (o1, x1, rd))
            rd_cell = (
                f"{fmt_ms(rd['p50'])} / {fmt_ms(rd['p95'])} ({len(rd['seconds'])})"
                if rd["seconds"]
                else rd["failure"] or "–"
            )
            if rd["seconds"] and rd["failure"]:
                rd_cell += f"; {rd['failure']}"
            L.append(
                f"| {name} | {rows_cell} | {fmt_ms(o1['p50'])} / {fmt_ms(o1['p95'])}"
                f"{' ' + o1['failure'] if o1['failure'] else ''} | {fmt_ms(o2['p50'])} / {fmt_ms(o2['p95'])} | "
                f"{fmt_ms(x1['p50'])} / {fmt_ms(x1['p95'])} | {fmt_ms(x2['p50'])} | {rd_cell} | "
                f"{rdflib_ratio(rd, o1)} | {ratio(o1['p50'], x1['p50'])} | {ratio(o2['p50'], x2['p50'])} |"
            )
        L += [""]
        gets = {n: (e["get_status"], e["get_url_bytes"]) for n, e in q.items() if e["get_status"] != 200}
        if gets:
            L.append(
                "By GET (`/sparql?query=…`, as the links of our query page send canned queries), ours answered "
                + "; ".join(f"{n}: {st} (request line of {b:,} bytes)" for n, (st, b) in gets.items())
                + "; every other canned query: 200. (The load test below POSTs queries.)"
            )
            L.append("")
        rdflib_ran = r["ready_seconds"].get("rdflib") is not None
        warm = (
            f"; every worker had warmed the build {r['warm_seconds']:.0f} s later, and the queries waited for that"
            if "warm_seconds" in r
            else ""
        )
        L.append(
            f"Ready to answer: ours {r['ready_seconds']['ours']:.1f} s (opens the built store{warm}), Oxigraph "
            f"{r['ready_seconds']['oxigraph']:.1f} s (start + load of the TriG)"
            + (f", rdflib-endpoint {r['ready_seconds']['rdflib']:.1f} s (parse of the TriG)" if rdflib_ran else "")
            + f". Resident memory after the queries: ours {mib(r['rss']['ours'])} MiB (server, workers and query "
            f"processes), Oxigraph {mib(r['rss']['oxigraph'])} MiB"
            + (f", rdflib-endpoint {mib(r['rss']['rdflib'])} MiB." if rdflib_ran else ". rdflib-endpoint: not run.")
        )
        L.append("")

    L += [
        "## Resource pages and RDF documents (ours, one client, ms)",
        "",
        "| size | kind | count | first p50 / p95 | again (cached) p50 / p95 | median size | errors |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for size, r in sizes.items():
        for kind, p in r.get("pages", {}).items():
            L.append(
                f"| {size} | /{kind}/… | {p['count']} | {fmt_ms(p['first']['p50'])} / {fmt_ms(p['first']['p95'])} | "
                f"{fmt_ms(p['again']['p50'])} / {fmt_ms(p['again']['p95'])} | {p['median_bytes'] / 1000:.1f} kB | "
                f"{p['errors']} |"
            )
    L += [""]

    L += ["## Under load (wrk on the same machine, our server with its default workers)", ""]
    any_load = next((r["load"] for r in sizes.values() if "load" in r and "mix" in r["load"]), None)
    if any_load:
        rounds = meta["plan"].get("load_warmup_rounds", 1)
        warmup = (
            f"after warm-up rounds of {meta['plan']['load_warmup_seconds']} s with the same requests, until a "
            + (
                "round has no errors and a req/s within 10% of the round before it"
                if meta.get("warmup_rule") == "steady"
                else "round has no errors"
            )
            + f" (at most {rounds}; *warm-up* lists each round's req/s and errors)"
            if rounds > 1
            else f"after a {meta['plan']['load_warmup_seconds']} s warm-up with the same requests"
        )
        L += [
            f"Command per scenario ({warmup}): "
            f"`{any_load['mix']['command']}`. The mix: "
            + ", ".join(f"{share:.0%} {kind}" for kind, share in MIX.items())
            + " (pages: /page/…; data: /data/….ttl; query: each canned query, POSTed as a form; catalog: /catalog)."
            " *Accept-Encoding* is what wrk sends: gzip, as browsers and HTTP libraries (requests, httpx, curl "
            "--compressed) do, or identity (no compression), as urllib-based clients such as SPARQLWrapper do.",
            "",
            "*MB/s read* is wrk's Transfer/sec: without gzip the mix's answers are megabytes, and the bytes, not the "
            "requests, set the pace.",
            "",
            "| size | scenario | Accept-Encoding | requests | req/s | MB/s read | p50 ms | p90 ms | p99 ms | errors | "
            "server memory after (MiB) | warm-up |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for size, r in sizes.items():
            for name, w in r.get("load", {}).items():
                if isinstance(w, dict) and "rps" in w:
                    L.append(
                        f"| {size} | {name} | {w.get('accept_encoding', 'identity')} | {w['requests'] or 0:,} | "
                        f"{w['rps'] or 0:,.0f} | {transfer_mb(w)} | {fmt_ms(w['p50'])} | "
                        f"{fmt_ms(w['p90'])} | {fmt_ms(w['p99'])} | {w['errors']} | {mib(w['rss_after'])} | "
                        + (
                            ", ".join(f"{x['rps'] or 0:,.0f}/s {x['errors']} err." for x in w["warmup"])
                            if "warmup" in w
                            else "–"
                        )
                        + " |"
                    )
    else:
        L.append(
            "Not measured: " + next((r["load"].get("skipped", "") for r in sizes.values() if "load" in r), "no size")
        )
    L += [""]
    L += targets(results)
    return "\n".join(L) + "\n"


def targets(results: dict) -> list[str]:
    sizes = results["sizes"]
    size = list(sizes)[-1]
    r = sizes[size]
    q = r.get("queries") or {}
    L = [
        f"## Targets (issue 7), at the largest size measured here ({size}, {r['build']['triples']:,} triples)",
        "",
        "| target | measured | met? |",
        "|---|---|---|",
    ]
    if not q:
        L.append("| canned queries against the peers | not measured in this run | – |")
    else:
        L += query_targets(q)
    return L + rest_targets(r)


def query_targets(q: dict) -> list[str]:
    L = []
    answered = [
        (e["rdflib"]["first"]["p50"] / e["ours"]["first"]["p50"], n)
        for n, e in q.items()
        if e["ours"]["first"]["p50"] and e["rdflib"]["first"]["p50"]
    ]
    if not answered:
        L.append(
            "| canned queries p50 ≥ 20× faster than rdflib-endpoint | not measured in this run (rdflib-endpoint "
            "not run, or it answered no query) | – |"
        )
    else:
        worst = min(answered)
        slow = [n for n, e in q.items() if e["rdflib"]["first"]["failure"] and not e["rdflib"]["first"]["seconds"]]
        L.append(
            f"| canned queries p50 ≥ 20× faster than rdflib-endpoint | smallest ratio {worst[0]:,.1f}× ({worst[1]}), "
            f"first-seen runs{'; rdflib failed or gave no answer in time for ' + ', '.join(slow) if slow else ''} | "
            f"{'yes' if worst[0] >= 20 else 'no'} |"
        )
    firsts = [
        (e["ours"]["first"]["p50"] / e["oxigraph"]["first"]["p50"], n)
        for n, e in q.items()
        if e["ours"]["first"]["p50"] and e["oxigraph"]["first"]["p50"]
    ]
    worst_first = max(firsts)
    gm_first = geomean([a for a, _ in firsts])
    L.append(
        f"| first-seen query within 1.2× of the Oxigraph server | worst {worst_first[0]:.2f}× ({worst_first[1]}); "
        f"geometric mean {gm_first:.2f}× | {'yes' if worst_first[0] <= 1.2 else 'no'} |"
    )
    agains = [
        (e["ours"]["repeated"]["p50"] / e["oxigraph"]["repeated"]["p50"], n)
        for n, e in q.items()
        if e["ours"]["repeated"]["p50"] and e["oxigraph"]["repeated"]["p50"]
    ]
    worst_again = max(agains)
    L.append(
        f"| repeated query faster than the Oxigraph server | worst {worst_again[0]:.2f}× ({worst_again[1]}); "
        f"geometric mean {geomean([a for a, _ in agains]):.2f}× | {'yes' if worst_again[0] < 1 else 'no'} |"
    )
    return L


def rest_targets(r: dict) -> list[str]:
    L = []
    page = r.get("pages", {}).get("page")
    if page is None:
        page = {"first": {"p50": None}, "again": {"p50": None}}
    L.append(
        f"| resource page p50 < 20 ms | first render {fmt_ms(page['first']['p50'])} ms, cached "
        f"{fmt_ms(page['again']['p50'])} ms (one client); under the pages-only load p50 "
        f"{fmt_ms(r.get('load', {}).get('pages', {}).get('p50'))} ms | "
        f"{page_goal_met(page)} |"
    )
    for name in ("mix", "mix-identity"):
        mix = r.get("load", {}).get(name)
        if mix and mix.get("rps") is not None:
            L.append(
                f"| ≥ 2000 req/s for the mix, zero errors (Accept-Encoding: {mix.get('accept_encoding', 'identity')}) "
                f"| {mix['rps']:,.0f} req/s, p99 {fmt_ms(mix['p99'])} ms, {mix['errors']} errors | "
                f"{'yes' if mix['rps'] >= 2000 and mix['errors'] == 0 else 'no'} |"
            )
    b = r["build"]
    L.append(f"| full build < 5 min | {b['total_seconds']:,.0f} s | {'yes' if b['total_seconds'] < 300 else 'no'} |")
    peak = _build_memory(b)
    L.append(
        f"| build peak memory < 4 GiB (all its processes) | {gib(peak)} GiB | {'yes' if peak < 4 * 1024**3 else 'no'} |"
    )
    return L + [""]


# --- Plot ------------------------------------------------------------------------------------


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = results["sizes"]
    triples = [r["build"]["triples"] for r in sizes.values()]
    fig, axes = plt.subplots(1, 3, figsize=(17, 5.2))

    ax = axes[0]
    for stage in STAGES:
        ax.plot(triples, [r["build"]["stages"][stage]["seconds"] for r in sizes.values()], marker="o", label=stage)
    if len(triples) > 1:
        t0, t1 = triples[0], triples[-1]
        ax.plot([t0, t1], [1, t1 / t0], color="grey", linestyle=":", label="linear (slope 1)")
    ax.set(xscale="log", yscale="log", xlabel="triples in the build", ylabel="seconds", title="Build stages")
    ax.legend(fontsize=8)

    ax = axes[1]
    if any(r.get("queries") for r in sizes.values()):  # not with --parts load, say
        for engine, kind, style in (
            ("ours", "first", "-"),
            ("ours", "repeated", "--"),
            ("oxigraph", "first", "-"),
            ("rdflib", "first", "-"),
        ):
            ys = [geomean([e[engine][kind]["p50"] for e in (r.get("queries") or {}).values()]) for r in sizes.values()]
            if not any(ys):
                continue  # e.g. rdflib-endpoint with --skip-rdflib
            ax.plot(
                triples,
                [y * 1000 if y else None for y in ys],
                marker="o",
                linestyle=style,
                label={
                    "ours": "ours",
                    "oxigraph": "Oxigraph server (in memory)",
                    "rdflib": "rdflib-endpoint (queries it answered)",
                }[engine]
                + (" again (cached)" if kind == "repeated" else (" first seen" if engine == "ours" else "")),
            )
        ax.set(
            xscale="log",
            yscale="log",
            xlabel="triples",
            ylabel="ms (geometric mean of the p50s)",
            title="Canned queries, p50",
        )
        ax.legend(fontsize=8)
    else:
        ax.set(title="Canned queries: not measured in this run")

    ax = axes[2]
    load_sizes = [s for s, r in sizes.items() if "mix" in r.get("load", {})]
    if load_sizes:
        scenarios = list(sizes[load_sizes[0]]["load"])
        width = 0.8 / len(load_sizes)
        for i, s in enumerate(load_sizes):
            ax.bar(
                [j + i * width for j in range(len(scenarios))],
                [sizes[s]["load"][sc]["rps"] or 0 for sc in scenarios],
                width,
                label=s,
            )
        ax.axhline(2000, color="grey", linestyle=":", label="target 2000 req/s")
        ax.set_xticks([j + width * (len(load_sizes) - 1) / 2 for j in range(len(scenarios))], scenarios)
        ax.set(ylabel="requests / s", title="Under load (wrk), our server")
        ax.legend(fontsize=8)
    fig.suptitle(f"Strategiaverkko benchmark, {results['meta']['date']} — {results['meta']['machine']['nproc']} cores")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# --- Main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="~10 k triples only, few runs (a couple of minutes)")
    parser.add_argument("--sizes", help="comma-separated sizes to run, of " + ", ".join(generate.ORGS_FOR_SIZE))
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument(
        "--parts",
        default="queries,pages,load",
        help="what to measure after the build, of queries, pages, load (default all)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="report path without extension (default bench/results/bench, or bench-quick with --quick)",
    )
    parser.add_argument(
        "--skip-rdflib",
        action="store_true",
        help="leave rdflib-endpoint out (at 1M its parse and timeouts take most of an hour)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (builds, logs)")
    parser.add_argument(
        "--report-from",
        type=Path,
        metavar="JSON",
        help="measure nothing: write the report and plot again from a run's .json (next to it)",
    )
    args = parser.parse_args(argv)
    if args.report_from:
        results = json.loads(args.report_from.read_text(encoding="utf-8"))
        stem = args.report_from.with_suffix("")
        Path(f"{stem}.md").write_text(report(results), encoding="utf-8")
        plot(results, Path(f"{stem}.png"))
        say(f"written {os.path.relpath(stem)}.md and .png from {os.path.relpath(args.report_from)}")
        return 0
    plan = dict(QUICK if args.quick else FULL)
    plan["skip_rdflib"] = args.skip_rdflib
    if args.sizes:
        plan["sizes"] = [s.strip() for s in args.sizes.split(",")]
        unknown = [s for s in plan["sizes"] if s not in generate.ORGS_FOR_SIZE]
        if unknown:
            parser.error(f"unknown size {unknown[0]!r}; known: {', '.join(generate.ORGS_FOR_SIZE)}")
    parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    if parts - {"queries", "pages", "load"}:
        parser.error(f"unknown part(s): {', '.join(sorted(parts - {'queries', 'pages', 'load'}))}")
    output = args.output or RESULTS_DIR / ("bench-quick" if args.quick else "bench")
    command = command_line(argv)
    started = time.perf_counter()
    results = {
        "meta": {
            "command": command,
            "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            "seed": args.seed,
            "machine": machine(
                (
                    "rdflib",
                    "pyshacl",
                    "owlrl",
                    "pyoxigraph",
                    "oxigraph",
                    "rdflib-endpoint",
                    "Flask",
                    "granian",
                    "matplotlib",
                )
            )
            | {"wrk": wrk_version()},
            "plan": {k: sorted(v) if isinstance(v, set) else v for k, v in plan.items()},
            "client": CLIENT,
            "warmup_rule": "steady",
        },
        "sizes": {},
    }
    tmp = Path(tempfile.mkdtemp(prefix="strategiaverkko-bench-"))
    say(f"working in {tmp}")
    try:
        for i, size in enumerate(plan["sizes"]):
            folder = tmp / size
            folder.mkdir()
            # The code each size ran: commits may land during a long run.
            code = server_commit()
            results["sizes"][size] = bench_size(size, plan, args.seed, folder, parts) | {"server_commit": code}
            if i == 0:
                results["meta"]["sources"] = results["sizes"][size]["sources"]
            # Written after every size, so a long run that is stopped keeps what it measured.
            save(results, output, started, final=(i == len(plan["sizes"]) - 1))
            # Free the disk of sizes done (a 1 M build and its dumps take a few GB).
            if not args.keep:
                shutil.rmtree(folder / "var", ignore_errors=True)
                shutil.rmtree(folder / "src", ignore_errors=True)
    finally:
        stop_all()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print(report(results))
    return 0


def server_commit() -> str:
    from common import git

    dirty = git("status", "--porcelain", "--", "server")
    return git("rev-parse", "--short", "HEAD") + (", with uncommitted changes in server/" if dirty else "")


def save(results: dict, output: Path, started: float, final: bool) -> None:
    codes = {size: r["server_commit"] for size, r in results["sizes"].items() if "server_commit" in r}
    if codes:
        results["meta"]["server_commit"] = (
            next(iter(codes.values()))
            if len(set(codes.values())) == 1
            else "; ".join(f"{size} {code}" for size, code in codes.items())
        )
    else:
        results["meta"]["server_commit"] = server_commit()
    results["meta"]["minutes"] = (time.perf_counter() - started) / 60
    results["meta"]["complete"] = final
    output.parent.mkdir(parents=True, exist_ok=True)
    Path(f"{output}.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    Path(f"{output}.md").write_text(report(results), encoding="utf-8")
    plot(results, Path(f"{output}.png"))
    say(f"written {os.path.relpath(output)}.md, .png and .json" + ("" if final else " (so far)"))


def wrk_version() -> str:
    if not shutil.which("wrk"):
        return "not installed"
    out = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    return out.split("[")[0].replace("wrk", "").strip() or "unknown"


def _interrupted(signum, frame):
    raise KeyboardInterrupt  # so the servers started are stopped (see main's finally)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGINT, _interrupted)  # also when started in the background
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        stop_all()
        raise
