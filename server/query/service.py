"""The query service: run a researcher's SPARQL on the served build, with no Flask in sight.

The /sparql view, `strategiaverkko query` (through that view) and the warm-up all call
`QueryService.run`, so a query is cached, shared between concurrent askers and sandboxed the
same way wherever it comes from.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..core.errors import StrategiaverkkoError
from ..core.formats import RDF_BY_KEY, RESULTS_BY_KEY
from ..core.settings import Settings
from ..store.current import Build, BuildState, NoBuild
from ..store.guard import inspect, is_volatile
from . import host
from .sandbox import QueryJob, QueryPool

slow_log = logging.getLogger("strategiaverkko.slow_queries")


@dataclass(frozen=True)
class QueryResult:
    body: bytes
    media: str
    seconds: float
    cached: bool
    build: Build
    key: tuple  # everything the answer depends on within its build
    volatile: bool = False  # NOW(), RAND() …: another run gives another answer (store.guard.is_volatile)
    engine_seconds: float = 0.0  # the query process's own time for the run (the engine, serialising); 0 when cached
    joined: bool = False  # the run was another request's, already under way: its engine time is not this one's


class QueryService:
    def __init__(self, state: BuildState, pool: QueryPool, settings: Settings, prefixes: dict[str, str]):
        self.state, self.pool, self.settings = state, pool, settings
        self.prefixes = tuple(prefixes.items())

    def form_of(self, query: str) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE; 403 for updates and SERVICE.

        A text that already ran on the current build is not tokenised again: its form is
        remembered by exact text beside its result."""
        known = self._known_form(self._current_or_none(), query)
        return known if known is not None else inspect(query, self.settings["max_request_bytes"])

    def run(
        self,
        query: str,
        form: str,
        format_key: str,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        pin: bool = False,
        request_id: str | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run (or fetch from the build's cache) a query whose form is `form` (see form_of).

        The result's key holds everything the answer depends on: the build (one cache per build),
        the text, the form, the format and the protocol's dataset (default-graph-uri,
        named-graph-uri). `pin` keeps the answer for the build's life (the warm-up's canned
        queries; see core.caching.BuildCache). `timeout` lowers the time limit for this run (a
        request's own `timeout=`); an answer does not depend on it, so the cache is shared."""
        media = (RESULTS_BY_KEY if form in ("SELECT", "ASK") else RDF_BY_KEY)[format_key].media_type
        build = self.state.current()
        key = ("sparql", query, form, format_key, tuple(default_graphs), tuple(named_graphs))
        hit = build.cache.get(key)  # never a volatile query's: their answers are not kept
        if hit is not None:
            if pin:  # computed before warming asked for it: pin it where it is
                build.cache.put(key, hit, len(hit) + len(query), pinned=True)
            return QueryResult(hit, media, 0.0, True, build, key)
        started = time.perf_counter()
        job = replace(self.job(build, query, form, format_key, default_graphs, named_graphs), timeout=timeout)
        if is_volatile(query):  # NOW(), RAND() …: run each time, its answer not the build's to keep or share
            answer = self.pool.run(job)
            seconds = time.perf_counter() - started
            return QueryResult(answer.body, media, seconds, False, build, key, True, answer.seconds)

        def compute():
            answer = self.pool.run(job)
            build.cache.put(key, answer.body, len(answer.body) + len(query))
            return answer

        # Joined only by runs with the same limit: a short one must not wait out a long one.
        answer, joined = build.in_flight.do((key, timeout), compute)
        if pin:  # here, not in compute: warming may have joined a request's computation
            build.cache.put(key, answer.body, len(answer.body) + len(query), pinned=True)
        if self._known_form(build, query) is None:
            # Only texts that passed inspect() and ran without error; the same text has the same form.
            build.cache.put(("sparql-form", query), form, len(query) + 100)
        seconds = time.perf_counter() - started
        if seconds >= self.settings["slow_query_seconds"]:
            slow_log.warning(
                json.dumps({"request_id": request_id, "query_ms": round(seconds * 1000, 2), "query": query[:2000]})
            )
        return QueryResult(answer.body, media, seconds, False, build, key, engine_seconds=answer.seconds, joined=joined)

    def answer_json(self, build: Build, query: str) -> bytes | None:
        """A SELECT's JSON results on `build`, for a page: from this service's cache or the build's
        in-memory copy, as a researcher's query would be. None when it cannot answer now (busy,
        past the time limit, a newer build served): the page then asks the store itself."""
        try:
            result = self.run(query, "SELECT", "json")
        except StrategiaverkkoError:
            return None
        return result.body if result.build is build else None

    def job(
        self,
        build: Build,
        query: str,
        form: str,
        format_key: str,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> QueryJob:
        """What a query process needs to answer `query` on `build`."""
        in_memory = build.remote_url is None and build.manifest["triples"] <= self.settings["memory_store_max_triples"]
        # A build small enough for memory is answered from its host's in-memory copy (query.host).
        return QueryJob(
            build.store_path,
            query,
            form,
            format_key,
            tuple(default_graphs),
            tuple(named_graphs),
            self.settings["max_result_bytes"],
            self.prefixes,
            self.settings["base_iri"],
            remote_url=build.remote_url,
            graphs=tuple(build.manifest["graphs"]),
            host_socket=host.socket_path(build.path) if in_memory else None,
            host_trim_seconds=self.settings["query_host_trim_seconds"],
        )

    def _current_or_none(self) -> Build | None:
        try:
            return self.state.current()
        except NoBuild:
            return None

    @staticmethod
    def _known_form(build: Build | None, query: str) -> str | None:
        return build.cache.get(("sparql-form", query)) if build is not None else None
