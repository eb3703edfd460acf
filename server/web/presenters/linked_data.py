"""What every resource page needs beside its description: the ontology's labels and the
schema.org JSON-LD that search engines read."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Literal

from ...core.iris import Iris, is_absolute_iri
from ...store.base import to_rdflib
from ...store.current import Build
from ..formatting import human_literal
from ..i18n import in_reader_language
from .queries import ONTOLOGY_LABELS, PARTS_OF_UNLABELLED
from .resource import ResourceView, external_label_index
from .script_json import script_json


def ontology_labels(build: Build, iris: Iris) -> dict:
    """Labels of every ontology term (for predicates and types on pages), cached per build."""
    cached = build.cache.get("ontology-labels")
    if cached is not None:
        return cached
    labels: dict = {}
    for row in build.store.query(ONTOLOGY_LABELS):
        labels.setdefault(to_rdflib(row["s"]), {}).setdefault(to_rdflib(row["p"]), []).append(to_rdflib(row["o"]))
    build.cache.put("ontology-labels", labels, 200_000)
    return labels


def name_the_unlabelled(build: Build, view: ResourceView, languages: list[str], iris: Iris) -> None:
    """Things of ours without a label (a municipality's membership, a strategy's recording) are
    named by what they link to ("Imatra · 2023, 2024"), never shown as a raw id/… path: the
    values on the page, and the page's own title."""
    values = [
        v
        for row in (*view.properties, *view.inferred, *view.incoming)
        for v in row.values
        if not v.labelled and v.iri and iris.local_path(v.iri)
    ]
    own = not view.title_labelled and iris.local_path(view.iri) is not None
    nodes = sorted({v.iri for v in values if v.iri} | ({view.iri} if own else set()))
    if not nodes:
        return
    names = names_by_links(build.store, nodes, view.iri, languages)
    for v in values:
        if v.iri in names:
            v.text, v.lang, v.parts = names[v.iri]
    if own and view.iri in names:
        view.title, view.title_lang, view.title_parts = names[view.iri]


NAME_PART_MAX = 60  # characters: a literal longer than this is a note, not part of a name


# A name made of labels: its text, its language (None when its labels' languages differ) and, when
# they differ, its pieces each with its own language (None: a separator, or a date written in the
# reader's language), so that a page marks each piece's language (WCAG 3.1.2).
MadeName = tuple[str, str | None, tuple[tuple[str, str | None], ...]]


def names_by_links(store, nodes: list[str], page: str, languages: list[str]) -> dict[str, MadeName]:
    """IRI -> its MadeName, made of the labels of what each node links to, leaving out links to
    `page` (the page's own thing: the reader knows it)."""
    parts: dict[str, dict[str, dict[str, list]]] = {}
    nodes = [n for n in nodes if is_absolute_iri(n)]  # a blank node cannot be asked for by name
    if not nodes:
        return {}
    for row in store.query(PARTS_OF_UNLABELLED, values=(("s",), [(ox.NamedNode(n),) for n in nodes])):
        if row["o"].value == page:
            continue
        by_object = parts.setdefault(row["s"].value, {}).setdefault(row["p"].value, {})
        labels = by_object.setdefault(row["o"].value, [])
        if isinstance(row["o"], ox.Literal):
            if len(row["o"].value) <= NAME_PART_MAX:  # a year or a status names it; a note does not
                labels.append(to_rdflib(row["o"]))
        elif row["label"] is not None:
            labels.append(to_rdflib(row["label"]))
        else:  # a term of another vocabulary (dct:PeriodOfTime): our display labels name it
            for literals in external_label_index().get(to_rdflib(row["o"]), {}).values():
                labels.extend(literals)
    names: dict[str, MadeName] = {}
    for node in nodes:
        groups: list[list[tuple[str, str | None]]] = []
        for _prop, objects in sorted(parts.get(node, {}).items()):
            found = [t for labels in objects.values() if (t := _shown(labels, languages))]
            shown = sorted(found, key=lambda t: t[0])
            if shown and shown not in groups:
                groups.append(shown)  # once, though two properties lead to it (decided by, associated with)
        if not groups:
            continue
        pieces: list[tuple[str, str | None]] = []
        for number, group in enumerate(groups):
            if number:
                pieces.append((" · ", None))
            for place, label in enumerate(group):
                if place:
                    pieces.append((", ", None))
                pieces.append(label)
        text = "".join(piece for piece, _ in pieces)
        tags = {tag for _, tag in (label for group in groups for label in group)}
        one_language = len(tags) == 1
        names[node] = (text, tags.pop() if one_language else None, () if one_language else tuple(pieces))
    return names


def _shown(labels: list, languages: list[str]) -> tuple[str, str | None] | None:
    """(text, language tag) of the label in the reader's first language that has one (else any),
    as the reader writes it."""
    chosen = in_reader_language([label for label in labels if isinstance(label, Literal)], languages)
    return None if chosen is None else (human_literal(chosen, languages[0]), chosen.language)


def schema_org_jsonld(view: ResourceView, iris: Iris) -> str:
    """schema.org JSON-LD for search engines: organisations as GovernmentOrganization, etc."""
    types = {v.iri for v in view.types}
    stv = iris.vocab
    if stv + "WellbeingServicesCounty" in types or "http://data.europa.eu/m8g/PublicOrganisation" in types:
        kind = "GovernmentOrganization"
    elif stv + "Strategy" in types or any(t and t.startswith(stv) and "Programme" in t for t in types):
        kind = "CreativeWork"
    elif stv + "Decision" in types or stv + "Consultation" in types:
        kind = "Event"
    else:
        kind = "Thing"
    data = {"@context": "https://schema.org", "@type": kind, "@id": view.iri, "name": view.title, "url": view.iri}
    if view.title_lang:
        data["inLanguage"] = view.title_lang
    # "</" would end the script element early; JSON allows it escaped.
    return script_json(data)
