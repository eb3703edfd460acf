"""Benchmark: pyoxigraph's own SPARQL engine against rdflib's, on the real data plus synthetic organisations.

The claim under test: pyoxigraph (pyoxigraph.Store.query) answers our typical queries
much faster than rdflib (rdflib.Graph.query) once the graph is about a million triples.

The graph: the real one (asserted data + OWL RL inferences + ontology) plus synthetic
organisations from bench/generate.py (the benchmarks' one generator; asserted triples
only, no inference: this compares engines, not the pipeline), added one organisation at
a time until the graph reaches the requested size.

Both engines read the same N-Triples file (in a temporary folder, never under data/
or var/), run the same queries in this one process, and must return the same number
of rows for each query; a mismatch fails the benchmark.

    python bench/store_vs_rdflib.py            # ~1,000,000 triples
    python bench/store_vs_rdflib.py --quick    # ~50,000 triples, fewer runs
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Graph

from server.core.iris import DEFAULT_BASE
from server.core.settings import PROJECT_ROOT
from server.pipeline.infer import infer
from server.pipeline.load import load_sources

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402
from common import RESULTS_DIR, command_line, machine, ms, percentile, say, sources_commit  # noqa: E402

ID = DEFAULT_BASE + "id/"

FULL = {"triples": 1_000_000, "rdflib_runs": 5, "oxigraph_runs": 20}
QUICK = {"triples": 50_000, "rdflib_runs": 2, "oxigraph_runs": 5}
# An rdflib query slower than this (in its warm-up run) is measured only this many times.
RDFLIB_SLOW_S = 60.0
RDFLIB_SLOW_RUNS = 3

PREFIXES = f"""PREFIX stv:  <{DEFAULT_BASE}ontology#>
PREFIX rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct:  <http://purl.org/dc/terms/>
"""

# The resource of the DESCRIBE-like query: an original county, with many incoming links.
DESCRIBED = ID + "organisation/etela-karjala"

QUERIES = {
    "join: values of each strategy + organisation label": PREFIXES
    + """
SELECT ?orgLabel ?strategy ?value ?valueLabel WHERE {
  ?strategy a stv:Strategy ;
            stv:organisation ?org .
  ?org skos:prefLabel ?orgLabel .
  FILTER(LANG(?orgLabel) = "fi")
  ?value a stv:Value ;
         stv:partOfPlan ?strategy ;
         skos:prefLabel ?valueLabel .
}
ORDER BY ?orgLabel ?strategy ?value
""",
    "aggregate: statements per organisation and kind": PREFIXES
    + """
SELECT ?org ?kind (COUNT(DISTINCT ?element) AS ?n) WHERE {
  ?element stv:organisation ?org ;
           a ?kind .
  ?kind rdfs:subClassOf stv:StrategyElement .
}
GROUP BY ?org ?kind
ORDER BY DESC(?n) ?org ?kind
""",
    "optional + language: fi labels, en if any": PREFIXES
    + """
SELECT ?thing ?fi ?en WHERE {
  ?thing skos:prefLabel ?fi .
  FILTER(LANGMATCHES(LANG(?fi), "fi"))
  OPTIONAL {
    ?thing skos:prefLabel ?en .
    FILTER(LANGMATCHES(LANG(?en), "en"))
  }
}
""",
    "text filter: labels matching /strategi/i": PREFIXES
    + """
SELECT ?thing ?label WHERE {
  ?thing skos:prefLabel|skos:altLabel ?label .
  FILTER(REGEX(?label, "strategi", "i"))
}
""",
    # Dates are xsd:date or xsd:gYearMonth (as precise as the source); the two types
    # do not compare, so the order is by lexical form, which is ISO and so chronological.
    "order: decisions by date": PREFIXES
    + """
SELECT ?decision ?date ?plan ?body WHERE {
  ?decision a stv:Decision ;
            stv:date ?date ;
            stv:approves ?plan ;
            stv:decidedBy ?body .
}
ORDER BY DESC(STR(?date)) ?decision
""",
    "construct: one resource's outgoing + incoming": PREFIXES
    + f"""
