"""Run the pipeline: load, check, infer, store, publish; write the manifest; swap the build in.

A build is written into a fresh folder under var/builds/ and becomes the served one
only when everything succeeded, by atomically replacing the var/current symlink. A
failure at any point removes the half-written folder and leaves var/current untouched.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from ..core.errors import StrategiaverkkoError
from ..core.iris import Iris
from ..core.memory import give_back_free_memory
from ..core.namespaces import prefixes
from ..core.settings import Settings
from ..core.words import analyser
from ..store.manifest import MANIFEST, Manifest, current_build, read_manifest, sha256_of
from ..store.oxigraph import OxigraphStore, write_nquads
from ..store.remote import graph_store_url_for, load_graphs
from ..store.statistics import count as count_statistics
from .check import check_sources
from .derive import derive
from .findings import Report
from .infer import infer
from .load import Sources, load_sources
from .publish import dated_dumps, write_checksums, write_dumps, write_merged_dumps, write_organisation_dumps
from .search_index import FILE as SEARCH_FILE
from .search_index import base_forms, write_search_index
from .stratml_export import write_stratml_documents

KEEP_BUILDS = 3
Progress = Callable[[str], None]


class BuildError(StrategiaverkkoError):
    status = 500
    title = "Build failed"


class CheckFailed(BuildError):
    status = 422
    title = "The data does not pass the shapes"

    def __init__(self, report: Report):
        super().__init__(report.text, details={"violations": len(report.violations)})
        self.report = report


@dataclass
class BuildResult:
    path: Path
    manifest: Manifest
    report: Report
    timings: dict[str, float] = field(default_factory=dict)


class _Stages:
    """Times the stages and tells the caller when each starts and ends."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        done = threading.Event()

        def tick() -> None:
            # Only stages that take longer than a second say anything while running.
            while not done.wait(1.0 if time.perf_counter() - start < 1.5 else 5.0):
                self.progress(f"{name} … {time.perf_counter() - start:.0f} s")

        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()
        try:
            yield
        finally:
            done.set()
            ticker.join()
        self.timings[name] = round(time.perf_counter() - start, 3)
        self.progress(f"{name}: {self.timings[name]:.1f} s")


