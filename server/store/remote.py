"""A build's graphs in an existing SPARQL 1.1 server instead of the embedded store.

When one machine is not enough, the store is somebody else's well-kept server (Oxigraph,
Jena Fuseki, ...), not something we write. A build is then loaded into it with the SPARQL 1.1
Graph Store HTTP Protocol (one PUT per named graph) and queried over the SPARQL 1.1 Protocol.
Web workers keep no data of their own, so any number of them can sit behind a load balancer.

Answers come back as pyoxigraph objects, like the embedded store's, so the rest of the
server does not know which store it talks to.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any

import pyoxigraph as ox

from ..core.errors import StrategiaverkkoError
from .base import QuerySyntaxError, Store
from .guard import declares_dataset, query_form

# JSON results are wordier than the formats clients usually ask for: allow this much more.
_TRANSFER_FACTOR = 4


class RemoteStoreError(StrategiaverkkoError):
    status = 502
    title = "Store unavailable"
    retry_after = 5


def graph_store_url_for(query_url: str) -> str:
    """Oxigraph's layout: queries at …/query, graphs at …/store."""
    if query_url.rstrip("/").endswith("/query"):
        return query_url.rstrip("/")[: -len("query")] + "store"
    raise RemoteStoreError(f"Cannot guess the Graph Store endpoint of {query_url}: set graph_store_url.", status=400)


class RemoteTriples(list):
    """CONSTRUCT/DESCRIBE triples from a remote store, serialisable like pyoxigraph's QueryTriples."""

    def serialize(self, output=None, format=ox.RdfFormat.N_TRIPLES):
        return ox.serialize(self, output, format=format)


class _LimitExceeded(Exception):
    pass


class RemoteStore(Store):
    def __init__(
        self,
        query_url: str,
        graphs: list[str],
        prefixes: dict[str, str] | None = None,
        base_iri: str | None = None,
        timeout: float = 30.0,
        max_bytes: int = 200_000_000,
    ):
        self.query_url = query_url
        self.graphs = sorted(graphs)
        self.prefixes = prefixes or {}
        self.base_iri = base_iri
        self.timeout = timeout
        self.max_bytes = max_bytes

    def _prologue(self) -> str:
        # Declared first so the query's own PREFIX and BASE lines, which follow, win.
        lines = [f"BASE <{self.base_iri}>"] if self.base_iri else []
        lines += [f"PREFIX {p}: <{ns}>" for p, ns in self.prefixes.items()]
        return "\n".join(lines) + "\n"

    def _dataset(self, sparql: str, default_graphs, named_graphs) -> list[tuple[str, str]]:
        if default_graphs or named_graphs:
            return [("default-graph-uri", g) for g in default_graphs or ()] + [
                ("named-graph-uri", g) for g in named_graphs or ()
            ]
        if declares_dataset(sparql):
            return []
        # Like the embedded store: the default graph is the union of the build's graphs, and
        # GRAPH ?g still sees each of them (naming graphs in the protocol replaces both).
        return [(name, g) for g in self.graphs for name in ("default-graph-uri", "named-graph-uri")]

    def _post(self, sparql: str, accept: str, dataset: list[tuple[str, str]]) -> bytes:
        body = urllib.parse.urlencode([("query", self._prologue() + sparql), *dataset]).encode()
        request = urllib.request.Request(
            self.query_url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = response.read(self.max_bytes * _TRANSFER_FACTOR + 1)
        except urllib.error.HTTPError as e:
            message = e.read(4000).decode("utf-8", "replace").strip()
            if e.code == 400:
                raise QuerySyntaxError(message or "The store rejected the query.") from None
            raise RemoteStoreError(f"The store answered {e.code}: {message[:500]}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as e:
            raise RemoteStoreError(f"The store did not answer: {getattr(e, 'reason', e)}") from None
        if len(data) > self.max_bytes * _TRANSFER_FACTOR:
            raise _LimitExceeded
        return data

    def _run(self, sparql: str, default_graphs: list[str] | None, named_graphs: list[str] | None) -> Any:
        dataset = self._dataset(sparql, default_graphs, named_graphs)
        form = query_form(sparql) or "SELECT"
        try:
            if form in ("SELECT", "ASK"):
                data = self._post(sparql, "application/sparql-results+json", dataset)
                return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
            data = self._post(sparql, "application/n-triples", dataset)
        except _LimitExceeded:
            raise OverflowError from None
        return RemoteTriples(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))

    def graph_names(self) -> list[str]:
        return list(self.graphs)


def load_graphs(
    graph_store_url: str,
    query_url: str,
    graphs: Iterable[str],
    ntriples_of: Callable[[str], bytes],
    timeout: float = 600.0,
) -> None:
    """Replace each named graph in the remote store (Graph Store Protocol PUT) with its
    N-Triples, made one graph at a time, then drop the graphs an earlier build left there and
    this one no longer has."""

    def call(method: str, graph: str, data: bytes | None = None) -> None:
        url = graph_store_url + "?" + urllib.parse.urlencode({"graph": graph})
        headers = {"Content-Type": "application/n-triples"} if data is not None else {}
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
        except urllib.error.HTTPError as e:
            if method == "DELETE" and e.code == 404:
                return
            raise RemoteStoreError(
                f"{method} of graph <{graph}> at {graph_store_url} failed: "
                f"{e.code} {e.read(500).decode('utf-8', 'replace')}"
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as e:
            raise RemoteStoreError(
                f"The graph store at {graph_store_url} did not answer: {getattr(e, 'reason', e)}"
            ) from None

    graphs = list(graphs)
    for graph in graphs:
        call("PUT", graph, ntriples_of(graph))
    listing = RemoteStore(query_url, [], timeout=timeout).query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    for graph in {row["g"].value for row in listing} - set(graphs):
        call("DELETE", graph)
