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
from server.core.words import SnowballAnalyser, analyser, query_forms, terms
from server.pipeline.search_index import write_search_index
from server.store.search import SearchIndex
from server.web.presenters.search import highlighted

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


def _index_of(tmp_path, labels: dict[str, str], using=None):
    """An index of goals named `labels` ({slug: Finnish name}), and the analyser it was made with."""
    stv = Namespace(BASE + "ontology#")
    g = Graph()
    for slug, label in labels.items():
        thing = URIRef(BASE + "id/goal/" + slug)
        g.add((thing, RDF.type, stv.Goal))
        g.add((thing, SKOS.prefLabel, Literal(label, lang="fi")))
    using = using or analyser()
    write_search_index(tmp_path / "s.sqlite", g, Iris(BASE), using)
    return SearchIndex(tmp_path / "s.sqlite"), using


def test_texts_with_the_word_as_typed_come_first_then_shorter_before_longer(tmp_path):
    index, using = _index_of(
        tmp_path,
        {
            "a": "Palvelu",  # another form of the word only, the shortest text
            "b": "Palveluiden saatavuus ja laatu paranevat koko alueella",  # as typed, long
            "c": "Palveluiden saatavuus",  # as typed, short
            "d": "Asukkaiden osallisuus",  # does not match
        },
    )
    order = [h.iri.rsplit("/", 1)[-1] for h in index.search(query_forms("palveluiden", using))]
    if using.name == "voikko":  # Snowball stems "palvelu" to "palvelu", "palveluiden" to "palvelu" too
        assert order == ["c", "b", "a"]
    else:
        assert order[:2] == ["c", "b"] and set(order) == {"a", "b", "c"}


def test_the_search_stops_at_its_limit_with_the_best_first(tmp_path):
    labels = {f"g{n}": "Strategia " + " ".join(f"sana{i}" for i in range(n)) for n in range(12)}
    index, using = _index_of(tmp_path, labels)
    hits = index.search(query_forms("strategia", using), limit=5)
    assert [h.iri.rsplit("/", 1)[-1] for h in hits] == ["g0", "g1", "g2", "g3", "g4"]
    assert len(index.search(query_forms("strategia", using), limit=500)) == 12


def test_a_text_holds_each_term_once():
    using = analyser()
    found = terms("Etelä-Savon Etelä-Savon palvelut", using)
    assert len(found) == len(set(found)) and "etela" in found and "savo" in found
    assert all(" " not in t and "-" not in t for t in found)


def test_each_index_answers_for_itself_on_one_thread(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one, using = _index_of(tmp_path / "one", {"x": "Rohkeus"})
    two, _ = _index_of(tmp_path / "two", {"y": "Avoimuus"})
    for _ in range(2):  # the thread's connection moves from one index to the other and back
        assert [h.iri for h in one.search(query_forms("rohkeus", using))] == [BASE + "id/goal/x"]
        assert [h.iri for h in two.search(query_forms("avoimuus", using))] == [BASE + "id/goal/y"]
        assert two.search(query_forms("rohkeus", using)) == []


def test_pages_split_the_things_found_and_each_shows_its_texts_marked(client):
    first = client.get("/search.json", query_string={"q": "strategia"}).get_json()
    assert first["pages"] > 1 and first["count"] > 50 and not first["truncated"]
    seen = []
    for page in range(1, first["pages"] + 1):
        answer = client.get("/search.json", query_string={"q": "strategia", "page": page}).get_json()
        assert answer["count"] == first["count"] and answer["page"] == page
        shown = things(answer)
        assert len(shown) == (50 if page < first["pages"] else first["count"] - 50 * (first["pages"] - 1))
        seen += list(shown)
        for g in answer["groups"]:
            for o in g["organisations"]:
                for t in o["things"]:
                    assert t["matches"] and all("<mark>" in m["html"] for m in t["matches"]), t
    assert len(seen) == len(set(seen)) == first["count"]


def test_marks_escape_the_text_around_them():
    using = analyser()
    marked = str(highlighted("<b>Palveluiden</b> & muut", query_forms("palvelut", using), using))
    assert marked == "&lt;b&gt;<mark>Palveluiden</mark>&lt;/b&gt; &amp; muut"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_kind_of_result_is_named_in_the_readers_language(client, lang):
    """Kinds from other vocabularies too (skos:Concept, prov:Activity, prov:Agent showed in English
    on every page): no group heading is the bare end of an IRI."""
    from rdflib import RDFS, URIRef

    from server.web.presenters.resource import external_labels

    kinds = {}
    for q in ("palveluiden", "strategia", "teemaluokitus", "pelastuslaitos"):
        for group in client.get(f"/search.json?q={q}&lang={lang}").get_json()["groups"]:
            kinds[group["kind"]] = group["kindLabel"]
    for kind, label in kinds.items():
        assert label != kind.rsplit("#", 1)[-1], (kind, label)
    concept = next(kind for kind in kinds if kind.endswith("skos/core#Concept"))
    names = {label.language: str(label) for label in external_labels().objects(URIRef(concept), RDFS.label)}
    assert kinds[concept] == names[lang]
