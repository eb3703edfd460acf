"""One query job and how it is answered: shared by the query processes each web worker starts
(query.sandbox) and the threads of a build's query host (query.host)."""

from __future__ import annotations

import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from ..core.formats import RDF_BY_KEY, RESULTS_BY_KEY
from ..core.memory import give_back_free_memory
from ..store.base import QuerySyntaxError
from ..store.oxigraph import OxigraphStore
from ..store.remote import RemoteStore, RemoteStoreError


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
    host_socket: str | None = None  # where the build's query host listens (query.host), if it has one
    host_trim_seconds: float = 0.0  # the host's query_host_trim_seconds, for the worker that starts it
    timeout: float | None = None  # a lower time limit the request asked for (never a higher one)


@dataclass(frozen=True)
class QueryAnswer:
    body: bytes
    seconds: float


class LimitedBuffer:
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


def run_job(job: QueryJob, stores: dict) -> tuple[str, object]:
    """Execute one job in this process; returns ("ok", QueryAnswer) or (error kind, message).
    `stores` holds the store opened for the build, by (store path, remote URL)."""
    key = (job.store_path, job.remote_url)
    store = stores.get(key)
    if store is None:
        stores.clear()  # one build at a time: drop handles to older builds
        if job.remote_url:
            store = RemoteStore(
                job.remote_url, list(job.graphs), dict(job.prefixes), job.base_iri, max_bytes=job.max_bytes
            )
        else:
            store = OxigraphStore(job.store_path, prefixes=dict(job.prefixes), base_iri=job.base_iri)
        stores[key] = store
    too_large = f"The result is larger than {job.max_bytes:,} bytes. Add LIMIT or narrow the query."
    started = time.perf_counter()  # the query's own time, not opening the store for a first one
    try:
        result = store.query(job.query, list(job.default_graphs) or None, list(job.named_graphs) or None)
    except QuerySyntaxError as e:
        return "syntax", e.message
    except RemoteStoreError as e:
        return "unavailable", e.message
    except OverflowError:
        return "too_large", too_large
    fmt = (RESULTS_BY_KEY if job.form in ("SELECT", "ASK") else RDF_BY_KEY)[job.format_key].oxigraph
    buffer = LimitedBuffer(job.max_bytes)
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


def serve_jobs(conn: Connection, stores: dict | None = None) -> None:
    """Answer the jobs that come on `conn` until it closes, on a thread with a deep stack."""
    threading.stack_size(QUERY_THREAD_STACK_BYTES)
    serving = threading.Thread(target=_serve, args=(conn, {} if stores is None else stores), name="queries")
    threading.stack_size(0)  # threads started later get the usual stack
    serving.start()
    serving.join()


def _serve(conn: Connection, stores: dict) -> None:
    while True:
        try:
            job, limit = conn.recv()
        except EOFError:
            return
        # A backstop for a query nobody is left to stop (its web worker was killed): past its
        # limit and a grace, SIGALRM, whose default action ends this process. The worker
        # normally kills the process at the limit itself.
        signal.setitimer(signal.ITIMER_REAL, limit + BACKSTOP_GRACE_SECONDS)
        started = time.perf_counter()
        try:
            conn.send(run_job(job, stores))
        except Exception as e:  # noqa: BLE001 - report, keep serving
            conn.send(("error", f"{type(e).__name__}: {e}"))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if time.perf_counter() - started > TRIM_AFTER_SECONDS:
            give_back_free_memory()  # after the answer is on its way


BACKSTOP_GRACE_SECONDS = 30.0
# A heavy query's working memory, once freed, stays with the allocator (glibc keeps it for the
# thread's next allocation), and the process stays as large as its largest query ever made it.
# After a query that ran this long, a query process hands it back to the system (the host: see
# query.host). At 10 M on disk, one of a worker's own query processes held 990 MiB after three
# heavy canned queries (36 MiB before them).
TRIM_AFTER_SECONDS = 0.02
