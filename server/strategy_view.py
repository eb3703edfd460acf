"""Pages that show a thing the way people think of it: a strategy with its parts in order and
its decisions in time; an organisation with its strategies, council and municipalities."""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal

from .diagram import strategy_svg
from .i18n import UI, pick_label
from .iris import Iris
from .store import to_rdflib

ELEMENT_KINDS = [  # (class local name, UI key)
    ("Vision", "vision"), ("Mission", "mission"), ("Value", "values"),
    ("StrategicPriority", "priorities"), ("QualitativeGoal", "goals"), ("Goal", "goals"),
]


@dataclass
class Item:
    iri: str
    href: str | None
    label: str
    lang: str | None = None
    text: str | None = None
    order: int | None = None
    extra: dict = field(default_factory=dict)


def _labels(store, iris: Iris, nodes: set[str], langs: list[str]) -> dict[str, Literal]:
    if not nodes:
        return {}
    values = " ".join(f"<{n}>" for n in nodes)
    rows = store.query(f"""SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }}
        VALUES ?p {{ <http://www.w3.org/2004/02/skos/core#prefLabel> <http://www.w3.org/2000/01/rdf-schema#label> }}
        ?s ?p ?o }}""")
    by_node: dict = {}
    for row in rows:
        by_node.setdefault(row["s"].value, {}).setdefault(to_rdflib(row["p"]), []).append(to_rdflib(row["o"]))
    return {n: pick_label(props, langs) for n, props in by_node.items()}


def _text(store, iri: str, prop: str, langs: list[str]) -> str | None:
    rows = store.query(f"SELECT ?t WHERE {{ <{iri}> <{prop}> ?t }}")
    literals = [to_rdflib(r["t"]) for r in rows]
    for lang in [*langs, None]:
        for literal in literals:
            if lang is None or literal.language == lang:
                return str(literal)
    return None


def strategy_parts(store, iri: str, langs: list[str], iris: Iris) -> dict:
    stv = iris.vocab
    rows = list(store.query(f"""
        SELECT ?e ?kind ?order WHERE {{
          GRAPH <{iris.graph('asserted')}> {{ ?e <{stv}partOfPlan> <{iri}> ; a ?kind }}
          OPTIONAL {{ ?e <{stv}order> ?order }}
        }}"""))
    nodes = {r["e"].value for r in rows}
    labels = _labels(store, iris, nodes, langs)
    sections: dict[str, list[Item]] = {}
    for row in rows:
        kind = row["kind"].value.removeprefix(stv)
        key = dict(ELEMENT_KINDS).get(kind)
        if key is None:
            continue
        e = row["e"].value
        label = labels.get(e)
        sections.setdefault(key, []).append(Item(
            e, iris.browse_path(e), str(label) if label is not None else e, label.language if label is not None else None,
            _text(store, e, stv + "text", langs), int(row["order"].value) if row["order"] else None))
    for items in sections.values():
        items.sort(key=lambda i: (i.order or 0, i.label))
    return sections


def related_plans(store, iri: str, langs: list[str], iris: Iris) -> list[Item]:
    stv = iris.vocab
    rows = list(store.query(f"""
        SELECT DISTINCT ?p ?rel WHERE {{
          GRAPH <{iris.graph('asserted')}> {{ ?p ?rel <{iri}> }}
          FILTER (?rel IN (<{stv}refines>, <{stv}implements>, <{stv}basedOn>, <{stv}complements>))
        }}"""))
    labels = _labels(store, iris, {r["p"].value for r in rows} | {r["rel"].value for r in rows}, langs)
    items = {}
    for row in rows:
        p = row["p"].value
        item = items.setdefault(p, Item(p, iris.browse_path(p), str(labels.get(p) or p)))
        item.extra.setdefault("relations", []).append(str(labels.get(row["rel"].value) or row["rel"].value))
    return sorted(items.values(), key=lambda i: i.label)