CONSTRUCT {{
  <{DESCRIBED}> ?p ?o .
  ?s ?q <{DESCRIBED}> .
}} WHERE {{
  {{ <{DESCRIBED}> ?p ?o }}
  UNION
  {{ ?s ?q <{DESCRIBED}> }}
}}
""",
}


# --- The data ---------------------------------------------------------------------------


@dataclass
class Replica:
    path: Path  # the N-Triples file both engines load
    triples: int  # distinct triples in it
    organisations: int  # synthetic organisations added (bench/generate.py, DEFAULT_SEED)
    original: int  # triples of the real graph

    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def real_graph() -> Graph:
    """The real graph as a build has it."""
    sources = load_sources(PROJECT_ROOT, DEFAULT_BASE)
    data = sources.all_data()
    data += infer(data, sources.ontology)
    return data + sources.ontology


def sorted_ntriples(graph: Graph) -> list[str]:
    # rdflib's own writer escapes literals correctly; sorting makes the file reproducible.
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return sorted(line for line in text.splitlines() if line.strip())


def synthetic_ntriples(index: int) -> bytes:
    """The index-th synthetic organisation of bench/generate.py as N-Triples."""
    turtle = generate.PREFIXES + generate.organisation(index, generate.DEFAULT_SEED)
    quads = ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=DEFAULT_BASE)
    ntriples = ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES)
    assert ntriples is not None  # with no output file, serialize returns the bytes
    return ntriples


def write_replica(folder: Path, target: int) -> Replica:
    everything = real_graph()
    original = len(everything)
    path, total, n = folder / "replica.nt", original, 0
    with path.open("wb") as out:
        out.write(("\n".join(sorted_ntriples(everything)) + "\n").encode("utf-8"))
        while total < target:
            chunk = synthetic_ntriples(n)
            out.write(chunk)
            total += chunk.count(b"\n")
            n += 1
    return Replica(path, total, n, original)


# --- Engines --------------------------------------------------------------------------


T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def load_rdflib(path: Path) -> tuple[Graph, float]:
    return timed(lambda: Graph().parse(str(path), format="nt"))


def load_oxigraph(path: Path, folder: Path) -> tuple[ox.Store, dict[str, float]]:
    """An on-disk store opened read-only, as the server opens a build's store."""
    timings = _write_store(path, folder)  # the writable store is closed when this returns
    return ox.Store.read_only(str(folder)), timings


def _write_store(path: Path, folder: Path) -> dict[str, float]:
    writable = ox.Store(str(folder))
    _, bulk = timed(lambda: writable.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES))

    def compact_it() -> None:
        writable.flush()
        writable.optimize()

    _, compact = timed(compact_it)
    return {"bulk_load": bulk, "flush + optimize": compact}


# Each run consumes the whole result: both engines hand out results lazily.
def rows_rdflib(graph: Graph, sparql: str) -> int:
    return sum(1 for _ in graph.query(sparql))


def rows_oxigraph(store: ox.Store, sparql: str) -> int:
    solutions = store.query(sparql)
    assert not isinstance(solutions, ox.QueryBoolean), "the comparison has no ASK: it counts rows or triples"
    return sum(1 for _ in solutions)


# --- Measuring ------------------------------------------------------------------------


@dataclass
class Timing:
    rows: int
    runs: list[float]

    @property
    def p50(self) -> float:
        return percentile(self.runs, 50)

    @property
    def p95(self) -> float:
        return percentile(self.runs, 95)


def measure(run: Callable[[], int], runs: int, slow_after: float | None = None) -> Timing:
    """One warm-up run, then `runs` timed runs; fewer if the warm-up was very slow."""
    rows, warm_up = timed(run)
    if slow_after is not None and warm_up > slow_after:
        runs = min(runs, RDFLIB_SLOW_RUNS)
    times = []
    for _ in range(runs):
        again, seconds = timed(run)
        if again != rows:
            raise AssertionError(f"row count changed between runs: {rows} then {again}")
        times.append(seconds)
    return Timing(rows, times)


def compare(graph: Graph, store: ox.Store, plan: dict) -> tuple[dict[str, tuple[Timing, Timing]], list[str]]:
    """Every query on both engines: (rdflib, pyoxigraph) timings by query, and the queries whose
    rdflib runs were capped (see measure)."""
    results, capped = {}, []
    for name, sparql in QUERIES.items():
        say(f"{name} …")
        oxi = measure(lambda: rows_oxigraph(store, sparql), plan["oxigraph_runs"])
        rd = measure(lambda: rows_rdflib(graph, sparql), plan["rdflib_runs"], slow_after=RDFLIB_SLOW_S)
        if len(rd.runs) < plan["rdflib_runs"]:
            capped.append(name)
        say(f"  rows {rd.rows} / {oxi.rows}; p50 rdflib {ms(rd.p50)} ms, pyoxigraph {ms(oxi.p50)} ms")
        if rd.rows != oxi.rows:
            raise AssertionError(f"{name}: rdflib returned {rd.rows} rows, pyoxigraph {oxi.rows}")
        results[name] = (rd, oxi)
    return results, capped


