"""A StratML Part 1 or Part 2 file as a Turtle file for data/, so an organisation can start from its plan.

The file is untrusted: it is parsed without entities, DTDs or network, validated against its part's
XSD, and every problem is reported with its line. Nothing is written unless the whole file converts,
and the Turtle is parsed back before it is written (atomically: a temporary file, then a rename).
What the output cannot know, it leaves for a person: the source's retrieval date (and its web
address, where the StratML file gives none), marked with TODO comments; `strategiaverkko check`
names what is still missing.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from ..core.errors import StrategiaverkkoError
from ..core.iris import SLUG, Iris, slugify
from .stratml_schema import GOAL_KINDS, KIND_LINE, ROOTS, SUMMARY_MARK, safe_parser, schema_problems

# Where each kind's IRIs go: id/{path}/{slug}-{infix}{n}.
KIND_PATHS = {"StrategicPriority": ("priority", ""), "Goal": ("goal", ""), "QualitativeGoal": ("goal", "qualitative-")}
LANGUAGES = ("fi", "sv", "en")


class StratmlImportError(StrategiaverkkoError):
    status = 400
    title = "This StratML file cannot be imported"


@dataclass
class Statement:
    kind: str
    name: str
    text: str = ""
    summary: str = ""
    parent: int | None = None  # index of the goal an objective belongs to


@dataclass
class ImportedPlan:
    part: str
    name: str
    description: str
    organisation_name: str
    vision: Statement | None = None
    mission: Statement | None = None
    values: list[Statement] = field(default_factory=list)
    goals: list[Statement] = field(default_factory=list)
    start: str = ""
    end: str = ""
    source_url: str = ""
    left_out: dict[str, int] = field(default_factory=dict)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in element if isinstance(c.tag, str) and _local(c) == name), None)


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in element if isinstance(c.tag, str) and _local(c) == name]


def _text(element: etree._Element | None, name: str) -> str:
    found = _child(element, name) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def parse(path: Path) -> tuple[etree._ElementTree, str]:
    """The file's tree and part ("Part 1"/"Part 2"), or a StratmlImportError naming file and line."""
    try:
        tree = etree.parse(str(path), safe_parser())
    except etree.XMLSyntaxError as e:
        line = e.lineno or (e.position[0] if e.position else 0)
        raise StratmlImportError(f"{path}:{line}: not well-formed XML: {e.msg}") from None
    except OSError as e:
        raise StratmlImportError(f"{path}: cannot be read: {e}") from None
    if tree.docinfo.doctype:
        # StratML needs no DTD; one in an imported file can only declare entities we will not expand.
        line = next((n for n, text in enumerate(path.read_bytes().splitlines(), 1) if b"<!DOCTYPE" in text), 1)
        raise StratmlImportError(f"{path}:{line}: the file declares a DTD (<!DOCTYPE …>); StratML files need none")
    root = tree.getroot()
    qname = etree.QName(root)
    known = ROOTS.get((qname.namespace or "", qname.localname))
    if known is None:
        expected = " or ".join(f"{{{ns}}}{name}" for ns, name in ROOTS)
        raise StratmlImportError(f"{path}:{root.sourceline}: the root element is {qname.text}; expected {expected}")
    part, xsd = known
    problems = schema_problems(tree, xsd)
    if problems:
        listed = "\n".join(f"{path}:{p.line}: {p.message}" for p in problems[:10])
        more = f"\n… and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise StratmlImportError(f"{path}: not valid StratML {part}:\n{listed}{more}")
    return tree, part


def _goal_notes(goal: etree._Element) -> tuple[str | None, str]:
    """The kind and our summary, where an export of ours put them in the goal's OtherInformation."""
    kind, summary = None, ""
    for line in _text(goal, "OtherInformation").splitlines():
        if line.startswith(KIND_LINE):
            kind = line[len(KIND_LINE) :].strip()
        elif line.startswith(SUMMARY_MARK):
            summary = line[len(SUMMARY_MARK) :].strip()
    return kind, summary


