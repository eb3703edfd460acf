"""Production serving: Granian (a Rust HTTP server) with several worker processes around `create_app()`.

Granian rather than gunicorn because the HTTP layer is most of what a cached answer costs: on
this project's 2-core machine, with the same Flask app, two workers and eight threads each,
Granian served 2.5 times the requests/s of gunicorn's gthread workers under wrk, at half the
p99, and one client's repeated requests took 0.85 times as long (bench/http_servers.py,
results in bench/results/http_servers.md).

Each worker imports `production_app` and builds its own app; settings reach the workers
through the environment (the STRATEGIAVERKKO_* variables), so `granian --interface wsgi
--factory server.web.wsgi:granian_worker_app` with options of your own works as well.
"""

from __future__ import annotations

import logging
import math
import os
import resource
import signal
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from ..core.settings import SETTINGS, Settings
from ..query.sandbox import QueryPool
from ..store.current import NoBuild
from . import context
from .app import create_app

# Granian's default request buffer (about 400 KiB) holds the request line and headers; a GET
# of a long query (a permalink to a canned query) must fit, up to our own bound, max_request_bytes.
MIN_BUFFER_BYTES = 8192 + 4096 * 100


def production_app():
    """The app of one worker, with structured (JSON) access and slow-query logs on stderr.

    The worker opens the current build at once, so that it warms it at start (warm_on_open)
    rather than when its first request comes: with several workers, one that traffic had
    not reached yet stayed cold, and the first researcher it served waited for the warm-up."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_app()
    compile_templates(app)
    try:
        app.extensions[context.STATE].current()
    except NoBuild:
        pass  # nothing built yet: requests get 503 until a build is swapped in
    except Exception:  # noqa: BLE001 - a build that cannot be opened: requests report it
        logging.getLogger("strategiaverkko").exception("cannot open the current build at start")
    return app


def compile_templates(app) -> None:
    """Jinja compiles a template at its first use (17 templates: 210 ms together); a worker does
    it when it starts, so that no reader's first page pays for it."""
    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)


def granian_worker_app():
    """production_app() for a worker of `serve`. Granian forks a worker with the main process's
    signal handlers and installs the worker's own only after this factory returns, so a stop
    signal meanwhile (a server stopped while its workers open and warm the build) was lost:
    the worker never stopped, and `serve` waited for it for ever. Until Granian's handlers
    replace this one, a stop signal ends the worker; its exit still stops its query processes
    cleanly (see sandbox).

    While the factory runs, the signal is only noted, and the worker exits when the factory is
    done: raised from the handler, SystemExit could land in a weakref callback or finalizer,
    where Python prints it as "Exception ignored" and carries on."""
    _starting.update(running=True, stop=False)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _stop_while_starting)
    try:
        app = production_app()
        stop_queries_on_signal(app.extensions[context.POOL])
    finally:
        _starting["running"] = False
    if _starting["stop"]:
        raise SystemExit(0)
    return app


_starting = {"running": False, "stop": False}  # this worker's factory, and a stop asked meanwhile


def _stop_while_starting(signum, frame) -> None:
    if _starting["running"]:
        _starting["stop"] = True
        return
    raise SystemExit(0)  # after the factory, before Granian's own handlers: in Granian's code


def settings_environment(settings: Settings) -> dict[str, str]:
    """The STRATEGIAVERKKO_* variables that make load_settings() in a worker return `settings`."""
    env = {}
    by_name: Mapping[str, object] = settings  # looked up by each setting's name, not a literal key
    for s in SETTINGS:
        value = by_name[s.name]
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (tuple, list)):
            value = ",".join(value)
        env[s.env] = str(value)
    return env


# A connection that has not sent a whole request head by then is closed (Granian's default: 30 s).
HEADER_READ_TIMEOUT_MS = 5_000
# Files a worker keeps for other things than connections: the build's store, logs, pipes to its
# query processes, the libraries it loads.
FILES_PER_WORKER_BESIDES_CONNECTIONS = 256


@dataclass(frozen=True)
class ConnectionLimits:
    open_files: int  # the soft RLIMIT_NOFILE the server and its workers run with
    per_worker: int  # connections a worker holds open at once (Granian's backpressure)
    backlog: int  # connections the kernel queues before a worker accepts them


