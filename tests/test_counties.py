"""The counties added from public web sources (issue 9): each has a sourced strategy, every fact
rests on a citable web source, versions and evaluations are linked, the shapes catch a fact whose
source cannot be cited, and the coverage page and query tell which areas are still missing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph, URIRef
from source_trees import copy_real_sources

from server.core.settings import PROJECT_ROOT, load_settings
from server.pipeline.build import check
from server.query.canned import canned

BASE = load_settings()["base_iri"]
STV = BASE + "ontology#"
JSON = "application/sparql-results+json"
PREFIXES = f"""PREFIX stv: <{STV}>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
NEW_COUNTIES = [
    "keski-suomi",
    "pirkanmaa",
    "paijat-hame",
    "varsinais-suomi",
    "pohjois-pohjanmaa",
    "lappi",
    "keski-uusimaa",
    "kymenlaakso",
    "etela-pohjanmaa",
    "satakunta",
]
SEED_COUNTIES = ["etela-karjala", "etela-savo"]


def select(client, query: str) -> list[dict[str, str]]:
    response = client.post("/sparql", data={"query": PREFIXES + query}, headers={"Accept": JSON})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [{k: v["value"] for k, v in b.items()} for b in response.get_json()["results"]["bindings"]]


def county_file_subjects(slug: str) -> set[str]:
    g = Graph().parse(PROJECT_ROOT / "data" / f"{slug}.ttl", format="turtle", publicID=BASE)
    return {str(s) for s in g.subjects() if isinstance(s, URIRef)}


# --- Every new county has a sourced strategy --------------------------------------------


def test_at_least_six_more_counties_each_in_its_own_file():
    assert len(NEW_COUNTIES) >= 6
    for slug in NEW_COUNTIES:
        assert (PROJECT_ROOT / "data" / f"{slug}.ttl").is_file(), slug


@pytest.mark.parametrize("slug", NEW_COUNTIES)
def test_county_has_a_strategy_with_a_sourced_period_or_decision(client, slug):
    rows = select(
        client,
        f"""
        SELECT ?strategy ?fact ?url WHERE {{
          ?strategy a stv:Strategy ; stv:organisation <{BASE}id/organisation/{slug}> .
          {{ ?strategy dct:temporal ?fact . ?fact dcat:startDate|dcat:endDate ?bound }}
          UNION {{ ?fact stv:approves ?strategy ; stv:date ?date }}
          ?fact prov:wasDerivedFrom ?source . ?source schema:url ?url .
        }}""",
    )
    assert rows, f"{slug}: no strategy with a period or a decision derived from a web source"
    assert all(r["url"].startswith(("https://", "http://")) for r in rows)


def test_new_county_organisations_are_the_classification_iris_not_new_ones(client):
    for slug in NEW_COUNTIES:
        rows = select(client, f"SELECT ?code WHERE {{ <{BASE}id/organisation/{slug}> stv:areaCode ?code }}")
        assert len(rows) == 1 and len(rows[0]["code"]) == 2, slug


# --- Every new fact has a citable web source -----------------------------------------------


@pytest.mark.parametrize("slug", NEW_COUNTIES)
def test_every_fact_of_a_new_county_has_a_complete_web_source(client, slug):
    subjects = county_file_subjects(slug)
    values = " ".join(f"<{s}>" for s in sorted(subjects))
    rows = select(
        client,
        f"""
        SELECT ?fact (COUNT(DISTINCT ?complete) AS ?n) WHERE {{
          VALUES ?fact {{ {values} }}
          OPTIONAL {{
            ?fact prov:wasDerivedFrom ?complete .
            ?complete a stv:SourceDocument ; schema:url ?url ; dct:title ?title ; dct:publisher ?publisher ;
                      stv:retrieved ?retrieved .
          }}
        }} GROUP BY ?fact""",
    )
    assert {r["fact"] for r in rows} == subjects
    missing = [r["fact"] for r in rows if int(r["n"]) == 0]
    assert not missing, f"facts without a complete web source: {missing}"


