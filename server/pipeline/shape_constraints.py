"""The shapes' SPARQL-based constraints (sh:sparql with sh:select), run once per constraint
over all its focus nodes by Oxigraph, instead of once per focus node by rdflib.

pySHACL evaluates such a constraint with rdflib's SPARQL engine once for every focus node,
$this pre-bound: on a 100k-triple build that was three quarters of the check's time (24,487
queries for 10 constraints, 2 ms each). SHACL defines the constraint by that pre-binding
(SHACL 1.0, 5.3.1 and appendix "Pre-binding of variables"). For the queries SHACL allows
(no VALUES, MINUS, SERVICE or sub-SELECT that could see $this unbound), joining the
query's WHERE group with the distinct focus nodes gives the same solutions, so each
constraint becomes one query. The rest of the shapes stay with pySHACL; the results are
written into its report in the form pySHACL gives them, and tests/test_shapes.py holds
both ways of checking to the same findings.

A constraint this module cannot take over exactly (a SPARQL-based target, $PATH, ASK
validators, a query outside the forms above) is left to pySHACL unchanged.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from ..store.base import RdflibTerms, to_oxigraph

# Targets a SPARQL pattern can state exactly (sh:target with a SPARQL target stays with pySHACL).
_TARGET_PATTERNS = {
    SH.targetClass: "?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {} .",
    SH.targetSubjectsOf: "?this {} [] .",
    SH.targetObjectsOf: "[] {} ?this .",
}
# Words that make joining the focus nodes with the WHERE group differ from pre-binding,
# or that need what only pySHACL provides (the path of a property shape, the shapes graph).
_NOT_TAKEN = re.compile(
    r"(?i:\b(VALUES|MINUS|SERVICE)\b|\bSELECT\b.*\bSELECT\b|\bAS\s*[?$]this\b)"
    r"|[?$](PATH|currentShape|shapesGraph|failure)\b",
    re.DOTALL,
)


@dataclass(frozen=True)
class SparqlConstraint:
    shape: URIRef
    node: BNode | URIRef  # the constraint (the object of sh:sparql)
    query: str  # with its prefixes, the focus nodes joined in
    messages: tuple[Literal, ...]
    severity: URIRef


def take_over(shapes: Graph) -> tuple[Graph, list[SparqlConstraint]]:
    """The shapes for pySHACL (a copy without the constraints taken over) and those constraints."""
    taken: list[SparqlConstraint] = []
    for shape, node in sorted(shapes.subject_objects(SH.sparql)):
        constraint = _constraint(shapes, shape, node)
        if constraint is not None:
            taken.append(constraint)
    if not taken:
        return shapes, []
    rest = Graph()
    for prefix, namespace in shapes.namespaces():
        rest.bind(prefix, namespace, override=False)
    dropped = {(c.shape, SH.sparql, c.node) for c in taken}
    for triple in shapes:
        if triple not in dropped:
            rest.add(triple)
    return rest, taken


def _constraint(shapes: Graph, shape, node) -> SparqlConstraint | None:
    if not isinstance(shape, URIRef) or _deactivated(shapes, shape) or _deactivated(shapes, node):
        return None
    if (shape, SH.path, None) in shapes or (shape, SH.target, None) in shapes:
        return None
    select = shapes.value(node, SH.select)
    if select is None or _NOT_TAKEN.search(str(select)):
        return None
    targets = _target_pattern(shapes, shape)
    prefixes = _prefix_lines(shapes, node)
    if targets is None or prefixes is None:
        return None
    query = _join_focus_nodes(str(select), targets)
    if query is None:
        return None
    messages = tuple(m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal))
    messages += tuple(m for m in shapes.objects(node, SH.message) if isinstance(m, Literal) and m not in messages)
    severity = shapes.value(shape, SH.severity)
    return SparqlConstraint(
        shape, node, prefixes + query, messages, severity if isinstance(severity, URIRef) else SH.Violation
    )


def _deactivated(shapes: Graph, node) -> bool:
    return shapes.value(node, SH.deactivated) == Literal(True)


def _target_pattern(shapes: Graph, shape) -> str | None:
    alternatives = []
    for predicate, pattern in _TARGET_PATTERNS.items():
        for term in sorted(shapes.objects(shape, predicate), key=str):
            if not isinstance(term, URIRef):
                return None
            alternatives.append(pattern.format(term.n3()))
    for term in sorted(shapes.objects(shape, SH.targetNode), key=str):
        if isinstance(term, BNode):
            return None
        alternatives.append(f"VALUES ?this {{ {term.n3()} }}")
    if any((shape, RDF.type, kind) in shapes for kind in (RDFS.Class, OWL.Class)):
        alternatives.append(_TARGET_PATTERNS[SH.targetClass].format(shape.n3()))  # implicit class target
    if not alternatives:
        return None
    return "{ " + " } UNION { ".join(alternatives) + " }"


def _prefix_lines(shapes: Graph, node) -> str | None:
    lines = []
    for declarations in shapes.objects(node, SH.prefixes):
        if (declarations, OWL.imports, None) in shapes:
            return None  # prefixes from elsewhere: pySHACL knows how to follow them
        for declaration in shapes.objects(declarations, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                return None
            lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(sorted(set(lines)))


def _join_focus_nodes(select: str, targets: str) -> str | None:
    """The query with the distinct focus nodes joined at the head of its WHERE group."""
    brace = select.find("{")
    if brace < 0 or any(quote in select[:brace] for quote in "\"'#"):
        return None  # a brace or comment we would have to parse around
    focus = f"{{ SELECT DISTINCT ?this WHERE {{ {targets} }} }}\n"
    return select[: brace + 1] + "\n" + focus + select[brace + 1 :]


def evaluate(constraints: list[SparqlConstraint], target: Graph, target_file: Path | None = None) -> Graph:
    """The constraints' sh:ValidationResults on `target`, as pySHACL words them (without
    sh:sourceConstraint, which would be a copy of a blank node of the shapes).

    `target_file`, the same triples as N-Triples with the graph's blank node labels, is read
    instead of the graph when given (see check.validate_graph)."""
    results = Graph()
    if not constraints:
        return results
    store = store_of_file(target_file) if target_file is not None else in_memory_store(target)
    term = RdflibTerms(fresh_blank_nodes=False)  # focus nodes are the target's own
    for constraint in constraints:
        solutions = store.query(constraint.query)
        assert isinstance(solutions, ox.QuerySolutions)  # a constraint is a SELECT
        names = [variable.value for variable in solutions.variables]
        seen = set()
        for solution in solutions:
            bound = {name: term(value) for name, value in zip(names, solution) if value is not None}
            key = tuple(sorted(bound.items()))
            if "this" in bound and key not in seen:
                seen.add(key)
                _add_result(results, constraint, bound)
    return results


def add_to_report(report: Graph, results: Graph) -> None:
    """Put `results` into pySHACL's sh:ValidationReport; a violation among them makes it not conform."""
    if not len(results):
        return
    report += results
    violated = (None, SH.resultSeverity, SH.Violation) in results
    for node in list(report.subjects(RDF.type, SH.ValidationReport)):
        for result in results.subjects(RDF.type, SH.ValidationResult):
            report.add((node, SH.result, result))
        if violated:
            report.set((node, SH.conforms, Literal(False)))


