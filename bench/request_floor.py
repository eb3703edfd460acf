"""What one small query costs apart from the query: our server against the Oxigraph server and
against Granian serving a WSGI app that does nothing, one request at a time.

    python bench/request_floor.py [--seconds 8] [--rounds 3] [--var VAR_DIR] [--output bench/results/request_floor.md]

run.py's small canned queries (07 above all) are slower than the Oxigraph server when first seen,
by a few milliseconds whatever the size of the data: the cost of a request, not of a query. This
measures that floor without a Python client's own noise: wrk with one thread and one connection
(one request in flight at a time) sends ASK {} (no data touched) and query 07, each as a new text
per request (a distinct comment line, so no cache can answer) and as the same text repeated. The
bare Granian app (same workers and threads as `serve`) is the floor of the HTTP layer itself.

It builds the real data into a temporary folder (or, with --var, serves the newest build in
VAR_DIR, e.g. a 1M build kept by `run.py --keep`), starts the three servers, loads the Oxigraph
server (in memory) with the build's TriG dump, waits until our workers have warmed it, then measures the cases
round by round, the servers
taking turns in each round so that background load hits them alike. Needs wrk.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import run  # noqa: E402
from common import RESULTS_DIR, command_line, machine, say  # noqa: E402

from server.store.manifest import (
    current_build,
    read_manifest,  # noqa: E402
)

QUERY = "07_inferred_about_an_organisation"
# Each request's body: a new comment line (from a per-run tag and a counter) when `fresh`, then the query.
WRK_SCRIPT = """
local counter = 0
local fresh = %s
local tag = %s
local body = %s
local headers = {["Content-Type"] = "application/x-www-form-urlencoded",
                 ["Accept"] = "application/sparql-results+json", ["Accept-Encoding"] = "gzip"}
request = function()
  counter = counter + 1
  local prefix = ""
  if fresh then prefix = "%%23" .. tag .. "-" .. counter .. "%%0A" end
  return wrk.format("POST", nil, headers, "query=" .. prefix .. body)
end
"""


def empty_app(environ, start_response):
    """The bare WSGI app behind Granian: the HTTP layer's own floor."""
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


def servers(var_dir: Path, folder: Path) -> dict[str, run.Server]:
    ours = run.our_server(var_dir, folder / "ours.log")
    oxigraph = run.oxigraph_server(folder / "oxigraph.log")
    port = run.free_port()
    # The same Granian options `serve` uses for workers and threads (server.web.wsgi.run_server).
    bare = run.Server(
        "granian-empty",
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--workers",
            "2",
            "--blocking-threads",
            "8",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "request_floor:empty_app",
        ],
        port,
        f"http://127.0.0.1:{port}/",
        folder / "granian-empty.log",
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent)},
    )
    return {"ours": ours, "oxigraph": oxigraph, "granian-empty": bare}


def wrk_one_connection(url: str, script: Path | None, seconds: int, what: str) -> dict:
    """wrk's figures for one thread and one connection; any error stops the benchmark (`what` names the run)."""
    argv = ["wrk", "-t", "1", "-c", "1", "-d", f"{seconds}s", "--timeout", "10s", "--latency"]
    argv += ["-s", str(script)] if script else []
    result = run.parse_wrk(subprocess.run([*argv, url], capture_output=True, text=True, timeout=seconds + 60).stdout)
    if result["errors"] or not result["requests"]:
        raise RuntimeError(f"{what}: {result['raw']}")
    return result


def case_script(folder: Path, name: str, text: str, fresh: bool) -> Path:
    script = folder / f"floor-{name}.lua"
    body = urllib.parse.quote(text, safe="")
    script.write_text(
        WRK_SCRIPT % ("true" if fresh else "false", run.lua_string(f"{name}-{time.time_ns()}"), run.lua_string(body)),
        encoding="utf-8",
    )
    return script


