"""The query page's server side: problems found and placed (before and after running), worded in
the reader's language; labels for the table; a permalink's rows a page at a time without JavaScript."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from bs4 import BeautifulSoup

from server.core.namespaces import COMMON
from server.query.diagnose import lint, syntax_problem

BASE = "https://w3id.org/strategiaverkko/"
STV = BASE + "ontology#"
PREFIXES = {"stv": STV, **COMMON}
VOCABULARY = {STV: frozenset({"Value", "Strategy", "organisation", "order", "partOfPlan"})}
JSON = "application/sparql-results+json"


def parse_error(query: str) -> str:
    """The engine's own message for a query it cannot parse (what the endpoint gets)."""
    with pytest.raises(SyntaxError) as raised:
        ox.Store().query(query, prefixes=PREFIXES)
    return str(raised.value)


@pytest.mark.parametrize(
    "query, code, line, column, culprit, suggestion",
    [
        # The parser reports the end of `foo:bar`; the culprit is the prefix, at its start.
        ("SELECT ?x WHERE {\n  ?x foo:bar ?y }", "unknown_prefix", 2, 6, "foo:", None),
        ("SELECT * { ?s ?p ?o } LIMT 5", "unknown_word", 1, 23, "LIMT", "LIMIT"),
        ("SELEC ?x WHERE { ?x ?y ?z }", "unknown_word", 1, 1, "SELEC", "SELECT"),
        ("SELECT ?x WHERE {\n  ?x ?y \n}", "syntax", 3, 1, "}", None),
        ("SELECT ?x WHERE { ?x ?y ?z ", "unclosed", 1, 17, "{", None),
        ('SELECT ?x WHERE { ?x ?y "abc }', "unclosed", 1, 25, '"', None),
        # Columns count characters, not bytes.
        ('SELECT * { ?s ?p "äöå" . ?s fooo:bar ?o }', "unknown_prefix", 1, 29, "fooo:", None),
        # A bracket of another kind closes first: the one left open is the "(", not the "{".
        ("SELECT ?s WHERE {\n  ?s ?p ?o\n  FILTER(?s = \n}", "unclosed", 3, 9, "(", None),
        # The engine's words for a variable neither grouped nor aggregated; the place is the SELECT.
        ("SELECT ?s (COUNT(?x) AS ?n) WHERE { ?s ?p ?x }", "ungrouped", 1, 1, "SELECT", None),
    ],
)
def test_a_parse_error_is_placed_and_names_its_culprit(query, code, line, column, culprit, suggestion):
    problem = syntax_problem(query, parse_error(query))
    assert problem is not None
    assert (problem.code, problem.line, problem.column, problem.culprit) == (code, line, column, culprit)
    if suggestion:
        assert suggestion in problem.suggestions
    assert "\n" not in problem.english() and len(problem.english()) < 110


def test_lint_finds_names_our_vocabulary_lacks_with_the_nearest_real_ones():
    query = """PREFIX ex: <http://example.org/>
SELECT ?v WHERE {
  ?v a stv:Values ; stv:organisation ?o ; stv:Partofplan ?p ; ex:anything ?x .
  FILTER (?o != "stv:Nope") # stv:Bad in a comment
  ?v skos:prefLabel ?l ; vcard:fn ?n ; dc:title ?t .
}"""
    problems = {p.culprit: p for p in lint(query, PREFIXES, VOCABULARY)}
    assert set(problems) == {"stv:Values", "stv:Partofplan", "vcard:", "dc:"}
    values = problems["stv:Values"]
    assert (values.code, values.severity, values.line, values.column) == ("unknown_term", "warning", 3, 8)
    assert values.suggestions[0] == "stv:Value"
    assert problems["stv:Partofplan"].suggestions[0] == "stv:partOfPlan"  # the same but for case first
    # A prefix nobody declared is an error; a well-known one comes with its namespace.
    assert problems["vcard:"].code == "unknown_prefix" and problems["vcard:"].severity == "error"
    assert problems["vcard:"].extra["namespace"] == "http://www.w3.org/2006/vcard/ns#"
    # A query that declares stv: as something else is not about our vocabulary.
    assert lint("PREFIX stv: <http://example.org/> SELECT * { ?s a stv:Values }", PREFIXES, VOCABULARY) == []