def connection_limits(workers: int) -> ConnectionLimits:
    """Connection limits sized to this machine: the open-file limit is raised to its hard limit
    (workers inherit it), and shared out between the workers."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if wanted > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass  # keep the limit we were given
    per_worker = max(64, soft // max(workers, 1) - FILES_PER_WORKER_BESIDES_CONNECTIONS)
    return ConnectionLimits(open_files=soft, per_worker=per_worker, backlog=min(4096, max(1024, per_worker)))


def usable_cores() -> int:
    """The cores this process may run on (a container's or taskset's limit, not the machine's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def default_workers() -> int:
    """One worker a core, at most two: a worker renders in Python on one core, and more than two
    mostly add memory (docs/deploy.md). Never more than the cores, which Granian warns about."""
    return max(1, min(2, usable_cores()))


def default_threads() -> int:
    """Threads a worker: as many as Granian deems sensible for the cores (2 x cores + 1), since
    a thread waiting for a query process or a slow client uses no core."""
    return 2 * usable_cores() + 1


class PortInUse(OSError):
    pass


def check_port_free(host: str, port: int) -> None:
    """Raise PortInUse when something already listens on host:port. Granian binds with
    SO_REUSEPORT, so a second server on a taken port starts silently and the kernel shares the
    requests between the two (an operator got another server's catalog that way); a bind without
    it fails instead."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a closed server's TIME_WAIT is no owner
        try:
            probe.bind((host, port))
        except OSError as e:
            raise PortInUse(
                f"{host}:{port} is already in use ({e.strerror}): stop what serves there, or pick another --port"
            ) from e


def run_server(settings: Settings, host: str, port: int, workers: int, threads: int) -> None:
    from granian import Granian
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings

    check_port_free(host, port)
    os.environ.update(settings_environment(settings))
    limits = connection_limits(workers)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("strategiaverkko").info(
        "connections: %d per worker, backlog %d, open files %d", limits.per_worker, limits.backlog, limits.open_files
    )
    Granian(
        "server.web.wsgi:granian_worker_app",
        factory=True,
        interface=Interfaces.WSGI,
        address=host,
        port=port,
        workers=workers,
        # WSGI requests run on these threads; a query waits on its query process there, so a
        # worker needs several to keep serving pages while queries run.
        blocking_threads=threads,
        # Idle connections must not lock others out (#29): a connection holds one of a worker's
        # `backpressure` places while it is open, so there are as many places as open files
        # allow, and one that sends no complete request head within HEADER_READ_TIMEOUT is closed.
        backlog=limits.backlog,
        backpressure=limits.per_worker,
        http1_settings=HTTP1Settings(
            max_buffer_size=max(MIN_BUFFER_BYTES, settings["max_request_bytes"] + 65536),
            header_read_timeout=HEADER_READ_TIMEOUT_MS,
        ),
        # A worker that dies (e.g. killed for memory) is replaced, as gunicorn's arbiter does.
        respawn_failed_workers=True,
        # A worker that has not stopped this long after being asked is killed, so that no
        # stuck worker can hold up a stop for ever. Its longest request is a query: it may
        # wait for a query process, then run for query_timeout.
        workers_kill_timeout=math.ceil(settings["query_timeout"] + settings["query_queue_seconds"]) + 5,
        log_access=False,  # our own JSON access log has the request id and query time
        websockets=False,
    ).serve()


def __getattr__(name: str):
    # `server.web.wsgi:app` for any WSGI server, created on first use (not at import).
    if name == "app":
        return create_app()
    raise AttributeError(name)


def stop_queries_on_signal(pool: QueryPool) -> threading.Thread:
    """When this worker is told to stop (SIGTERM, SIGINT), stop its query processes at once.

    Granian lets a stopping worker finish its running requests, and a query's request waits for
    its query process, up to query_timeout: a stop took that long. Granian installs its own
    signal handlers in the worker; Python's wakeup fd is told of every signal whichever handler
    runs, so a thread reading it can act without replacing them."""
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    stop_signals = {signal.SIGTERM, signal.SIGINT}

    def watch() -> None:
        while True:
            received = os.read(read_end, 64)
            if not received or stop_signals & set(received):
                pool.stop_now()
                return

    thread = threading.Thread(target=watch, name="stop-queries-on-signal", daemon=True)
    thread.start()
    return thread
