"""gzip for query answers: the standard library's zlib against ISA-L (python-isal), side by side.

    python bench/compression.py [--size 1M | --var VAR_DIR] [--repeat 5] [--output bench/results/compression.md]

The first asking of a query waits for its answer to be compressed (server/web/http/compression.py), so
at a million triples, where canned answers are megabytes of JSON, the compressor is part of
what a first-seen query costs against the Oxigraph server (which does not compress). This runs
every canned query on a build's in-memory store (as the query processes do), serialises the
answer as SPARQL JSON (the format of the query page and of most clients), and compresses it
with each candidate in turn (the median of --repeat runs each) and checks the round trip;
inflating is timed with zlib, which is what clients use. With --size it generates and builds that synthetic size
first (1M: about
10 minutes); with --var it uses the newest build in VAR_DIR; with neither, the real data.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from isal import igzip

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import generate  # noqa: E402
import run  # noqa: E402
from common import RESULTS_DIR, command_line, machine, say, served_build  # noqa: E402

# name -> compress(bytes) -> gzip bytes. zlib 6 and 1 were the server's kept and passing levels before ISA-L.
COMPRESSORS = {
    "zlib 1": lambda body: gzip.compress(body, compresslevel=1, mtime=0),
    "zlib 6": lambda body: gzip.compress(body, compresslevel=6, mtime=0),
    "ISA-L 1": lambda body: igzip.compress(body, compresslevel=1, mtime=0),
    "ISA-L 2": lambda body: igzip.compress(body, compresslevel=2, mtime=0),
    "ISA-L 3": lambda body: igzip.compress(body, compresslevel=3, mtime=0),
}
BASELINE = "zlib 6"


def answers(build_dir: Path) -> dict[str, bytes]:
    """Each canned query's answer as SPARQL JSON, from an in-memory copy of the build's store."""
    import pyoxigraph as ox

    from server.core.iris import Iris
    from server.core.namespaces import prefixes
    from server.store.manifest import trig_dump_of
    from server.store.oxigraph import OxigraphStore

    iris = Iris(run.BASE)
    store = OxigraphStore(build_dir / "store", prefixes=prefixes(iris), base_iri=iris.base)
    memory = store.in_memory_copy(trig_dump_of(build_dir))
    return {
        name: memory.query(text).serialize(format=ox.QueryResultsFormat.JSON) for name, text in run.canned().items()
    }


def median_ms(fn, body: bytes, repeat: int) -> tuple[float, bytes]:
    times, out = [], b""
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn(body)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, out


def measure(bodies: dict[str, bytes], repeat: int) -> dict:
    out = {}
    for name, body in bodies.items():
        row: dict[str, object] = {"bytes": len(body)}
        for label, compress in COMPRESSORS.items():
            seconds, packed = median_ms(compress, body, repeat)
            if gzip.decompress(packed) != body:
                raise RuntimeError(f"{label} did not round-trip the answer of {name}")
            inflate, _ = median_ms(gzip.decompress, packed, repeat)
            row[label] = {"ms": seconds, "bytes": len(packed), "inflate_ms": inflate}
        out[name] = row
        say(f"  {name}: {len(body) / 1e6:.2f} MB")
    return out


def report(results: dict, facts: dict) -> str:
    labels = list(COMPRESSORS)
    lines = [
        "# gzip for query answers: zlib against ISA-L",
        "",
        f"- Command: `{facts['command']}`",
        f"- Date: {facts['date']}; commit {facts['commit']}; data: {facts['data']}",
        *(f"- {k}: {v}" for k, v in facts["machine"].items()),
        f"- Each canned query's answer as SPARQL JSON; per compressor the median of {facts['repeat']} runs "
        "(compressors take turns per answer), the compressed size and the answer's size divided by it; "
        "*inflate* is zlib's (the client's) time for that copy.",
        "",
        "| query | JSON | " + " | ".join(f"{label} ms (ratio)" for label in labels) + " |",
        "|---|---:|" + "---:|" * len(labels),
    ]
    for name, row in results.items():
        cells = [f"{row[label]['ms']:.1f} ({row['bytes'] / row[label]['bytes']:.1f})" for label in labels]
        lines.append(f"| {name} | {row['bytes'] / 1e6:.2f} MB | " + " | ".join(cells) + " |")
    total = sum(row["bytes"] for row in results.values())
    lines += [
        "",
        "All answers together:",
        "",
        "| compressor | compress ms | compressed | ratio | inflate ms | compress time ÷ " + BASELINE + " |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    base_ms = sum(row[BASELINE]["ms"] for row in results.values())
    for label in labels:
        ms_sum = sum(row[label]["ms"] for row in results.values())
        packed = sum(row[label]["bytes"] for row in results.values())
        inflate = sum(row[label]["inflate_ms"] for row in results.values())
        lines.append(
            f"| {label} | {ms_sum:.1f} | {packed / 1e6:.2f} MB | {total / packed:.1f} | {inflate:.1f} "
            f"| {ms_sum / base_ms:.2f} |"
        )
    return "\n".join(lines + [""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--size", choices=list(generate.ORGS_FOR_SIZE), help="generate and build this synthetic size")
    where.add_argument("--var", type=Path, help="use the newest build in this var folder")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "compression.md")
    args = parser.parse_args(argv)
    from server.store.manifest import read_manifest

    with tempfile.TemporaryDirectory(prefix="strategiaverkko-compression-") as tmp:
        if args.var:
            build_dir = served_build(args.var)
            manifest = read_manifest(build_dir)
            data = f"the build in {args.var} ({manifest['triples']:,} triples)"
        elif args.size:
            built = run.build_size(
                args.size, generate.ORGS_FOR_SIZE[args.size], dict(run.FULL), Path(tmp), generate.DEFAULT_SEED
            )
            build_dir = Path(built["build"]["build"])
            data = f"{args.size} ({built['build']['triples']:,} triples, seed {generate.DEFAULT_SEED})"
        else:
            build_dir, data = run.build_real_data(Path(tmp)), "the real data (data/)"
        say(f"answering the canned queries on {build_dir} …")
        bodies = answers(build_dir)
    results = measure(bodies, args.repeat)
    facts = {
        "command": command_line(argv),
        "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "commit": run.server_commit(),
        "data": data,
        "repeat": args.repeat,
        "machine": machine(("pyoxigraph", "isal")),
    }
    text = report(results, facts)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
