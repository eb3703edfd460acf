"""A build of the real data plus the synthetic organisations of a size, made once per folder.

Benchmarks that measure a served build (shared_render.py, serving_memory.py) take `--var DIR`
to keep it and reuse it: a 1M build takes about 2.5 minutes on 2 cores."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import generate


def ensure_build(size: str, where: Path, **overrides) -> tuple[dict, bool]:
    """The settings of a build of `size` under `where` (src/ and var/), and whether an earlier
    run's build was reused. `overrides` are further settings (not those of the build)."""
    from server.core.settings import load_settings
    from server.pipeline.build import build

    source, var = where / "src", where / "var"
    made = where / f"built-{size}.json"
    reused = made.exists() and json.loads(made.read_text())["size"] == size
    settings = load_settings({"source_dir": str(source), "var_dir": str(var), **overrides})
    if not reused:
        made.unlink(missing_ok=True)
        generate.source_tree(source, generate.ORGS_FOR_SIZE[size])
        started = time.perf_counter()
        build(settings)
        made.write_text(json.dumps({"size": size, "seconds": time.perf_counter() - started}))
    return dict(settings), reused


def add_arguments(parser: argparse.ArgumentParser, default_size: str = "1M") -> None:
    """--size, --var and --output, as every benchmark of a served build takes them."""
    parser.add_argument("--size", default=default_size, choices=sorted(generate.ORGS_FOR_SIZE))
    parser.add_argument("--var", type=Path, help="keep the build here, and reuse one made before")
    parser.add_argument("--output", type=Path)


def in_build_folder(args: argparse.Namespace, run: Callable[[argparse.Namespace, Path], int]) -> int:
    """run(args, folder) in `--var` (kept), or in a temporary folder removed afterwards."""
    if args.var:
        args.var.mkdir(parents=True, exist_ok=True)
        return run(args, args.var)
    with tempfile.TemporaryDirectory() as where:
        return run(args, Path(where))
