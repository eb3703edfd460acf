"""OWL RL inference with owlrl; returns only the new, non-trivial triples."""
from __future__ import annotations

import owlrl
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


def infer(asserted: Graph, ontology: Graph) -> Graph:
    """The OWL RL closure of asserted data plus ontology, minus the input and trivial triples."""
    work = Graph()
    for g in (asserted, ontology):
        work += g
    before = set(work)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False, datatype_axioms=False,
    ).expand(work)
    inferred = Graph()
    for prefix, ns in asserted.namespaces():
        inferred.bind(prefix, ns)
    for triple in work:
        if triple not in before and not is_trivial(*triple):
            inferred.add(triple)
    return inferred
