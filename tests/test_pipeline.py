"""The pipeline from the command line: check, build, query; and what a failed build leaves behind."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner
from rdflib import Namespace, URIRef
from rdflib.namespace import SKOS
from source_trees import FIXTURES, copy_real_sources, make_source_tree

from server.cli import main
from server.core.settings import load_settings
from server.pipeline.build import CheckFailed, build
from server.pipeline.load import LoadError, load_sources
from server.store.manifest import current_build, read_manifest

BASE = "https://w3id.org/strategiaverkko/"
STV = Namespace(BASE + "ontology#")
ORG = URIRef("http://www.w3.org/ns/org#Organization")


def cli(*args, settings=None):
    runner = CliRunner()
    opts = [x for name, value in (settings or {}).items() for x in ("--setting", f"{name}={value}")]
    return runner.invoke(main, [*opts, *args], catch_exceptions=False)


@pytest.fixture()
def real_tree(tmp_path):
    """A copy of the real sources plus its own var/ with one good build."""
    root = copy_real_sources(tmp_path / "src")
    settings = {"source_dir": str(root), "var_dir": str(tmp_path / "var")}
    result = cli("build", settings=settings)
    assert result.exit_code == 0, result.output
    return root, settings


def test_syntax_error_names_file_and_line(tmp_path):
    text = (
        (FIXTURES / "minimal.ttl")
        .read_text("utf-8")
        .replace('    skos:prefLabel "Rohkeus"@fi ;', '    skos:prefLabel "Rohkeus"@fi\n    stv:oops ;')
    )
    root = make_source_tree(tmp_path / "src", {"minimal.ttl": text})
    with pytest.raises(LoadError) as caught:
        load_sources(root, BASE)
    line = next(n for n, text_line in enumerate(text.splitlines(), 1) if "stv:oops" in text_line)
    assert caught.value.details == {"file": str(root / "data" / "minimal.ttl"), "line": line}
    result = cli("check", settings={"source_dir": root, "var_dir": tmp_path / "var"})
    assert result.exit_code == 2
    assert f"minimal.ttl:{line}:" in result.output


def test_a_triple_a_curated_file_repeats_stays_in_the_asserted_graph_too(tmp_path):
    """The data files are read into one graph; the named graphs are told apart by file. A fact a
    region file states is asserted even where a curated file says it again; what only a curated
    file says is not."""
    root = copy_real_sources(tmp_path / "src")
    sources = load_sources(root, BASE)
    region = sources.data["asserted"]
    subject, label = next((s, o) for s, o in region.subject_objects(SKOS.prefLabel) if isinstance(s, URIRef))
    with (root / "data" / "themes.ttl").open("a", encoding="utf-8") as themes:
        themes.write(f"\n{subject.n3()} {SKOS.prefLabel.n3()} {label.n3()} .\n")
    again = load_sources(root, BASE)
    assert (subject, SKOS.prefLabel, label) in again.data["asserted"]
    assert (subject, SKOS.prefLabel, label) in again.data["curated"]
    theme_links = list(again.data["curated"].triples((None, STV.theme, None)))
    assert theme_links and not any(link in again.data["asserted"] for link in theme_links)
    assert set(again.all_data()) == set().union(*(set(graph) for graph in again.data.values()))


def test_check_exit_codes_and_json_report(tmp_path):
    root = make_source_tree(tmp_path / "ok")
    assert cli("check", settings={"source_dir": root, "var_dir": tmp_path / "v"}).exit_code == 0
    broken = (FIXTURES / "minimal.ttl").read_text("utf-8").replace('"Rohkeus"@fi', '"Rohkeus"@en')
    root = make_source_tree(tmp_path / "bad", {"minimal.ttl": broken})
    result = cli("check", "--format", "json", settings={"source_dir": root, "var_dir": tmp_path / "v"})
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["conforms"] is False
    assert {"severity": "Violation", "focus": BASE + "id/value/testi-a"}.items() <= report["findings"][0].items()


def test_real_data_checks_clean_but_for_the_missing_periods():
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert "0 violation(s)," in result.output
    # Warnings only for strategies whose sources give no period.
    warnings = [line for line in result.output.splitlines() if ": Warning: " in line]
    assert warnings and all("no validity period" in line for line in warnings), result.output
    assert "etela-savo.ttl" in result.output


def test_query_answers_the_values_of_etela_savo(real_tree):
    _, settings = real_tree
    result = cli(
        "query",
        "--format",
        "csv",
        """
        SELECT ?value WHERE {
          ?s a stv:Strategy ; stv:organisation ?org ; stv:hasElement ?v .
          ?org skos:prefLabel "Etelä-Savon hyvinvointialue"@fi .
          ?v a stv:Value ; skos:prefLabel ?value ; stv:order ?n .
        } ORDER BY ?n""",
        settings=settings,
    )
    assert result.exit_code == 0, result.output
    assert result.output.split() == [
        "value",
        "YHDENVERTAISUUS",
        "VAIKUTTAVUUS",
        "ASIAKASLÄHTÖISYYS",
        "ROHKEUS",
        "TURVALLISUUS",
    ]


def test_query_answers_when_the_council_approved_the_service_strategy(real_tree):
    _, settings = real_tree
    result = cli(
        "query",
        """
        SELECT ?date ?body WHERE {
          ?d stv:approves ?plan ; stv:date ?date ; stv:decidedBy/skos:prefLabel ?body ;
             stv:documentStatus stv:Final .
          ?plan a stv:ServiceStrategy ; stv:organisation/stv:areaCode "11" .
        }""",
        settings=settings,
    )
    assert result.exit_code == 0, result.output
    assert "2023-06-14 | Etelä-Karjalan hyvinvointialueen aluevaltuusto @fi" in result.output
    assert "(1 row)" in result.output


def test_query_errors_are_reported(real_tree):
    _, settings = real_tree
    result = cli("query", "SELECT ?x WHERE { ?x ?y }", settings=settings)
    assert result.exit_code == 1
    assert "Malformed query" in result.output


def test_counties_are_organisations_by_inference_not_assertion(real_settings):
    path = current_build(real_settings["var_dir"])
    from server.store.oxigraph import OxigraphStore

    store = OxigraphStore(path / "store")
    for slug in ("etela-karjala", "etela-savo"):
        iri = f"{BASE}id/organisation/{slug}"
        asserted = store.query(f"ASK {{ GRAPH <{BASE}graph/asserted> {{ <{iri}> a <{ORG}> }} }}")
        inferred = store.query(f"ASK {{ GRAPH <{BASE}graph/inferred> {{ <{iri}> a <{ORG}> }} }}")
        assert not bool(asserted) and bool(inferred), slug


def test_trivial_inferences_are_dropped(real_settings):
    from server.store.oxigraph import OxigraphStore

    store = OxigraphStore(current_build(real_settings["var_dir"]) / "store")
    trivial = store.query(f"""
        ASK {{ GRAPH <{BASE}graph/inferred> {{
          {{ ?x a <http://www.w3.org/2002/07/owl#Thing> }} UNION {{ ?x a
          <http://www.w3.org/2000/01/rdf-schema#Resource> }}
          UNION {{ ?x <http://www.w3.org/2002/07/owl#sameAs> ?x }} UNION {{ ?x
          <http://www.w3.org/2000/01/rdf-schema#subClassOf> ?x }}
        }} }}""")
    assert not bool(trivial)


def test_manifest_records_counts_checksums_and_timings(real_settings):
    manifest = read_manifest(current_build(real_settings["var_dir"]))
    assert manifest["triples"] == sum(manifest["graphs"].values()) > 1000
    assert set(manifest["graphs"]) == {
        BASE + "graph/asserted",
        BASE + "graph/curated",
        BASE + "graph/translations",
        BASE + "graph/inferred",
        BASE + "graph/ontology",
        BASE + "graph/baseforms",
    }
    assert {"load", "check", "infer", "words", "store", "publish", "search index"} <= set(manifest["timings_s"])
    search = manifest["search"]
    assert search["texts"] > 0 and len(search["sha256"]) == 64 and search["analyser"] in {"voikko", "snowball"}
    assert all(len(sha) == 64 for sha in manifest["inputs"].values())
    assert "data/etela-savo.ttl" in manifest["inputs"]


@pytest.mark.parametrize("breakage", ["shape violation", "syntax error", "missing folder"])
def test_failed_build_keeps_the_previous_build(real_tree, breakage):
    root, settings = real_tree
    before = current_build(settings["var_dir"])
    builds_before = sorted(os.listdir(os.path.join(settings["var_dir"], "builds")))
    target = root / "data" / "etela-savo.ttl"
    if breakage == "shape violation":
        target.write_text(target.read_text("utf-8").replace('"ROHKEUS"@fi', '"ROHKEUS"@xx'), "utf-8")
    elif breakage == "syntax error":
        target.write_text(target.read_text("utf-8").replace("stv:order 4 ;", "stv:order 4"), "utf-8")
    else:
        import shutil

        shutil.rmtree(root / "shapes")
    result = cli("build", settings=settings)
    assert result.exit_code in (1, 2)
    assert "previous build is still served" in result.output
    assert current_build(settings["var_dir"]) == before
    assert sorted(os.listdir(os.path.join(settings["var_dir"], "builds"))) == builds_before
    ok = cli("query", "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?v a stv:Value }", settings=settings)
    from rdflib.namespace import RDF

    from server.core.settings import PROJECT_ROOT
    from server.pipeline.load import load_sources

    values = set(load_sources(PROJECT_ROOT, BASE).data["asserted"].subjects(RDF.type, URIRef(BASE + "ontology#Value")))
    assert ok.output.split() == ["n", str(len(values))]


def test_build_failure_in_store_stage_leaves_no_partial_build(real_tree, monkeypatch):
    root, settings = real_tree
    before = current_build(settings["var_dir"])
    import server.pipeline.build as build_module

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module, "write_dumps", disk_full)
    with pytest.raises(build_module.BuildError, match="No space left on device"):
        build(load_settings(settings))
    assert current_build(settings["var_dir"]) == before
    leftovers = [p for p in os.listdir(os.path.join(settings["var_dir"], "builds")) if p.startswith(".")]
    assert leftovers == []


@pytest.mark.parametrize(
    "broken, error",
    [
        ("<id/organisation/x> <id/p> .\n", LoadError),  # a syntax error, found while the copy is written
        ('<id/value/x> a <ontology#Value> ; <http://www.w3.org/2004/02/skos/core#prefLabel> "X"@fi .\n', CheckFailed),
    ],
    ids=["syntax error", "violation"],
)
def test_a_build_the_data_fails_leaves_nothing_behind(real_tree, broken, error):
    """The load writes a copy of the sources for the check into a folder of its own under
    builds/; a build stopped by its data removes it, and the last good build serves on."""
    root, settings = real_tree
    before = current_build(settings["var_dir"])
    with (root / "data" / "helsinki.ttl").open("a", encoding="utf-8") as data:
        data.write(broken)
    with pytest.raises((LoadError, CheckFailed)) as caught:
        build(load_settings(settings))
    assert type(caught.value) is error
    assert current_build(settings["var_dir"]) == before
    assert [p for p in os.listdir(os.path.join(settings["var_dir"], "builds")) if p.startswith(".")] == []


def test_new_build_is_swapped_in(real_tree):
    root, settings = real_tree
    before = current_build(settings["var_dir"])
    result = cli("build", settings=settings)
    assert result.exit_code == 0, result.output
    after = current_build(settings["var_dir"])
    assert after != before and after.exists() and before.exists()


def test_the_same_sources_give_the_same_dumps_byte_for_byte(real_settings, tmp_path):
    """A harvester compares checksums to tell a changed dataset: a rebuild of the same sources,
    in another process (another order of Python's sets), publishes the very same bytes."""
    import subprocess
    import sys

    from server.core.settings import PROJECT_ROOT

    other = tmp_path / "var"
    env = {**os.environ, "PYTHONHASHSEED": "0" if os.environ.get("PYTHONHASHSEED") != "0" else "1"}
    subprocess.run(
        [sys.executable, "-m", "server.cli", "--setting", f"var_dir={other}", "build"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    first = current_build(real_settings["var_dir"]) / "download" / "SHA256SUMS"
    again = current_build(str(other)) / "download" / "SHA256SUMS"
    assert len(first.read_text().splitlines()) > 20
    assert again.read_text() == first.read_text()
