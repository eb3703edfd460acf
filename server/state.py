"""The served build: which one is current, its store, and caches that live as long as it does.

A build is immutable, so anything derived from it (query results, pages) can be cached
until var/current points at another build. Every request asks `current()`, which
costs one readlink; when the link moved, the new build is opened and the caches start
afresh, so a new build is picked up without a restart and without dropping requests.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .build import read_manifest
from .config import DEFAULT_CACHE_BYTES
from .errors import StrategiaverkkoError
from .remote_store import RemoteStore
from .store import OxigraphStore, Store


class NoBuild(StrategiaverkkoError):
    status = 503
    title = "No build to serve"


class ByteLRU:
    """A thread-safe LRU cache bounded by the total size of its values in bytes.

    Entries put with `pinned=True` are never evicted: the canned queries' answers that warming
    computes (warm.py). Without that, a researcher's run of large first-seen queries pushed them
    out at 1M, and the next visitors of the query page waited seconds each for them again (the
    benchmark's load mix fell to 84 requests/s for 10 s, with two 503s). Pins may take at most
    half the bound, so the LRU part always has room."""

    def __init__(self, max_bytes: int):
        self.max_bytes, self.size, self.pinned_size = max_bytes, 0, 0
        self._items: OrderedDict = OrderedDict()
        self._pinned: dict = {}
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._pinned:
                return self._pinned[key][0]
            entry = self._items.get(key)
            if entry is None:
                return None
            self._items.move_to_end(key)
            return entry[0]

    def put(self, key, value, size: int, pinned: bool = False) -> None:
        if size > self.max_bytes // 4:
            return  # one huge result must not flush everything else
        with self._lock:
            if key in self._pinned:
                return
            pin = pinned and self.pinned_size + size <= self.max_bytes // 2
            if key in self._items:
                if not pin:
                    return
                value, size = self._items.pop(key)   # already cached: pin it where it is
                self.size -= size
            if pin:
                self._pinned[key] = (value, size)
                self.pinned_size += size
            else:
                self._items[key] = (value, size)
            self.size += size
            while self.size > self.max_bytes and self._items:
                _, (_, old_size) = self._items.popitem(last=False)
                self.size -= old_size


class SingleFlight:
    """Concurrent requests for the same key share one computation: the first computes, the
    others wait for its answer (or its error). Without it, a burst of the same uncached query
    (a new build, a popular link) would take every query process with copies of itself, and
    the rest would get 503 before any copy finished."""

    class _Call:
        def __init__(self):
            self.done = threading.Event()
            self.value = self.error = None

    def __init__(self):
        self._lock = threading.Lock()
        self._calls: dict = {}

    def do(self, key, compute):
        """(compute()'s value, whether it was another request's computation)."""
        with self._lock:
            call = self._calls.get(key)
            leader = call is None
            if leader:
                call = self._calls[key] = self._Call()
        if not leader:
            call.done.wait()   # bounded: the leader's query has its own time limit
            if call.error is not None:
                raise call.error
            return call.value, True
        try:
            call.value = compute()
        except BaseException as e:
            call.error = e
            raise
        finally:
            with self._lock:
                del self._calls[key]
            call.done.set()
        return call.value, False


@dataclass
class Build:
    id: str
    path: Path
    manifest: dict
    store: Store
    cache: ByteLRU = field(default_factory=lambda: ByteLRU(DEFAULT_CACHE_BYTES))
    remote_url: str | None = None   # the remote store's query endpoint, when the build is served from one
    in_flight: SingleFlight = field(default_factory=SingleFlight)
    warmed: threading.Event = field(default_factory=threading.Event)   # set once warm.warm is done with it

    @property
    def store_path(self) -> str:
        return str(self.path / "store")


class BuildState:
    def __init__(self, var_dir: Path | str, prefixes: dict[str, str] | None = None, base_iri: str | None = None,
                 store_url: str = "", cache_bytes: int = DEFAULT_CACHE_BYTES,
                 on_open: Callable[[Build], None] | None = None):
        self.var_dir = Path(var_dir)
        self.on_open = on_open   # called with each build this state opens (e.g. to warm it)
        self.store_url = store_url
        self.cache_bytes = cache_bytes
        self.prefixes = prefixes or {}
        self.base_iri = base_iri
        self._lock = threading.Lock()
        self._build: Build | None = None
        self._target: str | None = None

    def current(self) -> Build:
        link = self.var_dir / "current"
        try:
            target = os.readlink(link)
        except OSError:
            raise NoBuild("No build has been made yet: run `strategiaverkko build` first.") from None
        if target != self._target:
            with self._lock:
                if target != self._target:
                    path = (self.var_dir / target).resolve()
                    manifest = read_manifest(path)
                    self._build = self._open(path, manifest)
                    self._target = target
                    if self.on_open is not None:
                        self.on_open(self._build)
        return self._build

    def _open(self, path: Path, manifest: dict) -> Build:
        # The server's own setting wins (e.g. an internal address of the same store), else the
        # store the build was loaded into, else the build's embedded store.
        remote_url = self.store_url or manifest.get("store", {}).get("query_url")
        if remote_url:
            store = RemoteStore(remote_url, list(manifest["graphs"]), self.prefixes, self.base_iri)
        else:
            store = OxigraphStore(path / "store", prefixes=self.prefixes, base_iri=self.base_iri)
        return Build(manifest["id"], path, manifest, store, ByteLRU(self.cache_bytes), remote_url=remote_url)