def measure(running: dict[str, run.Server], folder: Path, seconds: int, rounds: int) -> dict:
    """p50 (s) and req/s per case and server: the median over rounds of each wrk run's figures."""
    texts = {"ASK {}": "ASK {}", f"query {QUERY[:2]}": run.canned()[QUERY]}
    cases = [
        (f"{label}, {'first seen' if fresh else 'repeated'}", text, fresh)
        for label, text in texts.items()
        for fresh in (True, False)
    ]
    runs: dict = {}
    for round_ in range(rounds):
        for index, (case, text, fresh) in enumerate(cases):
            for name in ("ours", "oxigraph"):
                script = case_script(folder, f"{name}-{round_}-{index}", text, fresh)
                result = wrk_one_connection(running[name].query_url, script, seconds, f"{name}, {case}")
                runs.setdefault(case, {}).setdefault(name, []).append(result)
        bare = running["granian-empty"]
        runs.setdefault("empty WSGI app, GET", {}).setdefault("granian-empty", []).append(
            wrk_one_connection(bare.query_url, None, seconds, "empty WSGI app")
        )
        say(f"round {round_ + 1} of {rounds} done")
    return {
        case: {
            name: {
                "p50": statistics.median(r["p50"] for r in results),
                "rps": statistics.median(r["rps"] for r in results),
            }
            for name, results in by_server.items()
        }
        for case, by_server in runs.items()
    }


def report(results: dict, started: datetime, facts: dict, seconds: int, rounds: int) -> str:
    lines = [
        "# The cost of one small request: ours, the Oxigraph server and an empty Granian app",
        "",
        f"- Command: `{facts['command']}`",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; commit {facts['commit']}",
        *(f"- {k}: {v}" for k, v in facts["machine"].items()),
        f"- Data: {facts['data']}. Ours: `strategiaverkko serve` with its defaults "
        "(Granian, 2 workers, 8 threads, query processes). Oxigraph: `oxigraph serve`, in memory. "
        "Empty app: Granian, 2 workers, 8 blocking threads, a WSGI app that answers `ok`.",
        f"- Client: `wrk -t 1 -c 1 -d {seconds}s --latency` (one request in flight), POSTed form bodies, "
        "Accept-Encoding gzip; *first seen* = a new comment line per request. Figures are the median "
        f"over {rounds} rounds; in each round the servers take turns.",
        "",
        "| request | ours p50 (ms) | ours req/s | Oxigraph p50 (ms) | Oxigraph req/s | ours ÷ Oxigraph (p50) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for case, by_server in results.items():
        if "ours" not in by_server:
            continue
        o, x = by_server["ours"], by_server["oxigraph"]
        lines.append(
            f"| {case} | {o['p50'] * 1000:.2f} | {o['rps']:,.0f} | {x['p50'] * 1000:.2f} | {x['rps']:,.0f} "
            f"| {o['p50'] / x['p50']:.1f}× |"
        )
    empty = results["empty WSGI app, GET"]["granian-empty"]
    lines += [
        "",
        f"Empty WSGI app behind Granian (GET, one connection): p50 {empty['p50'] * 1000:.2f} ms, "
        f"{empty['rps']:,.0f} req/s: the HTTP layer's floor, below which no Python app behind it goes.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=8, help="length of each wrk run (default 8)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of all cases (default 3)")
    parser.add_argument("--var", type=Path, help="serve the newest build in this var folder instead of building data/")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "request_floor.md")
    args = parser.parse_args(argv)
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="strategiaverkko-floor-") as tmp:
        folder = Path(tmp)
        if args.var:
            var_dir, build_dir = args.var, current_build(str(args.var))
        else:
            var_dir, build_dir = folder / "var", run.build_real_data(folder)
        triples = read_manifest(build_dir)["triples"]
        data = (
            f"the build in {args.var}" if args.var else "a build of `data/` (the real data)"
        ) + f", {triples:,} triples"
        running = servers(var_dir, folder)
        try:
            for server in running.values():
                server.start()
            run.load_oxigraph(running["oxigraph"], build_dir / "download" / "strategiaverkko.trig")
            run.wait_until_warm(running["ours"])
            results = measure(running, folder, args.seconds, args.rounds)
        finally:
            run.stop_all()
    facts = {
        "commit": run.server_commit(),
        "machine": machine(("granian", "Flask", "pyoxigraph", "oxigraph")),
        "command": command_line(argv),
        "data": data,
    }
    text = report(results, started, facts, args.seconds, args.rounds)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
