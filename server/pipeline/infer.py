"""OWL RL inference (reasonable for the data, owlrl for the ontology); returns only the new, non-trivial triples."""

from __future__ import annotations

from collections.abc import Iterator

import owlrl
import reasonable
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

# Namespaces whose own terms we never make statements about: anything inferred with
# such a subject is axiomatic noise ("rdf:type a rdf:Property", "xsd:string a rdfs:Datatype").
BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))
# Classes every resource belongs to; saying so adds nothing.
TRIVIAL_CLASSES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
# Properties that are reflexive by definition: "x p x" adds nothing.
REFLEXIVE = {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}
# Schema-level boilerplate owlrl derives for every class and property.
TRIVIAL_OBJECTS = {
    (RDFS.subClassOf, OWL.Thing),
    (RDFS.domain, OWL.Thing),
    (RDFS.range, OWL.Thing),
    (RDF.type, OWL.Class),
    (RDF.type, RDFS.Class),
    (RDF.type, RDF.Property),
    (RDF.type, OWL.Thing),
}

# The axioms with which every OWL RL conclusion about the data follows from one data triple and
# the ontology (cax-sco, prp-spo1, prp-dom, prp-rng, prp-inv, cax-eqc, prp-eqp): the closure
# of the whole data is then the union of the closures of its parts. Rules that join two data
# triples need other axioms (transitive or functional properties, property chains, keys,
# restrictions, owl:sameAs, class expressions), all in the RDFS and OWL vocabularies.
ONE_PREMISE_AXIOMS = {
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    OWL.inverseOf,
    OWL.equivalentClass,
    OWL.equivalentProperty,
}
# Declarations and annotations: no rule joins data through them.
DECLARED_AS = {
    OWL.Class,
    RDFS.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
    OWL.Ontology,
    RDFS.Datatype,
    OWL.NamedIndividual,
    OWL.Thing,
    RDFS.Resource,
}
ANNOTATIONS = {
    RDFS.label,
    RDFS.comment,
    RDFS.seeAlso,
    RDFS.isDefinedBy,
    OWL.versionInfo,
    OWL.versionIRI,
    OWL.priorVersion,
    OWL.deprecated,
}
# Asserted triples given to reasonable at a time when the data can be reasoned in parts: its
# answer is every triple of the closure, each term a new Python object, so reasoning over 10 M
# triples at once held about 9 GiB more than the data itself. Smaller parts repeat more: what
# is inferred about a resource several parts mention (its types from ranges) comes once per
# part. At 1M asserted, parts of 200,000 took 20% longer than one run over everything, parts of
# 500,000 as long.
PART_TRIPLES = 500_000


class NotInParts(Exception):
    """The data or the ontology has a triple through which a rule may join two data triples."""


# Looked up once: an attribute of an rdflib namespace is a method call, and these are asked for
# every triple of the closure (a million times at 1M).
_TYPE, _STRING, _XSD = RDF.type, XSD.string, str(XSD)


def is_trivial(s, p, o) -> bool:
    if isinstance(s, Literal):
        return True
    if p == _TYPE and o in TRIVIAL_CLASSES:
        return True
    if _of_builtin_vocabularies(s):
        return True
    if p in REFLEXIVE and s == o:
        return True
    if (p, o) in TRIVIAL_OBJECTS:
        return True
    # owlrl types literals with their datatype and declares datatypes; neither is a fact.
    if isinstance(o, URIRef) and p == _TYPE and str(o).startswith(_XSD):
        return True
    return False


def _owlrl_closure(asserted: Graph, ontology: Graph) -> set:
    work = Graph()
    for g in (asserted, ontology):
        work += g
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics,
        rdfs_closure=False,
        axiomatic_triples=False,
        datatype_axioms=False,
    ).expand(work)
    return set(work)


def _plain(term):
    # reasonable gives plain literals the datatype xsd:string: the same value, another rdflib term.
    if isinstance(term, Literal) and term.datatype == _STRING and not term.language:
        return Literal(str(term))
    return term


def infer(asserted: Graph, ontology: Graph, part_triples: int = PART_TRIPLES) -> set[tuple]:
    """The OWL RL closure of asserted data plus ontology, minus the input and trivial triples.

    The data's closure comes from `reasonable` (Rust, about 10x faster than owlrl on our data,
    whose inference was the longest stage of a large build), plus owlrl's closure of the ontology
    alone, which gives the schema triples reasonable does not derive (domains and ranges through
    sub-properties and sub-classes): together the same triples as owlrl on everything, which
    tests/test_inference.py checks. Where that shortcut would not be exact (see
    _reasonable_facts), owlrl alone.

    reasonable is given `part_triples` data triples at a time where that is exact (see
    ONE_PREMISE_AXIOMS), and all of them at once where it is not."""
    try:
        facts = _reasonable_facts(asserted, ontology, parts_for_reasoning(asserted, ontology, part_triples))
    except NotInParts:
        facts = _reasonable_facts(asserted, ontology, iter([asserted]))
    if facts is None:
        return infer_with_owlrl(asserted, ontology)
    return facts