def test_check_words_problems_in_the_readers_language(client):
    query = "SELECT ?v WHERE { ?v a stv:Values } LIMT 3"
    for lang, words in (
        ("fi", ("Rivi 1, sarake 24", "tarkoititko stv:Value", "tuntematon sana LIMT")),
        ("sv", ("Rad 1, kolumn 24", "menade du stv:Value", "okänt ord LIMT")),
        ("en", ("Line 1, column 24", "did you mean stv:Value", "unknown word LIMT")),
    ):
        answer = client.post("/sparql/check", data={"query": query}, query_string={"lang": lang}).get_json()
        text = " | ".join(p["message"] for p in answer["problems"])
        for word in words:
            assert word in text, (lang, text)
    assert client.post("/sparql/check", data={"query": "SELECT * { ?s a stv:Value }"}).get_json()["problems"] == []
    answer = client.post("/sparql/check", data={"query": "#defaultView:BarChart\nSELECT * {}"}).get_json()
    assert answer["defaultView"] == "BarChart"


def test_a_failed_run_carries_its_place_and_the_readers_words(client):
    response = client.post(
        "/sparql",
        data={"query": "SELECT ?x WHERE {\n  ?x foo:bar ?y }"},
        headers={"Accept": JSON},
        query_string={"lang": "sv"},
    )
    assert response.status_code == 400
    error = response.get_json()
    assert error["message"] == "at 2:6: unknown prefix foo:"
    assert (error["details"]["line"], error["details"]["column"], error["details"]["culprit"]) == (2, 6, "foo:")
    assert error["details"]["reader"]["message"] == "Rad 2, kolumn 6: okänt prefix foo:"
    assert "expected one of" in error["details"]["parser"]  # the engine's own words are kept


def test_a_limit_says_which_its_value_and_what_to_try(client):
    response = client.post(
        "/sparql",
        data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "timeout": "0.3"},
        headers={"Accept": JSON},
        query_string={"lang": "en"},
    )
    assert response.status_code == 503
    reader = response.get_json()["details"]["reader"]
    assert reader["message"] == "The query ran longer than 0.3 s (the time limit you asked for) and was stopped."
    assert reader["hint"].startswith("Try: add LIMIT")


def test_labels_for_the_table_are_bounded(client):
    iri = BASE + "id/organisation/etela-savo"
    labels = client.post("/sparql/labels", json=[iri, "https://example.org/none"], query_string={"lang": "fi"})
    assert labels.get_json() == {iri: "Etelä-Savon hyvinvointialue"}
    assert client.post("/sparql/labels", json=["x"] * 2001).status_code == 400
    assert client.post("/sparql/labels", json={"iri": iri}).status_code == 400


def test_a_permalink_shows_its_rows_a_page_at_a_time_with_labels_and_quiet_literals(client):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 250"
    pages = []
    for number in (1, 3):
        html = client.get(
            "/sparql", query_string={"query": query, "page": str(number), "lang": "en"}, headers={"Accept": "text/html"}
        ).get_data(as_text=True)
        pages.append(BeautifulSoup(html, "html.parser"))
    first, last = pages
    assert len(first.select("table.results tbody tr")) == 100 and len(last.select("table.results tbody tr")) == 50
    assert "Rows 1–100 of 250" in first.select_one("nav.pager").get_text()
    assert first.select_one("nav.pager a[rel=next]")["href"].endswith("&page=2")
    # IRIs by label or prefixed name, the IRI in the title, linking to our page.
    link = first.select_one("table.results a[title^='https://w3id.org/strategiaverkko/id/']")
    assert link["href"].startswith("/page/") and not link.get_text().startswith("http")
    assert first.select_one("table.results a[title='http://www.w3.org/1999/02/22-rdf-syntax-ns#type']").get_text() == (
        "rdf:type"
    )
    counts = BeautifulSoup(
        client.get(
            "/sparql",
            query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a stv:Strategy }"},
            headers={"Accept": "text/html"},
        ).get_data(as_text=True),
        "html.parser",
    )
    assert "num" in counts.select_one("table.results td")["class"]  # numbers align right


