"""/search: a box on every page, Finnish word forms, accents folded, results grouped and marked,
HTML and JSON from an index the build makes; the same base forms for SPARQL."""

from __future__ import annotations

import sqlite3

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from server.core.iris import Iris
from server.core.settings import load_settings
from server.core.words import SnowballAnalyser, analyser, query_forms
from server.pipeline.search_index import write_search_index
from server.store.search import SearchIndex

BASE = load_settings()["base_iri"]
PAGES = [
    "/",
    "/coverage",
    "/compare",
    "/sparql",
    "/ontology",
    "/catalog",
    "/download/",
    "/search?q=arvo",
    "/page/organisation/etela-savo",
    "/page/strategy/etela-savo",
    "/page/value/etela-savo-rohkeus",
    "/page/nothing/here",
]


def found(client, q: str, lang: str = "fi") -> dict:
    response = client.get("/search.json", query_string={"q": q}, headers={"Accept-Language": lang})
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def things(answer: dict) -> dict[str, str]:
    return {t["iri"]: t["label"] for g in answer["groups"] for o in g["organisations"] for t in o["things"]}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_search_box_in_its_header(client, path):
    soup = BeautifulSoup(client.get(path, headers={"Accept": "text/html"}).data, "html.parser")
    form = soup.select_one("header form[role=search]")
    assert form is not None and form["action"] == "/search"
    field = form.select_one("input[name=q]")
    label = soup.select_one(f"label[for={field['id']}]")
    assert label is not None and label.get_text(strip=True)


def test_accents_are_folded(client):
    assert BASE + "id/organisation/etela-savo" in things(found(client, "etela savo"))


def test_inflected_finnish_finds_the_base_form(client):
    hits = things(found(client, "strategiat"))
    assert BASE + "id/strategy/etela-savo" in hits  # "Etelä-Savon hyvinvointialueen strategia"
    hits = things(found(client, "palveluiden"))
    assert BASE + "id/goal/etela-savo-sujuvat-ja-oikea-aikaiset-palvelut-lahella" in hits  # "… palvelut lähellä"


def test_swedish_and_english_names_are_searched(client):
    assert BASE + "id/organisation/etela-savo" in things(found(client, "Södra Savolax"))
    assert BASE + "id/organisation/etela-savo" in things(found(client, "South Savo"))


def test_results_are_grouped_by_kind_and_organisation_with_the_words_marked(client):
    answer = found(client, "rohkeus", "en")
    values = next(g for g in answer["groups"] if g["kind"] == BASE + "ontology#Value")
    assert values["kindLabel"] == "value"
    organisations = {o["organisation"] for o in values["organisations"]}
    assert BASE + "id/organisation/etela-savo" in organisations and len(organisations) > 1
    page = BeautifulSoup(
        client.get("/search", query_string={"q": "rohkeus"}, headers={"Accept-Language": "en"}).data, "html.parser"
    )
    assert page.select_one("#search-count").get_text().startswith(f"{answer['count']} things match")
    assert page.select("section.search-group h2") and page.select("section.search-group h3")
    assert any(m.get_text().lower() == "rohkeus" for m in page.select("mark"))


@pytest.mark.parametrize(
    "lang, words", [("fi", "ei löytynyt mitään"), ("sv", "Inget hittades"), ("en", "Nothing matches")]
)
def test_no_hits_are_said_helpfully_in_the_readers_language(client, lang, words):
    page = client.get("/search", query_string={"q": "xyzzyq"}, headers={"Accept-Language": lang})
    soup = BeautifulSoup(page.data, "html.parser")
    no_hits = soup.select_one("#no-hits")
    assert no_hits is not None and words in no_hits.get_text()
    assert no_hits.select_one('a[href="/sparql"]') is not None
    assert page.headers["Content-Language"] == lang and "Accept-Language" in page.headers["Vary"]


def test_json_is_negotiated_and_cached_apart_from_html(client):
    html = client.get("/search", query_string={"q": "arvo"}, headers={"Accept": "text/html"})
    json_answer = client.get("/search", query_string={"q": "arvo"}, headers={"Accept": "application/json"})
    assert html.mimetype == "text/html" and json_answer.mimetype == "application/json"
    assert "Accept" in json_answer.headers["Vary"] and json_answer.get_json()["count"] > 0


def test_the_build_makes_the_index_and_records_its_analyser(real_settings, client):
    from server.store.manifest import current_build, read_manifest

    build = current_build(real_settings["var_dir"])
    info = read_manifest(build)["search"]
    assert info["analyser"] == analyser().name and info["texts"] > 500
    with sqlite3.connect(build / info["file"]) as db:
        assert db.execute("SELECT count(*) FROM texts").fetchone()[0] == info["texts"]


def test_the_snowball_fallback_still_folds_accents_and_common_forms(tmp_path):
    stv = Namespace(BASE + "ontology#")
    g = Graph()
    thing = URIRef(BASE + "id/goal/example")
    g.add((thing, RDF.type, stv.Goal))
    g.add((thing, SKOS.prefLabel, Literal("Etelä-Savon palvelut", lang="fi")))
    using = SnowballAnalyser()
    write_search_index(tmp_path / "s.sqlite", g, Iris(BASE), using)
    index = SearchIndex(tmp_path / "s.sqlite")
    for q in ("etela", "palveluiden", "palvelu"):
        assert [h.iri for h in index.search(query_forms(q, using))] == [str(thing)], q


def test_sparql_matches_base_forms(client):
    query = f"""PREFIX stv: <{BASE}ontology#>
    SELECT ?s WHERE {{ GRAPH <{BASE}graph/baseforms> {{ ?s stv:baseForm "talous" }} }}"""
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    rows = {b["s"]["value"] for b in response.get_json()["results"]["bindings"]}
    if analyser().name == "voikko":
        assert BASE + "id/goal/keski-uusimaa-2026-2030-taloudellinen-kestavyys" in rows or any(
            "taloudellinen" in r for r in rows
        )
    assert rows
    page = client.get("/ontology", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'id="baseForm"' in page and "graph/baseforms" in page