def test_every_web_source_url_is_in_the_research_record():
    research = (PROJECT_ROOT / "research" / "counties.md").read_text("utf-8")
    g = Graph().parse(PROJECT_ROOT / "data" / "sources-web.ttl", format="turtle", publicID=BASE)
    urls = [str(o) for o in g.objects(None, URIRef("https://schema.org/url"))]
    assert len(urls) >= 10
    for url in urls:
        assert url in research, f"{url} is not in research/counties.md"
    for retrieved in g.objects(None, URIRef(STV + "retrieved")):
        assert str(retrieved) == "2026-11-23"


def test_summaries_are_marked_bilingual_and_single_sourced(client):
    rows = select(
        client,
        """
        SELECT ?thing (COUNT(DISTINCT ?source) AS ?sources) (GROUP_CONCAT(DISTINCT LANG(?summary)) AS ?langs) WHERE {
          ?thing stv:summary ?summary ; prov:wasDerivedFrom ?source .
        } GROUP BY ?thing""",
    )
    assert rows
    for r in rows:
        assert int(r["sources"]) == 1 and set(r["langs"].split()) == {"fi", "en"}, r


# --- Versions, periods without a start, evaluations, drafts ------------------------------------


def test_an_updated_strategy_is_a_new_version_that_replaces_the_old(client):
    rows = select(
        client,
        f"""
        SELECT ?new ?old WHERE {{ ?new dct:replaces ?old ; prov:wasRevisionOf ?old ;
                                      stv:organisation <{BASE}id/organisation/keski-suomi> . }}""",
    )
    assert rows == [
        {"new": BASE + "id/strategy/keski-suomi-paivitys-2025", "old": BASE + "id/strategy/keski-suomi-2030"}
    ]
    # The replaced version stays in the graph with its own decision and elements.
    old = select(
        client,
        f"""
        SELECT ?decision ?section WHERE {{ ?decision stv:approves <{BASE}id/strategy/keski-suomi-2030> ;
                                               stv:minutesSection ?section ; stv:date ?date }}""",
    )
    assert [r["section"] for r in old] == ["63"]
    values = select(
        client, f"SELECT ?v WHERE {{ ?v a stv:Value ; stv:partOfPlan <{BASE}id/strategy/keski-suomi-2030> }}"
    )
    assert len(values) == 3


def test_until_2030_is_a_period_with_only_an_end(client):
    rows = select(
        client,
        f"""
        SELECT ?start ?end WHERE {{ <{BASE}id/strategy/keski-suomi-2030> dct:temporal ?p .
                                    ?p dcat:endDate ?end OPTIONAL {{ ?p dcat:startDate ?start }} }}""",
    )
    assert rows == [{"end": "2030"}]


def test_mid_term_evaluation_is_recorded(client):
    rows = select(
        client,
        f"""
        SELECT ?start ?end ?noted ?by WHERE {{
          ?e a stv:StrategyEvaluation ; stv:evaluates <{BASE}id/strategy/keski-suomi-2030> ;
             dct:temporal [ dcat:startDate ?start ; dcat:endDate ?end ] ; stv:date ?noted ; stv:notedBy ?by . }}""",
    )
    assert rows == [
        {
            "start": "2024-09-10",
            "end": "2025-03-18",
            "noted": "2025-03-18",
            "by": BASE + "id/organisation/keski-suomi-aluevaltuusto",
        }
    ]


def test_drafts_and_final_versions_are_told_apart(client):
    rows = select(
        client,
        f"""
        SELECT ?status ?body WHERE {{ ?d stv:approves <{BASE}id/strategy/pohjois-pohjanmaa-paivitys-2025> ;
                                       stv:documentStatus ?status ; stv:decidedBy ?body . }}""",
    )
    assert rows == [{"status": STV + "Draft", "body": BASE + "id/organisation/pohjois-pohjanmaa-aluehallitus"}]
    finals = select(
        client, "SELECT (COUNT(*) AS ?n) WHERE { ?d stv:documentStatus stv:Final ; stv:approves/a stv:Strategy }"
    )
    assert int(finals[0]["n"]) >= 10


