"""Time and peak memory of the build's infer stage (server.pipeline.infer.infer, as it is now) by size.

    python bench/infer_memory.py N [N ...]    # real data + N synthetic organisations each

Each N runs in this process one after the other; the peak is this process's resident memory
(VmHWM) during infer() only, reset before it. Found when the 1M benchmark build was killed
by the kernel for want of memory (24 GiB) after infer started using `reasonable`.
"""

from __future__ import annotations

import gc
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
from common import peak_rss_bytes, reset_peak_rss  # noqa: E402

from server.core.iris import DEFAULT_BASE  # noqa: E402
from server.pipeline.infer import infer  # noqa: E402
from server.pipeline.load import load_sources  # noqa: E402


def main(argv: list[str]) -> int:
    for n in map(int, argv or ["95"]):
        with tempfile.TemporaryDirectory() as tmp:
            generate.source_tree(Path(tmp) / "src", n)
            sources = load_sources(Path(tmp) / "src", DEFAULT_BASE)
        asserted = sources.all_data()
        gc.collect()
        before = peak_rss_bytes()
        reset_peak_rss()
        started = time.perf_counter()
        inferred = infer(asserted, sources.ontology)
        seconds = time.perf_counter() - started
        print(
            f"N={n}: {len(asserted):,} asserted, {len(inferred):,} inferred; infer {seconds:.1f} s, "
            f"peak {peak_rss_bytes() / 2**30:.2f} GiB (process before: {before / 2**30:.2f} GiB)",
            flush=True,
        )
        del asserted, inferred, sources
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
