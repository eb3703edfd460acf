"""Run researchers' SPARQL queries in child processes that can be stopped.

pyoxigraph has no working query timeout and a thread cannot be stopped, so each query
runs in one of a small pool of child processes. A query past its time limit gets its
child killed and replaced; the web worker is free again at once. A query past the
result-size limit is stopped the same way. The pool size bounds how many heavy
queries run at once.
"""

from __future__ import annotations

import multiprocessing as mp
import multiprocessing.util as mp_util
import os
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from ..core.errors import StrategiaverkkoError
from ..core.formats import RDF_BY_KEY, RESULTS_BY_KEY
from ..store.base import QuerySyntaxError
from ..store.manifest import trig_dump_of
from ..store.oxigraph import OxigraphStore
from ..store.remote import RemoteStore, RemoteStoreError

_CTX = mp.get_context("spawn")  # children start clean: no inherited threads or locks

# A spawned child reads its start-up data from a pipe its parent writes after the fork. If the
# parent exits in between (a worker stopped while it warms, i.e. starts its query processes),
# the child gets half of it and prints "EOFError: Ran out of input" from multiprocessing's own
# code. So at exit a process waits for a start in progress and allows no new one.
_starting = threading.Lock()
_exiting = False
_stops_at_exit_in: int | None = None  # the pid whose exit will call _stop_starting


def _stop_starting() -> None:
    global _exiting
    # Raise the flag before taking the lock: a lock is not fair, and a thread that starts
    # children in a loop re-took it ahead of this waiter for tens of seconds, starting
    # hundreds more. Taking it afterwards waits for the start in progress.
    _exiting = True
    with _starting:
        pass


def _stop_starting_at_exit() -> None:
    """Have this process's exit call _stop_starting, with a multiprocessing finalizer: those run
    at a plain interpreter exit and also in a multiprocessing child (a Granian worker is one,
    forked), which ends with os._exit and runs no atexit handlers. A forked child drops the
    finalizers its parent registered, hence once per pid. Called with _starting held."""
    global _stops_at_exit_in
    if _stops_at_exit_in != os.getpid():
        _stops_at_exit_in = os.getpid()
        mp_util.Finalize(None, _stop_starting, exitpriority=100)  # before it stops our children


class QueryTimeout(StrategiaverkkoError):
    status = 503
    title = "Query took too long"


class ResultTooLarge(StrategiaverkkoError):
    status = 413
    title = "Result too large"


class EndpointBusy(StrategiaverkkoError):
    status = 503
    title = "Too many queries at once"
    retry_after = 2


class ShuttingDown(StrategiaverkkoError):
    status = 503
    title = "Shutting down"
    retry_after = 2


@dataclass(frozen=True)
class QueryJob:
    store_path: str
    query: str
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    format_key: str  # a key of core.formats.RESULTS_BY_KEY or RDF_BY_KEY
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_bytes: int = 50_000_000
    prefixes: tuple[tuple[str, str], ...] = ()  # declared for the query, so PREFIX lines are optional
    base_iri: str | None = None  # relative IRIs in the query resolve against it
    remote_url: str | None = None  # a remote store's query endpoint instead of store_path
    graphs: tuple[str, ...] = ()  # the build's graphs (the remote store's union default graph)
    in_memory: bool = False  # answer from an in-memory copy of the build once it is loaded
    timeout: float | None = None  # a lower time limit the request asked for (never a higher one)


@dataclass(frozen=True)
class QueryAnswer:
    body: bytes
    seconds: float


class _LimitedBuffer:
    """A write target that gives up once more than `limit` bytes were written."""

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise OverflowError
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


class _Opened:
    """A build's store as this query process holds it: the on-disk store at once and, when asked,
    an in-memory copy loaded in a background thread. Queries use the disk store until the copy
    is ready, so a new build never makes a query wait for (or time out on) the load."""

    def __init__(self, store):
        self.store, self.memory = store, None

    def load_into_memory(self, trig_dump: Path) -> None:
        def load():
            try:
                self.memory = self.store.in_memory_copy(trig_dump)
            except MemoryError:
                pass  # stay on disk

        threading.Thread(target=load, daemon=True, name="load-into-memory").start()

    def best(self):
        return self.memory or self.store


def run_job(job: QueryJob, stores: dict) -> tuple[str, object]:
    """Execute one job in this process; returns ("ok", QueryAnswer) or (error kind, message)."""
    started = time.perf_counter()
    key = (job.store_path, job.remote_url)
    opened = stores.get(key)
    if opened is None:
        stores.clear()  # one build at a time: drop handles to older builds
        if job.remote_url:
            opened = _Opened(
                RemoteStore(job.remote_url, list(job.graphs), dict(job.prefixes), job.base_iri, max_bytes=job.max_bytes)
            )
        else:
            opened = _Opened(OxigraphStore(job.store_path, prefixes=dict(job.prefixes), base_iri=job.base_iri))
            if job.in_memory:
                opened.load_into_memory(trig_dump_of(Path(job.store_path).parent))
        stores[key] = opened
    store = opened.best()
    too_large = f"The result is larger than {job.max_bytes:,} bytes. Add LIMIT or narrow the query."
    try:
        result = store.query(job.query, list(job.default_graphs) or None, list(job.named_graphs) or None)
    except QuerySyntaxError as e:
        return "syntax", e.message
    except RemoteStoreError as e:
        return "unavailable", e.message
    except OverflowError:
        return "too_large", too_large
    fmt = (RESULTS_BY_KEY if job.form in ("SELECT", "ASK") else RDF_BY_KEY)[job.format_key].oxigraph
    buffer = _LimitedBuffer(job.max_bytes)
    try:
        result.serialize(buffer, format=fmt)
    except OverflowError:
        return "too_large", too_large
    return "ok", QueryAnswer(buffer.getvalue(), time.perf_counter() - started)


