"""Every strategy of a build as a StratML Part 1 document (ISO 17469-1 `StrategicPlan`).

The mapping, element by element (docs/stratml.md has it for readers):
- plan Name / Description: the strategy's Finnish name (its Swedish one where the sources give no
  Finnish name) and description;
- Organization: the organisation's Finnish name;
- Vision, Mission: the statement (or our marked summary where the source was summarised);
- Value: name and explanatory text, in the source's order;
- Goal: strategic priorities, then goals, each in the source's order (SequenceIndicator), with the
  statements that contribute to it (stv:contributesTo) as its Objectives; the kind rides in the
  goal's OtherInformation so an import gives it back;
- AdministrativeInformation: the validity period and the web address of the strategy's source.
Kinds StratML has no element for (service promises, success factors …) are counted in the plan's
OtherInformation rather than forced into the wrong element.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from lxml import etree

from ..core.errors import StrategiaverkkoError
from ..core.iris import Iris
from ..store.guard import with_values
from ..store.manifest import Dump, sha256_of
from .publish import inside
from .stratml_schema import GOAL_KINDS, KIND_LINE, PART1_NS, SUMMARY_MARK, schema_problems

FOLDER = "stratml"
MEDIA_TYPE = "application/xml"
LICENCE_NOTE = "Lisenssi / Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
PLACEHOLDER_NAME = "Ei tavoitteita lähteissä / No goals in the sources"
PLACEHOLDER_TEXT = (
    "StratML edellyttää vähintään yhtä tavoitetta. Strategiaverkon lähteet eivät anna tälle strategialle "
    "tavoitteita eivätkä kärkiä, joten tämä on paikkamerkki eikä lähteen tieto. / StratML requires at least one "
    "goal. Our sources give this strategy no goals or priorities, so this is a placeholder, not a fact."
)
PLACEHOLDER_KIND = "none (placeholder)"

# The strategy's own facts: asserted ones only, so no inferred type or label doubles a row.
STRATEGIES = """
SELECT ?strategy ?organisation ?name ?swedishName ?organisationName ?description ?start ?end WHERE {
  GRAPH ?asserted { ?strategy a stv:Strategy ; stv:organisation ?organisation }
  OPTIONAL { GRAPH ?asserted { ?strategy skos:prefLabel ?name FILTER (LANG(?name) = "fi") } }
  # A strategy its sources name only in Swedish keeps that name (its Finnish one is our translation).
  OPTIONAL { GRAPH ?asserted { ?strategy skos:prefLabel ?swedishName FILTER (LANG(?swedishName) = "sv") } }
  OPTIONAL { GRAPH ?asserted { ?organisation skos:prefLabel ?organisationName
                               FILTER (LANG(?organisationName) = "fi") } }
  OPTIONAL { GRAPH ?asserted { ?strategy dct:description ?description FILTER (LANG(?description) = "fi") } }
  OPTIONAL { GRAPH ?asserted { ?strategy dct:temporal ?period .
                               OPTIONAL { ?period dcat:startDate ?start } OPTIONAL { ?period dcat:endDate ?end } } }
}"""
SOURCES = """
SELECT ?strategy ?title ?url WHERE {
  GRAPH ?asserted { ?strategy a stv:Strategy ; prov:wasDerivedFrom ?source .
                    ?source dct:title ?title . OPTIONAL { ?source schema:url ?url } }
}"""
STATEMENTS = """
SELECT ?strategy ?statement ?kind ?label ?swedishLabel ?otherLabel ?text ?summary ?order ?parent WHERE {
  GRAPH ?asserted { ?statement stv:partOfPlan ?strategy ; a ?kind . ?strategy a stv:Strategy }
  OPTIONAL { GRAPH ?asserted { ?statement skos:prefLabel ?label FILTER (LANG(?label) = "fi") } }
  # A name a Swedish-language source gives only in Swedish is kept as it is.
  OPTIONAL { GRAPH ?asserted { ?statement skos:prefLabel ?swedishLabel FILTER (LANG(?swedishLabel) = "sv") } }
  OPTIONAL { GRAPH ?asserted { ?statement rdfs:label ?otherLabel FILTER (LANG(?otherLabel) = "fi") } }
  OPTIONAL { GRAPH ?asserted { ?statement stv:text ?text FILTER (LANG(?text) = "fi") } }
  OPTIONAL { GRAPH ?asserted { ?statement stv:summary ?summary FILTER (LANG(?summary) = "fi") } }
  OPTIONAL { GRAPH ?asserted { ?statement stv:order ?order } }
  OPTIONAL { GRAPH ?asserted { ?statement stv:contributesTo ?parent } }
}"""


class StratmlExportError(StrategiaverkkoError):
    status = 500
    title = "A StratML document broke its schema"


@dataclass
class Statement:
    iri: str
    kind: str
    label: str
    text: str
    summary: str
    order: int | None
    parent: str | None


@dataclass
class Plan:
    iri: str
    organisation: str
    name: str = ""
    organisation_name: str = ""
    description: str = ""
    start: tuple[str, str] | None = None  # (lexical form, datatype local name)
    end: tuple[str, str] | None = None
    sources: list[tuple[str, str]] = field(default_factory=list)  # (title, url or "")
    statements: list[Statement] = field(default_factory=list)


def _value(row: ox.QuerySolution, name: str) -> str:
    term = row[name]
    return term.value if term is not None else ""


def _dated(term: ox.Literal | None) -> tuple[str, str] | None:
    if term is None:
        return None
    return term.value, term.datatype.value.rsplit("#", 1)[-1]


def read_plans(store: ox.Store, iris: Iris, prefixes: dict[str, str]) -> list[Plan]:
    """Every strategy of the store with what StratML can carry of it, in a stable order."""
    asserted = [(ox.NamedNode(iris.graph("asserted")),)]

    def rows(query: str) -> ox.QuerySolutions:
        result = store.query(with_values(query, ["asserted"], asserted), prefixes=prefixes)
        assert isinstance(result, ox.QuerySolutions)
        return result

    plans: dict[str, Plan] = {}
    for row in rows(STRATEGIES):
        iri = _value(row, "strategy")
        plan = plans.setdefault(iri, Plan(iri, _value(row, "organisation")))
        plan.name = plan.name or _value(row, "name") or _value(row, "swedishName")
        plan.organisation_name = plan.organisation_name or _value(row, "organisationName")
        plan.description = plan.description or _value(row, "description")
        plan.start = plan.start or _dated(row["start"])
        plan.end = plan.end or _dated(row["end"])
    for row in rows(SOURCES):
        if row["strategy"].value in plans:
            plans[row["strategy"].value].sources.append((_value(row, "title"), _value(row, "url")))
    seen: set[tuple[str, str]] = set()
    for row in rows(STATEMENTS):
        key = (_value(row, "strategy"), _value(row, "statement"))
        if key[0] not in plans or key in seen:
            continue
        seen.add(key)
        order = row["order"]
        plans[key[0]].statements.append(
            Statement(
                iri=key[1],
                kind=_value(row, "kind").rsplit("#", 1)[-1],
                label=_value(row, "label") or _value(row, "swedishLabel") or _value(row, "otherLabel"),
                text=_value(row, "text"),
                summary=_value(row, "summary"),
                order=int(order.value) if order is not None else None,
                parent=_value(row, "parent") or None,
            )
        )
    for plan in plans.values():
        plan.sources.sort()
        plan.statements.sort(key=lambda s: (s.order if s.order is not None else 1 << 30, s.label, s.iri))
    return [plans[iri] for iri in sorted(plans)]


def _period_dates(plan: Plan) -> tuple[str | None, str | None, bool]:
    """xsd:date start and end for StratML, and whether a year or month had to be widened to days."""

    def widen(value: tuple[str, str] | None, at_end: bool) -> tuple[str | None, bool]:
        if value is None:
            return None, False
        lexical, datatype = value
        if datatype == "gYear":
            return (f"{lexical}-12-31" if at_end else f"{lexical}-01-01"), True
        if datatype == "gYearMonth":
            year, month = (int(part) for part in lexical.split("-")[:2])
            day = calendar.monthrange(year, month)[1] if at_end else 1
            return f"{lexical}-{day:02d}", True
        return lexical[:10], False

    start, widened_start = widen(plan.start, at_end=False)
    end, widened_end = widen(plan.end, at_end=True)
    return start, end, widened_start or widened_end


def _identifier(iris: Iris, iri: str) -> str:
    """An xsd:ID for an element: the IRI's path under id/, with '/' as '_' (unique in a document)."""
    local = iris.local_path(iri) or iri
    return local.removeprefix("id/").replace("/", "_")