# --- Report ---------------------------------------------------------------------------


def report(
    command: str,
    replica: Replica,
    digest: str,
    commit: str,
    loads: dict[str, float],
    results: dict[str, tuple[Timing, Timing]],
    capped: list[str],
) -> str:
    lines = [
        "# pyoxigraph vs rdflib: SPARQL on the Strategiaverkko graph at scale",
        "",
        f"- Command: `{command}`",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Triples: {replica.triples:,} (the real graph's {replica.original:,} "
        f"+ the asserted triples of {replica.organisations:,} synthetic organisations, `bench/generate.py "
        f"{replica.organisations} --seed {generate.DEFAULT_SEED}`)",
        f"- Sources (data/, ontology/): commit {commit}",
        f"- Replica N-Triples SHA-256: `{digest}` (same sources and size give the same file)",
        *(f"- {key}: {value}" for key, value in machine().items()),
        "",
        "## Load",
        "",
        "| step | seconds |",
        "|---|---:|",
        *(f"| {step} | {seconds:.2f} |" for step, seconds in loads.items()),
        "",
        "## Queries (wall time in ms, whole result consumed)",
        "",
        "| query | rows | rdflib p50 | rdflib p95 | rdflib runs | pyoxigraph p50 | pyoxigraph p95 "
        "| pyoxigraph runs | rdflib / pyoxigraph (p50) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, (rd, oxi) in results.items():
        ratio = rd.p50 / oxi.p50 if oxi.p50 > 0 else float("inf")
        lines.append(
            f"| {name} | {rd.rows:,} | {ms(rd.p50)} | {ms(rd.p95)} | {len(rd.runs)} "
            f"| {ms(oxi.p50)} | {ms(oxi.p95)} | {len(oxi.runs)} | {ratio:,.1f}× |"
        )
    lines += ["", "Each engine ran every query once to warm up before the timed runs."]
    if capped:
        lines.append(
            f"rdflib took over {RDFLIB_SLOW_S:.0f} s to warm up on: {', '.join(capped)}; "
            f"those were timed {RDFLIB_SLOW_RUNS} times only."
        )
    return "\n".join(lines) + "\n"


# --- Main -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, help="size of the graph (default 1,000,000; 50,000 with --quick)")
    parser.add_argument("--quick", action="store_true", help="small graph and few runs, for a smoke test")
    parser.add_argument(
        "--output", type=Path, help="Markdown file to write (default bench/results/store_vs_rdflib[-quick].md)"
    )
    args = parser.parse_args(argv)
    plan = dict(QUICK if args.quick else FULL)
    if args.triples:
        plan["triples"] = args.triples
    output = args.output or RESULTS_DIR / ("store_vs_rdflib-quick.md" if args.quick else "store_vs_rdflib.md")
    command = command_line()

    with tempfile.TemporaryDirectory(prefix="strategiaverkko-bench-") as tmp:
        folder = Path(tmp)
        say(f"the real graph plus synthetic organisations up to ~{plan['triples']:,} triples …")
        replica = write_replica(folder, plan["triples"])
        digest, commit = replica.sha256(), sources_commit()
        say(f"{replica.triples:,} triples, {replica.path.stat().st_size / 1e6:.0f} MB of N-Triples")

        graph, rdflib_load = load_rdflib(replica.path)
        say(f"rdflib parse: {rdflib_load:.1f} s")
        store, oxigraph_load = load_oxigraph(replica.path, folder / "store")
        say(f"pyoxigraph bulk_load: {oxigraph_load['bulk_load']:.1f} s")
        # Both must hold exactly the replica, or the comparison means nothing.
        for engine, loaded in (("rdflib", len(graph)), ("pyoxigraph", len(store))):
            if loaded != replica.triples:
                raise AssertionError(f"{engine} loaded {loaded} triples, the replica has {replica.triples}")
        loads = {
            "rdflib Graph.parse (nt)": rdflib_load,
            **{f"pyoxigraph {step}": s for step, s in oxigraph_load.items()},
        }

        results, capped = compare(graph, store, plan)
        del store  # close the store before the folder is removed

    table = report(command, replica, digest, commit, loads, results, capped)
    print(table)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(table, encoding="utf-8")
    say(f"written to {os.path.relpath(output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
