"""A build folder as the pipeline writes it and the server reads it: its manifest (build.json),
its dumps and their checksums. The one place that knows the folder's layout."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypedDict

MANIFEST = "build.json"
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
