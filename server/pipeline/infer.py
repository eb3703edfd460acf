"""OWL RL inference (reasonable for the data, owlrl for the ontology); returns only the new, non-trivial triples."""

from __future__ import annotations

import owlrl
import reasonable
from rdflib import BNode, Graph, Literal, URIRef
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


def is_trivial(s, p, o) -> bool:
    if isinstance(s, Literal) or isinstance(s, BNode) and p == RDF.type and o in TRIVIAL_CLASSES:
        return True
    if isinstance(s, URIRef) and str(s).startswith(BUILTIN_NAMESPACES):
        return True
    if p == RDF.type and o in TRIVIAL_CLASSES:
        return True
    if p in REFLEXIVE and s == o:
        return True
    if (p, o) in TRIVIAL_OBJECTS:
        return True
    # owlrl types literals with their datatype and declares datatypes; neither is a fact.
    if isinstance(o, URIRef) and p == RDF.type and str(o).startswith(str(XSD)):
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
    if isinstance(term, Literal) and term.datatype == XSD.string and not term.language:
        return Literal(str(term))
    return term


def infer(asserted: Graph, ontology: Graph) -> set[tuple]:
    """The OWL RL closure of asserted data plus ontology, minus the input and trivial triples.

    The data's closure comes from `reasonable` (Rust, about 10x faster than owlrl on our data,
    whose inference was the longest stage of a large build), plus owlrl's closure of the ontology
    alone, which gives the schema triples reasonable does not derive (domains and ranges through
    sub-properties and sub-classes): together the same triples as owlrl on everything, which
    tests/test_inference.py checks. Where that shortcut would not be exact (see
    _reasonable_facts), owlrl alone."""
    facts = _reasonable_facts(asserted, ontology)
    if facts is None:
        return infer_with_owlrl(asserted, ontology)
    return facts


def infer_with_owlrl(asserted: Graph, ontology: Graph) -> set[tuple]:
    """The same as infer(), with owlrl alone: the reference the tests hold reasonable to."""
    facts = _NewFacts(asserted, ontology)
    for triple in _owlrl_closure(asserted, ontology):
        facts.add(triple)
    return facts.triples


def _reasonable_facts(asserted: Graph, ontology: Graph) -> set[tuple] | None:
    """The new facts of the closure by reasonable, or None when it could differ from owlrl's.

    reasonable is given the ontology without its owl:FunctionalProperty declarations: with
    them its peak memory grew about quadratically (0.38, 1.15, 4.0 GiB at 27k, 52k, 102k
    asserted triples; a 1M build ran out of memory), without them linearly. Those declarations
    only ever derive "y1 owl:sameAs y2" for a subject with two values of the property, so
    where no subject has two, leaving them out changes nothing but reflexive sameAs, which
    is trivial. Where one has, owlrl decides (SHACL's maxCount rejects such data anyway)."""
    functional = set(ontology.subjects(RDF.type, OWL.FunctionalProperty))
    reasoner = reasonable.PyReasoner()
    # Given one graph after the other: merging them first would copy every triple (9 s at 1M).
    reasoner.from_graph(asserted)
    reasoner.from_graph(_without_functional_declarations(ontology))
    closure = reasoner.reason()
    del reasoner
    facts = _NewFacts(asserted, ontology)
    values_of_functional: dict = {}
    # The closure is every triple, the input's too, each term a new object: taken from the list
    # one by one, so that what is kept (the new facts) grows as the list shrinks.
    while closure:
        s, p, o = (facts.term(term) for term in closure.pop())
        if p in functional and values_of_functional.setdefault((s, p), o) != o:
            return None  # a subject with two values of a functional property
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
        # Membership in the input graphs, not a set of their triples: at 10 M triples such a
        # set held about a gigabyte.
        if not is_trivial(*triple) and triple not in self.asserted and triple not in self.ontology:
            self.triples.add(triple)


def _without_functional_declarations(ontology: Graph) -> Graph:
    kept = Graph()
    for triple in ontology:
        if triple[1:] != (RDF.type, OWL.FunctionalProperty):
            kept.add(triple)
    return kept