# --- The shapes catch a fact whose source cannot be cited ----------------------------------------


def run_check(tmp_path, edit) -> object:
    root = copy_real_sources(tmp_path / "src")
    edit(root)
    settings = load_settings({"source_dir": str(root), "var_dir": str(tmp_path / "var")})
    return check(settings)[1]


def replace_in(root: Path, name: str, old: str, new: str) -> None:
    path = root / "data" / name
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


def test_real_sources_are_clean(tmp_path):
    report = run_check(tmp_path, lambda root: None)
    assert report.conforms, report.text


def test_a_new_county_fact_without_a_url_source_is_a_violation(tmp_path):
    # Kymenlaakso's facts rest on one web page: take its address away.
    report = run_check(
        tmp_path,
        lambda root: replace_in(
            root, "sources-web.ttl", '    schema:url "https://kymenhva.fi/strategia/"^^xsd:anyURI ;\n', ""
        ),
    )
    assert not report.conforms
    hits = [
        f
        for f in report.violations
        if f.focus.endswith("id/strategy/kymenlaakso-2023-2025") and "can be cited" in f.message
    ]
    assert hits, report.text
    assert hits[0].file.endswith("kymenlaakso.ttl")


def test_a_fact_pointing_at_an_unknown_source_is_a_violation(tmp_path):
    report = run_check(
        tmp_path,
        lambda root: replace_in(
            root,
            "kymenlaakso.ttl",
            "stv:approves <id/strategy/kymenlaakso-2023-2025> ;\n    stv:documentStatus stv:Final ;\n"
            '    stv:date "2022-09-27"^^xsd:date ;\n    prov:wasDerivedFrom <id/source/kymenlaakso-strategia> .',
            "stv:approves <id/strategy/kymenlaakso-2023-2025> ;\n    stv:documentStatus stv:Final ;\n"
            '    stv:date "2022-09-27"^^xsd:date ;\n    prov:wasDerivedFrom <id/source/kymenlaakso-strategiaa> .',
        ),
    )
    focus = "id/decision/kymenlaakso-aluevaltuusto-2022-09-27-strategia"
    assert any(f.focus.endswith(focus) and "not a known source document" in f.message for f in report.violations), (
        report.text
    )
    assert any(f.focus.endswith(focus) and "can be cited" in f.message for f in report.violations), report.text


@pytest.mark.parametrize(
    "old, new, words",
    [
        (
            '    stv:retrieved "2026-11-23"^^xsd:date .\n\n<id/source/kymenlaakso-strategia>',
            " .\n\n<id/source/kymenlaakso-strategia>",
            "no retrieval date",
        ),
        ("    dct:publisher <id/organisation/kymenlaakso> ;\n", "", "no publisher"),
        ('"https://kymenhva.fi/strategia/"^^xsd:anyURI', '"kymenhva.fi/strategia"^^xsd:anyURI', "absolute http(s) URL"),
    ],
)
def test_an_incomplete_web_source_is_a_violation(tmp_path, old, new, words):
    report = run_check(tmp_path, lambda root: replace_in(root, "sources-web.ttl", old, new))
    assert any(words in f.message for f in report.violations), report.text


def test_a_summary_without_english_is_a_violation(tmp_path):
    report = run_check(
        tmp_path,
        lambda root: replace_in(
            root,
            "lappi.ttl",
            ' , "Vision: a good and safe life in Lapland, where people and services meet in the right place at '
            'the right time."@en',
            "",
        ),
    )
    assert any(f.focus.endswith("id/vision/lappi-2023") and "English" in f.message for f in report.violations), (
        report.text
    )


def test_a_version_of_another_organisation_is_a_violation(tmp_path):
    report = run_check(
        tmp_path,
        lambda root: replace_in(
            root,
            "keski-suomi.ttl",
            "dct:replaces <id/strategy/keski-suomi-2030>",
            "dct:replaces <id/strategy/pirkanmaa-2023-2025>",
        ),
    )
    assert any(
        f.focus.endswith("id/strategy/keski-suomi-paivitys-2025") and "same organisation" in f.message
        for f in report.violations
    ), report.text