def _element(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, f"{{{PART1_NS}}}{name}")
    if text is not None:
        child.text = text
    return child


def _description(statement: Statement) -> str:
    """A vision's or mission's words: the statement itself, or our summary, marked as ours."""
    if statement.summary:
        return SUMMARY_MARK + statement.summary
    return "\n\n".join(part for part in (statement.label, statement.text) if part)


def _goal(parent: etree._Element, iris: Iris, statement: Statement, children: list[Statement], tag: str) -> None:
    goal = _element(parent, tag)
    _element(goal, "Name", statement.label)
    _element(goal, "Description", statement.text)
    _element(goal, "Identifier", _identifier(iris, statement.iri))
    if statement.order is not None:
        _element(goal, "SequenceIndicator", str(statement.order))
    notes = [KIND_LINE + statement.kind, "IRI: " + statement.iri]
    if statement.summary:
        notes.append(SUMMARY_MARK + statement.summary)
    _element(goal, "OtherInformation", "\n".join(notes))
    for child in children:
        _goal(goal, iris, child, [], "Objective")


def plan_document(plan: Plan, iris: Iris) -> etree._ElementTree:
    """One strategy as a StratML Part 1 document."""
    root = etree.Element(f"{{{PART1_NS}}}StrategicPlan", nsmap={None: PART1_NS})
    _element(root, "Name", plan.name)
    if plan.description:
        _element(root, "Description", plan.description)
    by_kind: dict[str, list[Statement]] = defaultdict(list)
    for statement in plan.statements:
        by_kind[statement.kind].append(statement)
    goals = [s for kind in GOAL_KINDS for s in by_kind[kind] if s.parent is None]
    objectives: dict[str, list[Statement]] = defaultdict(list)
    for kind in GOAL_KINDS:
        for s in by_kind[kind]:
            if s.parent is not None:
                objectives[s.parent].append(s)
    carried = {"Vision", "Mission", "Value", *GOAL_KINDS}
    left_out = sorted((kind, len(items)) for kind, items in by_kind.items() if kind not in carried)
    start, end, widened = _period_dates(plan)

    notes = [
        f"Strategiaverkko: {plan.iri}",
        "Tekstit ovat lähteen sanatarkkoja, suomeksi (tai ruotsiksi, missä lähde antaa nimen vain ruotsiksi); "
        "Strategiaverkon tiivistelmät on merkitty. / Texts are verbatim from the source, in Finnish (or in Swedish "
        "where the source gives a name only in Swedish); Strategiaverkko's summaries are marked.",
    ]
    notes += [f"Lähde / Source: {title}" + (f" <{url}>" if url else "") for title, url in plan.sources]
    if widened:
        notes.append(
            "Kausi on lähteessä vuosina tai kuukausina; alku- ja loppupäivä ovat niiden ensimmäinen ja viimeinen "
            "päivä. / The source gives the period in years or months; the dates are their first and last days."
        )
    if left_out:
        kinds = ", ".join(f"{count} × {kind}" for kind, count in left_out)
        notes.append(f"Ei mukana (StratML:ssä ei vastinetta) / Not included (no StratML element): {kinds}")
    notes.append(LICENCE_NOTE)
    _element(root, "OtherInformation", "\n".join(notes))

    core = _element(root, "StrategicPlanCore")
    organisation = _element(core, "Organization")
    _element(organisation, "Name", plan.organisation_name)
    _element(organisation, "Identifier", _identifier(iris, plan.organisation))
    for kind in ("Vision", "Mission"):
        for statement in by_kind[kind][:1]:
            element = _element(core, kind)
            _element(element, "Description", _description(statement))
            _element(element, "Identifier", _identifier(iris, statement.iri))
    for statement in by_kind["Value"]:
        value = _element(core, "Value")
        _element(value, "Name", statement.label)
        if statement.text:
            _element(value, "Description", statement.text)
    for statement in goals:
        _goal(core, iris, statement, objectives[statement.iri], "Goal")
    if not goals:
        placeholder = _element(core, "Goal")
        _element(placeholder, "Name", PLACEHOLDER_NAME)
        _element(placeholder, "Description", PLACEHOLDER_TEXT)
        _element(placeholder, "OtherInformation", KIND_LINE + PLACEHOLDER_KIND)

    urls = [url for _, url in plan.sources if url]
    if start or end or urls:
        admin = _element(root, "AdministrativeInformation")
        if start:
            _element(admin, "StartDate", start)
        if end:
            _element(admin, "EndDate", end)
        if urls:
            _element(admin, "Source", urls[0])
    return etree.ElementTree(root)


