"""How the build grows with the data: time and peak memory per stage at several sizes, and what a
straight line through them says of 10 M triples (issue #28's goal: under 20 minutes within 8 GiB).

    python bench/build_scaling.py [--orgs 973,1946,3892] [--output bench/results/build-scaling.md]

For each number of synthetic organisations, the real data plus that many organisations
(bench/generate.py) go into a source tree in a temporary folder, and the real build runs in a
fresh process (bench/stages.py: stage times, the build process's peak resident memory per
stage, and the peak proportional memory of it and the processes it forks). Sizes run smallest
first; a size whose projected peak would not fit in this machine's memory (with a quarter left
over) is not started, and the report says so.

The 10 M row is a least-squares line through the measured sizes, per stage and for the peak,
against the build's triple count: a projection, marked as one, never a measurement.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
from common import command_line, gib, machine, report, say  # noqa: E402

TARGET_TRIPLES = 10_000_000
GOAL_SECONDS = 20 * 60
GOAL_BYTES = 8 * 2**30
STAGES_SCRIPT = Path(__file__).resolve().parent / "stages.py"


def measure(orgs: int, folder: Path) -> dict:
    """One build of real data + `orgs` synthetic organisations, in a process of its own; its
    figures are kept in the folder, and a kept folder's figures are reused (`--keep`)."""
    kept = folder / f"run-{orgs}.json"
    if kept.exists():
        say(f"{orgs} organisations: measured before, in {kept}")
        return json.loads(kept.read_text())
    source, var = folder / f"src-{orgs}", folder / f"var-{orgs}"
    generate.source_tree(source, orgs)
    say(f"{orgs} organisations: building")
    done = subprocess.run(
        [sys.executable, str(STAGES_SCRIPT), "build", str(source), str(var)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the build of {orgs} organisations failed:\n{done.stderr[-4000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["orgs"] = orgs
    out["measured"] = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    shutil.rmtree(var, ignore_errors=True)  # the figures are what is kept, not the build
    shutil.rmtree(source, ignore_errors=True)
    kept.write_text(json.dumps(out))
    return out


def line_through(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """(slope, intercept) of the least-squares line; a single point gives a line through zero."""
    if len(xs) == 1:
        return ys[0] / xs[0], 0.0
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum((x - mean_x) ** 2 for x in xs)
    return slope, mean_y - slope * mean_x


def power_law(runs: list[dict], value) -> tuple[float, float]:
    """(factor, exponent) of value = factor × triples^exponent, least squares on the logarithms."""
    slope, intercept = line_through([math.log(r["triples"]) for r in runs], [math.log(value(r)) for r in runs])
    return math.exp(intercept), slope


def at(runs: list[dict], value, triples: int) -> float:
    slope, intercept = line_through([r["triples"] for r in runs], [value(r) for r in runs])
    return slope * triples + intercept


def peak(run: dict) -> int:
    return max(run["peak_tree_pss"], run["peak_rss"])


def stage_peak(run: dict, stage: str) -> int | None:
    figures = run["stages"][stage]
    if figures["peak_rss"] is None and figures["peak_tree_pss"] is None:
        return None  # bench/stages.py did not see the stage end (before it read "search index: …")
    return max(figures["peak_rss"] or 0, figures["peak_tree_pss"] or 0)


def stage_peak_cell(runs: list[dict], stage: str, triples: int | None = None) -> str:
    """A stage's peak in GiB in one run (`runs` of one), or projected at `triples`; "–" if not recorded."""
    if any(stage_peak(r, stage) is None for r in runs):
        return "–"
    if triples is None:
        return gib(stage_peak(runs[0], stage) or 0)
    return f"*{gib(at(runs, lambda r: stage_peak(r, stage), triples))}*"


def render(runs: list[dict], skipped: list[str], info: dict, argv: list[str]) -> str:
    stages = list(runs[0]["stages"])
    projected = {s: at(runs, lambda r, s=s: r["stages"][s]["seconds"], TARGET_TRIPLES) for s in stages}
    total = at(runs, lambda r: r["total_seconds"], TARGET_TRIPLES)
    memory = at(runs, peak, TARGET_TRIPLES)
    lines = [
        "# The build at growing sizes, and the straight line to 10 M triples",
        "",
        f"- Command: `{command_line(argv)}`",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; each size measured (ended) at: "
        + ", ".join(f"{r['orgs']:,}: {r.get('measured', 'not recorded')}" for r in runs),
        *(f"- {k}: {v}" for k, v in info.items()),
        "- Each build: real data + N synthetic organisations (bench/generate.py, seed 1), "
        "`server.pipeline.build.build` in a fresh process (bench/stages.py).",
        "- Peak: the larger of the build process's peak resident memory and the peak proportional "
        "memory of it and the processes it forks (the check's), sampled every 0.25 s.",
        "- *Italics*: a least-squares line through the measured sizes against their triple counts, "
        "read at 10 M: a projection, not a measurement.",
        "",
        "| organisations | triples | " + " | ".join(f"{s} s" for s in stages) + " | total s | peak GiB |",
        "|---:|---:|" + "---:|" * len(stages) + "---:|---:|",
    ]
    for r in runs:
        cells = [f"{r['stages'][s]['seconds']:.1f}" for s in stages]
        totals = f" | {r['total_seconds']:.0f} | {gib(peak(r))} |"
        lines.append(f"| {r['orgs']:,} | {r['triples']:,} | " + " | ".join(cells) + totals)
    lines.append(
        f"| *projection* | *{TARGET_TRIPLES:,}* | "
        + " | ".join(f"*{projected[s]:.0f}*" for s in stages)
        + f" | *{total:.0f}* | *{gib(memory)}* |"
    )
    lines += [
        "",
        "Peak memory during each stage (GiB; what earlier stages still hold counts too):",
        "",
        "| organisations | " + " | ".join(stages) + " |",
        "|---:|" + "---:|" * len(stages),
        *(f"| {r['orgs']:,} | " + " | ".join(stage_peak_cell([r], s) for s in stages) + " |" for r in runs),
        "| *projection* | " + " | ".join(stage_peak_cell(runs, s, TARGET_TRIPLES) for s in stages) + " |",
    ]
    if any(stage_peak(r, s) is None for r in runs for s in stages):
        lines += ["", "–: not recorded (bench/stages.py read only one-word stage names until this run's fix)."]
    per_million = at(runs, peak, 2_000_000) - at(runs, peak, 1_000_000)
    seconds_per_million = at(runs, lambda r: r["total_seconds"], 2_000_000) - at(
        runs, lambda r: r["total_seconds"], 1_000_000
    )
    lines += [
        "",
        "## Against the goal (a build of 10 M triples under 20 minutes within 8 GiB)",
        "",
        "| | goal | projected at 10 M | met? |",
        "|---|---:|---:|---|",
        f"| time, straight line | {GOAL_SECONDS / 60:.0f} min | {total / 60:.0f} min "
        f"| {'yes' if total <= GOAL_SECONDS else 'no'} |",
    ]
    # A power law needs two sizes: through one point, the "exponent" is only log(time) / log(triples).
    law = power_law(runs, lambda r: r["total_seconds"]) if len(runs) > 1 else None
    if law is not None:
        factor, exponent = law
        curved = factor * TARGET_TRIPLES**exponent
        lines.append(
            f"| time, power law (time ∝ triples^{exponent:.2f}) | {GOAL_SECONDS / 60:.0f} min | {curved / 60:.0f} min "
            f"| {'yes' if curved <= GOAL_SECONDS else 'no'} |"
        )
    lines += [
        f"| peak memory | {gib(GOAL_BYTES)} GiB | {gib(memory)} GiB | {'yes' if memory <= GOAL_BYTES else 'no'} |",
        "",
        f"Each further million triples adds about {gib(per_million)} GiB to the peak "
        f"and {seconds_per_million:.0f} s to the time (the slopes of the lines above).",
    ]
    if law is not None:
        faster = exponent > 1
        lines[-1] += (
            f" The time grows {'faster' if faster else 'slower'} than the triples (exponent {exponent:.2f} through "
            f"the measured sizes), so the {'straight line' if faster else 'power law'} is the kinder of the two "
            "projections."
        )
    first = stages[0]
    if all(stage_peak(r, first) is not None for r in runs):
        held = at(runs, lambda r: stage_peak(r, first), TARGET_TRIPLES)
        lines += [
            "",
            f"The {first} stage alone (the sources parsed into in-memory graphs, before any check) is projected "
            f"at {gib(held)} GiB at 10 M triples, {held / GOAL_BYTES:.0%} of the goal's memory: the stages after it "
            f"have {gib(max(GOAL_BYTES - held, 0))} GiB for what each adds while the graph is held.",
        ]
    if skipped:
        lines += ["", "Not run: " + "; ".join(skipped) + "."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", default="973,1946,3892", help="comma-separated numbers of synthetic organisations")
    parser.add_argument("--output", type=Path, help="write the Markdown report here (default: stdout)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    sizes = sorted(int(n) for n in args.orgs.split(","))
    available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    runs: list[dict] = []
    skipped: list[str] = []
    with tempfile.TemporaryDirectory(prefix="build-scaling-") as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        for orgs in sizes:
            if len(runs) >= 2:
                # Triples grow with organisations: project from the organisations measured so far.
                expected = at([{**r, "triples": r["orgs"]} for r in runs], peak, orgs)
                if expected > available * 0.75:
                    why = f"projected peak {gib(expected)} GiB, {gib(available)} free"
                    skipped.append(f"{orgs:,} organisations ({why})")
                    continue
            runs.append(measure(orgs, folder))
            say(json.dumps({k: runs[-1][k] for k in ("orgs", "triples", "total_seconds", "peak_tree_pss")}))
    report(render(runs, skipped, machine(), sys.argv[1:] if argv is None else argv), args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
