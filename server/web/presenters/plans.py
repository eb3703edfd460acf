"""Pages that show a thing the way people think of it: a strategy with its parts in order and
its decisions in time; an organisation with its strategies, council and municipalities."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Literal

from ...core.iris import Iris, is_absolute_iri
from ...store.base import to_rdflib
from ...store.current import Build
from ..i18n import UI, in_reader_language, language_of, pick_label
from . import queries
from .compare import organisation_themes
from .diagram import strategy_svg
from .linked_data import names_by_links

ELEMENT_KINDS = [  # (class local name, UI key)
    ("Vision", "vision"),
    ("Mission", "mission"),
    ("Value", "values"),
    ("StrategicPriority", "priorities"),
    ("QualitativeGoal", "goals"),
    ("Goal", "goals"),
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


def _labels(store, iris: Iris, nodes: set[str], langs: list[str]) -> dict[str, Literal | None]:
    if not nodes:
        return {}
    iris_only = [n for n in nodes if is_absolute_iri(n)]  # a blank node (a node without IRI) has no label here
    if not iris_only:
        return {}
    rows = store.query(queries.LABELS_OF, values=(("s",), [(ox.NamedNode(n),) for n in iris_only]))
    by_node: dict = {}
    for row in rows:
        by_node.setdefault(row["s"].value, {}).setdefault(to_rdflib(row["p"]), []).append(to_rdflib(row["o"]))
    return {n: pick_label(props, langs) for n, props in by_node.items()}


def _text(store, iri: str, prop: str, langs: list[str]) -> str | None:
    literal = _text_literal(store, iri, prop, langs)
    return None if literal is None else str(literal)


def _text_literal(store, iri: str, prop: str, langs: list[str]) -> Literal | None:
    """The value of `prop` in the reader's first language that has one (else any), with its tag."""
    if not is_absolute_iri(iri):
        return None  # a blank node: nothing to look up by name
    rows = store.query(queries.VALUES_OF, bind={"resource": ox.NamedNode(iri), "property": ox.NamedNode(prop)})
    return in_reader_language([to_rdflib(r["t"]) for r in rows], langs)


def strategy_parts(store, iri: str, langs: list[str], iris: Iris) -> dict:
    stv = iris.vocab
    rows = list(store.query(queries.STRATEGY_PARTS, bind={"strategy": ox.NamedNode(iri)}))
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
        sections.setdefault(key, []).append(
            Item(
                e,
                iris.browse_path(e),
                str(label) if label is not None else e,
                language_of(label),
                _text(store, e, stv + "text", langs),
                int(row["order"].value) if row["order"] else None,
            )
        )
    for items in sections.values():
        items.sort(key=lambda i: (i.order or 0, i.label))
    return sections


def related_plans(store, iri: str, langs: list[str], iris: Iris) -> list[Item]:
    rows = list(store.query(queries.RELATED_PLANS, bind={"strategy": ox.NamedNode(iri)}))
    labels = _labels(store, iris, {r["p"].value for r in rows} | {r["rel"].value for r in rows}, langs)
    items: dict[str, Item] = {}
    for row in rows:
        p = row["p"].value
        item = items.setdefault(p, Item(p, iris.browse_path(p), str(labels.get(p) or p), language_of(labels.get(p))))
        item.extra.setdefault("relations", []).append(str(labels.get(row["rel"].value) or row["rel"].value))
    return sorted(items.values(), key=lambda i: i.label)


