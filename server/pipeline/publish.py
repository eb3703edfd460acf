"""What a build publishes beside the store: data dumps with sizes and SHA-256 checksums."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, cast

import pyoxigraph as ox

from ..core.errors import StrategiaverkkoError
from ..core.formats import RDF_BY_KEY, RdfFormat
from ..core.iris import Iris
from ..store.guard import with_values
from ..store.manifest import CHECKSUMS, TRIG_DUMP, Dump, Manifest, checksums_text, sha256_of

DUMP_FORMATS = [
    # (file name, format, gzip?, description)
    (
        "strategiaverkko.ttl",
        RDF_BY_KEY["turtle"],
        False,
        "All graphs merged (asserted, curated, inferred, ontology), Turtle",
    ),
    ("strategiaverkko.nt.gz", RDF_BY_KEY["ntriples"], True, "All graphs merged, N-Triples, gzip-compressed"),
    ("strategiaverkko.jsonld", RDF_BY_KEY["jsonld"], False, "All graphs merged, JSON-LD"),
    (TRIG_DUMP, RDF_BY_KEY["trig"], False, "Asserted, curated, inferred and ontology named graphs, TriG"),
]


# Formats that allow comments open with the licence, so a file that travels alone still says it.
LICENCE_COMMENT = (
    b"# Strategiaverkko: the strategies of Finnish wellbeing services counties as linked data.\n"
    b"# Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Credit Strategiaverkko and the sources\n"
    b"# it names (prov:wasDerivedFrom); names and texts are verbatim quotations from the counties' publications,\n"
    b"# except our summaries (stv:summary) and translations (stv:translatedName), which are marked as ours.\n"
)
COMMENTED = {ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N_TRIPLES}


def write_dumps(target: Path, built: ox.Store, prefixes: dict[str, str], every_triple: Path) -> list[Dump]:
    """Write the dumps that keep the named graphs (TriG) from the built store into `target`, and
    every triple of it, whichever graph it is in, into the file `every_triple` (N-Triples) for
    write_merged_dumps.

    The merged forms are made apart so that the built store can go first: at 10 M triples the
    built store and the merged one together set the build's peak (8.7 GiB). Each dump is written
    straight to its file: the dumps held in memory (JSON-LD alone some gigabytes) were most of it
    before that."""
    target.mkdir(parents=True, exist_ok=True)
    triples = built.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    assert isinstance(triples, ox.QueryTriples)
    triples.serialize(output=str(every_triple), format=ox.RdfFormat.N_TRIPLES)
    return [
        _write_dump(target, name, rdf_format, compress, description, built, None, prefixes)
        for name, rdf_format, compress, description in DUMP_FORMATS
        if rdf_format.oxigraph == ox.RdfFormat.TRIG
    ]


def write_merged_dumps(target: Path, every_triple: Path, prefixes: dict[str, str]) -> list[Dump]:
    """The dumps of all graphs merged (every triple once), from the file write_dumps wrote; the
    file is removed after."""
    merged = ox.Store()
    merged.bulk_load(path=str(every_triple), format=ox.RdfFormat.N_TRIPLES)
    every_triple.unlink()
    return [
        _write_dump(target, name, rdf_format, compress, description, merged, ox.DefaultGraph(), prefixes)
        for name, rdf_format, compress, description in DUMP_FORMATS
        if rdf_format.oxigraph != ox.RdfFormat.TRIG
    ]


def _write_dump(
    target: Path,
    name: str,
    rdf_format: RdfFormat,
    compress: bool,
    description: str,
    store: ox.Store,
    graph: ox.DefaultGraph | None,
    prefixes: dict[str, str],
) -> Dump:
    path, fmt, media_type = inside(target, name), rdf_format.oxigraph, rdf_format.media_type
    with _open_dump(path, compress) as out:
        if fmt in COMMENTED:
            out.write(LICENCE_COMMENT)
        store.dump(
            output=out,
            format=fmt,
            from_graph=graph,
            prefixes=prefixes if fmt != ox.RdfFormat.N_TRIPLES else None,
        )
    return Dump(name, media_type, description, path.stat().st_size, sha256_of(path))


@contextmanager
def _open_dump(path: Path, compress: bool) -> Iterator[BinaryIO]:
    with path.open("wb") as file:
        if not compress:
            yield file
            return
        # mtime=0 and no file name keep the bytes (and so the checksum) the same for the same
        # content. Level 6, not gzip's 9: at 1M triples 1.6 s instead of 3.5 s of the build, for
        # a file 2% larger.
        with gzip.GzipFile(filename="", fileobj=file, mode="wb", compresslevel=6, mtime=0) as zipped:
            yield cast(BinaryIO, zipped)


def dated_dumps(dumps: list[Dump], previous: Manifest | None, now: str) -> list[dict[str, Any]]:
    """Each dump as the manifest lists it, with when it was first published (`issued`) and when
    its bytes last changed (`modified`), carried over from the build served before for a dump of
    the same name. A harvester re-imports what the catalog says was modified: a rebuild of
    unchanged data must not say that every file changed. `previous` None: the first build."""
    before = {d["name"]: d for d in previous["dumps"]} if previous and "dumps" in previous else {}
    made = previous.get("created", now) if previous else now  # a build made before dumps were dated
    dated = []
    for dump in dumps:
        entry, earlier = dump.as_dict(), before.get(dump.name)
        if earlier is None:
            entry.update(issued=now, modified=now)
        else:
            unchanged = earlier.get("sha256") == dump.sha256
            entry.update(
                issued=earlier.get("issued", made), modified=earlier.get("modified", made) if unchanged else now
            )
        dated.append(entry)
    return dated


def write_checksums(target: Path, dumps: list[Dump]) -> None:
    inside(target, CHECKSUMS).write_text(checksums_text([d.as_dict() for d in dumps]), encoding="utf-8")


# Everything that belongs to organisation ?org: itself (the path's zero steps), its plans and
# statements, the decisions and reports on its plans, their periods, its units and memberships.
# One path, not a UNION with a BIND(?org AS ?s) branch: a group inside a UNION cannot see the
# ?org that the VALUES block binds outside it.
OWNED_BY_ORGANISATION = """
CONSTRUCT { ?s ?p ?o } WHERE {
  ?org (^stv:organisation | ^stv:organisation/(^stv:approves | ^stv:informs) | ^stv:organisation/dct:temporal
        | ^org:unitOf | ^org:organization)? ?s .
  ?s ?p ?o
}"""
ORGANISATIONS_WITH_STRATEGY = "SELECT DISTINCT ?org WHERE { ?s a stv:Strategy ; stv:organisation ?org }"


def organisation_slugs(store: ox.Store, prefixes: dict[str, str], base: str) -> list[str]:
    """Organisations that have a strategy in the graph (each gets its own dataset and dump).
    Only well-formed IRIs of ours count: a slug names a file (the check refuses the others)."""
    rows = store.query(ORGANISATIONS_WITH_STRATEGY, prefixes=prefixes, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    iris = Iris(base)
    return sorted({slug for r in rows if (slug := iris.slug_of(r["org"].value, "organisation")) is not None})


class UnsafePath(StrategiaverkkoError):
    status = 500
    title = "Refused to write outside the build"


def inside(folder: Path, name: str) -> Path:
    """`folder / name`, proven to stay inside `folder`: a name that comes from data (a slug)
    must never lead the build to write anywhere else."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise UnsafePath(f"refused to write {name!r}: it would land outside {folder}")
    return path


