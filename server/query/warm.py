"""Warm a build as soon as a web worker opens it, in the background.

At a million triples a cold worker is slow for its first visitors: the build's query host first
loads the in-memory copy of the store (query/host.py), and the canned queries (the ones the query page offers,
and the ones most often linked) take up to seconds each. Under load, requests pile up behind
that work and some get 503: when the benchmark started the server and sent it the load mix at
once, the first two or three 10-second rounds had 24-36 errors each. So when a worker opens a
build it starts the build's query host and its own query processes at once and computes the canned queries' answers
(as JSON, the format of the query page and of most clients) into the build's cache, pinned
there for the build's life (see core.caching.BuildCache), so that a run of other queries cannot push them out.
Requests are served meanwhile; one that asks for a query being warmed shares its computation.
"""

from __future__ import annotations

import logging
import threading
import time

from ..core.errors import StrategiaverkkoError
from ..store.current import Build
from .canned import canned_queries
from .sandbox import ShuttingDown
from .service import QueryService

log = logging.getLogger("strategiaverkko.warm")


def warm_in_background(service: QueryService, build: Build) -> threading.Thread:
    thread = threading.Thread(target=warm, args=(service, build), name=f"warm-{build.id}", daemon=True)
    thread.start()
    return thread


def warm(service: QueryService, build: Build) -> None:
    started = time.perf_counter()
    done = 0
    try:
        try:
            build.store.prewarm()  # the pages read the on-disk store: its files into the page cache first
        except OSError as e:  # only an optimisation: the canned queries are warmed all the same
            log.warning("warming build %s: could not read its store ahead: %s", build.id, e)
        service.pool.warm(service.job(build, "ASK {}", "ASK", "json"))
        for canned in canned_queries():
            if service.state.current() is not build:
                return  # a newer build came: warm that one instead (its own thread does)
            try:
                service.run(canned.text, service.form_of(canned.text), "json", pin=True)
                done += 1
            except ShuttingDown:
                raise
            except StrategiaverkkoError as e:  # e.g. a timeout: the request that asks again will say so
                log.warning("warming build %s: canned query %s: %s", build.id, canned.name, e.message)
    except ShuttingDown:
        log.info("stopped warming build %s: this process is stopping", build.id)
        return
    except Exception:  # noqa: BLE001 - warming is an optimisation: never take the worker down
        log.exception("warming build %s failed", build.id)
    finally:
        build.warmed.set()
    log.info("warmed build %s: %d canned queries in %.1f s", build.id, done, time.perf_counter() - started)
