"""One in-memory copy of a build per machine, shared by every web worker's queries.

Each query process used to load its own in-memory copy of the build: at a million triples some
500 MiB a process, times two query processes per web worker (3.2 GiB resident with the default
two workers). A query host loads the copy once and runs the queries of every worker on
threads (pyoxigraph lets go of the GIL while it evaluates, so they run in parallel).

Forking query processes from a loaded host, so that they would share its pages, was measured
and does not work: Oxigraph's in-memory store counts references as it reads, so every page a
query touches is copied into the child (at 1M, 480-670 MiB private in each child after the
canned queries, bench/results/lean-1M.md).

A thread cannot be stopped, so a query past its time limit ends the host: the worker whose
query it is kills it at the limit; queries of other workers in it at that moment are answered
again by their worker's own query process on the on-disk store, within what is left of their
time; the next worker to ask starts a new host, which loads the copy again (about 3 s at 1M).
A host that finds a query past its limit and a grace (its worker gone) ends itself.

The first web worker that needs a build's host starts it (`python -m server.query.host`); a
lock file makes sure one host serves a build, however many workers start one at once. The
host binds its socket only once the copy is loaded: until then, connecting fails and the
worker answers from its own query processes on the on-disk store, so no query waits for a
load. A host with no connections left for `--idle-seconds` (its build replaced, or the server
stopped) removes its socket and exits.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import functools
import hashlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Client, Connection
from pathlib import Path

from ..core.memory import give_back_free_memory
from ..store.manifest import trig_dump_of
from ..store.oxigraph import OxigraphStore
from .job import BACKSTOP_GRACE_SECONDS, QUERY_THREAD_STACK_BYTES, TRIM_AFTER_SECONDS, QueryJob, run_job

log = logging.getLogger("strategiaverkko.query_host")

HANDSHAKE_SECONDS = 5.0  # a host says its pid within milliseconds of a connection; this is for a stalled one
RESTART_AFTER_SECONDS = 30.0  # a host that could not start (e.g. out of memory) is tried again after this
IDLE_SECONDS = 10.0
FIRST_CONNECTION_SECONDS = 60.0
# A Unix socket's path holds at most 107 bytes (Linux); a longer var/ gets a private folder in /tmp.
MAX_SOCKET_PATH = 100


@functools.lru_cache(maxsize=64)
def socket_path(build_dir: Path) -> str:
    """Where the host of the build at `build_dir` listens: var/run/ beside var/builds/. Asked
    for every query, and a build's folder never moves: resolved once per build."""
    build_dir = Path(build_dir).resolve()
    path = build_dir.parent.parent / "run" / f"query-{build_dir.name}.sock"
    if len(str(path)) <= MAX_SOCKET_PATH:
        return str(path)
    digest = hashlib.sha256(str(build_dir).encode()).hexdigest()[:24]
    return str(Path(tempfile.gettempdir()) / f"strategiaverkko-{os.getuid()}" / f"query-{digest}.sock")


# ---- the web worker's side ----------------------------------------------------------------