def timeline(store, iri: str, langs: list[str], iris: Iris) -> list[Item]:
    """Decisions on the strategy and on plans based on it, consultations and reports, by date."""
    rows = list(store.query(queries.STRATEGY_EVENTS, bind={"strategy": ox.NamedNode(iri)}))
    reports = list(store.query(queries.ORGANISATION_REPORTS, bind={"strategy": ox.NamedNode(iri)}))
    nodes = {r["event"].value for r in rows + reports} | {r["plan"].value for r in rows if r["plan"]}
    nodes |= {r["status"].value for r in rows if r["status"]} | {r["body"].value for r in rows if r["body"]}
    labels = _labels(store, iris, nodes, langs)
    descriptions = {
        e: _text_literal(store, e, "http://purl.org/dc/terms/description", langs)
        for e in {r["event"].value for r in rows + reports}
    }
    # An event with neither a name nor a description is named by who decided it (its date and
    # status are shown beside it), else by what it links to, as its own page names it; never by its id.
    unnamed = {e for e, description in descriptions.items() if labels.get(e) is None and description is None}
    made_up: dict[str, tuple[str, str | None]] = {}
    for r in sorted(rows, key=lambda r: r["body"].value if r["body"] is not None else ""):  # the same body every time
        body = labels.get(r["body"].value) if r["body"] is not None else None
        if r["event"].value in unnamed and body is not None:
            made_up.setdefault(r["event"].value, (str(body), language_of(body)))
    if unnamed - made_up.keys():
        by_links = names_by_links(store, sorted(unnamed - made_up.keys()), iri, langs)
        made_up |= {e: (text, lang) for e, (text, lang, _pieces) in by_links.items()}
    events: dict[str, Item] = {}
    for row, is_report in [(r, False) for r in rows] + [(r, True) for r in reports]:
        e = row["event"].value
        description = descriptions[e]
        name = labels.get(e) or description
        label, lang = (str(name), language_of(name)) if name is not None else made_up.get(e, (e, None))
        item = events.setdefault(
            e,
            Item(
                e,
                iris.browse_path(e),
                label,
                lang,
                text=None if description is None else str(description),
                extra={"date": row["date"].value, "plans": []},
            ),
        )
        if not is_report and row["plan"] is not None:
            plan = row["plan"].value
            if plan not in [p for p, *_ in item.extra["plans"]]:
                item.extra["plans"].append((plan, str(labels.get(plan) or plan), language_of(labels.get(plan))))
            if row["status"] is not None:
                item.extra["status"] = str(labels.get(row["status"].value) or "")
            if row["body"] is not None:
                item.extra["body"] = (iris.browse_path(row["body"].value), str(labels.get(row["body"].value) or ""))
    return sorted(events.values(), key=lambda i: i.extra["date"])


def organisation_parts(store, iri: str, langs: list[str], iris: Iris) -> dict:
    org = {"org": ox.NamedNode(iri)}
    strategy_rows = list(store.query(queries.STRATEGIES_OF, bind=org))
    strategies = [r["s"].value for r in strategy_rows]
    age = {
        r["s"].value: (int(r["version"].value), r["from"].value if r["from"] is not None else "") for r in strategy_rows
    }
    units = [r["u"].value for r in store.query(queries.UNITS_OF, bind=org)]
    responsible = sorted({r["r"].value for r in store.query(queries.RESPONSIBLE_FOR, bind=org)})
    members = list(store.query(queries.MEMBERS_OF, bind=org))
    nodes = set(strategies) | set(units) | set(responsible) | {r["m"].value for r in members}
    labels = _labels(store, iris, nodes, langs)
    item = lambda n: Item(n, iris.browse_path(n), str(labels.get(n) or n), language_of(labels.get(n)))  # noqa: E731
    municipalities = []
    for row in members:
        m = item(row["m"].value)
        m.extra["years"] = ", ".join(sorted(row["years"].value.split(", ")))
        municipalities.append(m)
    return {
        "strategies": sorted(map(item, strategies), key=lambda i: (*age[i.iri], i.label)),
        "units": sorted(map(item, units), key=lambda i: i.label),
        "responsible": [item(r) for r in responsible],
        "municipalities": sorted(municipalities, key=lambda i: i.label),
    }


STATEMENT_KINDS = {name for name, _ in ELEMENT_KINDS}
ELSEWHERE_SHOWN = 12  # organisations named for each theme on a statement's page


