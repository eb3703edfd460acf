"""Each shape catches the mistake it exists for, in words an editor understands, pointing at file and line."""

from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, SH
from source_trees import FIXTURES, make_source_tree

from server.core.settings import load_settings
from server.pipeline.build import check

MINIMAL = (FIXTURES / "minimal.ttl").read_text("utf-8")

# (case, text to replace in the fixture, replacement, focus node, words the message must contain)
BROKEN = [
    (
        "strategy without organisation",
        "    stv:organisation <id/organisation/testi> ;\n    dct:temporal",
        "    dct:temporal",
        "id/strategy/testi",
        "must belong to exactly one organisation",
    ),
    (
        "value belonging to no strategy",
        '"Rohkeus"@fi ;\n    stv:order 1 ;\n    stv:partOfPlan <id/strategy/testi> ;',
        '"Rohkeus"@fi ;\n    stv:order 1 ;',
        "id/value/testi-a",
        "belongs to no strategy",
    ),
    (
        "value belonging to two strategies",
        '"Rohkeus"@fi ;\n    stv:order 1 ;\n    stv:partOfPlan <id/strategy/testi> ;',
        '"Rohkeus"@fi ;\n    stv:order 1 ;\n    stv:partOfPlan <id/strategy/testi> , <id/strategy/toinen> ;',
        "id/value/testi-a",
        "more than one strategy",
    ),
    ("statement without a Finnish label", '"Rohkeus"@fi', '"Courage"@en', "id/value/testi-a", "no Finnish text"),
    ("impossible date", '"2023-06-14"^^xsd:date', '"2023-06-31"^^xsd:date', "id/decision/testi", "not a valid date"),
    ("malformed date", '"2023-06-14"^^xsd:date', '"14.6.2023"^^xsd:date', "id/decision/testi", "not a valid date"),
    (
        "malformed period start",
        'dcat:startDate "2023"^^xsd:gYear',
        'dcat:startDate "2023-13"^^xsd:gYearMonth',
        "id/period/testi",
        "is not a valid xsd:gYearMonth",
    ),
    ("period that ends before it starts", '"2025"^^xsd:gYear', '"2021"^^xsd:gYear', "id/period/testi", "ends"),
    (
        "fact without a source",
        '"Välittäminen"@fi ;\n    stv:order 2 ;\n    stv:partOfPlan <id/strategy/testi> ;\n    stv:organisation '
        "<id/organisation/testi> ;\n    prov:wasDerivedFrom <id/source/testi> .",
        '"Välittäminen"@fi ;\n    stv:order 2 ;\n    stv:partOfPlan <id/strategy/testi> ;\n    stv:organisation '
        "<id/organisation/testi> .",
        "id/value/testi-b",
        "No source",
    ),
    (
        "source that is not a source document",
        '"Paras paikka."@fi ;\n    stv:partOfPlan <id/strategy/testi> ;\n    stv:organisation '
        "<id/organisation/testi> ;\n    prov:wasDerivedFrom <id/source/testi> .",
        '"Paras paikka."@fi ;\n    stv:partOfPlan <id/strategy/testi> ;\n    stv:organisation '
        "<id/organisation/testi> ;\n    prov:wasDerivedFrom <id/source/tesit> .",
        "id/vision/testi",
        "not a known source document",
    ),
    (
        "gap in the priority order",
        '"Palvelut"@fi ;\n    stv:order 2 ;',
        '"Palvelut"@fi ;\n    stv:order 3 ;',
        "id/strategy/testi",
        "number is missing",
    ),
    (
        "duplicate in the priority order",
        '"Palvelut"@fi ;\n    stv:order 2 ;',
        '"Palvelut"@fi ;\n    stv:order 1 ;',
        "id/strategy/testi",
        "same order number",
    ),
    (
        "unknown language tag",
        '"Paras paikka."@fi ;',
        '"Paras paikka."@fi , "Best place."@eng ;',
        "id/vision/testi",
        'Unknown language tag "eng"',
    ),
    (
        "statement of another organisation than its strategy",
        '"Henkilöstö"@fi ;\n    stv:order 1 ;\n    stv:partOfPlan <id/strategy/testi> ;\n    stv:organisation '
        "<id/organisation/testi> ;",
        '"Henkilöstö"@fi ;\n    stv:order 1 ;\n    stv:partOfPlan <id/strategy/testi> ;\n    stv:organisation '
        "<id/organisation/testi-aluevaltuusto> ;",
        "id/priority/testi-a",
        "but its strategy",
    ),
    (
        "decision without a deciding body",
        "    stv:decidedBy <id/organisation/testi-aluevaltuusto> ;\n",
        "",
        "id/decision/testi",
        "no deciding body",
    ),
]