def document_bytes(document: etree._ElementTree) -> bytes:
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_stratml_documents(target: Path, store: ox.Store, iris: Iris, prefixes: dict[str, str]) -> list[Dump]:
    """`stratml/{organisation}/{strategy}.xml` for every strategy, each checked against the Part 1 XSD."""
    dumps = []
    for plan in read_plans(store, iris, prefixes):
        organisation = iris.slug_of(plan.organisation, "organisation")
        strategy = iris.slug_of(plan.iri, "strategy")
        if organisation is None or strategy is None:
            continue  # the check refuses such IRIs in our data; the benchmark's synthetic ones have no page
        document = plan_document(plan, iris)
        problems = schema_problems(document, "StrategicPlanISOVersion20140401.xsd")
        if problems:
            raise StratmlExportError(
                f"the StratML document of {plan.iri} breaks the Part 1 schema: "
                + "; ".join(f"line {p.line}: {p.message}" for p in problems[:5])
            )
        name = f"{FOLDER}/{organisation}/{strategy}.xml"
        path = inside(target, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(document_bytes(document))
        dumps.append(
            Dump(
                name,
                MEDIA_TYPE,
                f"Strategy {strategy} as a StratML Part 1 document (ISO 17469-1)",
                path.stat().st_size,
                sha256_of(path),
            )
        )
    return dumps
