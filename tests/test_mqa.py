"""The served catalog, scored by data.europa.eu's Metadata Quality Assessment rules: "excellent"."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS

from server.audit.mqa import MAXIMUM, fetch_catalog, score_catalog, shapes_graph
from server.cli import main
from server.core.settings import PROJECT_ROOT

SHAPES = PROJECT_ROOT / "shapes" / "catalog"


@pytest.fixture(scope="module")
def served_catalog(live_server):
    return fetch_catalog(live_server)


def test_the_served_catalog_is_excellent(served_catalog):
    report = score_catalog(served_catalog, shapes_graph(SHAPES))
    assert MAXIMUM == 405 and len(report.datasets) >= 13
    assert report.total >= 351 and report.rating == "excellent"
    for dataset in report.datasets:
        missing = {name for name, points in dataset.points.items() if points == 0}
        # The only gap allowed is a period no source states (the strategy gives none).
        assert missing <= {"temporal"}, (dataset.iri, missing)
        if "temporal" in missing:
            assert (URIRef(dataset.iri), DCTERMS.temporal, None) not in served_catalog


def test_the_score_falls_where_the_catalog_falls_short(served_catalog):
    shapes = shapes_graph(SHAPES)
    damaged = type(served_catalog)()
    damaged += served_catalog
    for dist in list(damaged.subjects(DCAT.downloadURL, None)):
        damaged.remove((dist, DCTERMS.license, None))
    report = score_catalog(damaged, shapes, status=lambda url: 404 if "/download/" in url else 200)
    assert report.mean("downloadURL answers") == 0 and report.mean("licence") < 20
    assert report.total < score_catalog(served_catalog, shapes).total - 30


def test_the_command_prints_every_indicator(live_server):
    result = CliRunner().invoke(main, ["mqa", live_server])
    assert result.exit_code == 0, result.output
    assert "downloadURL answers" in result.output and "rating: excellent" in result.output
    as_json = CliRunner().invoke(main, ["mqa", live_server, "--json"])
    scores = json.loads(as_json.output)
    assert scores["rating"] == "excellent" and scores["total"] >= 351