class HostConnection:
    """A connection of this worker to a build's host: one of the host's query threads."""

    def __init__(self, conn: Connection, pid: int, socket: str):
        self.conn, self.pid, self.socket = conn, pid, socket

    def kill_process(self) -> None:
        """End the host: the only way to stop a query running on one of its threads."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    def kill(self) -> None:
        self.kill_process()
        self.conn.close()

    def close(self) -> None:
        self.conn.close()

    def interrupt(self) -> None:
        """Wake the thread waiting for this connection's answer (it then sees the end of it);
        closing the descriptor alone would not."""
        with contextlib.suppress(OSError):
            with socket.socket(fileno=os.dup(self.conn.fileno())) as same:
                same.shutdown(socket.SHUT_RDWR)

    def alive(self) -> bool:
        """False once the host is gone (its end of the connection closed)."""
        try:
            return not self.conn.poll(0)  # an idle connection has nothing to read, unless it is closed
        except OSError:
            return False


_started: dict[str, tuple[float, subprocess.Popen]] = {}  # by socket: when this process started its host
_start_lock = threading.Lock()


def connect(job: QueryJob) -> HostConnection | None:
    """A new connection to the host of `job`'s build (a query thread of its own there), or None if
    that host is not serving (yet): then it is started, and the caller answers from its own
    query processes meanwhile."""
    assert job.host_socket is not None
    try:
        conn = Client(job.host_socket, family="AF_UNIX")
    except OSError:  # no socket yet, or a stale one: no host serves it
        try:
            start_host(job)
        except OSError as e:  # e.g. var/ is read-only: this worker's own processes answer
            log.warning("cannot start the query host at %s: %s", job.host_socket, e)
        return None
    try:
        if conn.poll(HANDSHAKE_SECONDS):
            return HostConnection(conn, conn.recv(), job.host_socket)
    except (EOFError, OSError):
        pass
    conn.close()
    return None


def start_host(job: QueryJob) -> None:
    """Start the host of `job`'s build, unless the one this process started is still loading, or
    failed a moment ago."""
    assert job.host_socket is not None
    with _start_lock:
        if job.host_socket in _started:
            when, earlier = _started[job.host_socket]
            if earlier.returncode is None:
                return  # still loading (or serving, and the connection failed for another reason)
            # One that failed by itself is not started again at once; one that was killed (a
            # query past its limit) is.
            if earlier.returncode > 0 and time.monotonic() - when < RESTART_AFTER_SECONDS:
                return
        _started[job.host_socket] = (time.monotonic(), _spawn(job))


def failed(job: QueryJob) -> bool:
    """Whether the host this process started for `job`'s build exited without serving."""
    started = _started.get(job.host_socket or "")
    return started is not None and (started[1].returncode or 0) > 0


def _spawn(job: QueryJob) -> subprocess.Popen:
    assert job.host_socket is not None
    Path(job.host_socket).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "server.query.host",
        "--store",
        job.store_path,
        "--socket",
        job.host_socket,
        "--prefixes",
        json.dumps(dict(job.prefixes)),
        "--base",
        job.base_iri or "",
        "--trim-when-idle",
        str(job.host_trim_seconds),
    ]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, close_fds=True)
    # Reap it when it exits, so that no zombie is left behind in a long-lived worker.
    threading.Thread(target=process.wait, name="query-host-reaper", daemon=True).start()
    return process


# ---- the host's side ------------------------------------------------------------------------


class _Queries:
    """The queries running on the host's threads, and their deadlines."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._deadlines: dict[int, float] = {}
        self.connections = 0
        self._last_ended = 0.0
        self._untrimmed = False  # a heavy query ended since the last trim

    def started(self, limit: float) -> None:
        with self._lock:
            self._deadlines[threading.get_ident()] = time.monotonic() + limit

    def ended(self, seconds: float) -> None:
        with self._lock:
            self._deadlines.pop(threading.get_ident(), None)
            self._last_ended = time.monotonic()
            self._untrimmed = self._untrimmed or seconds > TRIM_AFTER_SECONDS

    def time_to_trim(self, idle: float) -> bool:
        """True once, when a heavy query ran and no query has run for `idle` seconds since."""
        with self._lock:
            if self._untrimmed and not self._deadlines and time.monotonic() - self._last_ended >= idle:
                self._untrimmed = False
                return True
            return False

    def overdue(self, grace: float) -> bool:
        with self._lock:
            return any(time.monotonic() > deadline + grace for deadline in self._deadlines.values())

    def connected(self, change: int) -> None:
        with self._lock:
            self.connections += change


def _serve_connection(conn: socket.socket, stores: dict, queries: _Queries, trim_when_idle: float) -> None:
    """Answer one web worker's jobs, one at a time, until it closes the connection."""
    connection = Connection(conn.detach())
    try:
        connection.send(os.getpid())
        while True:
            try:
                job, limit = connection.recv()
            except EOFError:
                return
            queries.started(limit)
            started = time.perf_counter()
            try:
                answer = run_job(job, stores)
            except Exception as e:  # noqa: BLE001 - report, keep serving
                answer = ("error", f"{type(e).__name__}: {e}")
            finally:
                seconds = time.perf_counter() - started
                queries.ended(seconds)
            connection.send(answer)
            if trim_when_idle <= 0 and seconds > TRIM_AFTER_SECONDS:
                give_back_free_memory()  # at once, after the answer is on its way
    except OSError:
        return  # the worker went away
    finally:
        connection.close()
        queries.connected(-1)


