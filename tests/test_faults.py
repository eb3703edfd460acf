"""Faults and hostile input, round two (issue #29): each defect the fault-injection pass found,
reproduced against real builds in temporary folders, and now handled."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from source_trees import FIXTURES, make_source_tree

from server.cli import main
from server.core.iris import Iris
from server.core.settings import load_settings
from server.pipeline.build import build, check
from server.pipeline.publish import UnsafePath, inside
from server.store.manifest import current_build

BASE = "https://w3id.org/strategiaverkko/"
MINIMAL = (FIXTURES / "minimal.ttl").read_text("utf-8")
CLIMBING = BASE + "id/organisation/../../../../../../tmp/strategiaverkko-escape"


def settings_for(tmp_path: Path, extra_data: str = "") -> dict:
    source = make_source_tree(tmp_path / "src", {"minimal.ttl": MINIMAL + extra_data})
    return load_settings({"source_dir": str(source), "var_dir": str(tmp_path / "var")})


# --- 1. A data file must not make the build write outside var/ ------------------------


def climbing_strategy(organisation: str) -> str:
    return f"""
<id/strategy/karkuri> a stv:Strategy ;
    skos:prefLabel "Karkurin strategia"@fi ;
    stv:organisation <{organisation}> ;
    prov:wasDerivedFrom <id/source/testi> .
<{organisation}> a stv:WellbeingServicesCounty ;
    skos:prefLabel "Karkuri"@fi ;
    stv:areaCode "98" ;
    prov:wasDerivedFrom <id/source/testi> .
"""


def test_an_iri_that_climbs_out_of_the_id_space_fails_the_check(tmp_path):
    settings = settings_for(tmp_path, climbing_strategy(CLIMBING))
    _, report = check(settings)
    assert not report.conforms
    finding = next(f for f in report.violations if f.focus == CLIMBING)
    assert "'..'" in finding.message
    assert finding.file and finding.file.endswith("minimal.ttl") and finding.line


def test_a_refused_build_writes_nothing_anywhere(tmp_path):
    settings = settings_for(tmp_path, climbing_strategy(CLIMBING))
    result = CliRunner().invoke(main, ["--setting", f"source_dir={settings['source_dir']}",
                                       "--setting", f"var_dir={settings['var_dir']}", "build"])
    assert result.exit_code == 1, result.output
    assert not Path("/tmp/strategiaverkko-escape.ttl").exists()
    assert current_build(settings["var_dir"]) is None


@pytest.mark.parametrize("local", [
    "id/organisation/Etela-Savo",         # not lowercase
    "id/organisation/etela_savo",         # underscore
    "id/organisation/a/b",                # a slug with a slash
    "id/organisation/",                   # no slug
    "somewhere/else",                     # under the base, outside id/, graph/ and the ontology
    "id/organisation/x%2F..%2Fy",         # an encoded slash and dots
])
def test_iris_we_would_not_mint_are_refused(local):
    assert Iris(BASE).problem(BASE + local)


@pytest.mark.parametrize("local", ["id/organisation/etela-savo", "graph/curated", "ontology#Strategy",
                                   "ontology/external#stratml", "ontology"])
def test_iris_we_mint_are_accepted(local):
    assert Iris(BASE).problem(BASE + local) is None


def test_minting_refuses_a_slug_that_is_not_one():
    with pytest.raises(ValueError):
        Iris(BASE).thing("organisation", "../../etc")
    assert Iris(BASE).slug_of(CLIMBING, "organisation") is None


def test_every_file_the_publisher_writes_stays_in_its_folder(tmp_path):
    assert inside(tmp_path, "organisations/etela-savo.ttl") == (tmp_path / "organisations/etela-savo.ttl").resolve()
    for name in ("../x.ttl", "organisations/../../x.ttl", "/tmp/x.ttl"):
        with pytest.raises(UnsafePath):
            inside(tmp_path, name)


def test_an_organisation_described_outside_the_base_is_warned_about(tmp_path):
    settings = settings_for(tmp_path, climbing_strategy("https://example.org/org/x").replace(
        "<id/strategy/karkuri>", "<id/strategy/vieras>"))
    _, report = check(settings)
    warning = next(f for f in report.warnings if f.focus == "https://example.org/org/x")
    assert "outside the base" in warning.message


def test_a_good_build_still_builds(tmp_path):
    settings = settings_for(tmp_path)
    result = build(settings)
    assert (result.path / "download" / "organisations" / "testi.ttl").is_file()
    assert os.path.commonpath([result.path, settings["var_dir"]]) == str(Path(settings["var_dir"]).resolve())