def run_check(tmp_path, text: str):
    root = make_source_tree(tmp_path / "src", {"minimal.ttl": text})
    settings = load_settings({"source_dir": str(root), "var_dir": str(tmp_path / "var")})
    return check(settings)[1]


def test_minimal_fixture_is_clean(tmp_path):
    report = run_check(tmp_path, MINIMAL)
    assert report.conforms, report.text
    assert report.findings == [], report.text


@pytest.mark.parametrize("case, old, new, focus, words", BROKEN, ids=[b[0] for b in BROKEN])
def test_shape_catches_mistake(tmp_path, case, old, new, focus, words):
    assert MINIMAL.count(old) == 1, f"fixture text to break not found once: {old!r}"
    broken = MINIMAL.replace(old, new)
    report = run_check(tmp_path, broken)
    assert not report.conforms, f"{case}: not caught\n{report.text}"
    hits = [f for f in report.violations if f.focus.endswith(focus) and words in f.message]
    assert hits, f"{case}: expected a violation on {focus} saying {words!r}\n{report.text}"
    # The finding points at the file and the line where the focus node is written.
    expected_line = next(n for n, line in enumerate(broken.splitlines(), 1) if line.startswith(f"<{focus}>"))
    assert hits[0].file.endswith("minimal.ttl") and hits[0].line == expected_line, hits[0].as_text()
    assert f"minimal.ttl:{expected_line}: Violation" in report.text


def test_strategy_without_period_is_only_a_warning(tmp_path):
    text = MINIMAL.replace("    dct:temporal <id/period/testi> ;\n", "")
    report = run_check(tmp_path, text)
    assert report.conforms, report.text
    assert [w.message for w in report.warnings] == [
        "The strategy has no validity period (dct:temporal). Add one if a source gives it."
    ]


def sources_with_every_mistake(tmp_path):
    """The minimal fixture with every mistake of BROKEN made at once (those that still apply), loaded."""
    from server.pipeline.load import load_sources

    broken = MINIMAL
    for _, old, new, _, _ in BROKEN:
        if broken.count(old) == 1:
            broken = broken.replace(old, new)
    root = make_source_tree(tmp_path / "src", {"minimal.ttl": broken})
    return load_sources(root, load_settings()["base_iri"])


