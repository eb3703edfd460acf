"""The benchmark's synthetic data (bench/generate.py): deterministic, valid against our shapes,
and never part of a normal build."""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
import pytest

from server.core.settings import PROJECT_ROOT
from server.pipeline.check import check_sources
from server.pipeline.load import load_sources

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
import generate  # noqa: E402

BASE = "https://w3id.org/strategiaverkko/"
SYNTHETIC = BASE + generate.SPACE


def text(n: int, seed: int) -> str:
    return "".join(generate.generate(n, seed))


def test_same_seed_same_bytes_and_other_seed_other_bytes(tmp_path):
    a = generate.write(3, 5, tmp_path / "a.ttl").read_bytes()
    b = subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "bench" / "generate.py"),
            "3",
            "--seed",
            "5",
            "--output",
            str(tmp_path / "b.ttl"),
        ],
        capture_output=True,
        check=True,
        cwd=tmp_path,
    )
    assert b.returncode == 0
    assert (tmp_path / "b.ttl").read_bytes() == a
    assert text(3, 6).encode() != a
    # Organisation k is the same whatever N is, so sizes nest (after the header line naming N).
    body = lambda t: t.split("\n", 1)[1]  # noqa: E731
    assert body(text(3, 5)).split("\n# --- 3:")[0] == body(text(2, 5))


def test_organisations_are_distinct_and_in_their_own_iri_space(tmp_path):
    graph = ox.Store()
    graph.bulk_load(input=text(40, 1).encode(), format=ox.RdfFormat.TURTLE, base_iri=BASE)
    orgs = {
        q.subject.value
        for q in graph.quads_for_pattern(
            None,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode(BASE + "ontology#WellbeingServicesCounty"),
        )
    }
    assert len(orgs) == 40
    ours = {q.subject.value for q in graph} | {q.object.value for q in graph if isinstance(q.object, ox.NamedNode)}
    ours = {iri for iri in ours if iri.startswith(BASE + "id/")}
    # Only the authorities and the legal provision of the real data are shared.
    assert {iri for iri in ours if not iri.startswith(SYNTHETIC)} <= {
        BASE + "id/organisation/stm",
        BASE + "id/organisation/thl",
        BASE + "id/legislation/612-2021-29-2",
    }
    strategies = {
        q.subject.value for q in graph.quads_for_pattern(None, None, ox.NamedNode(BASE + "ontology#Strategy"))
    }
    assert len(strategies) >= 2 * 40  # several strategy periods each


def test_generated_data_at_the_10k_size_passes_the_shapes(tmp_path):
    # The real check of the pipeline, on the synthetic organisations of the 10 k size (with the
    # two real files they refer to, so that changes to other real data cannot fail this test).
    generate.source_tree(tmp_path / "src", generate.ORGS_FOR_SIZE["10k"], real_data=False)
    sources = load_sources(tmp_path / "src", BASE)
    report = check_sources(sources)
    assert report.violations == [], report.text
    assert [f for f in report.findings if f.focus.startswith(SYNTHETIC)] == []


def test_refuses_to_write_under_data(tmp_path):
    with pytest.raises(ValueError, match="refusing"):
        generate.write(1, 1, PROJECT_ROOT / "data" / "synthetic.ttl")
    assert not (PROJECT_ROOT / "data" / "synthetic.ttl").exists()


def test_synthetic_iris_never_appear_in_a_normal_build():
    # What a normal build publishes is what it loads from the checkout (inference mints no IRIs).
    assert not any("synthetic" in p.name for p in (PROJECT_ROOT / "data").iterdir())
    sources = load_sources(PROJECT_ROOT, BASE)
    for graph in [sources.ontology, *sources.data.values()]:
        for triple in graph:
            assert not any(str(term).startswith(SYNTHETIC) for term in triple), triple