def read_plan(path: Path, tree: etree._ElementTree, part: str) -> ImportedPlan:
    root = tree.getroot()
    core = _child(root, "StrategicPlanCore")
    assert core is not None  # the schema requires it
    organisations = _children(core, "Organization")
    plan = ImportedPlan(
        part=part,
        name=_text(root, "Name"),
        description=_text(root, "Description"),
        organisation_name=_text(organisations[0], "Name") if organisations else "",
    )
    if not plan.name:
        raise StratmlImportError(f"{path}:{root.sourceline}: the plan has no Name")
    for kind in ("Vision", "Mission"):
        element = _child(core, kind)
        words = _text(element, "Description")
        if element is not None and words:
            summary = words[len(SUMMARY_MARK) :] if words.startswith(SUMMARY_MARK) else ""
            statement = Statement(kind, "" if summary else words, summary=summary)
            setattr(plan, kind.lower(), statement)
    for value in _children(core, "Value"):
        name = _text(value, "Name")
        if not name:
            raise StratmlImportError(f"{path}:{value.sourceline}: a Value has no Name")
        plan.values.append(Statement("Value", name, _text(value, "Description")))

    def add_goal(element: etree._Element, parent: int | None) -> None:
        kind, summary = _goal_notes(element)
        if kind is not None and kind not in GOAL_KINDS:
            return  # our own placeholder for a strategy whose sources give no goals
        name = _text(element, "Name")
        if not name:
            raise StratmlImportError(f"{path}:{element.sourceline}: a {_local(element)} has no Name")
        plan.goals.append(Statement(kind or "Goal", name, _text(element, "Description"), summary, parent))
        index = len(plan.goals) - 1
        for objective in _children(element, "Objective"):
            add_goal(objective, index)

    for goal in _children(core, "Goal"):
        add_goal(goal, None)
    admin = _child(root, "AdministrativeInformation")
    plan.start, plan.end, plan.source_url = (_text(admin, n) for n in ("StartDate", "EndDate", "Source"))
    # What Strategiaverkko does not model yet: said, not silently dropped.
    for name in ("PerformanceIndicator", "Stakeholder", "Submitter"):
        count = sum(1 for e in root.iter() if isinstance(e.tag, str) and _local(e) == name)
        if count:
            plan.left_out[name] = count
    return plan