def _source_commit(source_dir: Path) -> dict:
    try:
        head = subprocess.run(
            ["git", "-C", str(source_dir), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10
        )
        dirty = subprocess.run(
            ["git", "-C", str(source_dir), "status", "--porcelain", "--", "ontology", "data", "shapes"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    if head.returncode != 0:
        return {"commit": None, "dirty": None}
    return {"commit": head.stdout.strip(), "dirty": bool(dirty.stdout.strip())}


@contextmanager
def _build_lock(var_dir: Path) -> Iterator[None]:
    var_dir.mkdir(parents=True, exist_ok=True)
    with open(var_dir / "build.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build is running in {var_dir}") from None
        yield


def swap_in(var_dir: Path, build_dir: Path) -> None:
    """Point var/current at build_dir atomically (rename of a new symlink over the old)."""
    tmp = var_dir / f".current-{os.getpid()}"
    if tmp.is_symlink():
        tmp.unlink()
    tmp.symlink_to(build_dir.relative_to(var_dir))
    os.replace(tmp, var_dir / "current")


def remote_store_of(settings: Settings) -> dict[str, str] | None:
    """{"query_url", "graph_store_url"} of the remote store the settings name, or None (embedded)."""
    query_url = settings.get("store_url") or ""
    if not query_url:
        return None
    return {
        "query_url": query_url,
        "graph_store_url": settings.get("graph_store_url") or graph_store_url_for(query_url),
    }


def _remove_leftovers(var_dir: Path) -> None:
    """Partial builds and temporary links left by a build that was killed (e.g. SIGKILL, power
    loss). Only called under the build lock, so no running build owns them."""
    for partial in (var_dir / "builds").glob(".*.partial"):
        shutil.rmtree(partial, ignore_errors=True)
    for link in var_dir.glob(".current-*"):
        link.unlink(missing_ok=True)


def _prune(var_dir: Path, keep: int) -> None:
    # Older builds stay a little while: a worker may still be answering from one.
    current = current_build(var_dir)
    builds = sorted((p for p in (var_dir / "builds").iterdir() if not p.name.startswith(".")), key=lambda p: p.name)
    for old in builds[:-keep]:
        if old != current:
            shutil.rmtree(old, ignore_errors=True)


def check(settings: Settings) -> tuple[Sources, Report]:
    with tempfile.TemporaryDirectory(prefix="strategiaverkko-check-") as scratch:
        copy = Path(scratch) / SOURCES_COPY
        sources = load_sources(settings["source_dir"], settings["base_iri"], copy)
        return sources, check_sources(sources, copy)


# What load_sources writes for the check, in a scratch folder of its own.
SOURCES_COPY = "sources.nt"


def build(settings: Settings, progress: Progress = lambda message: None) -> BuildResult:
    """Run the pipeline into a new build and swap it in; see the module's docstring.

    A file system that refuses the build (read-only var/, a full disk) is a BuildError that says
    so, not a traceback; whatever the build wrote is removed and the previous build serves on."""
    try:
        return _build(settings, progress)
    except OSError as e:
        where = f" ({e.filename})" if e.filename else ""
        raise BuildError(f"cannot write the build in {settings['var_dir']}: {e.strerror or e}{where}") from e


def _served_manifest(var_dir: Path) -> Manifest | None:
    """The manifest of the build served now (the one this build replaces), if it can be read: its
    dumps' dates carry over. A damaged one is as good as none: the dumps are then new."""
    served = current_build(var_dir)
    try:
        return read_manifest(served) if served is not None else None
    except (OSError, ValueError):
        return None


def _build(settings: Settings, progress: Progress) -> BuildResult:
    var_dir = Path(settings["var_dir"])
    iris = Iris(settings["base_iri"])
    stages = _Stages(progress)
    with _build_lock(var_dir):
        if (var_dir / "builds").is_dir():
            _remove_leftovers(var_dir)
        builds = var_dir / "builds"
        builds.mkdir(parents=True, exist_ok=True)
        # Named like a partial build, so that one a killed build leaves is removed as a leftover.
        with tempfile.TemporaryDirectory(prefix=".check-", suffix=".partial", dir=builds) as scratch:
            copy = Path(scratch) / SOURCES_COPY
            with stages.stage("load"):
                sources = load_sources(settings["source_dir"], settings["base_iri"], copy)
            with stages.stage("check"):
                report = check_sources(sources, copy)
        if not report.conforms:
            raise CheckFailed(report)
        # The findings are made, and nothing reads where each subject is written again: at 1.4 M
        # triples that index held 41 MB, all the way to the store stage.
        sources.subject_lines.clear()
        with stages.stage("infer"):
            asserted = sources.all_data()
            inferred = infer(asserted, sources.ontology)
            # Rules OWL RL cannot state: the current version of each strategy, what is recorded of it.
            inferred.update(derive(asserted, iris))
        with stages.stage("words"):
            # Finnish word forms: base forms for SPARQL (their own named graph) and /search's index.
            words_of = analyser()
            forms = base_forms(asserted, sources.ontology, iris, words_of)

        started = datetime.now(UTC)
        build_id = f"{started:%Y%m%dT%H%M%S%fZ}-{sources.digest()[:8]}"
        inputs = {
            str(f.relative_to(Path(settings["source_dir"]).resolve())) if f.is_absolute() else str(f): sha256_of(f)
            for f in sources.files
        }
        work = builds / f".{build_id}.partial"
        try:
            graphs: dict[str, Iterable[tuple]] = {
                iris.graph(name): sources.graph_triples(name) for name in sources.graph_names()
            }
            graphs[iris.graph("inferred")] = inferred
            graphs[iris.graph("ontology")] = sources.ontology
            graphs[iris.graph("baseforms")] = forms
            work.mkdir()
            with stages.stage("search index"):
                texts = write_search_index(work / SEARCH_FILE, asserted, iris, words_of)
            with stages.stage("store"):
                quads = work / "quads.nq"
                write_nquads(graphs, quads)
                # Nothing below reads the parsed graphs: they go before the store is made and the
                # build published (at 10 M triples the graphs were most of the build's memory).
                del graphs, asserted, inferred, forms, sources
                give_back_free_memory(collect=True)
                store = OxigraphStore.create(work / "store", quads)
                quads.unlink()
                counts = store.counts()
            with stages.stage("statistics"):
                statistics = count_statistics(store, list(counts), iris.graph("ontology"), iris.base)
            with stages.stage("publish"):
                download, every_triple = work / "download", work / "every-triple.nt"
                built = store.oxigraph
                del store
                dumps = write_dumps(download, built, prefixes(iris), every_triple)
                dumps += write_organisation_dumps(download, built, prefixes(iris), iris.base)
                dumps += write_stratml_documents(download, built, iris, prefixes(iris))
                # The built store goes before the merged one is made: the two together were the
                # build's peak at 10 M triples.
                del built
                give_back_free_memory()
                dumps = write_merged_dumps(download, every_triple, prefixes(iris)) + dumps
                write_checksums(download, dumps)
            remote = remote_store_of(settings)
            if remote:
                # The build keeps its embedded copy (dumps come from it); the remote store serves.
                with stages.stage("upload"):
                    on_disk = OxigraphStore(work / "store")
                    load_graphs(remote["graph_store_url"], remote["query_url"], list(counts), on_disk.graph_ntriples)
                    del on_disk
            manifest: Manifest = {
                "id": build_id,
                "created": started.isoformat(timespec="seconds"),
                "base_iri": iris.base,
                "source": _source_commit(Path(settings["source_dir"])),
                "inputs": inputs,
                "graphs": counts,
                "store": remote or {"embedded": True},
                "triples": sum(counts.values()),
                "warnings": [f.as_text() for f in report.warnings],
                "dumps": dated_dumps(dumps, _served_manifest(var_dir), started.isoformat(timespec="seconds")),
                "search": {
                    "file": SEARCH_FILE,
                    "analyser": words_of.name,
                    "texts": texts,
                    "byte_size": (work / SEARCH_FILE).stat().st_size,
                    "sha256": sha256_of(work / SEARCH_FILE),
                },
                "statistics": statistics,
                "timings_s": stages.timings,
                "versions": {pkg: version(pkg) for pkg in ("rdflib", "pyshacl", "owlrl", "pyoxigraph")},
            }
            (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
            final = builds / build_id
            os.replace(work, final)
            try:
                swap_in(var_dir, final)
            except BaseException:
                shutil.rmtree(final, ignore_errors=True)  # never swapped in: nothing serves from it
                raise
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        try:
            _prune(var_dir, KEEP_BUILDS)
        except OSError as e:  # the new build is served already: an old one left behind is no failure
            progress(f"could not remove old builds: {e}")
        return BuildResult(final, manifest, report, stages.timings)