def write_organisation_dumps(target: Path, built: ox.Store, prefixes: dict[str, str], base: str) -> list[Dump]:
    """One Turtle dump per organisation with a strategy: its own resources, from every graph merged into one."""
    folder = target / "organisations"
    folder.mkdir(parents=True, exist_ok=True)
    dumps = []
    for slug in organisation_slugs(built, prefixes, base):
        org = ox.NamedNode(f"{base}id/organisation/{slug}")
        triples = _ntriples(built, with_values(OWNED_BY_ORGANISATION, ["org"], [(org,)]), prefixes)
        one = ox.Store()
        one.bulk_load(input=triples, format=ox.RdfFormat.N_TRIPLES)
        path = inside(folder, f"{slug}.ttl")
        turtle = one.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes)
        path.write_bytes(LICENCE_COMMENT + _bytes(turtle))
        dumps.append(
            Dump(
                f"organisations/{slug}.ttl",
                "text/turtle",
                f"Resources of organisation {slug}, from every graph merged, Turtle",
                path.stat().st_size,
                sha256_of(path),
            )
        )
    return dumps


def _ntriples(store: ox.Store, construct: str, prefixes: dict[str, str] | None = None) -> bytes:
    """A CONSTRUCT's triples over the union of the store's graphs, as N-Triples."""
    triples = store.query(construct, prefixes=prefixes, use_default_graph_as_union=True)
    assert isinstance(triples, ox.QueryTriples)
    return _bytes(triples.serialize(format=ox.RdfFormat.N_TRIPLES))


def _bytes(payload: bytes | None) -> bytes:
    # pyoxigraph returns the bytes when it is given no file to write to.
    assert payload is not None
    return payload