def test_open_in_sparql_links_reproduce_what_a_page_shows(client):
    """The links other pages give to "open in SPARQL" open the query page with a query that runs."""
    from urllib.parse import parse_qs, urlsplit

    from server.web.presenters.queries import canned_sparql_href, resource_sparql_href, sparql_page_href

    iri = BASE + "id/value/etela-savo-rohkeus"
    href = resource_sparql_href(iri)
    query = parse_qs(urlsplit(href).query)["query"][0]
    assert f"<{iri}>" in query and "VALUES ?resource" in query
    rows = client.get(href, headers={"Accept": JSON}).get_json()["results"]["bindings"]
    labels = [r["value"]["value"] for r in rows if r["property"]["value"].endswith("#prefLabel")]
    assert "ROHKEUS" in labels
    incoming = client.get(
        resource_sparql_href(BASE + "id/organisation/etela-savo", incoming=True), headers={"Accept": JSON}
    ).get_json()["results"]["bindings"]
    assert any(r["subject"]["value"] == BASE + "id/strategy/etela-savo" for r in incoming)
    coverage = canned_sparql_href("30_counties_strategy_coverage")
    assert parse_qs(urlsplit(coverage).query)["view"] == ["BarChart"]
    page = client.get(coverage, headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'option value="BarChart" selected' in page.get_data(as_text=True)
    assert sparql_page_href("ASK {}") == "/sparql?query=ASK%20%7B%7D"
    with pytest.raises(KeyError):
        canned_sparql_href("99_no_such_question")


def test_check_finds_a_syntax_error_before_the_query_runs(client):
    # Nothing our own checks name, but the engine cannot parse it: the check says where, as a run would.
    answer = client.post("/sparql/check", data={"query": "SELECT ?x WHERE {\n  ?x ?p ?o "}, query_string={"lang": "en"})
    problems = answer.get_json()["problems"]
    assert len(problems) == 1 and problems[0]["severity"] == "error"
    assert (problems[0]["line"], problems[0]["column"], problems[0]["culprit"]) == (1, 17, "{"), problems
    assert "never closed" in problems[0]["message"], problems
    # A query that would reach out is not parsed here (the run refuses it, and says why).
    remote = "ASK { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    assert client.post("/sparql/check", data={"query": remote}).get_json()["problems"] == []
    assert client.post("/sparql/check", data={"query": "ASK { ?s ?p ?o }"}).get_json()["problems"] == []


def test_a_permalink_with_a_dataset_asks_it_and_keeps_it(client):
    """default-graph-uri in a permalink: the page gives the count a client gets from the same URL
    (not the union's), says which graphs it asked, and keeps them in its form and downloads."""
    from urllib.parse import parse_qs, urlsplit

    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    graph = BASE + "graph/curated"
    params = {"query": query, "default-graph-uri": graph, "lang": "en"}
    expected = client.get("/sparql", query_string=params, headers={"Accept": JSON}).get_json()
    in_curated = expected["results"]["bindings"][0]["n"]["value"]
    union = client.get("/sparql", query_string={"query": query}, headers={"Accept": JSON}).get_json()
    assert in_curated != union["results"]["bindings"][0]["n"]["value"]  # else the test shows nothing

    page = BeautifulSoup(
        client.get("/sparql", query_string=params, headers={"Accept": "text/html"}).get_data(as_text=True),
        "html.parser",
    )
    assert page.select_one("table.results td").find(string=True).strip() == in_curated  # then its datatype
    note = page.select_one("#dataset-note")
    assert graph in note.get_text() and "only" in note.get_text()
    assert note.select_one('input[type=hidden][name="default-graph-uri"]')["value"] == graph
    for link in [page.select_one("#permalink"), *page.select("p.downloads a")]:
        assert parse_qs(urlsplit(link["href"]).query)["default-graph-uri"] == [graph], link
    csv = client.get(page.select("p.downloads a")[2]["href"]).get_data(as_text=True)
    assert csv.splitlines()[-1].strip() == in_curated
    # The way back to the whole graph drops the dataset.
    assert "default-graph-uri" not in note.select_one("a")["href"]


def test_a_literal_in_the_table_is_marked_as_its_language(client):
    """A Finnish label on an English page is marked lang="fi" for screen readers (WCAG 3.1.2); its
    tag beside it is a separate element (the page's CSS keeps it out of a copied selection)."""
    query = "SELECT ?label WHERE { ?s a stv:Value ; skos:prefLabel ?label } LIMIT 3"
    html = client.get("/sparql", query_string={"query": query, "lang": "en"}, headers={"Accept": "text/html"})
    cells = BeautifulSoup(html.get_data(as_text=True), "html.parser").select("table.results td")
    assert len(cells) == 3
    for cell in cells:
        value, tag = cell.select_one("span[lang]"), cell.select_one("span.lang")
        assert value is not None and tag is not None and value["lang"] == tag.get_text() == "fi"


def test_a_parse_error_keeps_the_keyword_the_parser_expected():
    query = "SELECT ?l WHERE { ?s ?p ?l } ORDER ?l"
    problem = syntax_problem(query, parse_error(query))
    assert problem is not None and problem.expected == ("BY",) and problem.english().endswith("expected BY")
