"""What a build publishes beside the store: data dumps with sizes and SHA-256 checksums."""
from __future__ import annotations

import gzip
import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox


@dataclass(frozen=True)
class Dump:
    name: str           # file name under the build's download/ folder
    media_type: str
    description: str
    byte_size: int
    sha256: str

    def as_dict(self) -> dict:
        return asdict(self)


TRIG_DUMP = "strategiaverkko.trig"   # every named graph as the store holds it

DUMP_FORMATS = [
    # (file name, pyoxigraph format, media type, gzip?, description)
    ("strategiaverkko.ttl", ox.RdfFormat.TURTLE, "text/turtle", False,
     "All graphs merged (asserted, curated, inferred, ontology), Turtle"),
    ("strategiaverkko.nt.gz", ox.RdfFormat.N_TRIPLES, "application/n-triples", True,
     "All graphs merged, N-Triples, gzip-compressed"),
    ("strategiaverkko.jsonld", ox.RdfFormat.JSON_LD, "application/ld+json", False, "All graphs merged, JSON-LD"),
    (TRIG_DUMP, ox.RdfFormat.TRIG, "application/trig", False,
     "Asserted, curated, inferred and ontology named graphs, TriG"),
]


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def trig_dump_of(build_dir: Path) -> Path:
    return build_dir / "download" / TRIG_DUMP


def write_dumps(target: Path, store_path: Path, prefixes: dict[str, str]) -> list[Dump]:
    """Write every dump format of the built store into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    built = ox.Store.read_only(str(store_path))
    # The merged forms: every triple once, whichever graph it is in.
    merged = ox.Store()
    merged.bulk_load(
        input=built.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        .serialize(format=ox.RdfFormat.N_TRIPLES),
        format=ox.RdfFormat.N_TRIPLES)
    dumps = []
    for name, fmt, media_type, compress, description in DUMP_FORMATS:
        path = target / name
        if fmt == ox.RdfFormat.TRIG:
            payload = built.dump(format=fmt, prefixes=prefixes)
        else:
            payload = merged.dump(format=fmt, from_graph=ox.DefaultGraph(),
                                  prefixes=prefixes if fmt != ox.RdfFormat.N_TRIPLES else None)
        if compress:
            # mtime=0 keeps the bytes (and so the checksum) the same for the same content. Level 6,
            # not gzip's 9: at 1M triples 1.6 s instead of 3.5 s of the build, for a file 2% larger.
            payload = gzip.compress(payload, compresslevel=6, mtime=0)
        path.write_bytes(payload)
        dumps.append(Dump(name, media_type, description, path.stat().st_size, sha256_of(path)))
    return dumps


def write_checksums(target: Path, dumps: list[Dump]) -> None:
    (target / "SHA256SUMS").write_text("".join(f"{d.sha256}  {d.name}\n" for d in dumps), encoding="utf-8")


def _owned_by(org: str, vocab: str) -> str:
    """A SPARQL pattern binding ?s to everything that belongs to organisation `org`."""
    return f"""{{ BIND(<{org}> AS ?s) }}
      UNION {{ ?s <{vocab}organisation> <{org}> }}
      UNION {{ ?s <{vocab}approves>|<{vocab}informs> ?plan . ?plan <{vocab}organisation> <{org}> }}
      UNION {{ ?plan <{vocab}organisation> <{org}> ; <http://purl.org/dc/terms/temporal> ?s }}
      UNION {{ ?s <http://www.w3.org/ns/org#unitOf>|<http://www.w3.org/ns/org#organization> <{org}> }}"""


def organisation_slugs(store: ox.Store, vocab: str, base: str) -> list[str]:
    """Organisations that have a strategy in the graph (each gets its own dataset and dump)."""
    rows = store.query(f"SELECT DISTINCT ?org WHERE {{ ?s a <{vocab}Strategy> ; <{vocab}organisation> ?org }}",
                       use_default_graph_as_union=True)
    prefix = base + "id/organisation/"
    return sorted(r["org"].value[len(prefix):] for r in rows if r["org"].value.startswith(prefix))


def write_organisation_dumps(target: Path, store_path: Path, prefixes: dict[str, str], base: str) -> list[Dump]:
    """One Turtle dump per organisation with a strategy: its own resources, asserted and inferred."""
    vocab = base + "ontology#"
    built = ox.Store.read_only(str(store_path))
    folder = target / "organisations"
    folder.mkdir(parents=True, exist_ok=True)
    dumps = []
    for slug in organisation_slugs(built, vocab, base):
        org = f"{base}id/organisation/{slug}"
        triples = built.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {_owned_by(org, vocab)} ?s ?p ?o }}",
                              use_default_graph_as_union=True)
        one = ox.Store()
        one.bulk_load(input=triples.serialize(format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES)
        path = folder / f"{slug}.ttl"
        path.write_bytes(one.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes))
        dumps.append(Dump(f"organisations/{slug}.ttl", "text/turtle",
                          f"Resources of organisation {slug} (asserted and inferred), Turtle",
                          path.stat().st_size, sha256_of(path)))
    return dumps
