"""The research record (research/counties.md, research/areas/*.md) and the data agree:
our summaries are our own words, and every web source is in the record."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from server.core.settings import PROJECT_ROOT, load_settings
from server.pipeline.load import load_sources

BASE = load_settings()["base_iri"]
STV = Namespace(BASE + "ontology#")
SCHEMA_URL = URIRef("https://schema.org/url")
RECORDS = [PROJECT_ROOT / "research" / "counties.md", *sorted((PROJECT_ROOT / "research" / "areas").glob("*.md"))]
RUN = 6  # words in a row that make a summary a near-copy


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def runs(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def record_text() -> str:
    return "\n".join(path.read_text("utf-8") for path in RECORDS if path.exists())


def locating_quotes() -> list[str]:
    """The quoted fragments in the record's tables: what the sources say, word for word."""
    return [q for line in record_text().splitlines() if line.startswith("|") for q in re.findall(r'"([^"]+)"', line)]


@pytest.fixture(scope="module")
def sources():
    return load_sources(PROJECT_ROOT, BASE)


@pytest.fixture(scope="module")
def asserted(sources):
    return sources.data["asserted"]


def test_the_record_has_locating_quotes():
    assert len(locating_quotes()) > 80


def test_no_summary_repeats_six_words_of_a_source(asserted):
    quoted = set().union(*(runs(q) for q in locating_quotes()))
    copies = {
        (str(subject), " ".join(run))
        for subject, summary in asserted.subject_objects(STV.summary)
        for run in runs(str(summary)) & quoted
    }
    assert not copies, "summaries must be in our own words: " + "; ".join(f"{s}: '{r}'" for s, r in sorted(copies))


def test_the_check_finds_a_near_copy():
    quote = "Lapissa eletään hyvää ja turvallista elämää"
    assert runs("Visio: lapissa eletään hyvää ja turvallista elämää yhdessä.") & runs(quote)
    assert not runs("Visio koskee hyvää elämää ja turvallisuutta Lapissa.") & runs(quote)


def test_every_web_source_is_in_the_research_record(asserted):
    text = record_text()
    missing = sorted(str(url) for url in asserted.objects(None, SCHEMA_URL) if str(url) not in text)
    assert not missing, missing


# Languages of sources (dct:language, the EU language table) as language tags.
SOURCE_LANGUAGES = {"FIN": "fi", "SWE": "sv", "ENG": "en"}
# Labels no language owns: a period ("2026–2029") or a web site's name ("lohja.fi").
LANGUAGE_NEUTRAL = re.compile(r"[\d\s–-]+|[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}")


def languages_of_sources(graph, subject) -> set[str] | None:
    """The languages the sources of `subject` are in; None when a source does not say (the
    reference data gives names in three languages and has no one language)."""
    found = set()
    for source in graph.objects(subject, PROV.wasDerivedFrom):
        languages = list(graph.objects(source, DCTERMS.language))
        if not languages:
            return None
        found |= {SOURCE_LANGUAGES[str(language).rsplit("/", 1)[1]] for language in languages}
    return found or None


def test_a_name_no_source_gives_in_a_language_is_marked_as_our_translation(sources):
    """A thing whose sources are all in Swedish has its Finnish name from us: that name is an
    stv:translatedName in graph/translations (pages mark it "translation"), never a label in
    graph/asserted as if a source gave it;
    and every translation has a source in another language to be a translation of."""
    asserted, translations = sources.data["asserted"], sources.data["translations"]
    everything = asserted + translations
    passing_as_source = [
        (str(subject), str(label))
        for subject, label in asserted.subject_objects(SKOS.prefLabel)
        if not LANGUAGE_NEUTRAL.fullmatch(str(label))
        and (languages := languages_of_sources(everything, subject)) is not None
        and label.language not in languages
    ]
    assert not passing_as_source, f"translations stated as source names: {passing_as_source}"
    translated = list(translations.subject_objects(STV.translatedName))
    assert translated
    # A translation is never a label: no list or title can show it as the source's name.
    assert set(translations.subjects(SKOS.prefLabel)) == {URIRef(BASE + "graph/translations")}
    for subject, label in translated:
        languages = languages_of_sources(everything, subject)
        # A translation is from a source in another language (the thing may also have sources
        # in the translation's language that do not give this name).
        assert languages and languages - {label.language}, (subject, label)
    assert (URIRef(BASE + "graph/translations"), STV.statementKind, STV.Translation) in translations


def test_a_page_marks_our_translation_of_a_name_and_titles_it_by_the_sources(client):
    page = client.get("/page/strategy/ita-uusimaa-2022-2026?lang=fi")
    assert page.status_code == 200
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    assert soup.h1.get_text(" ", strip=True).startswith("Östra Nylands välfärdsområdesstrategi för åren 2022–2026")
    translated = soup.find(string=lambda text: text and "Itä-Uudenmaan hyvinvointialuestrategia" in text)
    assert translated is not None
    value = translated.find_parent("dd")
    # The badge is on the value, or on its property when all the property's values are translations.
    assert value.select_one(".badge.translation") or value.find_previous_sibling("dt").select_one(".badge.translation")
    # A list of the county's plans names it as the source does, too.
    county = client.get("/page/organisation/ita-uusimaa?lang=fi").get_data(as_text=True)
    assert "Östra Nylands välfärdsområdesstrategi" in county
    assert "Itä-Uudenmaan hyvinvointialuestrategia" not in county


def test_the_translations_graph_iri_says_what_it_holds(client):
    page = client.get("/graph/translations", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert page.status_code == 200 and "Translations" in page.get_data(as_text=True)
    data = client.get("/graph/translations", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=data.data, format="turtle")
    assert (URIRef(BASE + "graph/translations"), STV.statementKind, STV.Translation) in g


def test_search_finds_a_thing_by_our_translation_and_marks_it(client):
    page = client.get(
        "/search", query_string={"q": "Itä-Uudenmaan hyvinvointialuestrategia"}, headers={"Accept-Language": "fi"}
    )
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    hit = soup.select_one("a[href^='/page/strategy/ita-uusimaa-2022-2026']")
    assert hit is not None and hit.get("lang") == "sv" and hit.get_text().startswith("Östra Nylands")
    match = hit.find_parent("li").select_one(".match")
    assert "Itä-Uudenmaan" in match.get_text() and match.select_one(".badge.translation") is not None


def test_a_finding_points_at_the_file_that_states_the_thing_not_at_its_translation(sources):
    for thing, file in (
        ("id/strategy/vantaa-kerava-2023-2025", "vantaa-kerava.ttl"),
        ("id/strategy/ita-uusimaa-2022-2026", "ita-uusimaa.ttl"),
    ):
        assert sources.subject_lines[BASE + thing][0].endswith("/data/" + file), thing


def test_an_organisations_strategies_are_listed_oldest_first_whatever_language_names_them(client):
    """Länsi-Uusimaa's first strategy is named in Swedish, its successor in Finnish: the list goes by
    which replaces which, not by the alphabet of two languages."""
    soup = BeautifulSoup(client.get("/page/organisation/lansi-uusimaa?lang=fi").data, "html.parser")
    hrefs = [a["href"].split("?")[0] for a in soup.select("a[href^='/page/strategy/lansi-uusimaa-']")]
    order = list(dict.fromkeys(hrefs))
    assert order.index("/page/strategy/lansi-uusimaa-2022") < order.index("/page/strategy/lansi-uusimaa-2026-2029"), (
        order
    )
