"""A build folder as the pipeline writes it and the server reads it: its manifest (build.json),
its dumps and their checksums. The one place that knows the folder's layout."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypedDict

MANIFEST = "build.json"
CHECKSUMS = "SHA256SUMS"  # beside the dumps, in sha256sum's format
TRIG_DUMP = "strategiaverkko.trig"  # every named graph as the store holds it


class Manifest(TypedDict, total=False):
    """build.json: what a build holds and how it was made."""

    id: str
    created: str  # ISO 8601, UTC, seconds
    base_iri: str
    source: dict[str, Any]  # {"commit": …, "dirty": …}
    inputs: dict[str, str]  # source file -> SHA-256
    graphs: dict[str, int]  # named graph IRI -> triples
    store: dict[str, Any]  # {"embedded": true} or the remote store's URLs
    triples: int
    warnings: list[str]
    dumps: list[dict[str, Any]]  # Dump.as_dict() of each
    search: dict[str, Any]  # {"file", "analyser", "texts", "byte_size", "sha256"} of the search index
    statistics: dict[str, Any]  # store.statistics.count(): the counts pages show
    timings_s: dict[str, float]
    versions: dict[str, str]


@dataclass(frozen=True)
class Dump:
    name: str  # file name under the build's download/ folder
    media_type: str
    description: str
    byte_size: int
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def checksums_text(dumps: list[dict[str, Any]]) -> str:
    """SHA256SUMS as `sha256sum -c` reads it: one line per dump."""
    return "".join(f"{d['sha256']}  {d['name']}\n" for d in dumps)


def read_manifest(build_dir: Path) -> Manifest:
    manifest: Manifest = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
    return manifest


def current_build(var_dir: Path | str) -> Path | None:
    """The folder of the build being served, or None before the first build."""
    link = Path(var_dir) / "current"
    return link.resolve() if link.exists() else None


def trig_dump_of(build_dir: Path) -> Path:
    return build_dir / "download" / TRIG_DUMP


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class BuildDamaged(Exception):
    """A build folder that does not match its manifest, or has none that can be read."""


def verified_manifest(build_dir: Path) -> Manifest:
    """The manifest of `build_dir`, once every file it lists is there with its size and SHA-256.

    A build is served from these files (query processes load the TriG dump; downloads send the
    dumps), so one cut short or changed since the build must not be served: a TriG cut at a
    graph boundary is still valid TriG, and answered with part of the graph."""
    try:
        manifest = read_manifest(build_dir)
        dumps = manifest["dumps"]
        missing = [key for key in ("id", "created", "graphs", "triples") if key not in manifest]
        if missing:
            raise KeyError(", ".join(missing))
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise BuildDamaged(f"{build_dir / MANIFEST} cannot be read: {e}") from None
    try:
        remote = (manifest.get("store") or {}).get("query_url")
        if not remote and not (build_dir / "store").is_dir():
            raise BuildDamaged(f"{build_dir / 'store'} is missing")
        for dump in dumps:
            _verify_dump(build_dir / "download" / dump["name"], dump["byte_size"], dump["sha256"])
        if "search" in manifest:
            search = manifest["search"]
            _verify_dump(build_dir / search["file"], search["byte_size"], search["sha256"])
        checksums = build_dir / "download" / CHECKSUMS
        if checksums.read_text(encoding="utf-8") != checksums_text(dumps):
            raise BuildDamaged(f"{checksums} does not list the dumps' checksums in the manifest")
    except (KeyError, TypeError, AttributeError) as e:
        raise BuildDamaged(f"{build_dir / MANIFEST} lists a dump it does not describe in full: {e!r}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise BuildDamaged(f"{build_dir / 'download' / CHECKSUMS} cannot be read: {e}") from None
    return manifest


def _verify_dump(path: Path, byte_size: int, sha256: str) -> None:
    try:
        size = path.stat().st_size
        if size != byte_size:
            raise BuildDamaged(f"{path} has {size:,} bytes; the manifest says {byte_size:,}")
        if sha256_of(path) != sha256:
            raise BuildDamaged(f"{path} does not match its SHA-256 in the manifest")
    except OSError as e:
        raise BuildDamaged(f"{path} cannot be read: {e.strerror or e}") from None
