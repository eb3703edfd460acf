"""Strategic themes and /compare: every statement has a theme, the theme links are curated (and
kept apart from the source facts), and the page, its CSV and JSON, the heat map, the organisation
pages and the canned queries all give the answer an independent SPARQL query gives."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS
from source_trees import copy_real_sources

from server.core.iris import Iris
from server.core.settings import PROJECT_ROOT, load_settings
from server.pipeline.build import check
from server.pipeline.load import load_sources
from server.query.canned import canned
from server.web.i18n import UI
from server.web.presenters.compare import COLUMNS, LANG_LINE, MATRIX_QUERY, SHARED_QUERY, query_text
from server.web.presenters.heatmap import INK, PALETTE, legend, level

BASE = load_settings()["base_iri"]
STV = Namespace(BASE + "ontology#")
CURATED, ASSERTED, INFERRED = BASE + "graph/curated", BASE + "graph/asserted", BASE + "graph/inferred"
EK, ES = BASE + "id/organisation/etela-karjala", BASE + "id/organisation/etela-savo"
THEME = BASE + "id/theme/"
PREFIXES = f"""PREFIX stv: <{STV}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dct: <http://purl.org/dc/terms/>
"""
# Written apart from the canned query on purpose: the theme itself or up to two broader steps
# (the scheme has two levels), the organisation as the data states it.
INDEPENDENT = (
    PREFIXES
    + f"""