def timeline(store, iri: str, langs: list[str], iris: Iris) -> list[Item]:
    """Decisions on the strategy and on plans based on it, consultations and reports, by date."""
    stv = iris.vocab
    rows = list(store.query(f"""
        SELECT DISTINCT ?event ?date ?plan ?status ?body WHERE {{
          {{ ?event <{stv}approves> ?plan . OPTIONAL {{ ?event <{stv}documentStatus> ?status }}
             OPTIONAL {{ ?event <{stv}decidedBy> ?body }} }}
          UNION {{ ?event <{stv}informs> ?plan }}
          ?event <{stv}date> ?date .
          {{ BIND(<{iri}> AS ?plan) }} UNION {{ ?plan <{stv}basedOn>|<{stv}refines>|<{stv}implements>|<{stv}complements> <{iri}> }}
        }}"""))
    reports = list(store.query(f"""
        SELECT ?event ?date WHERE {{
          <{iri}> <{stv}organisation> ?org . ?event a <{stv}Report> ; <{stv}organisation> ?org ; <{stv}date> ?date }}"""))
    nodes = {r["event"].value for r in rows + reports} | {r["plan"].value for r in rows if r["plan"]}
    nodes |= {r["status"].value for r in rows if r["status"]} | {r["body"].value for r in rows if r["body"]}
    labels = _labels(store, iris, nodes, langs)
    events: dict[str, Item] = {}
    for row, is_report in [(r, False) for r in rows] + [(r, True) for r in reports]:
        e = row["event"].value
        description = _text(store, e, "http://purl.org/dc/terms/description", langs)
        item = events.setdefault(e, Item(e, iris.browse_path(e), str(labels.get(e) or description or e),
                                         text=description, extra={"date": row["date"].value, "plans": []}))
        if not is_report and row["plan"] is not None:
            plan = row["plan"].value
            if plan not in [p for p, _ in item.extra["plans"]]:
                item.extra["plans"].append((plan, str(labels.get(plan) or plan)))
            if row["status"] is not None:
                item.extra["status"] = str(labels.get(row["status"].value) or "")
            if row["body"] is not None:
                item.extra["body"] = (iris.browse_path(row["body"].value), str(labels.get(row["body"].value) or ""))
    return sorted(events.values(), key=lambda i: i.extra["date"])


def organisation_parts(store, iri: str, langs: list[str], iris: Iris) -> dict:
    stv = iris.vocab
    strategies = [r["s"].value for r in store.query(
        f"SELECT ?s WHERE {{ ?s a <{stv}Strategy> ; <{stv}organisation> <{iri}> }}")]
    units = [r["u"].value for r in store.query(
        f"SELECT ?u WHERE {{ ?u <http://www.w3.org/ns/org#unitOf> <{iri}> }}")]
    members = list(store.query(f"""
        SELECT ?m (GROUP_CONCAT(STR(?y); separator=", ") AS ?years) WHERE {{
          ?ms <http://www.w3.org/ns/org#organization> <{iri}> ; <http://www.w3.org/ns/org#member> ?m ;
              <{stv}validInYear> ?y }} GROUP BY ?m"""))
    nodes = set(strategies) | set(units) | {r["m"].value for r in members}
    labels = _labels(store, iris, nodes, langs)
    item = lambda n: Item(n, iris.browse_path(n), str(labels.get(n) or n))  # noqa: E731
    municipalities = []
    for row in members:
        m = item(row["m"].value)
        m.extra["years"] = ", ".join(sorted(row["years"].value.split(", ")))
        municipalities.append(m)
    return {"strategies": sorted(map(item, strategies), key=lambda i: i.label),
            "units": sorted(map(item, units), key=lambda i: i.label),
            "municipalities": sorted(municipalities, key=lambda i: i.label)}


def _organisation_themes(iri: str, langs: list[str], iris: Iris) -> list[dict]:
    """The themes the organisation's statements address and who else addresses them: the rows of
    the same canned query as /compare (curated links, graph/curated)."""
    from .compare import organisation_themes
    from .pages import state
    return organisation_themes(state().current(), iris, langs[0], iri)


def special_view(store, iri: str, view, langs: list[str], iris: Iris):
    """(template, extra context) for strategies and organisations; None for other things."""
    types = {v.iri for v in view.types}
    ui = UI[langs[0]]
    if iris.term("Strategy") in types:
        sections = strategy_parts(store, iri, langs, iris)
        programmes = related_plans(store, iri, langs, iris)
        rows = [(ui["vision"], sections.get("vision", [])), (ui["mission"], sections.get("mission", [])),
                (ui["values"], sections.get("values", [])), (ui["priorities"], sections.get("priorities", [])),
                (ui["goals"], sections.get("goals", [])), (ui["programmes"], programmes)]
        svg = strategy_svg(view.title, [(h, [(i.label, i.text or "", i.href) for i in items]) for h, items in rows],
                           f"{ui['structure']}: {view.title}")
        return "strategy.html", {"sections": sections, "programmes": programmes, "diagram": svg,
                                 "events": timeline(store, iri, langs, iris)}
    if iris.term("WellbeingServicesCounty") in types or "http://www.w3.org/ns/org#Organization" in types:
        org = organisation_parts(store, iri, langs, iris)
        return "organisation.html", {"org": org, "curated_graph": iris.graph("curated"),
                                     "themes": _organisation_themes(iri, langs, iris) if org["strategies"] else None}
    return None
