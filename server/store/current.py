"""The served build: which one is current, its store, and caches that live as long as it does.

A build is immutable, so anything derived from it (query results, pages) can be cached
until var/current points at another build. Every request asks `current()`, which
costs one readlink; when the link moved, the new build is opened and the caches start
afresh, so a new build is picked up without a restart and without dropping requests.

A build is verified against its manifest when it is opened (store.manifest.verified_manifest).
A damaged current build is not served: the newest intact build beside it is, and says so
(Build.fallback, /healthz, the log); with none intact, requests get 503, never 500.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..core.caching import BuildCache, SingleFlight
from ..core.errors import StrategiaverkkoError
from ..core.settings import DEFAULT_CACHE_BYTES
from .base import Store, Values, with_bindings
from .guard import Term
from .manifest import BuildDamaged, Manifest, verified_manifest
from .oxigraph import OxigraphStore
from .remote import RemoteStore

log = logging.getLogger("strategiaverkko")
RECHECK_DAMAGED_SECONDS = 30.0


class NoBuild(StrategiaverkkoError):
    status = 503
    title = "No build to serve"


@dataclass
class Build:
    id: str
    path: Path
    manifest: Manifest
    store: Store
    cache: BuildCache = field(default_factory=lambda: BuildCache(DEFAULT_CACHE_BYTES))
    remote_url: str | None = None  # the remote store's query endpoint, when the build is served from one
    in_flight: SingleFlight = field(default_factory=SingleFlight)
    warmed: threading.Event = field(default_factory=threading.Event)  # set once query.warm is done with it
    # Set when this build is served in place of a damaged current one: {"current": …, "reason": …}.
    fallback: dict[str, str] | None = None
    # Set by the server when it opens the build: a SELECT text's JSON results through its query
    # service (the answers it has, the in-memory copy), or None when that cannot answer now.
    answer: Callable[[str], bytes | None] | None = None

    @property
    def store_path(self) -> str:
        return str(self.path / "store")

    def select(self, sparql: str, *, bind: Mapping[str, Term] | None = None, values: Values | None = None) -> Any:
        """A page's SELECT over the whole graph: answered through `answer` where the server set it
        (its query service: the in-memory copy on the query host for a build that fits
        memory_store_max_triples; the home page's facts took 50-110 ms on a worker's on-disk store
        at 1M triples and about 25 ms there), else, or when that cannot answer now, by this
        worker's store. The same solutions either way."""
        if self.answer is not None:
            body = self.answer(with_bindings(sparql, bind, values))
            if body is not None:
                return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        return self.store.query(sparql, bind=bind, values=values)


class BuildState:
    def __init__(
        self,
        var_dir: Path | str,
        prefixes: dict[str, str] | None = None,
        base_iri: str | None = None,
        store_url: str = "",
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        on_open: Callable[[Build], None] | None = None,
    ):
        self.var_dir = Path(var_dir)
        self.on_open = on_open  # called with each build this state opens (e.g. to warm it)
        self.store_url = store_url
        self.cache_bytes = cache_bytes
        self.prefixes = prefixes or {}
        self.base_iri = base_iri
        self._lock = threading.Lock()
        self._build: Build | None = None
        self._target: str | None = None
        self._failure: NoBuild | None = None  # why the current target cannot be served, once found
        self._checked_at = 0.0

    def current(self) -> Build:
        link = self.var_dir / "current"
        try:
            target = os.readlink(link)
        except OSError:
            raise NoBuild("No build has been made yet: run `strategiaverkko build` first.") from None
        if target != self._target or self._recheck_due():
            with self._lock:
                if target != self._target or self._recheck_due():
                    previous = self._build
                    self._build, self._failure = self._open_intact(target, previous)
                    self._target = target
                    self._checked_at = time.monotonic()
                    if self._build is not None and self._build is not previous and self.on_open is not None:
                        self.on_open(self._build)
        if self._failure is not None:
            raise self._failure
        assert self._build is not None  # opened above, under the lock, for this target
        return self._build

    def _recheck_due(self) -> bool:
        """A damaged current build is looked at again now and then: the damage may have been a
        passing read error, or repaired, and every worker should come back to it on its own."""
        degraded = self._failure is not None or (self._build is not None and self._build.fallback is not None)
        return degraded and time.monotonic() - self._checked_at > RECHECK_DAMAGED_SECONDS

    def _open_intact(self, target: str, previous: Build | None) -> tuple[Build | None, NoBuild | None]:
        """The build `target` names if it is intact; else the newest intact one beside it. The
        fallback already served (`previous`) is kept as it is: a recheck does not hash its files
        again, nor start its caches and warm-up afresh."""
        path = (self.var_dir / target).resolve()
        try:
            return self._open_verified(path), None
        except BuildDamaged as e:
            damage = str(e)
        log.error("the current build %s is damaged and is not served: %s", path.name, damage)
        # Builds older than the damaged one, newest first (build ids sort by time): after a
        # rollback, the build rolled back from is not the one to fall back to.
        builds = self.var_dir / "builds"
        others = [p.resolve() for p in builds.iterdir() if not p.name.startswith(".")] if builds.is_dir() else []
        for candidate in sorted((p for p in others if p.name < path.name), reverse=True):
            if previous is not None and previous.fallback is not None and candidate == previous.path:
                return previous, None
            try:
                build = self._open_verified(candidate)
            except BuildDamaged:
                continue
            build.fallback = {"current": path.name, "reason": damage}
            log.warning("serving the previous intact build %s instead of %s", candidate.name, path.name)
            return build, None
        return None, NoBuild(
            f"The current build is damaged ({damage}) and no intact build is left to serve: "
            "run `strategiaverkko build`."
        )

    def _open_verified(self, path: Path) -> Build:
        """The build at `path`, once its files match its manifest; BuildDamaged otherwise."""
        try:
            return self._open(path, verified_manifest(path))
        except OSError as e:  # the store itself cannot be opened
            raise BuildDamaged(f"{path / 'store'} cannot be opened: {e}") from None

    def _open(self, path: Path, manifest: Manifest) -> Build:
        # The server's own setting wins (e.g. an internal address of the same store), else the
        # store the build was loaded into, else the build's embedded store.
        remote_url = self.store_url or manifest.get("store", {}).get("query_url")
        store: Store
        if remote_url:
            store = RemoteStore(remote_url, list(manifest["graphs"]), self.prefixes, self.base_iri)
        else:
            store = OxigraphStore(path / "store", prefixes=self.prefixes, base_iri=self.base_iri)
        return Build(manifest["id"], path, manifest, store, BuildCache(self.cache_bytes), remote_url=remote_url)
