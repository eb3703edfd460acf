"""Serving a large build (issue 28's 10 M goal): entity pages, and first-seen canned queries
against the Oxigraph server holding the same data on disk, side by side in one run.

    python bench/at_scale.py [--size 10M] [--var DIR] [--rounds 3] [--pages 60] [--output FILE.md] [--check]
        [--setting NAME=VALUE ...]

1. A build of the size (bench/sized_build.py; `--var DIR` keeps it and reuses it).
2. The Oxigraph server, read-only on the build's own store (the same database files: the same
   data on disk), and our server (`strategiaverkko serve`, its defaults) on the build, warm.
3. Entity pages: a spread of `--pages` synthetic resources, each page asked twice (first
   render, then from the cache), and its Turtle; p50 and p95. The build's shared page store is
   emptied before our server starts, so that a reused build's first renders are renders.
4. First-seen queries: every canned query with a comment line neither server has seen,
   `--rounds` times, the two servers taking turns query by query; ratio = our p50 / Oxigraph's.
   Ours stops a query at `query_timeout` (10 s by default); Oxigraph at `--peer-timeout` (120 s
   by default: its own `--timeout-s`, so that a query given up on does not run on beside the next).
5. Memory of both once done: ours as PSS summed over its processes, Oxigraph's RSS.

Goals (issue 28, at 10 M triples): pages p50 under 20 ms; canned queries within 2× of the
Oxigraph server on disk. `--check` exits with status 1 when one is missed.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import command_line, machine, mib, report, say, tree_pss_bytes, tree_rss_bytes  # noqa: E402
from lean import first_seen, ours  # noqa: E402
from run import (  # noqa: E402
    Server,
    free_port,
    measure_pages,
    sample_resources,
    stop_all,
    wait_until_warm,
)
from sized_build import add_arguments, ensure_build, in_build_folder  # noqa: E402

from server.web.http.shared_pages import FILE as SHARED_PAGES  # noqa: E402

PAGE_GOAL = 0.020  # seconds, p50 of entity pages
QUERY_GOAL = 2.0  # ours at most this many times the on-disk Oxigraph server's p50, per query


def oxigraph_on_disk(store: Path, log: Path, timeout: float) -> Server:
    port = free_port()
    oxigraph = Path(sys.executable).parent / "oxigraph"
    argv = [str(oxigraph), "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"]
    argv += ["--union-default-graph", "--timeout-s", str(int(timeout))]
    return Server("oxigraph", argv, port, f"http://127.0.0.1:{port}/query", log)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser, default_size="10M")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--peer-timeout", type=float, default=120.0, help="Oxigraph's query time limit, seconds")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is not met")
    parser.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting of ours other than its default (repeatable), e.g. memory_store_max_triples=20000000",
    )
    return in_build_folder(parser.parse_args(argv), run)


def run(args: argparse.Namespace, where: Path) -> int:
    settings, reused = ensure_build(args.size, where)
    var = Path(settings["var_dir"])
    build_dir = (var / "current").resolve()
    manifest = json.loads((build_dir / "build.json").read_text())
    resources = sample_resources(build_dir / "store", args.pages)
    logs = where / "logs"
    logs.mkdir(exist_ok=True)
    try:
        peer = oxigraph_on_disk(build_dir / "store", logs / "oxigraph.log", args.peer_timeout)
        peer.start()
        forget_shared_pages(build_dir)
        server = ours(var, logs / "ours.log", settings=tuple(args.setting))
        server.start()
        warm_seconds = wait_until_warm(server)
        say("both servers ready")
        pages = measure_pages(server, resources, resources)
        rounds = first_seen({"ours": server, "oxigraph": peer}, args.rounds, timeout=args.peer_timeout + 30)
        memory = {
            "ours": tree_pss_bytes(server.process.pid),  # type: ignore[union-attr]
            "oxigraph": tree_rss_bytes(peer.process.pid),  # type: ignore[union-attr]
        }
    finally:
        stop_all()
    return write(args, reused, manifest, warm_seconds, pages, rounds, memory)


def forget_shared_pages(build_dir: Path) -> None:
    """Empty the build's shared page store (pages.sqlite), which a reused build keeps from an
    earlier run: otherwise a page's "first render" is a read of what that run rendered."""
    for name in (SHARED_PAGES, f"{SHARED_PAGES}-wal", f"{SHARED_PAGES}-shm"):
        (build_dir / name).unlink(missing_ok=True)


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return "not answered" if math.isinf(seconds) else f"{seconds * 1000:,.1f}"