def test_checking_in_several_processes_finds_exactly_what_one_process_finds(tmp_path):
    """Large data is checked by one process per CPU, each with a share of the shapes; the
    merged report must be the one a single pySHACL run gives."""
    from server.pipeline.check import validate_graph

    sources = sources_with_every_mistake(tmp_path)
    data = sources.all_data()
    before = set(data)
    alone = validate_graph(data, sources.shapes, sources.ontology, sources.subject_lines, processes=1)
    shared = validate_graph(data, sources.shapes, sources.ontology, sources.subject_lines, processes=2)
    assert len({f.shape for f in alone.findings} | {f.message for f in alone.findings}) > 6, alone.text
    assert shared.findings == alone.findings
    reports = list(shared.report_graph.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1
    assert not shared.report_graph.value(reports[0], SH.conforms).toPython()
    assert len(list(shared.report_graph.objects(reports[0], SH.result))) == len(alone.findings)
    # The ontology is lent to the data for the check only (in place, not copied): the data comes
    # back as it was, without the class hierarchy the check needed.
    assert set(data) == before


def test_sparql_constraints_run_by_oxigraph_find_exactly_what_pyshacl_finds(tmp_path):
    """The SPARQL-based constraints run as one Oxigraph query each (server/pipeline/shape_constraints.py),
    not once per focus node by pySHACL; every one of ours is taken over, and the findings,
    wording included, are those pySHACL gives on data that breaks each of them."""
    from server.pipeline.check import validate_graph
    from server.pipeline.shape_constraints import take_over

    sources = sources_with_every_mistake(tmp_path)
    rest, taken = take_over(sources.shapes)
    assert len(taken) == len(list(sources.shapes.objects(None, SH.sparql))) >= 10
    assert not list(rest.objects(None, SH.sparql))

    data = sources.all_data()
    by_pyshacl = validate_graph(
        data, sources.shapes, sources.ontology, sources.subject_lines, processes=1, sparql_by_oxigraph=False
    )
    by_oxigraph = validate_graph(data, sources.shapes, sources.ontology, sources.subject_lines, processes=1)
    assert len({f.message for f in by_pyshacl.findings}) > 6, by_pyshacl.text
    assert by_oxigraph.findings == by_pyshacl.findings, by_oxigraph.text
    # Those of the SPARQL-based constraints (the fixture breaks six of them) come from Oxigraph.
    sparql_results = set(by_oxigraph.report_graph.subjects(SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    assert len({by_oxigraph.report_graph.value(r, SH.resultMessage) for r in sparql_results}) >= 6
    conforms = [
        by.report_graph.value(next(by.report_graph.subjects(RDF.type, SH.ValidationReport)), SH.conforms)
        for by in (by_pyshacl, by_oxigraph)
    ]
    assert conforms == [Literal(False), Literal(False)]


@pytest.mark.parametrize("store", ["in memory", "on disk"])
def test_sparql_constraints_read_from_the_sources_copy_find_what_they_find_on_the_graph(tmp_path, monkeypatch, store):
    """A build's check gives Oxigraph the N-Triples copy load_sources wrote, not the graph (whose
    every object a forked process would copy by reading it). The findings are the same, whether
    one process checks or several and whether the copy is read into memory or (when large) into
    a store on disk, down to a focus node that is a blank node: the copy names it as the graph does."""
    from server.pipeline import shape_constraints
    from server.pipeline.check import validate_graph
    from server.pipeline.load import load_sources

    if store == "on disk":
        monkeypatch.setattr(shape_constraints, "IN_MEMORY_MAX_BYTES", 0)

    broken = MINIMAL
    for _, old, new, _, _ in BROKEN:
        if broken.count(old) == 1:
            broken = broken.replace(old, new)
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    broken += f'\n<id/strategy/testi> dct:temporal [ a dct:PeriodOfTime ; {label} "Kausi"@de ] .\n'
    root = make_source_tree(tmp_path / "src", {"minimal.ttl": broken})
    copy = tmp_path / "copy.nt"
    sources = load_sources(root, load_settings()["base_iri"], copy_to=copy)
    assert copy.stat().st_size > 0

    data = sources.all_data()
    from_graph = validate_graph(data, sources.shapes, sources.ontology, sources.subject_lines, processes=1)
    on_blank = [f for f in from_graph.findings if f.focus.startswith("N") and "Unknown language tag" in f.message]
    assert on_blank, from_graph.text
    for processes in (1, 2):
        from_copy = validate_graph(
            data, sources.shapes, sources.ontology, sources.subject_lines, processes=processes, data_file=copy
        )
        assert from_copy.findings == from_graph.findings, from_copy.text
    assert len(list(tmp_path.glob("copy.nt.store-*"))) == (2 if store == "on disk" else 0)


def test_constraints_oxigraph_cannot_run_exactly_stay_with_pyshacl():
    """A property shape's constraint ($PATH), a query with VALUES, and a shape with a
    SPARQL-based target are left in the shapes pySHACL gets; a plain node-shape one is taken."""
    from rdflib import Graph

    from server.pipeline.shape_constraints import take_over

    shapes = Graph().parse(
        format="turtle",
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:Taken a sh:NodeShape ; sh:targetClass ex:C ;
            sh:sparql [ sh:select "SELECT $this WHERE { $this ex:p ?o }" ] .
        ex:OnAPath a sh:PropertyShape ; sh:targetClass ex:C ; sh:path ex:p ;
            sh:sparql [ sh:select "SELECT $this WHERE { $this $PATH ?o }" ] .
        ex:WithValues a sh:NodeShape ; sh:targetClass ex:C ;
            sh:sparql [ sh:select "SELECT $this WHERE { VALUES ?o { 1 } $this ex:p ?o }" ] .
        ex:SparqlTarget a sh:NodeShape ;
            sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this ?p ?o }" ] ;
            sh:sparql [ sh:select "SELECT $this WHERE { $this ex:p ?o }" ] .
    """,
    )
    rest, taken = take_over(shapes)
    ex = "http://example.org/"
    assert [str(c.shape) for c in taken] == [ex + "Taken"]
    assert sorted(str(s) for s in rest.subjects(SH.sparql, None)) == [
        ex + "OnAPath",
        ex + "SparqlTarget",
        ex + "WithValues",
    ]
    assert "SELECT DISTINCT ?this" in taken[0].query
