"""Run researchers' SPARQL queries in processes that can be stopped.

pyoxigraph has no working query timeout and a thread cannot be stopped, so each query runs
in another process: the build's query host (query.host) or one of the worker's own child
processes. A query past its time limit gets that process killed; the web worker is free
again at once. A query past the result-size limit is stopped the same way. The pool size
bounds how many heavy queries a worker runs at once.
"""

from __future__ import annotations

import multiprocessing as mp
import multiprocessing.util as mp_util
import os
import queue
import threading
import time

from ..core.errors import StrategiaverkkoError
from ..store.base import QuerySyntaxError
from ..store.remote import RemoteStoreError
from . import host
from .host import HostConnection
from .job import QueryAnswer, QueryJob, run_job, serve_jobs

__all__ = ["QueryAnswer", "QueryJob", "QueryPool", "run_job"]

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


class _Child:
    """A query process of this worker's own, started with `spawn`."""

    def __init__(self):
        with _starting:
            if _exiting:
                raise ShuttingDown("This server process is stopping; try again in a moment.")
            _stop_starting_at_exit()
            self.conn, child_conn = _CTX.Pipe()
            self.process = _CTX.Process(target=serve_jobs, args=(child_conn,), daemon=True)
            self.process.start()  # returns once the child's start-up data is written
        child_conn.close()

    def kill_process(self) -> None:
        self.process.kill()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


Child = _Child | HostConnection

# How long warming waits for a build's host to load its copy (1M triples: about 3 s).
HOST_WAIT_SECONDS = 300.0


class _HostLost(Exception):
    """The build's host ended while it had this query (another query past its limit killed it)."""


