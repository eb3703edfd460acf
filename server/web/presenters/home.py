"""What the home page shows: every area of the classification and its strategies."""

from __future__ import annotations

from rdflib.namespace import SKOS

from ...core.iris import Iris
from ...store.base import to_rdflib
from ...store.current import Build
from ...store.manifest import Manifest
from ..i18n import UI, language_of, pick_label
from . import queries
from .script_json import script_json


def _areas_and_strategies(build: Build) -> dict:
    """The areas, their names in every language and their strategies: asked once per build."""
    by_org = build.cache.get("areas-and-strategies")
    if by_org is None:
        by_org = {}
        for row in build.select(queries.AREAS_AND_STRATEGIES):
            entry = by_org.setdefault(
                row["org"].value,
                {"iri": row["org"].value, "code": row["code"].value, "labels": set(), "strategies": set()},
            )
            entry["labels"].add(to_rdflib(row["label"]))
            if row["strategy"] is not None:
                entry["strategies"].add(row["strategy"].value)
        build.cache.put("areas-and-strategies", by_org, 50_000)
    return by_org


def organisations(build: Build, iris: Iris, langs: list[str]) -> list[dict]:
    out = []
    for entry in _areas_and_strategies(build).values():
        label = pick_label({SKOS.prefLabel: sorted(entry["labels"])}, langs)
        out.append(
            {
                "iri": entry["iri"],
                "href": iris.browse_path(entry["iri"]),
                "code": entry["code"],
                "label": str(label) if label is not None else entry["iri"],  # no label: its IRI
                "lang": language_of(label),
                "strategies": [{"href": iris.browse_path(s), "iri": s} for s in sorted(entry["strategies"])],
            }
        )
    return sorted(out, key=lambda o: o["code"])


def dataset_jsonld(manifest: Manifest, base: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": base,
        "name": "Strategiaverkko",
        "description": UI["en"]["home_intro"],
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "creator": {"@type": "Organization", "name": "Strategiaverkko"},
        "spatialCoverage": {"@type": "Place", "name": "Finland"},
        "inLanguage": ["fi", "sv", "en"],
        "distribution": [
            {
                "@type": "DataDownload",
                "contentUrl": f"/download/{d['name']}",
                "encodingFormat": d["media_type"],
                "contentSize": str(d["byte_size"]),
            }
            for d in manifest.get("dumps", [])
        ],
    }
    return script_json(data)
