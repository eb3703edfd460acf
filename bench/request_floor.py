"""What one small query costs apart from the query: our server against the Oxigraph server and
against Granian serving a WSGI app that does nothing and a Flask app that does nothing, one
request at a time, back to back and after a pause.

    python bench/request_floor.py [--seconds 8] [--rounds 3] [--pause-ms 200] [--var VAR_DIR]
        [--output bench/results/request_floor.md]

run.py's small canned queries (07 above all) are slower than the Oxigraph server when first seen,
by a few milliseconds whatever the size of the data: the cost of a request, not of a query. This
measures that floor without a Python client's own noise: wrk with one thread and one connection
(one request in flight at a time) sends ASK {} (no data touched) and query 07, each as a new text
per request (a distinct comment line, so no cache can answer) and as the same text repeated. The
bare Granian app (same workers and threads as `serve`) is the floor of the HTTP layer itself; the
bare Flask app behind the same Granian (one route that reads the form and answers JSON) is the
floor of any Flask app.

Every case runs twice: back to back, and with `--pause-ms` before each request (wrk's delay(),
not counted in the latency). The pause is what lean.py's first-seen rounds give each server:
while one server answers, the other waits, and its processes' code and data leave the
processor's caches. A request that touches more memory (Python's interpreter, Flask, the hop to
the query host) pays more for that.

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

from flask import Flask, request

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import run  # noqa: E402
from common import RESULTS_DIR, command_line, machine, say, served_build  # noqa: E402

from server.store.manifest import read_manifest  # noqa: E402

QUERY = "07_inferred_about_an_organisation"
# The apps that do nothing behind Granian: the floors under ours (see the module's text).
FLOORS = {
    "granian-empty": "a WSGI app that answers `ok`",
    "flask-empty": "a Flask app that reads the form, answers JSON",
}
FLOOR_CASE = "an app that does nothing"
# Each request's body: a new comment line (from a per-run tag and a counter) when `fresh`, then the query.
WRK_SCRIPT = """
local counter = 0
local fresh = %s
local tag = %s
local body = %s
local pause = %s
local headers = {["Content-Type"] = "application/x-www-form-urlencoded",
                 ["Accept"] = "application/sparql-results+json", ["Accept-Encoding"] = "gzip"}
request = function()
  counter = counter + 1
  local prefix = ""
  if fresh then prefix = "%%23" .. tag .. "-" .. counter .. "%%0A" end
  return wrk.format("POST", nil, headers, "query=" .. prefix .. body)
end
if pause > 0 then
  delay = function() return pause end
end
"""


def empty_app(environ, start_response):
    """The bare WSGI app behind Granian: the HTTP layer's own floor."""
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


flask_app = Flask("request_floor")


@flask_app.route("/", methods=["GET", "POST"])
def flask_answer():
    """The bare Flask app: reads the query as a form field (as any endpoint must) and answers JSON."""
    return {"head": {}, "boolean": bool(request.values.get("query"))}


def granian(name: str, target: str, folder: Path) -> run.Server:
    """Granian serving `target` with the same options `serve` uses for workers and threads
    (server.web.wsgi.run_server)."""
    port = run.free_port()
    argv = [sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", "2", "--blocking-threads", "8"]
    argv += ["--host", "127.0.0.1", "--port", str(port), target]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent)}
    return run.Server(name, argv, port, f"http://127.0.0.1:{port}/", folder / f"{name}.log", env=env)


def servers(var_dir: Path, folder: Path) -> dict[str, run.Server]:
    return {
        "ours": run.our_server(var_dir, folder / "ours.log"),
        "oxigraph": run.oxigraph_server(folder / "oxigraph.log"),
        "granian-empty": granian("granian-empty", "request_floor:empty_app", folder),
        "flask-empty": granian("flask-empty", "request_floor:flask_app", folder),
    }


def wrk_one_connection(url: str, script: Path | None, seconds: int, what: str) -> dict:
    """wrk's figures for one thread and one connection; any error stops the benchmark (`what` names the run)."""
    argv = ["wrk", "-t", "1", "-c", "1", "-d", f"{seconds}s", "--timeout", "10s", "--latency"]
    argv += ["-s", str(script)] if script else []
    result = run.parse_wrk(subprocess.run([*argv, url], capture_output=True, text=True, timeout=seconds + 60).stdout)
    if result["errors"] or not result["requests"]:
        raise RuntimeError(f"{what}: {result['raw']}")
    return result


def case_script(folder: Path, name: str, text: str, fresh: bool, pause_ms: int) -> Path:
    script = folder / f"floor-{name}.lua"
    body = urllib.parse.quote(text, safe="")
    tag = run.lua_string(f"{name}-{time.time_ns()}")
    script.write_text(
        WRK_SCRIPT % ("true" if fresh else "false", tag, run.lua_string(body), pause_ms), encoding="utf-8"
    )
    return script