def infer_with_owlrl(asserted: Graph, ontology: Graph) -> set[tuple]:
    """The same as infer(), with owlrl alone: the reference the tests hold reasonable to."""
    facts = _NewFacts(asserted, ontology)
    for triple in _owlrl_closure(asserted, ontology):
        facts.add(triple)
    return facts.triples


def _reasonable_facts(asserted: Graph, ontology: Graph, parts: Iterator) -> set[tuple] | None:
    """The new facts of the closure by reasonable, or None when it could differ from owlrl's.

    reasonable is given the ontology without its owl:FunctionalProperty declarations: with
    them its peak memory grew about quadratically (0.38, 1.15, 4.0 GiB at 27k, 52k, 102k
    asserted triples; a 1M build ran out of memory), without them linearly. Those declarations
    only ever derive "y1 owl:sameAs y2" for a subject with two values of the property, so
    where no subject has two, leaving them out changes nothing but reflexive sameAs, which
    is trivial. Where one has, owlrl decides (SHACL's maxCount rejects such data anyway)."""
    functional = set(ontology.subjects(RDF.type, OWL.FunctionalProperty))
    rules = _without_functional_declarations(ontology)
    facts = _NewFacts(asserted, ontology)
    values_of_functional: dict = {}
    for part in parts:
        # The part's closure holds the part again: a set of it finds those quicker than the graph.
        given = set(part) if isinstance(part, list) else set()
        reasoner = reasonable.PyReasoner()
        # Given one graph after the other: merging them first would copy every triple (9 s at 1M).
        reasoner.from_graph(part)
        reasoner.from_graph(rules)
        closure = reasoner.reason()
        del reasoner, part
        # The closure is every triple, the input's too, each term a new object: taken from the
        # list one by one, so that what is kept (the new facts) grows as the list shrinks.
        while closure:
            s, p, o = (_plain(term) for term in closure.pop())
            if p in functional and values_of_functional.setdefault((facts.term(s), p), facts.term(o)) != o:
                return None  # a subject with two values of a functional property
            if (s, p, o) not in given:
                facts.add((s, p, o))
    for triple in _owlrl_closure(Graph(), ontology):
        facts.add(triple)
    return facts.triples


class _NewFacts:
    """The inferred triples: those added that are neither in the input nor trivial.

    A set of triples, not an rdflib graph: a graph holds about 1 KB a triple (its indexes), and
    the inferred triples are as many as the asserted ones; the build only reads them once, into
    the store."""

    def __init__(self, asserted: Graph, ontology: Graph):
        self.asserted, self.ontology = asserted, ontology
        self.triples: set[tuple] = set()
        self._terms: dict = {}

    def term(self, term):
        """The term as rdflib's parser makes it, one object for each distinct term: reasonable
        makes a new object for every place a term takes in its answer."""
        term = _plain(term)
        return self._terms.setdefault(term, term)

    def add(self, triple: tuple) -> None:
        # Found already first: parts share resources (an organisation, a theme), so their
        # closures repeat what is inferred about them. Membership in the input graphs, not a set
        # of their triples: at 10 M triples such a set held about a gigabyte.
        if triple in self.triples or is_trivial(*triple) or triple in self.asserted or triple in self.ontology:
            return
        self.triples.add(tuple(self.term(term) for term in triple))


def parts_for_reasoning(asserted: Graph, ontology: Graph, size: int) -> Iterator[list[tuple]]:
    """The asserted triples, `size` at a time; raises NotInParts (before the first part, or
    at the triple that shows it) where reasoning in parts could miss a conclusion."""
    for triple in ontology:
        if not _one_premise_axiom(*triple) and not _plain_data(*triple):
            raise NotInParts
    plain: dict = {}  # by predicate (by rdf:type and class): whether the triple is plain data
    part: list[tuple] = []
    for s, p, o in asserted:
        key = (p, o) if p == _TYPE else p
        known = plain.get(key)
        if known is None:
            known = plain[key] = _plain_data(s, p, o)
        if not known:
            raise NotInParts
        part.append((s, p, o))
        if len(part) == size:
            yield part
            part = []
    if part:
        yield part


def _of_builtin_vocabularies(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(BUILTIN_NAMESPACES)


def _one_premise_axiom(s, p, o) -> bool:
    if p == RDF.type:
        return o in DECLARED_AS or o == OWL.FunctionalProperty  # (functional ones: see _reasonable_facts)
    return (p in ONE_PREMISE_AXIOMS and isinstance(s, URIRef) and isinstance(o, URIRef)) or p in ANNOTATIONS


def _plain_data(s, p, o) -> bool:  # noqa: ARG001 - a triple's three parts, as the callers have them
    """A triple no rule treats as schema: its property and, for rdf:type, its class are not of
    the RDF, RDFS, OWL or XSD vocabularies (but for declarations and annotations)."""
    if p == RDF.type:
        return not _of_builtin_vocabularies(o) or o in DECLARED_AS
    return not _of_builtin_vocabularies(p) or p in ANNOTATIONS


def _without_functional_declarations(ontology: Graph) -> Graph:
    kept = Graph()
    for triple in ontology:
        if triple[1:] != (RDF.type, OWL.FunctionalProperty):
            kept.add(triple)
    return kept
