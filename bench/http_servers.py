"""The same app behind two HTTP servers, side by side: Granian (what `strategiaverkko serve` runs)
against gunicorn with gthread workers (what it ran before), same workers and threads.

    python bench/http_servers.py [--output bench/results/http_servers.md]

It builds the real data into a temporary folder and starts both servers. One client asks for a
cached canned query (07, the smallest answer) and a cached resource page, the servers taking turns
request by request; then wrk runs against each server in turn, with the page alone and with the
load mix of run.py (pages, RDF documents, canned queries, catalog). Needs gunicorn (the bench
extra) and wrk.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import run  # noqa: E402
from common import RESULTS_DIR, machine, say  # noqa: E402
from http_client import Client  # noqa: E402

PAGE = "/page/organisation/etela-savo"
QUERY = "07_inferred_about_an_organisation"
ROUNDS = 500
WRK_SECONDS = 20


def servers(var_dir: Path, folder: Path) -> dict[str, run.Server]:
    env = {**os.environ, "STRATEGIAVERKKO_VAR_DIR": str(var_dir)}
    granian_port, gunicorn_port = run.free_port(), run.free_port()
    return {
        "granian": run.Server(
            "granian",
            [
                sys.executable,
                "-m",
                "server.cli",
                "serve",
                "--port",
                str(granian_port),
                "--workers",
                "2",
                "--threads",
                "8",
            ],
            granian_port,
            f"http://127.0.0.1:{granian_port}/sparql",
            folder / "granian.log",
            env=env,
        ),
        "gunicorn": run.Server(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{gunicorn_port}",
                "--workers",
                "2",
                "--threads",
                "8",
                "--worker-class",
                "gthread",
                "--limit-request-line",
                "0",
                "server.web.wsgi:production_app()",
            ],
            gunicorn_port,
            f"http://127.0.0.1:{gunicorn_port}/sparql",
            folder / "gunicorn.log",
            env=env,
        ),
    }


def one_client(servers: dict[str, run.Server], text: str) -> dict:
    """Median ms of a repeated canned query and a repeated page, the servers taking turns request by
    request, so that background load on the machine hits them alike."""
    clients = {name: Client(f"http://127.0.0.1:{server.port}") for name, server in servers.items()}
    times: dict[str, dict[str, list[float]]] = {name: {"query_ms": [], "page_ms": []} for name in servers}

    def page(name: str) -> float:
        answer = clients[name].get(PAGE, {"Accept": "text/html"}, 30)
        if answer.status != 200:
            raise RuntimeError(f"{name}: {PAGE} answered {answer.status}")
        return answer.seconds

    for round_ in range(20 + ROUNDS):  # the first 20 fill both workers' caches
        for name, server in servers.items():
            query_seconds, page_seconds = run.ask(clients[name], server, text, 30)[0], page(name)
            if round_ >= 20:
                times[name]["query_ms"].append(query_seconds * 1000)
                times[name]["page_ms"].append(page_seconds * 1000)
    return {name: {k: statistics.median(v) for k, v in t.items()} for name, t in times.items()}


def under_load(server: run.Server, folder: Path, pages: list[str], data: list[str]) -> dict:
    queries = run.canned()
    page_only = run.load_requests({"page": 1.0}, [PAGE.removeprefix("/page/")], [], {})
    mix = run.load_requests(run.MIX, pages, data, queries)
    out = {}
    for name, reqs in (("page", page_only), ("mix", mix)):
        run.run_wrk(server.port, reqs, 5, 32, 2, folder, f"{server.name}-{name}-warm")
        out[name] = run.run_wrk(server.port, reqs, WRK_SECONDS, 32, 2, folder, f"{server.name}-{name}")
    return out


def report(results: dict, started: datetime, facts: dict) -> str:
    g, u = results["granian"], results["gunicorn"]
    lines = [
        "# The app behind Granian and behind gunicorn (gthread), side by side",
        "",
        "- Command: `python bench/http_servers.py`",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; commit {facts['commit']}",
        *(f"- {k}: {v}" for k, v in facts["machine"].items()),
        "- Both: 2 workers, 8 threads each, the real data (a build of `data/`), every answer from the caches.",
        "",
        "| measure | Granian | gunicorn gthread | Granian ÷ gunicorn |",
        "|---|---:|---:|---:|",
        f"| canned query {QUERY}, repeated, one client (ms, p50) | {g['client']['query_ms']:.2f} | "
        f"{u['client']['query_ms']:.2f} | {g['client']['query_ms'] / u['client']['query_ms']:.2f}× |",
        f"| resource page, repeated, one client (ms, p50) | {g['client']['page_ms']:.2f} | "
        f"{u['client']['page_ms']:.2f} | {g['client']['page_ms'] / u['client']['page_ms']:.2f}× |",
    ]
    for name, label in (("page", "one resource page"), ("mix", "the load mix of run.py")):
        gl, ul = g["load"][name], u["load"][name]
        lines.append(
            f"| wrk, {label}: req/s (errors) | {gl['rps']:,.0f} ({gl['errors']}) | {ul['rps']:,.0f} "
            f"({ul['errors']}) | {gl['rps'] / ul['rps']:.2f}× |"
        )
        lines.append(
            f"| wrk, {label}: p99 ms | {gl['p99'] * 1000:.1f} | {ul['p99'] * 1000:.1f} | {gl['p99'] / ul['p99']:.2f}× |"
        )
    lines += ["", f"wrk: `{g['load']['mix']['command']}` ({WRK_SECONDS} s after a 5 s warm-up), on the same machine."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "http_servers.md")
    args = parser.parse_args(argv)
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="strategiaverkko-http-") as tmp:
        folder = Path(tmp)
        store = run.build_real_data(folder) / "store"
        pages = run.sample_resources(store, 200, prefix=run.BASE + "id/")
        both = servers(folder / "var", folder)
        try:
            for server in both.values():
                server.start()
            time.sleep(5)  # the workers warm the build (warm.py) in the background
            say("one client, the servers taking turns")
            client = one_client(both, run.canned()[QUERY])
            results = {}
            for name, server in both.items():  # one at a time: wrk takes the machine
                say(f"{name}: under load")
                results[name] = {"client": client[name], "load": under_load(server, folder, pages, pages[:50])}
        finally:
            run.stop_all()
    facts = {"commit": run.server_commit(), "machine": machine(("granian", "gunicorn", "Flask"))}
    text = report(results, started, facts)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