class QueryPool:
    """At most `size` queries at once, each stopped at the time limit by killing the process it
    runs in; a query waits briefly for a free slot, then gets 503.

    A build small enough for memory is answered by its query host (query.host: one in-memory copy
    per machine, queries on threads). Any other build, and one whose host is loading, is answered
    by this worker's own query processes, on the on-disk store (or the remote store)."""

    def __init__(self, size: int = 2, timeout: float = 10.0, wait_for_free: float = 2.0):
        self.size, self.timeout, self.wait_for_free = size, timeout, wait_for_free
        self._slots = threading.BoundedSemaphore(size)
        self._idle: queue.Queue[_Child] = queue.Queue()  # this worker's own processes, free
        self._idle_hosted: list[HostConnection] = []  # connections to a host, free
        self._lock = threading.Lock()
        self._busy: set[Child] = set()  # running a query now
        self._stopping = False

    @property
    def stopping(self) -> bool:
        """Closed or stopping: it runs no more queries."""
        return self._stopping

    def idle_count(self) -> int:
        with self._lock:
            return self._idle.qsize() + len(self._idle_hosted)

    def _take(self, job: QueryJob) -> Child:
        if self._stopping:
            raise ShuttingDown("This server process is stopping; try again in a moment.")
        if not self._slots.acquire(timeout=self.wait_for_free):
            raise EndpointBusy(f"All {self.size} query slots are busy; try again in a moment.")
        try:
            if job.host_socket is not None:
                hosted = self._take_hosted(job)
                if hosted is not None:
                    return hosted
            return self._take_own()
        except BaseException:
            self._slots.release()
            raise

    def _take_own(self) -> _Child:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            return _Child()

    def _take_hosted(self, job: QueryJob) -> HostConnection | None:
        with self._lock:
            free, self._idle_hosted = self._idle_hosted, []
        found = None
        for child in free:
            if child.socket != job.host_socket or not child.alive():
                child.close()  # an earlier build's host, or a host that ended
            elif found is None:
                found = child
            else:
                self._put_back(child)
        if found is not None:
            return found
        hosted = host.connect(job)
        if hosted is not None:
            self._retire_own()
        return hosted

    def _retire_own(self) -> None:
        """The build's host serves this worker now: its own free processes are not needed."""
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return

    def _put_back(self, child: Child) -> None:
        if isinstance(child, HostConnection):
            with self._lock:
                self._idle_hosted.append(child)
        else:
            self._idle.put(child)

    def _replace(self, child: _Child) -> None:
        child.kill()
        if not self._stopping:
            self._idle.put(_Child())

    def run(self, job: QueryJob) -> QueryAnswer:
        limit = min(self.timeout, job.timeout) if job.timeout else self.timeout
        started = time.monotonic()
        taken = self._take(job)
        try:
            try:
                return self._run_on(taken, job, limit)
            except _HostLost:
                # Killed for another query's time limit: answer from an own process, in the time left.
                left = limit - (time.monotonic() - started)
                if left <= 0:
                    raise self._timeout(limit) from None
                own = self._take_own()
                return self._run_on(own, job, left, reported_limit=limit)
        finally:
            self._slots.release()

    def _timeout(self, limit: float) -> QueryTimeout:
        which = "the timeout you asked for" if limit < self.timeout else "this endpoint's limit"
        return QueryTimeout(
            f"The query ran for more than {limit:g} s ({which}) and was stopped. "
            "Narrow it (LIMIT, more specific patterns) and try again.",
            details={"limit_seconds": limit, "endpoint_limit_seconds": self.timeout},
        )

    def _run_on(self, taken: Child, job: QueryJob, limit: float, reported_limit: float | None = None) -> QueryAnswer:
        with self._lock:
            self._busy.add(taken)
        keep = True
        try:
            if self._stopping:  # stop_now() ran between the take and here: it did not see this child
                keep = False
                taken.kill() if isinstance(taken, _Child) else taken.close()
                raise ShuttingDown("This server process is stopping; try again in a moment.")
            taken.conn.send((job, limit))
            if not taken.conn.poll(limit):
                keep = False
                if isinstance(taken, _Child):
                    self._replace(taken)
                else:
                    taken.kill()  # the host and every query in it: a thread cannot be stopped
                raise self._timeout(reported_limit or limit)
            kind, payload = taken.conn.recv()
        except (EOFError, OSError):
            keep = False
            if self._stopping:  # stop_now() killed it: this process is stopping
                raise ShuttingDown("This server process is stopping; the query was stopped.") from None
            if isinstance(taken, HostConnection):
                taken.close()
                raise _HostLost from None
            # The child died (e.g. out of memory): replace it and report.
            self._replace(taken)
            raise StrategiaverkkoError("The query process stopped unexpectedly.", status=500) from None
        finally:
            with self._lock:
                self._busy.discard(taken)
            if keep and not self._stopping:
                self._put_back(taken)
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
        """Have every query process ready for `job`'s build before real queries need one: the
        build's host loaded and `size` of its processes connected, or (a build without a host)
        this worker's own processes started, each having run `job` (a trivial query) to open
        the build. Processes busy with a query are left alone."""
        if job.host_socket is not None:
            self._warm_hosted(job)
            return
        with self._lock:
            own_busy = sum(isinstance(c, _Child) for c in self._busy)
        children = [_Child() for _ in range(max(0, self.size - self._idle.qsize() - own_busy))]
        while True:
            try:
                children.append(self._idle.get_nowait())
            except queue.Empty:
                break
        sent = []
        for child in children:
            try:
                child.conn.send((job, self.timeout))
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

    def _warm_hosted(self, job: QueryJob) -> None:
        deadline = time.monotonic() + HOST_WAIT_SECONDS
        connected: list[HostConnection] = []
        while not self._stopping and time.monotonic() < deadline:
            with self._lock:
                have = len(self._idle_hosted) + sum(isinstance(c, HostConnection) for c in self._busy)
            if have + len(connected) >= self.size:
                break
            hosted = host.connect(job)
            if hosted is None:
                if connected or host.failed(job):
                    break  # (a host that failed: this worker's own processes answer meanwhile)
                time.sleep(0.1)  # the host is loading its copy
                continue
            connected.append(hosted)
        with self._lock:
            self._idle_hosted.extend(connected)
        if connected:
            self._retire_own()

    def close(self) -> None:
        self._stopping = True  # a warm-up still running in the background starts nothing more
        while not self._idle.empty():
            self._idle.get_nowait().kill()
        with self._lock:
            hosted, self._idle_hosted = self._idle_hosted, []
        for child in hosted:
            child.close()  # the host serves other workers; it ends by itself once none is left

    def stop_now(self) -> None:
        """Stop every query process, running ones too, and start no more: for a server that is
        stopping, so that it does not wait for its running queries to reach the time limit.
        Their requests get 503 (ShuttingDown) at once."""
        self._stopping = True
        with self._lock:
            busy = list(self._busy)
        for child in busy:
            # Its request thread sees the connection close and answers 503. A query on the host
            # is left to finish there (the host ends by itself if it runs past its limit).
            child.kill_process() if isinstance(child, _Child) else child.interrupt()
        self.close()
