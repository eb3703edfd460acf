"""The build infers with reasonable (fast) and owlrl (the ontology alone); the result must be
exactly what owlrl alone derives, on the real data and on the benchmark's synthetic data."""

from __future__ import annotations

import sys

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import OWL, RDF, RDFS

from server.core.settings import PROJECT_ROOT, load_settings
from server.pipeline.infer import NotInParts, infer, infer_with_owlrl, parts_for_reasoning
from server.pipeline.load import load_sources, parse_file

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
import generate  # noqa: E402

BASE = load_settings()["base_iri"]
STV = Namespace("https://w3id.org/strategiaverkko/ontology#")


def test_same_inferences_as_owlrl_on_the_real_data():
    sources = load_sources(PROJECT_ROOT, BASE)
    data = sources.all_data()
    fast, reference = infer(data, sources.ontology), infer_with_owlrl(data, sources.ontology)
    assert len(reference) > 1000
    assert set(fast) == set(reference)


def test_same_inferences_as_owlrl_on_synthetic_organisations(tmp_path):
    sources = load_sources(PROJECT_ROOT, BASE)
    synthetic = parse_file(generate.write(3, 7, tmp_path / "synthetic.ttl"), BASE)
    data = sources.all_data() + synthetic
    assert set(infer(data, sources.ontology)) == set(infer_with_owlrl(data, sources.ontology))


def test_two_values_of_a_functional_property_get_owlrls_same_as():
    """reasonable reasons without the functional-property axioms (they made its memory grow
    quadratically); data that would make them fire must still get owlrl's full answer."""
    sources = load_sources(PROJECT_ROOT, BASE)
    data = sources.all_data()
    statement, plan = next(iter(data.subject_objects(STV.partOfPlan)))
    other_plan = next(p for p in data.subjects(RDF.type, STV.Strategy) if p != plan)
    data.add((statement, STV.partOfPlan, other_plan))
    inferred = infer(data, sources.ontology)
    assert (plan, OWL.sameAs, other_plan) in inferred or (other_plan, OWL.sameAs, plan) in inferred
    assert set(inferred) == set(infer_with_owlrl(data, sources.ontology))


def test_reasoning_in_parts_gives_the_same_inferences_as_owlrl():
    """The build reasons over the data a part at a time (its memory then grows with a part, not
    with the data): with this ontology every conclusion has one data premise, so the parts'
    closures together are the whole closure."""
    sources = load_sources(PROJECT_ROOT, BASE)
    data = sources.all_data()
    assert len(list(parts_for_reasoning(data, sources.ontology, 1000))) > 5
    assert set(infer(data, sources.ontology, part_triples=1000)) == set(infer_with_owlrl(data, sources.ontology))


def test_a_transitive_property_makes_it_reason_over_all_the_data_at_once():
    """A rule that joins two data triples (here prp-trp) could miss a conclusion whose premises
    fall into different parts: such an ontology is reasoned over the whole data."""
    sources = load_sources(PROJECT_ROOT, BASE)
    ontology = sources.ontology + Graph()
    ontology.add((STV.contributesTo, RDF.type, OWL.TransitiveProperty))
    data = sources.all_data()
    a, b, c = list(data.subjects(STV.partOfPlan, None, unique=True))[:3]
    data.add((a, STV.contributesTo, b))
    data.add((b, STV.contributesTo, c))
    with pytest.raises(NotInParts):
        list(parts_for_reasoning(data, ontology, 1))
    inferred = infer(data, ontology, part_triples=1)
    assert (a, STV.contributesTo, c) in inferred
    assert set(inferred) == set(infer_with_owlrl(data, ontology))


def test_same_as_in_the_data_makes_it_reason_over_all_the_data_at_once():
    sources = load_sources(PROJECT_ROOT, BASE)
    data = sources.all_data()
    first, second = list(data.subjects(RDF.type, STV.Strategy))[:2]
    data.add((first, OWL.sameAs, second))
    with pytest.raises(NotInParts):
        list(parts_for_reasoning(data, sources.ontology, 1))
    assert set(infer(data, sources.ontology, part_triples=1)) == set(infer_with_owlrl(data, sources.ontology))


def test_a_vocabulary_term_used_as_a_class_is_noticed_though_it_is_also_used_as_a_property():
    """Whether a triple is plain is remembered by property, and for rdf:type by class too: a
    term of the OWL/RDFS vocabularies that is plain as a property (rdfs:label) is not as a class."""
    sources = load_sources(PROJECT_ROOT, BASE)
    data = sources.all_data()
    assert (None, RDFS.label, None) in data
    strategy = next(data.subjects(RDF.type, STV.Strategy))
    data.add((strategy, RDF.type, RDFS.label))
    with pytest.raises(NotInParts):
        list(parts_for_reasoning(data, sources.ontology, 1000))
