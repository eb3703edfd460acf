"""Would `reasonable` (an OWL 2 RL reasoner in Rust) give the build the same inferences as owlrl?

    python bench/reasoner_compare.py [N]     # real data + N synthetic organisations (default 7, ~10 k triples)

Runs server.pipeline.infer.infer() (owlrl, what the build uses) and reasonable on the same asserted
data and ontology, drops from reasonable's output what infer() drops (the input and
server.pipeline.infer.is_trivial), and compares the two sets of inferred triples: their sizes, what
only one of them has (by predicate, with examples), and the time each took. Needs
`pip install reasonable`. Nothing is written; the report goes to stdout.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
from rdflib import BNode, Literal, URIRef  # noqa: E402
from rdflib.namespace import XSD  # noqa: E402

from server.core.iris import DEFAULT_BASE  # noqa: E402
from server.pipeline.infer import infer, is_trivial  # noqa: E402
from server.pipeline.load import load_sources  # noqa: E402


def term(value):
    """reasonable's terms as rdflib writes them: a plain literal has no datatype (reasonable
    gives it xsd:string, which is the same value in RDF 1.1 but another rdflib term)."""
    if isinstance(value, Literal) and value.datatype == XSD.string and not value.language:
        return Literal(str(value))
    if not isinstance(value, str) or isinstance(value, (URIRef, BNode, Literal)):
        return value
    return BNode(value[2:]) if value.startswith("_:") else URIRef(value)


def main(argv: list[str]) -> int:
    import reasonable

    n = int(argv[0]) if argv else generate.ORGS_FOR_SIZE["10k"]
    with tempfile.TemporaryDirectory() as tmp:
        generate.source_tree(Path(tmp) / "src", n)
        sources = load_sources(Path(tmp) / "src", DEFAULT_BASE)
    asserted = sources.all_data()
    started = time.perf_counter()
    by_owlrl = set(infer(asserted, sources.ontology))
    owlrl_seconds = time.perf_counter() - started

    started = time.perf_counter()
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(asserted + sources.ontology)
    raw = reasoner.reason()
    reasonable_seconds = time.perf_counter() - started
    before = set(asserted) | set(sources.ontology)
    by_reasonable = set()
    for s, p, o in raw:
        triple = (term(s), term(p), term(o))
        if triple not in before and not is_trivial(*triple):
            by_reasonable.add(triple)

    # What reasonable lacks is about the vocabulary only: owlrl on the ontology alone (small,
    # the same whatever the data) gives it; is reasonable + that the same closure?
    started = time.perf_counter()
    from rdflib import Graph

    schema_only = set(infer(Graph(), sources.ontology))
    schema_seconds = time.perf_counter() - started
    combined = by_reasonable | schema_only

    print(f"asserted + ontology: {len(before):,} triples (real data + {n} synthetic organisations)")
    print(f"owlrl (server.pipeline.infer.infer): {len(by_owlrl):,} inferred, {owlrl_seconds:.1f} s")
    print(
        f"reasonable {getattr(reasonable, '__version__', '')}: {len(by_reasonable):,} inferred "
        f"after the same filtering, {reasonable_seconds:.1f} s"
    )
    print(
        f"reasonable + owlrl on the ontology alone ({len(schema_only):,} triples, {schema_seconds:.1f} s): "
        f"{len(combined):,} inferred; the same as owlrl's: {combined == by_owlrl} "
        f"(only owlrl {len(by_owlrl - combined):,}, only the combination {len(combined - by_owlrl):,})"
    )
    for name, only in (("only owlrl", by_owlrl - by_reasonable), ("only reasonable", by_reasonable - by_owlrl)):
        print(f"{name}: {len(only):,}")
        for p, count in Counter(str(p) for _, p, _ in only).most_common(8):
            example = next(t for t in only if str(t[1]) == p)
            print(f"  {count:6,}  {p}   e.g. {example[0]} -> {example[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