def statement_place(store, iri: str, langs: list[str], iris: Iris) -> dict | None:
    """A statement among its siblings: the way up (organisation, strategy), the previous and next
    statement of its kind in the strategy's order, and the same curated themes elsewhere."""
    stv = iris.vocab
    statement = {"statement": ox.NamedNode(iri)}
    place = next(
        (
            r
            for r in store.query(queries.STATEMENT_PLACE, bind=statement)
            if r["kind"].value.removeprefix(stv) in STATEMENT_KINDS
        ),
        None,
    )
    if place is None:
        return None
    plan, kind = place["plan"].value, place["kind"].value.removeprefix(stv)
    org = place["org"].value if place["org"] is not None else None
    key = dict(ELEMENT_KINDS)[kind]
    siblings = strategy_parts(store, plan, langs, iris).get(key, [])
    position = next((i for i, item in enumerate(siblings) if item.iri == iri), None)
    themes: dict[str, dict[str, list[str]]] = {}
    for row in store.query(queries.SAME_THEME_ELSEWHERE, bind=statement):
        by_org = themes.setdefault(row["theme"].value, {})
        if row["other"] is not None and row["org"] is not None:
            by_org.setdefault(row["org"].value, []).append(row["other"].value)
    # A theme many organisations share would list them all (hundreds at 1M triples): the page
    # names the first few (by address, so no label of the rest is looked up) and counts the others.
    shown = {theme: dict(sorted(by_org.items())[:ELSEWHERE_SHOWN]) for theme, by_org in themes.items()}
    nodes = {plan, *([org] if org else []), *themes}
    nodes |= {o for by_org in shown.values() for o in by_org} | {
        s for by_org in shown.values() for others in by_org.values() for s in others
    }
    labels = _labels(store, iris, nodes, langs)

    def item(node: str) -> Item:
        label = labels.get(node)
        return Item(node, iris.browse_path(node), str(label or node), language_of(label))

    elsewhere = []
    for theme, by_org in sorted(themes.items(), key=lambda kv: str(labels.get(kv[0]) or kv[0])):
        organisations = []
        for other_org, others in sorted(shown[theme].items(), key=lambda kv: str(labels.get(kv[0]) or kv[0])):
            entry = item(other_org)
            entry.extra["statements"] = sorted((item(o) for o in set(others)), key=lambda i: i.label)
            organisations.append(entry)
        more = len(by_org) - len(shown[theme])
        elsewhere.append({"theme": item(theme), "organisations": organisations, "more": more})
    return {
        "crumbs": [*([item(org)] if org else []), item(plan)],
        "kind": key,
        "position": None if position is None else position + 1,
        "of": len(siblings),
        "previous": siblings[position - 1] if position else None,
        "next": siblings[position + 1] if position is not None and position + 1 < len(siblings) else None,
        "elsewhere": elsewhere,
    }


def stratml_download(manifest, strategy_slug: str | None) -> str | None:
    """Where the build's StratML document of a strategy is downloaded (stratml/{organisation}/{slug}.xml)."""
    if strategy_slug is None:
        return None
    for dump in manifest["dumps"]:
        folder, _, file = dump["name"].rpartition("/")
        if folder.startswith("stratml/") and file == f"{strategy_slug}.xml":
            return f"/download/{dump['name']}"
    return None


def special_view(build: Build, iri: str, view, langs: list[str], iris: Iris):
    """(template, extra context) for strategies and organisations; None for other things."""
    store = build.store
    types = {v.iri for v in view.types}
    ui = UI[langs[0]]
    if iris.term("Strategy") in types:
        sections = strategy_parts(store, iri, langs, iris)
        programmes = related_plans(store, iri, langs, iris)
        rows = [
            (ui["vision"], sections.get("vision", [])),
            (ui["mission"], sections.get("mission", [])),
            (ui["values"], sections.get("values", [])),
            (ui["priorities"], sections.get("priorities", [])),
            (ui["goals"], sections.get("goals", [])),
            (ui["programmes"], programmes),
        ]
        svg = strategy_svg(
            (view.title, view.title_lang),
            [(h, [(i.label, i.text or "", i.lang) for i in items]) for h, items in rows],
            f"{ui['structure']}: {view.title}",
        )
        org_of = organisation_of(store, iri, langs, iris)
        return "strategy.html", {
            "crumbs": [org_of] if org_of else [],
            "sections": sections,
            "programmes": programmes,
            "diagram": svg,
            "events": timeline(store, iri, langs, iris),
            "stratml": stratml_download(build.manifest, iris.slug_of(iri, "strategy")),
        }
    if iris.term("WellbeingServicesCounty") in types or "http://www.w3.org/ns/org#Organization" in types:
        org = organisation_parts(store, iri, langs, iris)
        return "organisation.html", {
            "org": org,
            "curated_graph": iris.graph("curated"),
            "themes": organisation_themes(build, iris, langs[0], iri) if org["strategies"] else None,
        }
    place = statement_place(store, iri, langs, iris)
    if place is not None:
        return "statement.html", place
    return None


def organisation_of(store, iri: str, langs: list[str], iris: Iris) -> Item | None:
    """The organisation whose strategy `iri` is (for the way back up), or None."""
    bound = {"resource": ox.NamedNode(iri), "property": ox.NamedNode(iris.vocab + "organisation")}
    rows = list(store.query(queries.VALUES_OF, bind=bound))
    if not rows:
        return None
    org = rows[0]["t"].value
    label = _labels(store, iris, {org}, langs).get(org)
    return Item(org, iris.browse_path(org), str(label or org), language_of(label))
