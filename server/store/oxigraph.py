"""The embedded store: a build's Oxigraph database, opened read-only, or an in-memory copy of it."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .base import _LABEL_NODES, QuerySyntaxError, Store, to_oxigraph, to_rdflib
from .guard import declares_dataset


class OxigraphStore(Store):
    """The embedded store of a build directory, opened read-only (many processes may share it)."""

    def __init__(
        self,
        path: Path | str,
        read_only: bool = True,
        prefixes: dict[str, str] | None = None,
        base_iri: str | None = None,
    ):
        self.path = Path(path)
        self.prefixes = prefixes or {}
        # With a base, queries may write <id/organisation/etela-savo> like the data files do.
        self.base_iri = base_iri
        self._store = ox.Store.read_only(str(self.path)) if read_only else ox.Store(str(self.path))

    def in_memory_copy(self, trig_dump: Path | None = None) -> OxigraphStore:
        """The same graphs in an in-memory store: queries run several times faster than on the
        on-disk indexes (2.5× over all canned queries on the real data), at the cost of RAM.

        `trig_dump`, the build's TriG dump of this store, is the quick way in: at 1M triples it
        parses in 3 s, where reading the quads out of the on-disk store takes 7 s before any
        parsing. The copy is filled with `load`, not `bulk_load`: on a store filled by the bulk
        loader the canned queries ran 5-20% slower (bench build at 1M, query 06: 600 ms against 500)."""
        copy = OxigraphStore.__new__(OxigraphStore)
        copy.path, copy.prefixes, copy.base_iri = self.path, self.prefixes, self.base_iri
        copy._store = ox.Store()
        if trig_dump is not None and trig_dump.is_file():
            copy._store.load(path=str(trig_dump), format=ox.RdfFormat.TRIG)
        else:
            copy._store.load(
                input=ox.serialize(self._store.quads_for_pattern(None, None, None), format=ox.RdfFormat.N_QUADS),
                format=ox.RdfFormat.N_QUADS,
            )
        return copy

    @classmethod
    def create(cls, path: Path | str, quads: Path) -> OxigraphStore:
        """Write a new on-disk store at `path` from an N-Quads file (see write_nquads), and return
        an in-memory copy of it, read back from the disk in the indexes' order.

        The build publishes from the copy: its dumps from the on-disk indexes took 8× as long (72 s
        against 9 s at 1.4 M triples). Read back from disk, the copy holds the quads in the same
        order for the same data, whatever order they were written in, so the dumps (and their
        checksums) are the same bytes build after build."""
        store = ox.Store(str(path))
        store.bulk_load(path=str(quads), format=ox.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()
        store.dump(output=str(quads), format=ox.RdfFormat.N_QUADS)
        del store
        made = cls.__new__(cls)
        made.path, made.prefixes, made.base_iri = Path(path), {}, None
        made._store = ox.Store()
        made._store.bulk_load(path=str(quads), format=ox.RdfFormat.N_QUADS)
        return made

    @property
    def oxigraph(self) -> ox.Store:
        """The pyoxigraph store itself, for the build's dumps (they need its own API)."""
        return self._store

    def graph_ntriples(self, graph_iri: str) -> bytes:
        """One named graph's triples as N-Triples."""
        payload = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph_iri))
        assert payload is not None  # dump() returns the bytes when given nowhere to write them
        return payload

    def prewarm(self) -> int:
        """Read every file of the store once, so the system keeps it in its page cache, as
        pg_prewarm does for PostgreSQL; returns the bytes read. A worker's first pages read the
        on-disk store: with its files not yet cached (after a restart) the first render of an
        entity page at 1M triples took p95 63 ms against 26-49 ms with them read first
        (bench/shared_render.py). posix_fadvise(WILLNEED) alone brought in half of the 350 MB.
        Only regular files (no link is followed), and nothing when they would take more than
        half of the memory free now: then they would push out what is cached already."""
        files = []
        for path in sorted(self.path.iterdir()):
            info = path.lstat()
            if stat.S_ISREG(info.st_mode):
                files.append((path, info.st_size))
        free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        if sum(size for _, size in files) > free // 2:
            return 0
        buffer, total = bytearray(1 << 20), 0
        for path, _ in files:
            try:
                with path.open("rb", buffering=0) as file:
                    while read := file.readinto(buffer):
                        total += read
            except OSError:
                continue  # a log file the store just rotated away
        return total

    def _run(self, sparql: str, default_graphs: list[str] | None, named_graphs: list[str] | None) -> Any:
        kwargs: dict[str, Any] = {"prefixes": self.prefixes, "base_iri": self.base_iri}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        elif not declares_dataset(sparql):
            # The union default graph, unless the query names its own dataset with FROM
            # (Oxigraph would otherwise ignore the FROM clauses).
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return self._store.query(sparql, **kwargs)
        except SyntaxError as e:
            raise QuerySyntaxError(str(e)) from None

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def describe(self, iri: str) -> list[tuple]:
        # Same answer as Store.describe, read straight from the indexes (several times faster).
        node = ox.NamedNode(iri)
        quads = list(self._store.quads_for_pattern(node, None, None))
        quads += self._store.quads_for_pattern(None, None, node)
        linked = {q.object for q in quads if not isinstance(q.object, ox.Literal)}
        linked |= {q.subject for q in quads} | {q.predicate for q in quads}
        linked.discard(node)
        for other in linked:
            for label_property in _LABEL_NODES:
                quads += self._store.quads_for_pattern(other, label_property, None)
        seen, out = set(), []
        for q in quads:
            quad = (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), to_rdflib(q.graph_name))
            if quad not in seen:
                seen.add(quad)
                out.append(quad)
        return out


def write_nquads(graphs: Mapping[str, Iterable[tuple]], path: Path) -> None:
    """Each graph's rdflib triples into an N-Quads file, in that named graph, a triple at a time:
    serialising each graph to bytes first held all of them in memory (about 1.5 GB at 10 M)."""
    quads = (
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(graph_iri))
        for graph_iri, triples in graphs.items()
        for s, p, o in triples
    )
    ox.serialize(quads, output=str(path), format=ox.RdfFormat.N_QUADS)


# Queries are parsed against an empty store: parsing comes first, and with no data there is
# nothing to compute. A SELECT or CONSTRUCT is lazy and never iterated here; an ASK is answered
# at once, from no data. The caller keeps SERVICE out (an ASK would otherwise reach out).
_NOTHING = ox.Store()


def parse_error(sparql: str, prefixes: dict[str, str], base_iri: str) -> str | None:
    """The engine's own message if `sparql` does not parse, else None (the query is not run)."""
    try:
        _NOTHING.query(sparql, prefixes=prefixes, base_iri=base_iri)
    except SyntaxError as e:
        return str(e)
    return None