def write(args, reused, manifest, warm_seconds, pages, rounds, memory) -> int:
    rows, ratios = [], []
    for query, by in rounds.times.items():
        ours_p50, peer_p50 = statistics.median(by["ours"]), statistics.median(by["oxigraph"])
        why = " · ".join(
            f"{name}: {reasons}" for name in ("ours", "oxigraph") if (reasons := rounds.not_answered(query, name))
        )
        if math.isinf(peer_p50):  # the peer did not answer within its limit: no ratio to give
            rows.append(f"| {query} | {_ms(ours_p50)} | {_ms(peer_p50)} | – | {why} |")
            continue
        ratio = ours_p50 / peer_p50
        ratios.append(ratio)
        rows.append(f"| {query} | {_ms(ours_p50)} | {_ms(peer_p50)} | {ratio:.2f}× | {why} |")
    finite = [r for r in ratios if not math.isinf(r)]
    geomean = math.exp(sum(map(math.log, finite)) / len(finite)) if finite else math.inf
    worst = max(ratios, default=math.inf)
    page_p50 = pages["page"]["first"]["p50"]
    goals = [
        ("pages, first render, p50", f"< {PAGE_GOAL * 1000:.0f} ms", f"{_ms(page_p50)} ms", page_p50 < PAGE_GOAL),
        ("canned queries, worst ratio", f"≤ {QUERY_GOAL:.1f}×", f"{worst:.2f}×", worst <= QUERY_GOAL),
    ]
    facts = machine(("rdflib", "pyoxigraph"))
    lines = [
        f"# Serving at {manifest['triples']:,} triples: ours against the Oxigraph server on disk",
        "",
        f"- Command: `{command_line()}`",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        *(f"- {k}: {v}" for k, v in facts.items()),
        f"- Build: {args.size} ({manifest['triples']:,} triples; "
        + ", ".join(f"{g.rsplit('/', 1)[-1]} {n:,}" for g, n in manifest["graphs"].items())
        + f"), {'reused from an earlier run' if reused else 'built by this run'}; its build took "
        f"{sum(manifest['timings_s'].values()):,.0f} s",
        "- Oxigraph: `oxigraph serve-read-only --union-default-graph` on the build's own store "
        "(the same database files). Ours: `strategiaverkko serve` with "
        + (", ".join(f"`{s}`" for s in args.setting) + ", otherwise its defaults" if args.setting else "its defaults")
        + f" (warm {warm_seconds:.0f} s after start).",
        f"- Client: one keep-alive connection per server (bench/http_client.py); first-seen rounds: {args.rounds}.",
        "",
        "## Goals",
        "",
        "| goal | target | measured | met? |",
        "|---|---|---|---|",
        *(f"| {name} | {target} | {got} | {'yes' if ok else 'no'} |" for name, target, got, ok in goals),
        "",
        "## Entity pages (ms)",
        "",
        "| kind | count | first p50 | first p95 | again p50 | again p95 | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, label in (("page", "HTML page `/page/…`"), ("data", "Turtle `/data/….ttl`")):
        p = pages[kind]
        lines.append(
            f"| {label} | {p['count']} | {_ms(p['first']['p50'])} | {_ms(p['first']['p95'])} | "
            f"{_ms(p['again']['p50'])} | {_ms(p['again']['p95'])} | {p['errors']} |"
        )
    lines += [
        "",
        f"## First-seen canned queries (p50 of {args.rounds}, ms)",
        "",
        "*Not answered*: a run the server did not answer counts as infinitely slow; the last column "
        "says why: *stopped* at its time limit (ours `query_timeout`, Oxigraph "
        f"`--timeout-s {args.peer_timeout:.0f}`), *too large* (ours: past `max_result_bytes`). "
        "A query Oxigraph did not answer has no ratio.",
        "",
        "| query | ours | Oxigraph on disk | ratio | runs not answered |",
        "|---|---:|---:|---:|---:|",
        *rows,
        "",
        f"Geometric mean of the finite ratios: {geomean:.2f}×; worst: {worst:.2f}×.",
        "",
        "## Memory once done",
        "",
        f"Ours {mib(memory['ours'])} MiB (PSS summed over its processes); the Oxigraph server "
        f"{mib(memory['oxigraph'])} MiB (RSS); both also read the store through the OS page cache.",
        "",
    ]
    report("\n".join(lines), args.output)
    return 1 if args.check and not all(ok for *_, ok in goals) else 0


if __name__ == "__main__":
    sys.exit(main())