def _period(start: str, end: str) -> tuple[Literal | None, Literal | None]:
    """Whole calendar years stay years (as the sources state them); other dates stay days."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    if start.endswith("-01-01") and end.endswith("-12-31"):
        return Literal(start[:4], datatype=URIRef(xsd + "gYear")), Literal(end[:4], datatype=URIRef(xsd + "gYear"))
    as_date = URIRef(xsd + "date")
    return (
        Literal(start[:10], datatype=as_date) if start else None,
        Literal(end[:10], datatype=as_date) if end else None,
    )


def _known_organisation(data_dir: Path, name: str, lang: str, iris: Iris) -> str | None:
    """The slug of the organisation in data/ whose name in `lang` is exactly `name`."""
    wanted = Literal(name, lang=lang)
    for ttl in sorted(data_dir.glob("*.ttl")):
        graph = Graph().parse(ttl, format="turtle", publicID=iris.base)
        for subject in graph.subjects(SKOS.prefLabel, wanted):
            slug = iris.slug_of(str(subject), "organisation")
            if slug is not None:
                return slug
    return None


def _typed(value: Literal) -> str:
    """A date or year literal with the xsd: prefix, as the files in data/ write them."""
    return f'"{value}"^^xsd:{str(value.datatype).rsplit("#", 1)[1]}'


class _Turtle:
    """Turtle text with IRIs relative to the base, as the files in data/ are written."""

    def __init__(self, lang: str):
        self.lang = lang
        self.blocks: list[str] = []

    def text(self, value: str) -> str:
        return Literal(value, lang=self.lang).n3()

    def add(self, subject: str, lines: list[str], comment: str = "") -> None:
        head = f"# {comment}\n" if comment else ""
        body = " ;\n    ".join(lines)
        self.blocks.append(f"{head}<{subject}> {body} .\n")


def _short_slug(text: str) -> str:
    """A slug of at most 60 characters from a name (the default identifiers of an import)."""
    return slugify(text)[:60].strip("-")


def plan_turtle(
    plan: ImportedPlan, source_file: str, slug: str, organisation: str, new_organisation: bool, lang: str
) -> str:
    """The plan as Turtle for data/. `organisation`: its slug; `new_organisation`: not in data/ yet,
    so the file declares it."""
    out = _Turtle(lang)
    strategy, source = f"id/strategy/{slug}", f"id/source/{slug}-stratml"
    org = f"id/organisation/{organisation}"
    common = [f"stv:partOfPlan <{strategy}>", f"stv:organisation <{org}>", f"prov:wasDerivedFrom <{source}>"]

    strategy_lines = ["a stv:Strategy", f"skos:prefLabel {out.text(plan.name)}"]
    if plan.description:
        strategy_lines.append(f"dct:description {out.text(plan.description)}")
    strategy_lines.append(f"stv:organisation <{org}>")
    start, end = _period(plan.start, plan.end)
    if start is not None or end is not None:
        strategy_lines.append(f"dct:temporal <id/period/{slug}>")
    strategy_lines.append(f"prov:wasDerivedFrom <{source}>")
    out.add(strategy, strategy_lines, f"The plan, as StratML {plan.part} states it in {source_file}.")

    source_lines = ["a stv:SourceDocument", f"dct:title {out.text(plan.name)}", f"dct:publisher <{org}>"]
    if plan.source_url:
        source_lines.append(f'schema:url "{plan.source_url}"^^xsd:anyURI')
    source_lines.append(f"dct:language <http://publications.europa.eu/resource/authority/language/{_EU_LANG[lang]}>")
    todo = (
        'TODO before `strategiaverkko check` passes: add stv:retrieved "YYYY-MM-DD"^^xsd:date (the day the '
        "source was read)"
        + ("" if plan.source_url else ", and schema:url with the plan's web address if it has one")
        + ", and check that the title is the document's own."
    )
    out.add(source, source_lines, todo)

    if new_organisation:
        out.add(
            org,
            [
                "a org:FormalOrganization",
                f"skos:prefLabel {out.text(plan.organisation_name)}",
                f"prov:wasDerivedFrom <{source}>",
            ],
            "Not found in data/ by its name: a new organisation. Give it its type and code if a source states them.",
        )
    if start is not None or end is not None:
        period_lines = ["a dct:PeriodOfTime"]
        if start is not None:
            period_lines.append(f"dcat:startDate {_typed(start)}")
        if end is not None:
            period_lines.append(f"dcat:endDate {_typed(end)}")
        out.add(f"id/period/{slug}", period_lines)

    for kind, statement in (("Vision", plan.vision), ("Mission", plan.mission)):
        if statement is None:
            continue
        if statement.summary:
            label = f"rdfs:label {out.text(f'{plan.name}: {kind.lower()} (tiivistelmä)')}"
            lines = [f"a stv:{kind}", label, f"stv:summary {out.text(statement.summary)}"]
        else:
            lines = [f"a stv:{kind}", f"skos:prefLabel {out.text(statement.name)}"]
        out.add(f"id/{kind.lower()}/{slug}", lines + common)

    for number, value in enumerate(plan.values, start=1):
        lines = ["a stv:Value", f"skos:prefLabel {out.text(value.name)}"]
        if value.text:
            lines.append(f"stv:text {out.text(value.text)}")
        out.add(f"id/value/{slug}-{number}", lines + [f"stv:order {number}"] + common)

    iris_of: list[str] = []
    counters: dict[str, int] = {}
    for goal in plan.goals:
        counters[goal.kind] = counters.get(goal.kind, 0) + 1
        path, infix = KIND_PATHS[goal.kind]
        iris_of.append(f"id/{path}/{slug}-{infix}{counters[goal.kind]}")
    for goal, iri in zip(plan.goals, iris_of, strict=True):
        lines = [f"a stv:{goal.kind}", f"skos:prefLabel {out.text(goal.name)}"]
        if goal.text:
            lines.append(f"stv:text {out.text(goal.text)}")
        if goal.summary:
            lines.append(f"stv:summary {out.text(goal.summary)}")
        lines.append(f"stv:order {int(iri.rsplit('-', 1)[1])}")
        if goal.parent is not None:
            lines.append(f"stv:contributesTo <{iris_of[goal.parent]}>")
        out.add(iri, lines + common)

    header = (
        f"# Imported from the StratML {plan.part} file {source_file} by `strategiaverkko import-stratml` on "
        f"{date.today().isoformat()}.\n# Texts are the file's own, in the language given on import ({lang}).\n"
    )
    if plan.left_out:
        kinds = ", ".join(f"{n} × {name}" for name, n in sorted(plan.left_out.items()))
        header += f"# Not imported (Strategiaverkko does not model them yet): {kinds}.\n"
    prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in _PREFIXES.items())
    return header + prefixes + "\n" + "\n".join(out.blocks)


_EU_LANG = {"fi": "FIN", "sv": "SWE", "en": "ENG"}
_PREFIXES = {
    "stv": "ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


@dataclass
class ImportResult:
    path: Path
    plan: ImportedPlan


def import_stratml(
    path: Path,
    data_dir: Path,
    iris: Iris,
    slug: str | None = None,
    organisation: str | None = None,
    lang: str = "fi",
    output: Path | None = None,
    force: bool = False,
) -> ImportResult:
    """Convert `path` and write the Turtle (data/{slug}.ttl unless `output` says otherwise)."""
    if lang not in LANGUAGES:
        raise StratmlImportError(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    tree, part = parse(path)
    plan = read_plan(path, tree, part)
    slug = slug or _short_slug(plan.name)
    if not SLUG.fullmatch(slug):
        raise StratmlImportError(f"the slug {slug!r} is not lowercase letters, digits and single hyphens")
    if organisation is None:
        if not plan.organisation_name:
            raise StratmlImportError(
                f"{path}: the plan names no Organization: give --organisation SLUG of an organisation in data/"
            )
        organisation = _known_organisation(data_dir, plan.organisation_name, lang, iris)
    elif not SLUG.fullmatch(organisation):
        raise StratmlImportError(f"--organisation {organisation!r} is not a slug (lowercase letters, digits, hyphens)")
    new_organisation = organisation is None
    if organisation is None:
        organisation = _short_slug(plan.organisation_name)
        if not SLUG.fullmatch(organisation):
            raise StratmlImportError(f"{path}: the organisation's name gives no usable identifier: use --organisation")
    text = plan_turtle(plan, path.name, slug, organisation, new_organisation, lang)
    # Parse it back: a file that would not load is never written.
    Graph().parse(data=text, format="turtle", publicID=iris.base)
    target = output or data_dir / f"{slug}.ttl"
    if target.exists() and not force:
        raise StratmlImportError(f"{target} exists: choose another --slug or --output, or pass --force to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return ImportResult(target, plan)
