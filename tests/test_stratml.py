"""StratML (ISO 17469-1) out and in: every strategy as a valid Part 1 document, a StratML file as
Turtle for data/, and a round trip that keeps every statement."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from lxml import etree
from source_trees import copy_real_sources

from server.cli import main
from server.core.iris import Iris
from server.core.namespaces import prefixes
from server.core.settings import PROJECT_ROOT
from server.pipeline.stratml_export import document_bytes, plan_document, read_plans
from server.pipeline.stratml_import import StratmlImportError, import_stratml, parse
from server.pipeline.stratml_schema import PART1_NS, PART2_NS, schema_problems
from server.store.manifest import current_build, read_manifest

NS = {"s": PART1_NS}
PART1_XSD = "StrategicPlanISOVersion20140401.xsd"
STRATEGIES = """
SELECT ?strategy WHERE { GRAPH <https://w3id.org/strategiaverkko/graph/asserted> { ?strategy a stv:Strategy } }"""


@pytest.fixture(scope="module")
def build_dir(real_settings) -> Path:
    current = current_build(real_settings["var_dir"])
    assert current is not None
    return current


def _stratml_files(build: Path) -> dict[str, Path]:
    manifest = read_manifest(build)
    return {d["name"]: build / "download" / d["name"] for d in manifest["dumps"] if d["name"].startswith("stratml/")}


def _statements(xml: bytes) -> dict:
    """What a StratML plan says, without the identifiers and notes that name our IRIs."""
    root = etree.fromstring(xml)

    def text(element, path):
        found = element.find(path, NS)
        return found.text if found is not None else None

    def goal(g):
        other = text(g, "s:OtherInformation") or ""
        return (
            text(g, "s:Name"),
            text(g, "s:Description"),
            text(g, "s:SequenceIndicator"),
            [line for line in other.splitlines() if not line.startswith("IRI: ")],
            [goal(o) for o in g.findall("s:Objective", NS)],
        )

    return {
        "name": text(root, "s:Name"),
        "description": text(root, "s:Description"),
        "organisation": text(root, "s:StrategicPlanCore/s:Organization/s:Name"),
        "vision": text(root, "s:StrategicPlanCore/s:Vision/s:Description"),
        "mission": text(root, "s:StrategicPlanCore/s:Mission/s:Description"),
        "values": [
            (text(v, "s:Name"), text(v, "s:Description")) for v in root.findall("s:StrategicPlanCore/s:Value", NS)
        ],
        "goals": [goal(g) for g in root.findall("s:StrategicPlanCore/s:Goal", NS)],
        "start": text(root, "s:AdministrativeInformation/s:StartDate"),
        "end": text(root, "s:AdministrativeInformation/s:EndDate"),
        "source": text(root, "s:AdministrativeInformation/s:Source"),
    }


def test_every_strategy_has_a_valid_stratml_document(build_dir):
    store = ox.Store.read_only(str(build_dir / "store"))
    strategies = {r["strategy"].value.rsplit("/", 1)[1] for r in store.query(STRATEGIES, prefixes=prefixes(Iris()))}
    files = _stratml_files(build_dir)
    assert {Path(name).stem for name in files} == strategies and len(files) == len(strategies) >= 17
    for name, path in files.items():
        document = etree.parse(str(path))
        assert schema_problems(document, PART1_XSD) == [], name


def test_a_document_carries_the_strategy_in_order(build_dir):
    said = _statements(_stratml_files(build_dir)["stratml/etela-savo/etela-savo.xml"].read_bytes())
    assert said["organisation"] == "Etelä-Savon hyvinvointialue"
    assert said["mission"] == "Myö yhessä – Terveyttä ja turvaa Etelä-Savossa."
    assert said["vision"].splitlines() == ["Paras työpaikka.", "Palveluiden suunnannäyttäjä.", "Haluttu kumppani."]
    assert [name for name, _ in said["values"]] == [
        "YHDENVERTAISUUS",
        "VAIKUTTAVUUS",
        "ASIAKASLÄHTÖISYYS",
        "ROHKEUS",
        "TURVALLISUUS",
    ]
    assert said["values"][0][1] == "Palvelumme ovat kaikkien lähellä ja tukena."
    assert [(g[0], g[2]) for g in said["goals"]] == [
        ("Kestävä ja mahdollistava talous", "1"),
        ("Sujuvat ja oikea-aikaiset palvelut lähellä", "2"),
        ("Paras ja joustavin työnantaja", "3"),
        ("Haluttu ja osallistava kumppani", "4"),
    ]
    assert all("Strategiaverkko kind: QualitativeGoal" in g[3] for g in said["goals"])
    # The page gives no period and its address is not recorded: nothing is made up for them.
    assert said["start"] is None and said["source"] is None


def test_years_become_their_first_and_last_days_and_say_so(build_dir):
    xml = _stratml_files(build_dir)["stratml/etela-karjala/etela-karjala-2023-2025.xml"].read_bytes()
    said = _statements(xml)
    assert (said["start"], said["end"]) == ("2023-01-01", "2025-12-31")
    assert "The source gives the period in years or months" in etree.fromstring(xml).findtext(
        "s:OtherInformation", namespaces=NS
    )


def test_summaries_are_marked_as_ours(build_dir):
    said = _statements(_stratml_files(build_dir)["stratml/keski-suomi/keski-suomi-2030.xml"].read_bytes())
    assert said["vision"].startswith("[Strategiaverkon tiivistelmä, ei lähteen sanamuoto] ")


def test_a_strategy_without_goals_gets_a_placeholder_that_says_so(build_dir):
    xml = _stratml_files(build_dir)["stratml/satakunta/satakunta-2023-2025.xml"].read_bytes()
    said = _statements(xml)
    assert len(said["goals"]) == 1 and "placeholder, not a fact" in said["goals"][0][1]
    assert len(said["values"]) == 4


def test_kinds_stratml_cannot_carry_are_counted_not_dropped_silently(build_dir):
    xml = _stratml_files(build_dir)["stratml/keski-suomi/keski-suomi-paivitys-2025.xml"].read_bytes()
    note = etree.fromstring(xml).findtext("s:OtherInformation", namespaces=NS)
    assert "6 × SuccessFactor" in note


def _export_of_turtle(turtle: Path, slug: str) -> bytes:
    """Load an imported file as the asserted graph of a store and export its strategy again."""
    iris = Iris()
    store = ox.Store()
    # The organisations an import links to by name live in data/areas.ttl.
    for path in (turtle, PROJECT_ROOT / "data" / "areas.ttl"):
        store.load(
            path=str(path),
            format=ox.RdfFormat.TURTLE,
            base_iri=iris.base,
            to_graph=ox.NamedNode(iris.graph("asserted")),
        )
    plans = [p for p in read_plans(store, iris, prefixes(iris)) if p.iri.endswith(f"/strategy/{slug}")]
    assert len(plans) == 1
    document = plan_document(plans[0], iris)
    assert schema_problems(document, PART1_XSD) == []
    return document_bytes(document)


def test_export_import_export_keeps_every_statement(build_dir, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("areas.ttl",):
        (data / name).write_bytes((PROJECT_ROOT / "data" / name).read_bytes())
    for name, path in _stratml_files(build_dir).items():
        slug = "roundtrip-" + Path(name).stem
        imported = import_stratml(path, data, Iris(), slug=slug)
        again = _export_of_turtle(imported.path, slug)
        assert _statements(again) == _statements(path.read_bytes()), name


def test_the_imported_file_passes_check_once_its_source_is_filled_in(build_dir, tmp_path):
    tree = copy_real_sources(tmp_path / "src")
    source = _stratml_files(build_dir)["stratml/keski-suomi/keski-suomi-paivitys-2025.xml"]
    runner = CliRunner()
    result = runner.invoke(
        main, ["-s", f"source_dir={tree}", "import-stratml", str(source), "--slug", "keski-suomi-stratml"]
    )
    assert result.exit_code == 0, result.output
    written = tree / "data" / "keski-suomi-stratml.ttl"
    assert "<id/organisation/keski-suomi>" in written.read_text("utf-8")  # found by its name, not duplicated
    check = runner.invoke(main, ["-s", f"source_dir={tree}", "check"])
    assert check.exit_code != 0 and "stv:retrieved" in check.output
    text = written.read_text("utf-8").replace(
        "dct:language <http://publications.europa.eu/resource/authority/language/FIN> .",
        "dct:language <http://publications.europa.eu/resource/authority/language/FIN> ;\n"
        '    stv:retrieved "2026-12-06"^^xsd:date .',
    )
    written.write_text(text, encoding="utf-8")
    check = runner.invoke(main, ["-s", f"source_dir={tree}", "check"])
    assert check.exit_code == 0, check.output


PART2 = """<?xml version="1.0" encoding="UTF-8"?>
<PerformancePlanOrReport xmlns="{ns}" Type="Performance_Plan">
  <Name>Uusi suunnitelma</Name>
  <StrategicPlanCore>
    <Organization><Name>Esimerkkiyhdistys</Name></Organization>
    <Vision><Description>Hyvä arki kaikille.</Description></Vision>
    <Value><Name>Avoimuus</Name></Value>
    <Goal>
      <Name>Palvelut lähelle</Name>
      <Description>Palvelut ovat lähellä asukkaita.</Description>
      <Objective>
        <Name>Lähipalvelupisteet</Name>
        <Description>Jokaisessa kunnassa on palvelupiste.</Description>
        <PerformanceIndicator>
          <MeasurementDimension>Palvelupisteet</MeasurementDimension>
          <UnitOfMeasurement>kpl</UnitOfMeasurement>
        </PerformanceIndicator>
      </Objective>
    </Goal>
  </StrategicPlanCore>
  <AdministrativeInformation>
    <StartDate>2026-01-01</StartDate>
    <EndDate>2029-12-31</EndDate>
    <Source>https://example.org/suunnitelma</Source>
  </AdministrativeInformation>
</PerformancePlanOrReport>
"""


def test_a_part2_plan_imports_with_its_objectives_and_says_what_it_left_out(tmp_path):
    stratml = tmp_path / "plan.xml"
    stratml.write_text(PART2.format(ns=PART2_NS), encoding="utf-8")
    (tmp_path / "data").mkdir()
    result = import_stratml(stratml, tmp_path / "data", Iris(), slug="uusi")
    text = result.path.read_text("utf-8")
    assert result.plan.part == "Part 2" and result.plan.left_out == {"PerformanceIndicator": 1}
    assert "<id/organisation/esimerkkiyhdistys> a org:FormalOrganization" in text
    assert "stv:contributesTo <id/goal/uusi-1>" in text and '"Lähipalvelupisteet"@fi' in text
    assert 'dcat:startDate "2026"^^xsd:gYear' in text and "Not imported" in text
    # And it exports again with the objective under its goal.
    said = _statements(_export_of_turtle(result.path, "uusi"))
    assert said["goals"][0][0] == "Palvelut lähelle" and said["goals"][0][4][0][0] == "Lähipalvelupisteet"


BROKEN = {
    "not XML": ("<StrategicPlan>\n<Name>x</Name>\n<oops>\n", r":3: not well-formed XML|:4: not well-formed XML"),
    "wrong root": ('<?xml version="1.0"?>\n<Plan xmlns="urn:x"/>', r":2: the root element is \{urn:x\}Plan"),
    "invalid": (
        f'<?xml version="1.0"?>\n<StrategicPlan xmlns="{PART1_NS}">\n<Name>x</Name>\n<Bogus/>\n</StrategicPlan>',
        r":4: .*Bogus",
    ),
    "value without a name": (
        f'<?xml version="1.0"?>\n<StrategicPlan xmlns="{PART1_NS}"><Name>x</Name>\n<StrategicPlanCore>\n'
        "<Organization><Name>Org</Name></Organization>\n<Value><Description>d</Description></Value>\n"
        "<Goal><Name>g</Name><Description/></Goal></StrategicPlanCore></StrategicPlan>",
        r":5: a Value has no Name",
    ),
    "empty plan name": (
        f'<?xml version="1.0"?>\n<StrategicPlan xmlns="{PART1_NS}"><Name></Name>\n<StrategicPlanCore>\n'
        "<Goal><Name>g</Name><Description/></Goal></StrategicPlanCore></StrategicPlan>",
        r":2: the plan has no Name",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_bad_files_get_a_clear_error_with_the_line_and_write_nothing(tmp_path, case):
    text, expected = BROKEN[case]
    stratml = tmp_path / "bad.xml"
    stratml.write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    result = CliRunner().invoke(main, ["-s", f"source_dir={tmp_path}", "import-stratml", str(stratml), "--slug", "bad"])
    assert result.exit_code == 2
    assert re.search(re.escape(str(stratml)) + expected, result.output), result.output
    assert list(data.iterdir()) == []


def test_entities_in_an_imported_file_are_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me", encoding="utf-8")
    stratml = tmp_path / "xxe.xml"
    stratml.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        f'<StrategicPlan xmlns="{PART1_NS}"><Name>&x;</Name><StrategicPlanCore>'
        "<Organization><Name>Org</Name></Organization>"
        "<Goal><Name>g</Name><Description/></Goal></StrategicPlanCore></StrategicPlan>",
        encoding="utf-8",
    )
    (tmp_path / "data").mkdir()
    with pytest.raises(StratmlImportError, match=r"xxe.xml:2: .*DTD"):
        import_stratml(stratml, tmp_path / "data", Iris(), slug="xxe")
    assert list((tmp_path / "data").iterdir()) == []


def test_an_existing_file_is_not_replaced_without_force(build_dir, tmp_path):
    source = _stratml_files(build_dir)["stratml/etela-savo/etela-savo.xml"]
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "taken.ttl").write_text("# mine\n", encoding="utf-8")
    with pytest.raises(StratmlImportError, match="exists"):
        import_stratml(source, tmp_path / "data", Iris(), slug="taken")
    assert (tmp_path / "data" / "taken.ttl").read_text("utf-8") == "# mine\n"
    import_stratml(source, tmp_path / "data", Iris(), slug="taken", force=True)
    assert "YHDENVERTAISUUS" in (tmp_path / "data" / "taken.ttl").read_text("utf-8")


def test_the_strategy_page_links_its_stratml_document(client):
    response = client.get("/page/strategy/etela-savo", headers={"Accept-Language": "en"})
    link = "/download/stratml/etela-savo/etela-savo.xml"
    assert f'<{link}>; rel="alternate"; type="application/xml"' in response.headers["Link"]
    assert f'href="{link}"' in response.get_data(as_text=True)
    document = client.get(link)
    assert document.status_code == 200 and document.mimetype == "application/xml"
    root = etree.fromstring(document.data)
    document.close()
    assert etree.QName(root).localname == "StrategicPlan"


def test_parse_accepts_our_own_documents(build_dir):
    path = _stratml_files(build_dir)["stratml/lappi/lappi-2023.xml"]
    _, part = parse(path)
    assert part == "Part 1"
