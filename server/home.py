"""The home page: what the dataset is, every area and whether its strategy is in the graph."""
from __future__ import annotations


from flask import Blueprint, Response, render_template

from .http_cache import conditional
from .script_json import script_json
from .i18n import UI
from .pages import iris, languages, state
from .store import to_rdflib
from .i18n import pick_label
from .coverage import coverage

bp = Blueprint("home", __name__)


def organisations(langs: list[str]) -> list[dict]:
    build, stv = state().current(), iris().vocab
    rows = build.store.query(f"""
        SELECT ?org ?code ?label ?strategy WHERE {{
          ?org <{stv}areaCode> ?code ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?label .
          FILTER (STRLEN(?code) = 2)
          OPTIONAL {{ ?strategy a <{stv}Strategy> ; <{stv}organisation> ?org }}
        }}""")
    by_org: dict = {}
    for row in rows:
        entry = by_org.setdefault(row["org"].value, {"iri": row["org"].value, "code": row["code"].value,
                                                     "labels": {}, "strategies": set()})
        entry["labels"].setdefault(to_rdflib(row["label"]).__class__, None)
        entry["labels"].setdefault("l", set()).add(to_rdflib(row["label"]))
        if row["strategy"] is not None:
            entry["strategies"].add(row["strategy"].value)
    out = []
    for entry in by_org.values():
        from rdflib.namespace import SKOS
        label = pick_label({SKOS.prefLabel: sorted(entry["labels"]["l"])}, langs)
        out.append({"iri": entry["iri"], "href": iris().browse_path(entry["iri"]), "code": entry["code"],
                    "label": str(label), "lang": label.language,
                    "strategies": [{"href": iris().browse_path(s), "iri": s} for s in sorted(entry["strategies"])]})
    return sorted(out, key=lambda o: o["code"])


def dataset_jsonld(manifest: dict, base: str) -> str:
    data = {
        "@context": "https://schema.org", "@type": "Dataset", "@id": base,
        "name": "Strategiaverkko", "description": UI["en"]["home_intro"],
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "creator": {"@type": "Organization", "name": "Strategiaverkko"},
        "spatialCoverage": {"@type": "Place", "name": "Finland"},
        "inLanguage": ["fi", "sv", "en"],
        "distribution": [{"@type": "DataDownload", "contentUrl": f"/download/{d['name']}",
                          "encodingFormat": d["media_type"], "contentSize": str(d["byte_size"])}
                         for d in manifest.get("dumps", [])],
    }
    return script_json(data)


@bp.route("/")
def home():
    langs = languages()
    build = state().current()
    key = ("home", tuple(langs))
    body = build.cache.get(key)
    if body is None:
        orgs = organisations(langs)
        covered = {a["iri"]: a for a in coverage(langs)}
        for o in orgs:
            o["coverage"] = covered.get(o["iri"])
        body = render_template("home.html", lang=langs[0], ui=UI[langs[0]], orgs=orgs, manifest=build.manifest,
                               with_strategy=sum(1 for o in orgs if o["strategies"]),
                               jsonld=dataset_jsonld(build.manifest, iris().base)).encode("utf-8")
        build.cache.put(key, body, len(body))
    response = Response(body, content_type="text/html; charset=utf-8")
    response.vary.add("Accept-Language")
    return conditional(response, build, *map(str, key))