def _add_result(results: Graph, constraint: SparqlConstraint, bound: dict) -> None:
    result = BNode()
    focus = bound["this"]
    results.add((result, RDF.type, SH.ValidationResult))
    results.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    results.add((result, SH.sourceShape, constraint.shape))
    results.add((result, SH.resultSeverity, constraint.severity))
    results.add((result, SH.focusNode, focus))
    results.add((result, SH.value, bound.get("value", focus)))  # a node shape's value is its focus node
    if "path" in bound:
        results.add((result, SH.resultPath, bound["path"]))
    for message in constraint.messages:
        text = str(message)
        for name, term in bound.items():
            # A function as replacement, so that backslashes in the value are not read as escapes.
            value = str(term)
            text = re.sub(r"\{[?$]" + re.escape(name) + r"\}", lambda _match: value, text)
        results.add((result, SH.resultMessage, Literal(text)))


def in_memory_store(graph: Graph) -> ox.Store:
    """`graph` in an in-memory Oxigraph store, blank nodes keeping their rdflib ids (loading
    N-Triples would rename them, and findings name their focus nodes by those ids)."""
    store = ox.Store()
    terms: dict = {}

    def term(t):
        converted = terms.get(t)
        if converted is None:
            converted = terms[t] = to_oxigraph(t)
        return converted

    default = ox.DefaultGraph()
    store.extend(ox.Quad(term(s), term(p), term(o), default) for s, p, o in graph)
    return store


# Above this size the file goes into an on-disk store (beside it), not into memory: in memory
# it took 0.19 GiB for 104 MB (520,000 triples of the 1.4 M benchmark build), and at 10 M
# triples that store alone would be 2 GiB at the build's peak; on disk it took 0.14–0.19 GiB
# whatever the size, and the constraints' queries took 3.5 times as long (6.0 s against 1.7).
IN_MEMORY_MAX_BYTES = 400 * 2**20


def store_of_file(path: Path) -> ox.Store:
    """An N-Triples file in an Oxigraph store, its blank node labels kept (the store's own
    loaders would rename them): in memory, or on disk for a large file (IN_MEMORY_MAX_BYTES),
    in a new folder beside the file, which goes with the file's folder. A new one each time:
    a store just closed can still hold its folder's lock for a moment."""
    triples = ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES)
    if path.stat().st_size <= IN_MEMORY_MAX_BYTES:
        store = ox.Store()
        store.extend(triples)
        return store
    store = ox.Store(tempfile.mkdtemp(prefix=f"{path.name}.store-", dir=path.parent))
    store.bulk_extend(triples)
    store.flush()
    return store