SELECT DISTINCT ?theme ?organisation ?statement ?kind WHERE {{
  {{ GRAPH <{CURATED}> {{ ?statement stv:theme ?theme }} }}
  UNION {{ GRAPH <{CURATED}> {{ ?statement stv:theme ?direct . ?direct skos:broader ?theme }} }}
  UNION {{ GRAPH <{CURATED}> {{ ?statement stv:theme ?direct . ?direct skos:broader/skos:broader ?theme }} }}
  GRAPH <{ASSERTED}> {{ ?statement stv:organisation ?organisation ; a ?kind }}
}}"""
)


def sparql(client, query: str) -> list[dict[str, str]]:
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    if "boolean" in answer:
        return [{"boolean": answer["boolean"]}]
    return [{k: v["value"] for k, v in b.items()} for b in answer["results"]["bindings"]]


def ask(client, query: str) -> bool:
    return sparql(client, PREFIXES + query)[0]["boolean"]


@pytest.fixture(scope="module")
def independent(module_client) -> set[tuple[str, str, str]]:
    return {(r["theme"], r["organisation"], r["statement"]) for r in sparql(module_client, INDEPENDENT)}


@pytest.fixture(scope="module")
def kinds_of(module_client) -> dict[str, str]:
    return {r["statement"]: r["kind"].removeprefix(str(STV)) for r in sparql(module_client, INDEPENDENT)}


@pytest.fixture(scope="module")
def module_client(app):  # for the module's fixtures: the answers do not change within a build
    return app.test_client()


@pytest.fixture()
def client(app):  # a reader of its own each test: the language a test chooses is remembered (a cookie)
    return app.test_client()


def csv_rows(response) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    assert tuple(reader.fieldnames) == COLUMNS
    return list(reader)


def json_triples(answer: dict) -> set[tuple[str, str, str]]:
    return {(c["theme"], c["organisation"], s["iri"]) for c in answer["cells"] for s in c["statements"]}


def shared_of(triples, a: str, b: str) -> dict[str, dict[str, set[str]]]:
    """{theme: {organisation: statements}} for the themes both a and b address."""
    by_theme: dict[str, dict[str, set[str]]] = {}
    for theme, org, statement in triples:
        if org in (a, b):
            by_theme.setdefault(theme, {}).setdefault(org, set()).add(statement)
    return {t: orgs for t, orgs in by_theme.items() if set(orgs) == {a, b}}


# --- The data: themes, links and their provenance ----------------------------------------


def test_every_statement_has_a_theme(client):
    rows = sparql(
        client,
        PREFIXES
        + f"""
        SELECT ?statement WHERE {{
          GRAPH <{ASSERTED}> {{ ?statement a ?kind }}
          ?kind rdfs:subClassOf* stv:StrategyElement .
          FILTER NOT EXISTS {{ GRAPH <{CURATED}> {{ ?statement stv:theme ?theme }} }}
        }}""",
    )
    assert not rows, "statements without a theme (classify them in data/theme-classification.ttl): " + ", ".join(
        sorted(r["statement"] for r in rows)
    )
    # The two seed strategies: vision, mission, values, priorities, goals (and the employer promise).
    seeded = sparql(
        client,
        PREFIXES
        + f"""
        SELECT ?statement WHERE {{ GRAPH <{ASSERTED}> {{ ?statement stv:organisation ?org ; a ?kind }}
          VALUES ?org {{ <{EK}> <{ES}> }} ?kind rdfs:subClassOf* stv:StrategyElement }}""",
    )
    assert len(seeded) == 21


def test_every_link_joins_a_statement_to_a_theme_of_the_scheme(client):
    stray = sparql(
        client,
        PREFIXES
        + f"""
        SELECT ?statement ?theme WHERE {{
          GRAPH <{CURATED}> {{ ?statement stv:theme ?theme }}
          FILTER (NOT EXISTS {{ GRAPH <{ASSERTED}> {{ ?statement stv:organisation ?org }} }}
                  || NOT EXISTS {{ ?theme a skos:Concept ; skos:inScheme <{BASE}id/scheme/strategiset-teemat> }})
        }}""",
    )
    assert not stray, stray


def test_themes_have_labels_and_definitions_in_finnish_swedish_and_english():
    sources = load_sources(PROJECT_ROOT, BASE)
    curated = sources.data["curated"]
    scheme = URIRef(BASE + "id/scheme/strategiset-teemat")
    themes = set(curated.subjects(SKOS.inScheme, scheme))
    assert len(themes) >= 11
    for theme in themes:
        assert str(theme).startswith(THEME) and re.fullmatch(r"[a-z0-9-]+", str(theme)[len(THEME) :]), theme
        for prop in (SKOS.prefLabel, SKOS.definition):
            languages = sorted(o.language for o in curated.objects(theme, prop) if isinstance(o, Literal))
            assert languages == ["en", "fi", "sv"], (theme, prop, languages)
        for broader in curated.objects(theme, SKOS.broader):
            assert (broader, SKOS.narrower, theme) in curated, (theme, broader)
    tops = set(curated.objects(scheme, SKOS.hasTopConcept))
    assert tops == {t for t in themes if (t, SKOS.broader, None) not in curated}


def test_theme_links_are_curated_not_source_facts(client):
    sources = load_sources(PROJECT_ROOT, BASE)
    assert not list(sources.data["asserted"].triples((None, STV.theme, None)))
    links = list(sources.data["curated"].triples((None, STV.theme, None)))
    assert len(links) >= 21
    # In the built store: only in graph/curated, not in the asserted, inferred or ontology graphs.
    assert ask(client, f"ASK {{ GRAPH <{CURATED}> {{ ?s stv:theme ?t }} }}")
    for graph in (ASSERTED, INFERRED, BASE + "graph/ontology"):
        assert not ask(client, f"ASK {{ GRAPH <{graph}> {{ ?s stv:theme ?t }} }}"), graph
        # …nor copied there under another name by the reasoner.
        assert not ask(client, f"ASK {{ GRAPH <{graph}> {{ ?s dct:subject ?t }} }}"), graph
    count = sparql(client, PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{CURATED}> {{ ?s stv:theme ?t }} }}")
    assert int(count[0]["n"]) == len(links)


def test_the_classification_says_who_when_and_by_what_rule():
    curated = load_sources(PROJECT_ROOT, BASE).data["curated"]
    graph = URIRef(CURATED)
    assert (graph, STV.statementKind, STV.CuratedJudgement) in curated
    activity = curated.value(graph, PROV.wasGeneratedBy)
    assert activity is not None and (activity, RDF.type, PROV.Activity) in curated
    assert (activity, PROV.generated, graph) in curated
    agent = curated.value(activity, PROV.wasAssociatedWith)
    assert Literal("Strategiaverkko maintainers (curated)", lang="en") in set(curated.objects(agent, SKOS.prefLabel))
    assert curated.value(graph, PROV.wasAttributedTo) == agent
    assert str(curated.value(activity, PROV.endedAtTime)).startswith("2026-")
    rules = {o.language: str(o) for o in curated.objects(activity, DCTERMS.description)}
    assert set(rules) == {"fi", "sv", "en"}
    assert rules["en"].startswith("Rule:") and "not statements of the sources" in rules["en"]
    assert URIRef(BASE + "id/source/etela-savo-strategia") in set(curated.objects(activity, PROV.used))


def test_a_curation_without_rule_and_a_decision_without_source_fail_the_check(tmp_path):
    root = copy_real_sources(tmp_path / "src")
    classification = root / "data" / "theme-classification.ttl"
    text = classification.read_text("utf-8")
    text = re.sub(r'dct:description "Sääntö:.*?"@fi ,\n', "dct:description ", text, flags=re.S)
    classification.write_text(text, "utf-8")
    county = root / "data" / "etela-karjala.ttl"
    county.write_text(
        county.read_text("utf-8").replace(
            '    stv:date "2022-12"^^xsd:gYearMonth ;\n    prov:wasDerivedFrom <id/source/etela-karjala-strategia> .',
            '    stv:date "2022-12"^^xsd:gYearMonth .',
        ),
        "utf-8",
    )
    report = check(load_settings({"source_dir": str(root), "var_dir": str(tmp_path / "var")}))[1]
    messages = {(f.focus.rsplit("/", 1)[-1], f.message.split(":")[0]) for f in report.violations}
    assert ("teemaluokitus-2026-11-23", "A curated judgement must state its rule in Finnish too") in messages, (
        report.text
    )
    assert ("etela-karjala-aluevaltuusto-2022-12-strategia", "No source") in messages, report.text


# --- The matrix: page, JSON, CSV, heat map against an independent query ------------------


def test_json_matrix_equals_an_independent_sparql_query(client, independent):
    response = client.get("/compare.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith('inline; filename="') and response.headers[
        "Content-Disposition"
    ].endswith('.json"')
    answer = response.get_json()
    assert json_triples(answer) == independent
    for cell in answer["cells"]:
        assert cell["count"] == len(cell["statements"]) == len({s["iri"] for s in cell["statements"]})
    assert {o["iri"] for o in answer["organisations"]} == {org for _, org, _ in independent}
    assert answer["curated"]["graph"] == CURATED
    assert answer["query"]["name"] == MATRIX_QUERY


def test_csv_equals_an_independent_sparql_query(client, independent):
    response = client.get("/compare.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and "charset=utf-8" in response.content_type
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(
        'attachment; filename="strategiaverkko-themes-by-organisation'
    ) and disposition.endswith('.csv"')
    rows = csv_rows(response)
    assert {(r["theme"], r["organisation"], r["statement"]) for r in rows} == independent
    assert client.get("/compare?format=csv").get_data() == response.get_data()


def test_page_matrix_equals_the_json(client):
    soup = BeautifulSoup(client.get("/compare").get_data(as_text=True), "html.parser")
    on_page = set()
    for row in soup.select("table.matrix tbody tr"):
        for cell in row.select("td"):
            for link in cell.select("a[data-statement]"):
                on_page.add((row["data-theme"], cell["data-organisation"], link["data-statement"]))
                assert link["href"] == "/page/" + link["data-statement"].removeprefix(BASE + "id/")
    assert on_page == json_triples(client.get("/compare.json").get_json())
    # Every theme of the scheme has its row, statements or not.
    themes = sparql(client, PREFIXES + f"SELECT ?t WHERE {{ ?t skos:inScheme <{BASE}id/scheme/strategiset-teemat> }}")
    assert {r["data-theme"] for r in soup.select("table.matrix tbody tr")} == {r["t"] for r in themes}


def test_heat_map_counts_the_statements_of_each_cell(client):
    answer = client.get("/compare.json").get_json()
    counts = {
        (c["theme"].rsplit("/", 1)[-1], c["organisation"].rsplit("/", 1)[-1]): c["count"] for c in answer["cells"]
    }
    response = client.get("/compare.svg")
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Disposition"].startswith("inline;")
    svg = ET.fromstring(response.get_data())
    cells = svg.findall(".//{http://www.w3.org/2000/svg}a")
    assert len(cells) == len(answer["themes"]) * len(answer["organisations"])
    for cell in cells:
        theme_org = cell.get("href").split("#c-", 1)[1]
        expected = next((n for (t, o), n in counts.items() if f"{t}-{o}" == theme_org), 0)
        assert int(cell.get("data-count")) == expected, theme_org
    # The same numbers are on the page, as a table whose numbers link to the matrix's cells.
    soup = BeautifulSoup(client.get("/compare").get_data(as_text=True), "html.parser")
    heat = soup.select("table.heat tbody td")
    assert len(heat) == len(cells)
    highest = max(counts.values())
    for td in heat:
        theme, org = td.parent["data-theme"].rsplit("/", 1)[-1], td["data-organisation"].rsplit("/", 1)[-1]
        n = counts.get((theme, org), 0)
        assert int(td["data-count"]) == n and td["class"] == [f"heat-{level(n, highest)}"], (theme, org)
        link = td.select_one("a")
        if n:
            assert link.get_text() == str(n) and link["href"] == f"#c-{theme}-{org}"
            assert soup.find(id=link["href"][1:]) is not None
            assert link["aria-label"].endswith(f": {n} lausuma" + ("" if n == 1 else "a"))
        else:
            assert link is None and td.select_one(".visually-hidden").get_text() == "0"


def test_heat_map_legend_names_every_shade_in_use():
    for highest in range(1, 40):
        entries = legend(highest)
        assert entries[0].level == 0
        # The shades' ranges cover 1 … highest once each, in order, and every count gets the shade of its range.
        covered = [n for e in entries[1:] for n in range(e.low, e.high + 1)]
        assert covered == list(range(1, highest + 1)), highest
        assert all(level(n, highest) == e.level for e in entries[1:] for n in range(e.low, e.high + 1))
        assert entries[-1].level == 5 and level(highest, highest) == 5
    assert [e.text for e in legend(8)] == ["0", "1", "2–3", "4", "5–6", "7–8"]


def test_page_colours_are_the_palette_and_readable():
    css = (PROJECT_ROOT / "server/web/static/compare.css").read_text("utf-8")
    found = {
        int(k): (bg.lower(), fg.lower())
        for k, bg, fg in re.findall(r"\.heat-(\d) \{ background: (#[0-9a-fA-F]{6}); color: (#[0-9a-fA-F]{6}); \}", css)
    }
    assert found == {k: (PALETTE[k], INK[k]) for k in range(len(PALETTE))}

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for background, ink in zip(PALETTE, INK):
        light, dark = sorted((luminance(background), luminance(ink)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, (background, ink)


def test_legend_on_the_page(client):
    soup = BeautifulSoup(client.get("/compare?lang=en").get_data(as_text=True), "html.parser")
    highest = max(c["count"] for c in client.get("/compare.json").get_json()["cells"])
    items = soup.select("ul.heat-scale li")
    assert [li.get_text(" ", strip=True) for li in items] == ["· none"] + [e.text for e in legend(highest)[1:]]
    assert [li.select_one(".swatch")["class"][1] for li in items] == [f"heat-{e.level}" for e in legend(highest)]
    assert (
        "darker" in soup.select_one("#heat-legend").get_text()
        and soup.select_one("table.heat")["aria-describedby"] == "heat-legend"
    )
    assert soup.select_one("a.skip-heatmap")["href"] == "#matrix-h" and soup.find(id="matrix-h") is not None


# --- Which themes Etelä-Karjala and Etelä-Savo share: page, CSV and canned query agree ------


def test_shared_themes_of_etela_karjala_and_etela_savo_agree(client):
    # The canned query, as a researcher runs it from the SPARQL editor (its default pair).
    query = canned(SHARED_QUERY)
    assert f"(<{EK}> <{ES}>)" in query.text
    by_query: dict[str, dict[str, set[str]]] = {}
    for r in sparql(client, query.text):
        by_query.setdefault(r["theme"], {}).setdefault(r["organisation"], set()).add(r["statement"])
    # The page's shared section (the same pair is its default).
    by_page: dict[str, dict[str, set[str]]] = {}
    for path in ("/compare?a=etela-karjala&b=etela-savo", "/compare"):
        soup = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
        found: dict[str, dict[str, set[str]]] = {}
        for row in soup.select("section#shared table.shared tbody tr"):
            for cell in row.select("td"):
                found.setdefault(row["data-theme"], {})[cell["data-organisation"]] = {
                    a["data-statement"] for a in cell.select("a[data-statement]")
                }
        by_page = by_page or found
        assert found == by_page, path
    # The matrix CSV, read the way a researcher would: themes with rows for both.
    matrix = {(r["theme"], r["organisation"], r["statement"]) for r in csv_rows(client.get("/compare.csv"))}
    by_csv = shared_of(matrix, EK, ES)
    # The shared-themes CSV.
    shared_rows = csv_rows(client.get("/compare/shared.csv?a=etela-karjala&b=etela-savo"))
    by_shared_csv = shared_of({(r["theme"], r["organisation"], r["statement"]) for r in shared_rows}, EK, ES)
    assert by_query == by_page == by_csv == by_shared_csv
    themes = set(by_query)
    # A few the data plainly shows: both speak of safety, staff (one of wellbeing, the other of
    # being the best employer: shared through the broader theme) and renewal; only Etelä-Savo of digital services.
    assert {THEME + "turvallisuus", THEME + "henkilosto", THEME + "uudistuminen"} <= themes
    assert THEME + "digitaaliset-palvelut" not in themes and THEME + "henkiloston-hyvinvointi" not in themes
    assert BASE + "id/value/etela-savo-rohkeus" in by_query[THEME + "uudistuminen"][ES]
    assert BASE + "id/value/etela-karjala-mie-uskallan" in by_query[THEME + "uudistuminen"][EK]


def test_the_page_runs_the_canned_queries_as_written(client):
    for name in (MATRIX_QUERY, SHARED_QUERY):
        query = canned(name)
        assert query is not None and name[:3] in ("20_", "21_")
        assert query.title and query.description
        for prefix in ("stv", "skos", "rdfs"):
            assert re.search(rf"^PREFIX {prefix}:\s+<", query.text, re.M), (name, prefix)
        assert query.text.count(LANG_LINE) == 1
    answer = client.get("/compare.json?lang=en").get_json()
    assert answer["query"]["text"] == canned(MATRIX_QUERY).text.replace(LANG_LINE, 'VALUES ?lang { "en" }')
    shared = client.get("/compare/shared.json?a=etela-karjala&b=etela-savo&lang=fi").get_json()
    assert shared["query"]["text"] == canned(SHARED_QUERY).text
    # The page links to the query it ran, in the SPARQL editor.
    soup = BeautifulSoup(client.get("/compare").get_data(as_text=True), "html.parser")
    assert any(a["href"].startswith("/sparql?query=") for a in soup.select("p.downloads a"))


def test_queries_follow_another_base_iri():
    other = Iris("http://example.org/sv/")
    for name, pair in (
        (MATRIX_QUERY, None),
        (SHARED_QUERY, ("http://example.org/sv/id/organisation/a", "http://example.org/sv/id/organisation/b")),
    ):
        text = query_text(name, other, "sv", pair)
        assert "w3id.org/strategiaverkko" not in text
        assert 'VALUES ?lang { "sv" }' in text and "<http://example.org/sv/graph/curated>" in text
    assert "(<http://example.org/sv/id/organisation/a> <http://example.org/sv/id/organisation/b>)" in text
    with pytest.raises(ValueError):
        query_text(MATRIX_QUERY, other, 'fi" } } #')


# --- Filter and language ---------------------------------------------------------------------


def test_kind_filter(client, independent, kinds_of):
    values = {t for t in independent if kinds_of[t[2]] == "Value"}
    answer = client.get("/compare.json?kind=Value").get_json()
    assert json_triples(answer) == values and values
    assert answer["kinds"] == ["Value"]
    two = client.get("/compare.json?kind=Value&kind=Vision").get_json()
    assert json_triples(two) == {t for t in independent if kinds_of[t[2]] in ("Value", "Vision")}
    rows = csv_rows(client.get("/compare.csv?kind=Vision"))
    assert rows and {r["kind"] for r in rows} == {str(STV.Vision)}
    soup = BeautifulSoup(client.get("/compare?kind=Value").get_data(as_text=True), "html.parser")
    assert {li["data-kind"] for li in soup.select("table.matrix li[data-kind]")} == {"Value"}
    checked = [i["value"] for i in soup.select("form.compare-filter input[name=kind]") if i.has_attr("checked")]
    assert checked == ["Value"]
    # Without a filter, every kind is offered and none is ticked.
    offered = [
        i["value"]
        for i in BeautifulSoup(client.get("/compare").get_data(as_text=True), "html.parser").select(
            "form.compare-filter input[name=kind]"
        )
    ]
    assert {"Vision", "Mission", "Value", "StrategicPriority", "QualitativeGoal"} <= set(offered)
    bad = client.get("/compare?kind=Nonsense", headers={"Accept": "application/json"})
    assert bad.status_code == 400 and "Nonsense" in bad.get_json()["message"]


def test_organisation_choice(client, independent):
    two = {t for t in independent if t[1] in (EK, ES)}
    answer = client.get("/compare.json?org=etela-savo&org=etela-karjala").get_json()
    assert json_triples(answer) == two and two
    assert [o["iri"] for o in answer["organisations"]] == [EK, ES]
    rows = csv_rows(client.get("/compare.csv?org=etela-savo&kind=Value"))
    assert rows and {r["organisation"] for r in rows} == {ES} and {r["kind"] for r in rows} == {str(STV.Value)}
    svg = ET.fromstring(client.get("/compare.svg?org=etela-savo").get_data())
    themes = len(answer["themes"])
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}a")) == themes

    soup = BeautifulSoup(
        client.get("/compare?org=etela-savo&org=etela-karjala&kind=Value").get_data(as_text=True), "html.parser"
    )
    assert [th["data-organisation"] for th in soup.select("table.matrix thead th[data-organisation]")] == [EK, ES]
    assert [th["data-organisation"] for th in soup.select("table.heat thead th[data-organisation]")] == [EK, ES]
    assert len(soup.select("table.heat tbody td")) == 2 * themes
    boxes = soup.select("form.compare-filter input[name=org]")
    assert len(boxes) == len(client.get("/compare.json").get_json()["organisations"]) > 2
    assert [b["value"] for b in boxes if b.has_attr("checked")] == ["etela-karjala", "etela-savo"]
    assert soup.select_one("details.org-choice").has_attr("open")
    # The other forms and links keep the choice.
    assert [i["value"] for i in soup.select("form.pair input[name=org]")] == ["etela-karjala", "etela-savo"]
    assert "org=etela-savo" in soup.select_one("nav.languages a[hreflang=en]")["href"]
    assert "org=etela-savo" in soup.select_one("p.downloads a[type='text/csv']")["href"]
    # Without a choice every organisation is shown and none is ticked.
    plain = BeautifulSoup(client.get("/compare").get_data(as_text=True), "html.parser")
    assert not any(b.has_attr("checked") for b in plain.select("form.compare-filter input[name=org]"))
    assert len(plain.select("table.heat thead th[data-organisation]")) == len(boxes)
    assert not plain.select_one("details.org-choice").has_attr("open")
    bad = client.get("/compare?org=atlantis", headers={"Accept": "application/json"})
    assert bad.status_code == 400 and "atlantis" in bad.get_json()["message"]


def test_language_switch(app, client):
    sv = BeautifulSoup(client.get("/compare?lang=sv").get_data(as_text=True), "html.parser")
    assert sv.html["lang"] == "sv"
    assert sv.h1.get_text() == UI["sv"]["compare_title"]
    rows = {tr["data-theme"]: tr.th.get_text(strip=True) for tr in sv.select("table.matrix tbody tr")}
    assert rows[THEME + "turvallisuus"] == "Trygghet och säkerhet"
    heads = {
        th["data-organisation"]: th.get_text(strip=True) for th in sv.select("table.matrix thead th[data-organisation]")
    }
    assert heads[ES] == "Södra Savolax välfärdsområde"
    # Statements stay in the source's words and say so.
    turvaan = sv.select_one(f"a[data-statement='{BASE}id/value/etela-karjala-mie-turvaan']")
    assert turvaan.get_text() == "Mie turvaan." and turvaan["lang"] == "fi"
    # Accept-Language picks the language when no switch was used (by a reader who has not chosen one).
    en = BeautifulSoup(
        app.test_client().get("/compare", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True),
        "html.parser",
    )
    assert en.h1.get_text() == UI["en"]["compare_title"]
    # The language switch keeps the filter.
    filtered = BeautifulSoup(client.get("/compare?kind=Value").get_data(as_text=True), "html.parser")
    switch = filtered.select_one("nav.languages a[hreflang=en]")["href"]
    assert "kind=Value" in switch and "lang=en" in switch
    # Exports follow the language too.
    answer = client.get("/compare.json?lang=en").get_json()
    assert {t["label"] for t in answer["themes"] if t["iri"] == THEME + "turvallisuus"} == {"Safety and security"}
    assert client.get("/compare.csv?lang=en").headers["Content-Language"] == "en"
    labels = {
        r["themeLabel"] for r in csv_rows(client.get("/compare.csv?lang=sv")) if r["theme"] == THEME + "turvallisuus"
    }
    assert labels == {"Trygghet och säkerhet"}


# --- Organisation pages, navigation, HTTP ---------------------------------------------------


def test_organisation_page_shows_its_themes_and_who_shares_them(client, independent):
    for org, other in ((EK, ES), (ES, EK)):
        path = "/page/organisation/" + org.rsplit("/", 1)[-1] + "?lang=en"
        soup = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
        rows = soup.select("section.org-themes table.org-themes tbody tr")
        assert {tr["data-theme"] for tr in rows} == {t for t, o, _ in independent if o == org}
        sharing = {
            tr["data-theme"] for tr in rows if tr.select_one(f"a.shared-with[data-organisation='{other}']") is not None
        }
        assert sharing == set(shared_of(independent, EK, ES))
        assert soup.select_one("section.org-themes .badge.curated") is not None


def test_navigation_links_to_compare(client):
    soup = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    assert soup.select_one("header nav a[href='/compare']") is not None


def test_exports_answer_conditional_requests_and_unknown_pairs(client):
    first = client.get("/compare.csv?lang=fi")
    again = client.get("/compare.csv?lang=fi", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/compare.xlsx").status_code == 404
    assert client.get("/compare/shared.csv?a=etela-karjala&b=atlantis").status_code == 400
    assert client.get("/compare/shared.csv?a=etela-savo&b=etela-savo").status_code == 400


def test_the_curated_graph_iri_dereferences_to_its_provenance(client):
    page = client.get("/graph/curated", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    assert soup.select_one("a[href='/page/activity/teemaluokitus-2026-11-23']") is not None
    data = client.get("/graph/curated", headers={"Accept": "text/turtle"})
    assert data.status_code == 200 and data.mimetype == "text/turtle"
    from rdflib import Graph

    g = Graph().parse(data=data.data, format="turtle")
    assert (URIRef(CURATED), PROV.wasGeneratedBy, URIRef(BASE + "id/activity/teemaluokitus-2026-11-23")) in g
    assert client.get("/graph/nonexistent").status_code == 404


def test_sitemap_lists_the_compare_page(client):
    assert "<loc>http://localhost/compare</loc>" in client.get("/sitemap.xml").get_data(as_text=True)


def test_a_plans_name_is_marked_as_its_own_language_beside_an_english_summary(client):
    """WCAG 3.1.2: the strategy a statement belongs to is named as its sources name it, in Finnish or,
    where they name it only in Swedish, in Swedish; on an English page its link says which
    (lang="fi" / "sv"), whatever the statement's own text is in (a summary is in English)."""
    soup = BeautifulSoup(
        client.get("/compare?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True), "html.parser"
    )
    plans = soup.select("a.plan")
    assert plans
    assert all(a.get("lang") in ("fi", "sv") for a in plans), [str(a)[:120] for a in plans][:3]
    swedish = [a for a in plans if "/vantaa-kerava-2023-2025" in a["href"]]
    assert swedish and all(a["lang"] == "sv" and a.get_text().startswith("Vanda och Kervo") for a in swedish)
    assert any(a["lang"] == "fi" for a in plans)
