"""Run the real build pipeline (or only its check) in this process and report per-stage time and
peak memory as one JSON line on stdout. bench/run.py starts one of these per size, so each
measurement starts from a fresh process.

    python bench/stages.py build SOURCE_DIR VAR_DIR
    python bench/stages.py check SOURCE_DIR

`build` calls server.pipeline.build.build() itself, the function `strategiaverkko build` calls, and
reads the stage boundaries from its progress messages: at the end of each stage it records
the process's peak resident memory (VmHWM) during that stage and starts a new peak. So a
stage's peak includes what earlier stages still hold, as in a real build. Beside it, the
peak proportional memory (PSS) of the build process and the processes it forks (the check
runs in one process per CPU on large data), sampled every 0.25 s.
`check` loads the sources and runs server.pipeline.check.check_sources() once.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import TreeMemoryPeak, peak_rss_bytes, reset_peak_rss  # noqa: E402

STAGE_END = re.compile(r"^(\w[\w ]*): [\d.]+ s$")  # "search index: 9.6 s" too


def run_build(source_dir: str, var_dir: str) -> dict:
    from server.core.settings import load_settings
    from server.pipeline.build import build

    settings = load_settings({"source_dir": source_dir, "var_dir": var_dir})
    peaks: dict[str, int] = {}
    tree_peaks: dict[str, int] = {}
    resettable = reset_peak_rss()
    tree = TreeMemoryPeak()

    def progress(message: str) -> None:
        m = STAGE_END.match(message)
        if m:
            peaks[m.group(1)] = peak_rss_bytes()
            tree_peaks[m.group(1)] = tree.take()
            reset_peak_rss()

    started = time.perf_counter()
    try:
        result = build(settings, progress=progress)
    finally:
        tree.stop()
    total = time.perf_counter() - started
    m = result.manifest
    return {
        "stages": {
            name: {"seconds": seconds, "peak_rss": peaks.get(name), "peak_tree_pss": tree_peaks.get(name)}
            for name, seconds in result.timings.items()
        },
        "total_seconds": total,
        "peak_rss": max(peaks.values(), default=peak_rss_bytes()),
        # The build process and the processes it forks (the check's), shared pages counted once.
        "peak_tree_pss": max(tree_peaks.values(), default=0),
        "peak_per_stage": resettable,
        "triples": m["triples"],
        "graphs": m["graphs"],
        "build": str(result.path),
        "violations": len(result.report.violations),
        "warnings": len(result.report.warnings),
    }


def run_check(source_dir: str) -> dict:
    from server.core.settings import load_settings
    from server.pipeline.check import check_sources
    from server.pipeline.load import load_sources

    settings = load_settings({"source_dir": source_dir})
    sources = load_sources(settings["source_dir"], settings["base_iri"])
    asserted = len(sources.merged)
    reset_peak_rss()
    started = time.perf_counter()
    report = check_sources(sources)
    return {
        "seconds": time.perf_counter() - started,
        "peak_rss": peak_rss_bytes(),
        "asserted": asserted,
        "violations": len(report.violations),
        "warnings": len(report.warnings),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["build", "check"])
    parser.add_argument("source_dir")
    parser.add_argument("var_dir", nargs="?")
    args = parser.parse_args(argv)
    if args.what == "build":
        if not args.var_dir:
            parser.error("build needs VAR_DIR")
        out = run_build(args.source_dir, args.var_dir)
    else:
        out = run_check(args.source_dir)
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
