"""Validate the data against the SHACL shapes and report findings an editor can act on."""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pyshacl
import rdflib.plugins.sparql.processor as sparql_processor
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from ..core.memory import give_back_free_memory
from . import shape_constraints
from .findings import Finding, Report
from .iri_rules import iri_findings
from .load import Sources

SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


def _term_text(graph: Graph, term) -> str | None:
    if term is None:
        return None
    if isinstance(term, BNode):
        # A path or shape written as a blank node: show it in Turtle-ish form.
        try:
            return graph.cbd(term).serialize(format="turtle").strip() or str(term)
        except Exception:  # noqa: BLE001 - a readable fallback is enough here
            return str(term)
    if isinstance(term, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:  # noqa: BLE001 - not every IRI has a prefix form
            return str(term)
    if isinstance(term, Literal):
        return str(term) if term.datatype is None and term.language is None else term.n3()
    return str(term)


@lru_cache(maxsize=1024)
def _prepared(text: str, base, namespaces: tuple):
    return sparql_processor.translateQuery(
        sparql_processor.parseQuery(text), base, dict(namespaces) if namespaces else None
    )


@contextmanager
def _parse_once():
    """pySHACL runs each sh:sparql constraint once per focus node with the same text; rdflib
    would parse it every time (most of the check's time). Parse each text once instead."""
    original = sparql_processor.SPARQLProcessor.query

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(strOrQuery, str):
            strOrQuery = _prepared(strOrQuery, base, tuple(sorted((initNs or {}).items())))
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    # A deliberate patch of rdflib's class for the duration of a check (setattr: mypy would
    # otherwise refuse an assignment to a method).
    setattr(sparql_processor.SPARQLProcessor, "query", query)
    try:
        yield
    finally:
        setattr(sparql_processor.SPARQLProcessor, "query", original)


# Below this many triples one process checks faster than several (forking and each
# process's own look at the shapes cost more than they save).
PARALLEL_MIN_TRIPLES = 50_000


def validate_graph(
    data: Graph,
    shapes: Graph,
    ontology: Graph | None = None,
    subject_lines: dict[str, tuple[str, int]] | None = None,
    processes: int | None = None,
    sparql_by_oxigraph: bool = True,
    data_file: Path | None = None,
) -> Report:
    """Run pySHACL and turn its report into Findings (sorted: violations first, then by file/line).

    The SPARQL-based constraints go to Oxigraph, one query each (see shape_constraints),
    unless sparql_by_oxigraph is false: then pySHACL runs them too, one query per focus node.
    Oxigraph reads the data from `data_file` (the data and the ontology as N-Triples with the
    graph's blank node labels, as load_sources writes it) when it is given, not from the graph: made from
    the graph in a forked process, its store touched every object of the graph there, and a
    forked process that touches an object copies the memory page it is on.
    Large data is checked by several processes (default: one per CPU we may use), each
    validating its share of the shapes against the same graph (see _validate_in_processes)."""
    taken: list = []
    if sparql_by_oxigraph:
        shapes, taken = shape_constraints.take_over(shapes)
    if processes is None:
        processes = len(os.sched_getaffinity(0)) if len(data) >= PARALLEL_MIN_TRIPLES else 1
    groups = _shape_groups(shapes, processes) if processes > 1 else None
    with _ontology_added(data, ontology) as target:
        if groups:
            report_graph = _validate_in_processes(target, shapes, groups, taken, data_file)
        else:
            report_graph = _validate(target, shapes)
            shape_constraints.add_to_report(report_graph, shape_constraints.evaluate(taken, target, data_file))
    subject_lines = subject_lines or {}
    for prefix, ns in data.namespaces():
        report_graph.bind(prefix, ns, override=False)
    findings = []
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
        focus = report_graph.value(result, SH.focusNode)
        severity = SEVERITY_NAMES.get(URIRef(str(report_graph.value(result, SH.resultSeverity))), "Violation")
        message = report_graph.value(result, SH.resultMessage)
        path = report_graph.value(result, SH.resultPath)
        shape = report_graph.value(result, SH.sourceShape)
        value = report_graph.value(result, SH.value)
        file, line = subject_lines.get(str(focus), (None, None))
        findings.append(
            Finding(
                severity=severity,
                focus=str(focus),
                path=_term_text(report_graph, path),
                message=str(message) if message else "Constraint not met.",
                shape=_term_text(report_graph, shape) if isinstance(shape, URIRef) else None,
                value=_term_text(report_graph, value),
                file=file,
                line=line,
            )
        )
    findings.sort(key=_finding_order)
    return Report(findings, report_graph)


@contextmanager
def _ontology_added(data: Graph, ontology: Graph | None) -> Iterator[Graph]:
    """The data with the ontology's triples in it (sh:class needs the class hierarchy), for as
    long as the check reads it: added in place and taken out after, since `data + ontology`
    copied every triple of the data (about 6 GiB at 10 M triples)."""
    added = [triple for triple in ontology if triple not in data] if ontology is not None else []
    for triple in added:
        data.add(triple)
    try:
        yield data
    finally:
        for triple in added:
            data.remove(triple)


def _validate(target: Graph, shapes: Graph, use_shapes: list[str] | None = None) -> Graph:
    # The ontology is already in `target`, a graph of our own, so pySHACL need not copy it
    # (inplace); our shapes have no SHACL rules, so nothing is written into it either.
    with _parse_once():
        _, report_graph, _ = pyshacl.validate(
            target,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
            inplace=True,
            use_shapes=use_shapes,
        )
    return report_graph


def _shape_groups(shapes: Graph, count: int) -> list[list[str]] | None:
    """The shapes with targets, dealt into `count` groups of about equal cost, or None when
    they cannot be named one by one (pySHACL's use_shapes takes IRIs)."""
    targeted: set = set()
    for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
        targeted.update(shapes.subjects(predicate, None))
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape)):
        if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
            targeted.add(shape)  # an implicit class target
    if len(targeted) < 2 or any(not isinstance(shape, URIRef) for shape in targeted):
        return None

    # SPARQL-based constraints cost most (rdflib evaluates one query per focus node); deal
    # the costliest shapes first, each to the group with the least cost so far.
    def cost(shape):
        return 1 + 4 * len(list(shapes.objects(shape, SH.sparql)))

    groups: list[list[str]] = [[] for _ in range(min(count, len(targeted)))]
    totals = [0] * len(groups)
    for shape in sorted(targeted, key=lambda s: (-cost(s), str(s))):
        least = totals.index(min(totals))
        groups[least].append(str(shape))
        totals[least] += cost(shape)
    return groups


