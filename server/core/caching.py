"""Caches of things derived from one immutable build (see store.current.Build)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class BuildCache:
    """What a web worker keeps of the build it serves: query results, rendered pages and whole
    responses, least recently used first out, bounded by the total size of its values in bytes.

    Entries put with `pinned=True` are never evicted: the canned queries' answers that warming
    computes (query/warm.py). Without that, a researcher's run of large first-seen queries pushed them
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
                value, size = self._items.pop(key)  # already cached: pin it where it is
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
        def __init__(self) -> None:
            self.done = threading.Event()
            self.value: Any = None
            self.error: BaseException | None = None

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[Hashable, SingleFlight._Call] = {}

    def do(self, key: Hashable, compute: Callable[[], T]) -> tuple[T, bool]:
        """(compute()'s value, whether it was another request's computation)."""
        with self._lock:
            found = self._calls.get(key)
            leader = found is None
            call = self._calls[key] = self._Call() if found is None else found
        if not leader:
            call.done.wait()  # bounded: the leader's query has its own time limit
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