# --- The seed counties stay complete --------------------------------------------------------------


def test_seed_counties_keep_their_strategies(client):
    for slug, values in (("etela-savo", 5), ("etela-karjala", 4)):
        rows = select(
            client,
            f"""
            SELECT ?v WHERE {{ ?s a stv:Strategy ; stv:organisation <{BASE}id/organisation/{slug}> .
                               ?v a stv:Value ; stv:partOfPlan ?s . }}""",
        )
        assert len(rows) == values, slug


# --- Coverage: the page, the home page and the canned query ------------------------------------------


def coverage_rows(client, lang="en") -> dict[str, dict]:
    soup = BeautifulSoup(client.get(f"/coverage?lang={lang}").data, "html.parser")
    out = {}
    for tr in soup.select("table.coverage tbody tr"):
        cells = {td.get("class", [""])[0]: td.get_text(" ", strip=True) for td in tr.find_all("td")}
        out[tr["data-code"]] = {"has": "has-strategy" in tr["class"], **cells}
    return out


def test_coverage_page_lists_every_area_with_period_version_and_last_source(client):
    response = client.get("/coverage")
    assert response.status_code == 200 and response.mimetype == "text/html"
    rows = coverage_rows(client)
    assert len(rows) == 23
    keski_suomi = rows["15"]
    assert keski_suomi["has"] and keski_suomi["version"] == "2" and keski_suomi["last-source"] == "2025-09-10"
    assert rows["08"]["period"] == "2026–2029" and rows["08"]["version"] == "2"
    assert rows["11"]["period"] == "2023–2025" and rows["11"]["version"] == "1"
    assert not rows["20"]["has"]  # Kainuu: no source found yet
    soup = BeautifulSoup(response.data, "html.parser")
    without = {a.get_text() for a in soup.select("#without-strategy a")}
    assert "Kainuun hyvinvointialue" in without or "Kainuu wellbeing services county" in without
    assert soup.find("a", href="/coverage") is not None  # the site navigation links to it


def test_coverage_page_speaks_the_readers_language(client):
    fi = BeautifulSoup(client.get("/coverage?lang=fi").data, "html.parser")
    sv = BeautifulSoup(client.get("/coverage?lang=sv").data, "html.parser")
    assert fi.find("h1").get_text() == "Kattavuus" and sv.find("h1").get_text() == "Täckning"


def test_home_page_shows_period_version_and_last_source(client):
    soup = BeautifulSoup(client.get("/?lang=en").data, "html.parser")
    row = next(tr for tr in soup.select("table.organisations tbody tr") if tr.find("td").get_text() == "15")
    assert row.find(class_="version").get_text() == "2"
    assert row.find(class_="last-source").get_text() == "2025-09-10"


def run_canned(client, name: str) -> list[dict[str, str]]:
    response = client.post("/sparql", data={"query": canned(name).text}, headers={"Accept": JSON})
    assert response.status_code == 200
    return [{k: v["value"] for k, v in b.items()} for b in response.get_json()["results"]["bindings"]]


def test_coverage_query_agrees_with_the_page_and_with_query_05(client):
    rows = run_canned(client, "30_counties_strategy_coverage")
    assert len(rows) == 23
    page = coverage_rows(client)
    for r in rows:
        assert (int(r["strategies"]) > 0) == page[r["areaCode"]]["has"], r
    without = {r["area"] for r in rows if r["strategies"] == "0"}
    assert without == {r["area"] for r in run_canned(client, "05_areas_without_strategy")}
    keski_suomi = next(r for r in rows if r["areaCode"] == "15")
    assert keski_suomi["strategies"] == "2" and keski_suomi["lastSource"] == "2025-09-10"
    assert re.match(r"Keski-Suomen hyvinvointialuestrategia", keski_suomi["currentStrategy"])
