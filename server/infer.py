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
TRIVIAL_OBJECTS = {(RDFS.subClassOf, OWL.Thing), (RDFS.domain, OWL.Thing), (RDFS.range, OWL.Thing), (RDF.type, OWL.Class), (RDF.type, RDFS.Class),
                   (RDF.type, RDF.Property), (RDF.type, OWL.Thing)}


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
        owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False, datatype_axioms=False,
    ).expand(work)
    return set(work)


def _plain(term):
    # reasonable gives plain literals the datatype xsd:string: the same value, another rdflib term.
    if isinstance(term, Literal) and term.datatype == XSD.string and not term.language:
        return Literal(str(term))
    return term


# reasonable's peak memory grows about quadratically with the data (the benchmark measured
# 0.38, 1.15 and 4.0 GiB at 27k, 52k and 102k asserted triples; a 1M build ran out of memory),
# owlrl's linearly: above this size the build takes owlrl's slower, bounded path.
REASONABLE_MAX_TRIPLES = 50_000


def infer(asserted: Graph, ontology: Graph) -> Graph:
    """The OWL RL closure of asserted data plus ontology, minus the input and trivial triples.

    The data's closure comes from `reasonable` (Rust, about 10x faster than owlrl on our data,
    whose inference was the longest stage of a large build), plus owlrl's closure of the ontology alone, which gives
    the schema triples reasonable does not derive (domains and ranges through sub-properties
    and sub-classes): together the same triples as owlrl on everything, which
    tests/test_inference.py checks. Above REASONABLE_MAX_TRIPLES asserted triples, owlrl alone."""
    if len(asserted) > REASONABLE_MAX_TRIPLES:
        return infer_with_owlrl(asserted, ontology)
    return _new_facts(asserted, ontology, _reasonable_closure(asserted, ontology))


def infer_with_owlrl(asserted: Graph, ontology: Graph) -> Graph:
    """The same as infer(), with owlrl alone: the reference the tests hold reasonable to."""
    return _new_facts(asserted, ontology, _owlrl_closure(asserted, ontology))


def _reasonable_closure(asserted: Graph, ontology: Graph) -> set:
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(asserted + ontology)
    closure = {(_plain(s), _plain(p), _plain(o)) for s, p, o in reasoner.reason()}
    return closure | _owlrl_closure(Graph(), ontology)


def _new_facts(asserted: Graph, ontology: Graph, closure: set) -> Graph:
    before = set(asserted) | set(ontology)
    inferred = Graph()
    for prefix, ns in asserted.namespaces():
        inferred.bind(prefix, ns)
    for triple in closure:
        if triple not in before and not is_trivial(*triple):
            inferred.add(triple)
    return inferred