def measure(running: dict[str, run.Server], folder: Path, seconds: int, rounds: int, pause_ms: int) -> dict:
    """p50 (s) and req/s by case, server and pause (0 or `pause_ms`): the median over rounds of
    each wrk run's figures. Both floors get the first-seen ASK {} requests (they ignore the body)."""
    texts = {"ASK {}": "ASK {}", f"query {QUERY[:2]}": run.canned()[QUERY]}
    cases = [
        (f"{label}, {'first seen' if fresh else 'repeated'}", text, fresh)
        for label, text in texts.items()
        for fresh in (True, False)
    ]
    runs: dict = {}

    def once(case: str, name: str, text: str, fresh: bool, pause: int, round_: int) -> None:
        script = case_script(folder, f"{name}-{round_}-{len(runs)}-{pause}", text, fresh, pause)
        result = wrk_one_connection(running[name].query_url, script, seconds, f"{name}, {case}, pause {pause} ms")
        runs.setdefault(case, {}).setdefault((name, pause), []).append(result)

    for round_ in range(rounds):
        for pause in (0, pause_ms):
            for case, text, fresh in cases:
                for name in ("ours", "oxigraph"):
                    once(case, name, text, fresh, pause, round_)
            for name in FLOORS:
                once(FLOOR_CASE, name, "ASK {}", True, pause, round_)
        say(f"round {round_ + 1} of {rounds} done")
    return {
        case: {
            key: {
                "p50": statistics.median(r["p50"] for r in results),
                "rps": statistics.median(r["rps"] for r in results),
            }
            for key, results in by_server.items()
        }
        for case, by_server in runs.items()
    }


def report(results: dict, started: datetime, facts: dict, seconds: int, rounds: int, pause_ms: int) -> str:
    def ms(case: str, name: str, pause: int) -> str:
        return f"{results[case][(name, pause)]['p50'] * 1000:.2f}"

    def ratio(case: str, pause: int) -> str:
        ours, oxigraph = (results[case][(name, pause)]["p50"] for name in ("ours", "oxigraph"))
        return f"{ours / oxigraph:.1f}×"

    lines = [
        "# The cost of one small request: ours, the Oxigraph server, and empty apps behind Granian",
        "",
        f"- Command: `{facts['command']}`",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; commit {facts['commit']}",
        *(f"- {k}: {v}" for k, v in facts["machine"].items()),
        f"- Data: {facts['data']}. Ours: `strategiaverkko serve` with its defaults "
        "(Granian, 2 workers, 8 threads, the build's query host). Oxigraph: `oxigraph serve`, in memory. "
        "Empty apps: the same Granian options, " + "; ".join(f"{name}: {what}" for name, what in FLOORS.items()) + ".",
        f"- Client: `wrk -t 1 -c 1 -d {seconds}s --latency` (one request in flight), POSTed form bodies, "
        "Accept-Encoding gzip; *first seen* = a new comment line per request. *After a pause*: wrk waits "
        f"{pause_ms} ms before each request (not counted), as each server waits for its turn in lean.py's "
        f"first-seen rounds. Figures are the median over {rounds} rounds; in each round the servers take turns.",
        "",
        "| request | ours | Oxigraph | ours ÷ Oxigraph | ours, after a pause | Oxigraph, after a pause "
        "| ours ÷ Oxigraph, after a pause |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for case in results:
        if case == FLOOR_CASE:
            continue
        lines.append(
            f"| {case} | {ms(case, 'ours', 0)} | {ms(case, 'oxigraph', 0)} | {ratio(case, 0)} "
            f"| {ms(case, 'ours', pause_ms)} | {ms(case, 'oxigraph', pause_ms)} | {ratio(case, pause_ms)} |"
        )
    lines += [
        "",
        "p50 in ms. The floors: what an app that does nothing costs behind the same Granian, below which "
        "no Python app behind it goes.",
        "",
        "| app | back to back | after a pause |",
        "|---|---:|---:|",
        *(f"| {name} | {ms(FLOOR_CASE, name, 0)} | {ms(FLOOR_CASE, name, pause_ms)} |" for name in FLOORS),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=8, help="length of each wrk run (default 8)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of all cases (default 3)")
    parser.add_argument(
        "--pause-ms", type=int, default=200, help="the pause before each request in the paused runs (default 200)"
    )
    parser.add_argument("--var", type=Path, help="serve the newest build in this var folder instead of building data/")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "request_floor.md")
    args = parser.parse_args(argv)
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="strategiaverkko-floor-") as tmp:
        folder = Path(tmp)
        if args.var:
            var_dir, build_dir = args.var, served_build(args.var)
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
            results = measure(running, folder, args.seconds, args.rounds, args.pause_ms)
        finally:
            run.stop_all()
    facts = {
        "commit": run.server_commit(),
        "machine": machine(("granian", "Flask", "pyoxigraph", "oxigraph")),
        "command": command_line(argv),
        "data": data,
    }
    text = report(results, started, facts, args.seconds, args.rounds, args.pause_ms)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
