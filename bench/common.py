"""What the benchmarks share: the machine they ran on, percentiles, memory readings, progress."""

from __future__ import annotations

import math
import os
import platform
import shlex
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = PROJECT_ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"


def served_build(var_dir: Path | str) -> Path:
    """The folder of the build `var_dir` serves; exits with a message naming the folder when it
    serves none (e.g. a `--var` given before any build)."""
    from server.store.manifest import current_build

    build = current_build(var_dir)
    if build is None:
        sys.exit(f"no build in {var_dir} (no {Path(var_dir) / 'current'}): build into it first")
    return build


def command_line(argv: list[str] | None = None) -> str:
    """The command that ran this benchmark, as a report gives it: `python bench/….py` and its
    arguments (`argv` when main() was called with them, else the process's own)."""
    args = argv if argv is not None else sys.argv[1:]
    return "python " + shlex.join([os.path.relpath(sys.argv[0], PROJECT_ROOT), *args])


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report(text: str, output: Path | None) -> None:
    """Print a report, and write it to `output` when one is given."""
    print(text)
    if output:
        output.write_text(text, encoding="utf-8")


def percentile(values: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * p / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def _read_lines(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def machine(packages: tuple[str, ...] = ("rdflib", "pyoxigraph")) -> dict[str, str]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in _read_lines("/proc/cpuinfo") if line.startswith("model name")),
        platform.processor() or "unknown",
    )
    mem_kb = next((int(line.split()[1]) for line in _read_lines("/proc/meminfo") if line.startswith("MemTotal:")), None)
    return {
        "nproc": str(os.cpu_count()),
        "CPU": cpu,
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB" if mem_kb else "unknown",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        **{name: package_version(name) for name in packages},
    }


def git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), *args], capture_output=True, text=True, timeout=10
    ).stdout.strip()


def sources_commit(folders: tuple[str, ...] = ("data", "ontology")) -> str:
    """The commit the sources were taken from, and whether they had uncommitted changes."""
    try:
        commit = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", *folders)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if not commit:
        return "unknown (not a git checkout)"
    return f"{commit}, with uncommitted changes in {'/, '.join(folders)}/" if dirty else commit


# --- Memory -----------------------------------------------------------------------------


def _status_kb(pid: int | str, field: str, file: str = "status") -> int:
    """A "Field:  N kB" line of /proc/PID/status (or another /proc file in that format)."""
    for line in _read_lines(f"/proc/{pid}/{file}"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def peak_rss_bytes() -> int:
    """This process's peak resident memory since it started or since reset_peak_rss()."""
    return _status_kb("self", "VmHWM") * 1024


def reset_peak_rss() -> bool:
    """Start a new peak (Linux: writing 5 to clear_refs resets VmHWM). False if not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in _read_lines_glob(f"/proc/{p}/task"):
            try:
                todo.extend(int(c) for c in Path(task, "children").read_text().split() if c)
            except OSError:  # the task ended meanwhile
                pass
    return out


def _read_lines_glob(folder: str) -> list[str]:
    try:
        return [str(p) for p in Path(folder).iterdir()]
    except OSError:
        return []


def _tree_kb(pid: int, field: str, file: str = "status") -> int:
    total = 0
    for p in process_tree(pid):
        try:
            total += _status_kb(p, field, file)
        except (OSError, ValueError):  # the process ended meanwhile
            pass
    return total


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and its children (a server with its workers), now."""
    return _tree_kb(pid, "VmRSS") * 1024


def tree_pss_bytes(pid: int) -> int:
    """Proportional memory of a process and its descendants, now: a page shared by k of them
    counts 1/k in each, so forked children sharing their parent's pages are not counted twice."""
    return _tree_kb(pid, "Pss", "smaps_rollup") * 1024


class TreeMemoryPeak:
    """Samples tree_pss_bytes(this process) in a thread; take() returns the peak since the
    last take(). Sampling every `interval` s can miss a shorter spike."""

    def __init__(self, interval: float = 0.25):
        import os
        import threading

        self._pid, self._interval, self._peak = os.getpid(), interval, 0
        self._lock, self._stop = threading.Lock(), threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            now = tree_pss_bytes(self._pid)
            with self._lock:
                self._peak = max(self._peak, now)
            self._stop.wait(self._interval)

    def take(self) -> int:
        now = tree_pss_bytes(self._pid)
        with self._lock:
            peak, self._peak = max(self._peak, now), 0
        return peak

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def gib(n_bytes: float) -> str:
    return f"{n_bytes / 1024**3:.2f}"


def mib(n_bytes: float) -> str:
    return f"{n_bytes / 1024**2:,.0f}"