# The engine's parser recurses once per nesting level and overflowed the main thread's 8 MiB
# stack (a crash) somewhere between 1,000 and 5,000 levels. The guard refuses more than 200, but
# it reads text, not the grammar; so queries also run on a thread whose stack holds 100,000
# levels (measured), reserved, not used, until a query needs it.
QUERY_THREAD_STACK_BYTES = 512 * 1024 * 1024


def _child_main(conn: Connection) -> None:
    threading.stack_size(QUERY_THREAD_STACK_BYTES)
    serving = threading.Thread(target=_serve, args=(conn,), name="queries")
    threading.stack_size(0)  # other threads (the in-memory loader) get the usual stack
    serving.start()
    serving.join()


def _serve(conn: Connection) -> None:
    stores: dict = {}
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            conn.send(run_job(job, stores))
        except Exception as e:  # noqa: BLE001 - report, keep serving
            conn.send(("error", f"{type(e).__name__}: {e}"))


class _Child:
    def __init__(self):
        with _starting:
            if _exiting:
                raise ShuttingDown("This server process is stopping; try again in a moment.")
            _stop_starting_at_exit()
            self.conn, child_conn = _CTX.Pipe()
            self.process = _CTX.Process(target=_child_main, args=(child_conn,), daemon=True)
            self.process.start()  # returns once the child's start-up data is written
        child_conn.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """A fixed number of child processes; a query waits briefly for a free one, then gets 503."""

    def __init__(self, size: int = 2, timeout: float = 10.0, wait_for_free: float = 2.0):
        self.size, self.timeout, self.wait_for_free = size, timeout, wait_for_free
        self._idle: queue.Queue[_Child] = queue.Queue()
        self._lock = threading.Lock()
        self._started = 0
        self._busy: set[_Child] = set()  # running a query now
        self._stopping = False

    def _take(self) -> _Child:
        if self._stopping:
            raise ShuttingDown("This server process is stopping; try again in a moment.")
        with self._lock:
            if self._idle.empty() and self._started < self.size:
                self._started += 1
                return _Child()
        try:
            return self._idle.get(timeout=self.wait_for_free)
        except queue.Empty:
            raise EndpointBusy(f"All {self.size} query slots are busy; try again in a moment.") from None

    def _replace(self, child: _Child) -> None:
        child.kill()
        if not self._stopping:
            self._idle.put(_Child())

    def run(self, job: QueryJob) -> QueryAnswer:
        taken = self._take()
        child: _Child | None = taken
        with self._lock:
            self._busy.add(taken)
        if self._stopping:  # stop_now() ran between the take and here: it did not see this child
            taken.kill()
            with self._lock:
                self._busy.discard(taken)
            raise ShuttingDown("This server process is stopping; try again in a moment.")
        try:
            taken.conn.send(job)
            limit = min(self.timeout, job.timeout) if job.timeout else self.timeout
            if not taken.conn.poll(limit):
                self._replace(taken)
                child = None
                which = "the timeout you asked for" if limit < self.timeout else "this endpoint's limit"
                raise QueryTimeout(
                    f"The query ran for more than {limit:g} s ({which}) and was stopped. "
                    "Narrow it (LIMIT, more specific patterns) and try again.",
                    details={"limit_seconds": limit, "endpoint_limit_seconds": self.timeout},
                )
            kind, payload = taken.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            if self._stopping:  # stop_now() killed it: this process is stopping
                raise ShuttingDown("This server process is stopping; the query was stopped.") from None
            # The child died (e.g. out of memory): replace it and report.
            if child is not None:
                self._replace(child)
                child = None
            raise StrategiaverkkoError("The query process stopped unexpectedly.", status=500) from None
        finally:
            with self._lock:
                self._busy.discard(taken)
            if child is not None and not self._stopping:
                self._idle.put(child)
        if kind == "ok":
            return payload
        if kind == "syntax":
            raise QuerySyntaxError(payload)
        if kind == "too_large":
            raise ResultTooLarge(payload)
        if kind == "unavailable":
            raise RemoteStoreError(payload)
        raise StrategiaverkkoError(f"The query failed: {payload}", status=500)

    def warm(self, job: QueryJob) -> None:
        """Start every query process not started yet, and have each idle one run `job` (a trivial
        query) now, so that each opens the job's build and begins loading its in-memory copy
        before real queries need it. Processes busy with a query are left alone."""
        with self._lock:
            children = [_Child() for _ in range(self.size - self._started)]
            self._started = self.size
        while True:
            try:
                children.append(self._idle.get_nowait())
            except queue.Empty:
                break
        sent = []
        for child in children:
            try:
                child.conn.send(job)
                sent.append(child)
            except OSError:
                self._replace(child)
        for child in sent:
            try:
                if child.conn.poll(self.timeout) and not self._stopping:
                    child.conn.recv()
                    self._idle.put(child)
                    continue
            except (EOFError, OSError):
                pass
            self._replace(child)

    def close(self) -> None:
        while not self._idle.empty():
            self._idle.get_nowait().kill()

    def stop_now(self) -> None:
        """Stop every query process, running ones too, and start no more: for a server that is
        stopping, so that it does not wait for its running queries to reach the time limit.
        Their requests get 503 (ShuttingDown) at once."""
        self._stopping = True
        with self._lock:
            busy = list(self._busy)
        for child in busy:
            child.process.kill()  # its request thread sees the pipe close and answers 503
        self.close()
