"""What every resource page needs beside its description: the ontology's labels and the
schema.org JSON-LD that search engines read."""

from __future__ import annotations

from ...core.iris import Iris
from ...store.base import to_rdflib
from ...store.current import Build
from .queries import ONTOLOGY_LABELS
from .resource import ResourceView
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