# What a forked checker process reads: set just before the processes are forked, so
# that they share the parent's memory instead of receiving a copy through a pipe.
_FORKED_WORK: tuple[Graph, Graph] | None = None


def _check_part(shape_iris: list[str]) -> tuple[list, list]:
    """pySHACL's report on the data for these shapes: its triples, and its prefixes (findings
    show paths by their prefixed names). The triples go back as terms, not N-Triples: parsing
    those would give a blank focus node a new name, not the one the data gives it."""
    assert _FORKED_WORK is not None  # set by the parent before it forked this process
    target, shapes = _FORKED_WORK
    graph = _validate(target, shapes, shape_iris)
    return list(graph), list(graph.namespaces())


def _validate_in_processes(
    target: Graph,
    shapes: Graph,
    groups: list[list[str]],
    taken: list[shape_constraints.SparqlConstraint],
    data_file: Path | None,
) -> Graph:
    """pySHACL is single-threaded Python: on a large graph the check took 4 minutes at 1M
    triples. Each shape's results depend only on the data, so shapes can be validated
    apart: forked processes check all groups but the last, this process the last one, and
    then the SPARQL-based constraints (Oxigraph's work, short). The reports are merged into
    one sh:ValidationReport."""
    global _FORKED_WORK
    _FORKED_WORK = (target, shapes)
    # The parent's objects are frozen out of the collector's reach while the children run: a
    # child's collection writes into the header of every object it visits, which copies each
    # page of the shared graph into the child (Python's gc.freeze documents the pattern).
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(len(groups) - 1) as pool:
            pending = pool.map_async(_check_part, groups[:-1], chunksize=1)
            # The last share is checked here: a child copies each page of the graph it reads,
            # this process owns them.
            own = _validate(target, shapes, groups[-1])
            parts = [*pending.get(), (list(own), list(own.namespaces()))]
    finally:
        gc.unfreeze()
        _FORKED_WORK = None
    # Only once the children are gone: the constraints' store and the pages they copied would
    # otherwise take memory at the same time.
    sparql_results = shape_constraints.evaluate(taken, target, data_file)
    give_back_free_memory()
    merged = Graph()
    for triples, namespaces in parts:
        for triple in triples:
            merged.add(triple)
        for prefix, namespace in namespaces:
            merged.bind(prefix, namespace, override=False)
    report = BNode()
    conforms = True
    for node in list(merged.subjects(RDF.type, SH.ValidationReport)):
        conforms = conforms and merged.value(node, SH.conforms) == Literal(True)
        for result in merged.objects(node, SH.result):
            merged.add((report, SH.result, result))
        merged.remove((node, None, None))
    merged.add((report, RDF.type, SH.ValidationReport))
    merged.add((report, SH.conforms, Literal(conforms)))
    shape_constraints.add_to_report(merged, sparql_results)
    return merged


# rdflib validates xsd:date when parsing (SHACL's sh:datatype then catches "2023-02-30"),
# but it accepts any text as xsd:gYear or xsd:gYearMonth; these patterns close that gap.
_TZ = r"(Z|[+-](0\d|1[0-4]):[0-5]\d)?"
PARTIAL_DATE_PATTERNS = {
    XSD.gYear: (re.compile(rf"^-?\d{{4}}{_TZ}$"), "a year YYYY"),
    XSD.gYearMonth: (re.compile(rf"^-?\d{{4}}-(0[1-9]|1[0-2]){_TZ}$"), "a month YYYY-MM, with the month 01–12"),
}


def partial_date_findings(data: Graph, subject_lines: dict[str, tuple[str, int]]) -> list[Finding]:
    findings = []
    for s, p, o in data:
        if not isinstance(o, Literal) or o.datatype not in PARTIAL_DATE_PATTERNS:
            continue
        pattern, expected = PARTIAL_DATE_PATTERNS[o.datatype]
        if not pattern.match(str(o)):
            file, line = subject_lines.get(str(s), (None, None))
            findings.append(
                Finding(
                    "Violation",
                    str(s),
                    _term_text(data, p),
                    f'"{o}" is not a valid {_term_text(data, o.datatype)}: write {expected}.',
                    None,
                    o.n3(data.namespace_manager),
                    file,
                    line,
                )
            )
    return findings


def check_sources(sources: Sources, copy: Path | None = None) -> Report:
    """The findings on the sources; `copy` is the file load_sources wrote them to, if it was asked to."""
    data = sources.all_data()
    report = validate_graph(data, sources.shapes, sources.ontology, sources.subject_lines, data_file=copy)
    findings = report.findings + partial_date_findings(data, sources.subject_lines)
    findings += iri_findings(data, sources.base, sources.subject_lines)
    report.findings = sorted(findings, key=_finding_order)
    return report


def _finding_order(f: Finding):
    return (f.severity != "Violation", f.file or "~", f.line or 0, f.focus, f.message)
