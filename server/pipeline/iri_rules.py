"""IRI rules the shapes cannot state cheaply: every IRI under the base is one we would mint.

An IRI under the base names a file of the build (an organisation's dump is
`organisations/{slug}.ttl`), so "..", "/" or any other character in a slug could make the
build write outside its folder. SHACL-SPARQL could state the rule, but pySHACL would run it
once per node in rdflib's engine (minutes at a million triples); this pass reads each node once.
"""

from __future__ import annotations

from rdflib import Graph, URIRef

from ..core.iris import Iris
from .findings import Finding

SHAPE = "IRI rules (server/pipeline/iri_rules.py)"


def iri_findings(data: Graph, base: str, subject_lines: dict[str, tuple[str, int]]) -> list[Finding]:
    iris = Iris(base)
    subjects = set(data.subjects(unique=True))
    findings = []
    for node in subjects | set(data.objects(unique=True)) | set(data.predicates(unique=True)):
        if not isinstance(node, URIRef):
            continue
        iri = str(node)
        file, line = subject_lines.get(iri, (None, None))
        problem = iris.problem(iri)
        if problem:
            findings.append(Finding("Violation", iri, None, f"This IRI {problem}.", SHAPE, None, file, line))
        elif node in subjects and not iris.is_local(iri):
            findings.append(
                Finding(
                    "Warning",
                    iri,
                    None,
                    f"Described here but outside the base {base}: our data describes things under {base}id/; "
                    "write the relative IRI <id/{kind}/{slug}> unless this really is someone else's resource.",
                    SHAPE,
                    None,
                    file,
                    line,
                )
            )
    return findings
