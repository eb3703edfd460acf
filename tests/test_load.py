"""The sources are read by Oxigraph's Turtle parser into rdflib graphs: the same triples
rdflib's own parser reads, and errors that name the file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from server.pipeline.load import LoadError, parse_file

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/strategiaverkko/"
SOURCE_FILES = sorted(p for folder in ("ontology", "data", "shapes") for p in (ROOT / folder).rglob("*.ttl"))


@pytest.mark.parametrize("path", SOURCE_FILES, ids=[str(p.relative_to(ROOT)) for p in SOURCE_FILES])
def test_every_source_file_reads_as_rdflib_reads_it(path):
    ours = parse_file(path, BASE)
    rdflibs = Graph().parse(path, format="turtle", publicID=BASE)
    assert len(ours) == len(rdflibs) > 0
    assert isomorphic(ours, rdflibs)
    # The file's own prefixes are bound, for findings and pages that show prefixed names.
    declared = re.findall(r"^@prefix\s+([\w-]*):", path.read_text("utf-8"), re.MULTILINE)
    ours_bound, rdflibs_bound = dict(ours.namespaces()), dict(rdflibs.namespaces())
    assert [ours_bound.get(prefix) for prefix in declared] == [rdflibs_bound[prefix] for prefix in declared]


def test_blank_nodes_of_two_files_stay_apart(tmp_path):
    (tmp_path / "a.ttl").write_text('_:b <http://example.org/p> "a" .\n', "utf-8")
    (tmp_path / "b.ttl").write_text('_:b <http://example.org/p> "b" .\n', "utf-8")
    merged = parse_file(tmp_path / "a.ttl", BASE) + parse_file(tmp_path / "b.ttl", BASE)
    assert len(set(merged.subjects())) == 2


def test_ill_typed_dates_are_kept_for_the_shapes_to_report(tmp_path):
    (tmp_path / "d.ttl").write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<http://example.org/d> <http://example.org/date> "2023-02-30"^^xsd:date .\n',
        "utf-8",
    )
    (literal,) = parse_file(tmp_path / "d.ttl", BASE).objects()
    assert literal.ill_typed and str(literal) == "2023-02-30"


@pytest.mark.parametrize(
    "text, line, words",
    [
        ('@prefix a: <http://a/> .\n\na:x a:y "unterminated .\n', 3, "end of file"),
        ("@prefix a: <http://a/> .\na:x a:y xsd:date .\n", 2, "prefix xsd: has not been declared"),
        ("@prefix a: <http://a/> .\na:x a:y a:z\na:x a:y a:w .\n", 3, "dot is expected"),
    ],
)
def test_a_syntax_error_names_file_line_and_what_is_wrong(tmp_path, text, line, words):
    path = tmp_path / "broken.ttl"
    path.write_text(text, "utf-8")
    with pytest.raises(LoadError) as caught:
        parse_file(path, BASE)
    assert caught.value.details == {"file": str(path), "line": line}
    assert str(caught.value).startswith(f"{path}:{line}: ") and words in str(caught.value)


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(LoadError, match="file not found"):
        parse_file(tmp_path / "nowhere.ttl", BASE)
