"""The build infers with reasonable (fast) and owlrl (the ontology alone); the result must be
exactly what owlrl alone derives, on the real data and on the benchmark's synthetic data."""
from __future__ import annotations

import sys

from rdflib import Graph

from server.config import PROJECT_ROOT, load_settings
from server.infer import infer, infer_with_owlrl
from server.load import load_sources, parse_file

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
import generate  # noqa: E402

BASE = load_settings()["base_iri"]


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


def test_large_data_takes_the_memory_bounded_owlrl_path(monkeypatch):
    """Above the threshold reasonable (whose memory grows quadratically) is not used at all."""
    import server.infer as infer_module
    sources = load_sources(PROJECT_ROOT, BASE)
    data = sources.all_data()
    monkeypatch.setattr(infer_module, "REASONABLE_MAX_TRIPLES", len(data) - 1)
    monkeypatch.setattr(infer_module, "_reasonable_closure", lambda *a: (_ for _ in ()).throw(AssertionError("used")))
    assert set(infer_module.infer(data, sources.ontology)) == set(infer_with_owlrl(data, sources.ontology))