# After a heavy query (see job.TRIM_AFTER_SECONDS) the host hands back what it freed: by default
# at once, after the answer is sent (the trim takes 1-20 ms); with `--trim-when-idle`
# (query_host_trim_seconds) above 0, only once no query has run for that long, as jemalloc does
# by default after 10 s, since a query that follows would otherwise fault it all in again.
# Measured at 1M, eight heavy canned queries in a row: 20-30% faster with a 10 s wait (03: 1,380
# ms against 1,840), the host holding 858 MiB right after them against 486 MiB.
TRIM_WHEN_IDLE_SECONDS = 0.0


def _stop(signum, frame):  # noqa: ARG001 - a signal handler's signature
    raise SystemExit(0)


def serve_host(
    store_path: str,
    socket_file: str,
    prefixes: dict[str, str],
    base_iri: str,
    idle: float,
    trim_when_idle: float = TRIM_WHEN_IDLE_SECONDS,
) -> int:
    path = Path(socket_file)
    lock = open(path.with_name(path.name + ".lock"), "a")  # noqa: SIM115 - held for the host's life
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return 0  # another host serves this build already
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    started = time.perf_counter()
    on_disk = OxigraphStore(store_path, prefixes=prefixes, base_iri=base_iri or None)
    stores = {(store_path, None): on_disk.in_memory_copy(trig_dump_of(Path(store_path).parent))}
    del on_disk  # the copy answers every query: the on-disk store's handle is let go
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # a socket left by a host that was killed
    listener.bind(str(path))
    os.chmod(path, 0o600)
    listener.listen(64)
    inode = path.stat().st_ino
    log.info("query host for %s ready in %.1f s at %s", store_path, time.perf_counter() - started, path)
    queries = _Queries()
    quiet_since = time.monotonic()
    wait = max(idle, FIRST_CONNECTION_SECONDS)  # the workers that wanted it connect within this
    try:
        while True:
            listener.settimeout(1.0)
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                conn = None
            if trim_when_idle > 0 and queries.time_to_trim(trim_when_idle):
                give_back_free_memory()
            if queries.overdue(BACKSTOP_GRACE_SECONDS):
                log.error("query host for %s: a query ran past its limit and nobody stopped it; ending", store_path)
                return 70
            if conn is not None:
                conn.settimeout(None)
                queries.connected(+1)
                # Queries run on a thread whose stack holds deep nesting (see query.job).
                threading.stack_size(QUERY_THREAD_STACK_BYTES)
                try:
                    serving = (conn, stores, queries, trim_when_idle)
                    threading.Thread(target=_serve_connection, args=serving, daemon=True).start()
                finally:
                    threading.stack_size(0)
            if queries.connections:
                quiet_since, wait = time.monotonic(), idle
            elif time.monotonic() - quiet_since > wait:
                return 0
    finally:
        with contextlib.suppress(OSError):
            if path.stat().st_ino == inode:
                path.unlink()
        # Its lock file goes too, or var/run/ would keep one for every build ever served. A host
        # starting for the same build at this moment may find the lock still held and exit; its
        # worker then starts another at its next query (connect → start_host), which serves.
        with contextlib.suppress(OSError):
            os.unlink(lock.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="the build's store folder")
    parser.add_argument("--socket", required=True, help="the Unix socket to listen on")
    parser.add_argument("--prefixes", default="{}", help="prefixes every query may use, as JSON")
    parser.add_argument("--base", default="", help="base IRI of the queries")
    parser.add_argument("--idle-seconds", type=float, default=IDLE_SECONDS)
    parser.add_argument("--trim-when-idle", type=float, default=TRIM_WHEN_IDLE_SECONDS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        return serve_host(
            args.store, args.socket, json.loads(args.prefixes), args.base, args.idle_seconds, args.trim_when_idle
        )
    except MemoryError:
        log.error("query host for %s: not enough memory for the in-memory copy", args.store)
        return 1


if __name__ == "__main__":
    sys.exit(main())
