"""What the coverage page shows: per area of the classification, whether a strategy is in the graph, its
period and version, and the date of the newest source its facts rest on.

A strategy's version is counted in the graph: 1 for a strategy that replaces no other, 2 for one
that replaces (dct:replaces) a version 1, and so on. The current strategy of an area is one that no
other strategy replaces. "Last source" is the newest publication (dct:issued) or modification
(dct:modified) date among the sources of the area's strategies, their statements, periods,
decisions, evaluations and councils, to the precision the sources give.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import SKOS

from ...core.iris import Iris
from ...store.base import to_rdflib
from ...store.current import Build
from ..formatting import human_date
from ..i18n import in_reader_language, language_of, pick_label
from . import queries


def _value(row, name: str) -> str | None:
    term = row[name]
    return None if term is None else term.value


@dataclass(frozen=True)
class _Facts:
    """What coverage shows, before any language is chosen: asked of the store once per build
    (home and /coverage, in every language, use the same)."""

    areas: dict[str, dict]
    strategies: dict[str, dict]
    notes: dict[str, list]
    decided: dict[str, str]
    last_source: dict[str, tuple[str | None, int]]


def _facts(build: Build) -> _Facts:
    facts = build.cache.get("coverage-facts")
    if facts is None:
        facts = _ask_facts(build)
        build.cache.put("coverage-facts", facts, 50_000)
    return facts


def _ask_facts(build: Build) -> _Facts:
    areas: dict[str, dict] = {}
    for row in build.select(queries.AREAS):
        entry = areas.setdefault(row["org"].value, {"iri": row["org"].value, "code": row["code"].value, "labels": []})
        entry["labels"].append(to_rdflib(row["label"]))

    # The queries below start from the areas (a VALUES block first in each): over the whole graph
    # they took 3.5 s at 1M triples, most of it for organisations that are not areas.
    of_areas = (("org",), [(ox.NamedNode(iri),) for iri in areas])
    strategies: dict[str, dict] = {}
    for row in build.select(queries.STRATEGIES_WITH_PERIODS, values=of_areas):
        s = strategies.setdefault(
            row["s"].value,
            {
                "iri": row["s"].value,
                "org": row["org"].value,
                "replaces": set(),
                "label": None,  # the name's literal: its text and its language
                "period": None,
                "start": None,
                "end": None,
            },
        )
        for key in ("period", "start", "end"):
            s[key] = s[key] or _value(row, key)
        if s["label"] is None and row["label"] is not None:
            s["label"] = to_rdflib(row["label"])
        if row["old"] is not None:
            s["replaces"].add(row["old"].value)

    # What was searched and not found, for the areas still without a strategy (maintainers' notes).
    notes: dict[str, list] = {}
    for row in build.select(queries.COVERAGE_NOTES):
        notes.setdefault(row["org"].value, []).append(to_rdflib(row["note"]))

    decided: dict[str, str] = {}
    of_strategies = (("s",), [(ox.NamedNode(iri),) for iri in strategies])
    for row in build.select(queries.LAST_FINAL_DECISIONS, values=of_strategies) if strategies else ():
        decided[row["s"].value] = row["last"].value

    # Sources of the area's facts, and the newest date they give.
    sources: dict[str, set[str]] = {}
    for query in queries.SOURCES_OF_ORGANISATIONS if areas else ():
        for row in build.select(query, values=of_areas):
            sources.setdefault(row["org"].value, set()).add(row["src"].value)
    of_sources = (("src",), [(ox.NamedNode(src),) for src in sorted(set().union(*sources.values()))])
    dates: dict[str, list[str]] = {}
    for row in build.select(queries.SOURCE_DATES, values=of_sources) if of_sources[1] else ():
        dates.setdefault(row["src"].value, []).append(row["d"].value)
    last_source: dict[str, tuple[str | None, int]] = {}
    for org, srcs in sources.items():
        known = [d for src in srcs for d in dates.get(src, [])]
        last_source[org] = (max(known) if known else None, len(srcs))
    return _Facts(areas, strategies, notes, decided, last_source)


def coverage(build: Build, iris: Iris, langs: list[str]) -> list[dict]:
    """One entry per area (two-digit area code), in code order."""
    facts = _facts(build)
    areas, strategies, notes, decided, last_source = (
        facts.areas,
        facts.strategies,
        facts.notes,
        facts.decided,
        facts.last_source,
    )

    def version(iri: str, seen: frozenset = frozenset()) -> int:
        olds = [o for o in strategies[iri]["replaces"] if o in strategies and o not in seen]
        return 1 + max((version(o, seen | {iri}) for o in olds), default=0)

    replaced = {old for s in strategies.values() for old in s["replaces"]}
    out = []
    for area in areas.values():
        label = pick_label({SKOS.prefLabel: sorted(area["labels"])}, langs)
        own = [s for s in strategies.values() if s["org"] == area["iri"]]
        versions = sorted(
            (
                {
                    "iri": s["iri"],
                    "href": iris.browse_path(s["iri"]),
                    "label": str(s["label"]) if s["label"] is not None else s["iri"],
                    "lang": s["label"].language if s["label"] is not None else None,
                    "period": s["period"],
                    "start": s["start"],
                    "end": s["end"],
                    "version": version(s["iri"]),
                    "current": s["iri"] not in replaced,
                    "decided": decided.get(s["iri"]),
                    "decided_text": human_date(decided.get(s["iri"]), langs[0]),
                }
                for s in own
            ),
            key=lambda v: (v["version"], v["iri"]),
        )
        last, n_sources = last_source.get(area["iri"], (None, 0))
        out.append(
            {
                "iri": area["iri"],
                "href": iris.browse_path(area["iri"]),
                "code": area["code"],
                "label": str(label) if label is not None else area["iri"],  # no label: its IRI
                "lang": language_of(label),
                "strategies": versions,
                "current": [v for v in versions if v["current"]],
                "last_source": last if own else None,
                "last_source_text": human_date(last, langs[0]) if own else None,
                "sources": n_sources if own else 0,
                "searched": in_reader_language(notes.get(area["iri"], []), langs),
            }
        )
    return sorted(out, key=lambda a: a["code"])
