"""The query page in Chromium: pick a canned question, run it, see its rows; a broken query shows the error."""
from __future__ import annotations


import requests

from server.queries import canned_queries


def expected_rows(live_server, query: str) -> list[list[str]]:
    answer = requests.post(live_server + "/sparql", data={"query": query},
                           headers={"Accept": "application/sparql-results+json"}, timeout=10).json()
    names = answer["head"]["vars"]
    return [[b.get(v, {}).get("value", "") for v in names] for b in answer["results"]["bindings"]]


def test_pick_a_canned_query_run_it_and_see_its_rows(page, live_server):
    canned = canned_queries()[0]
    page.goto(live_server + "/sparql")
    assert page.locator(".CodeMirror").count() == 1, "the SPARQL editor (CodeMirror) did not load"
    page.get_by_role("link", name=canned.title).click()
    editor_text = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert editor_text.strip() == canned.text.strip()
    page.get_by_role("button", name="Run query").click()
    page.wait_for_selector("table.results")
    rows = page.locator("table.results tbody tr")
    wanted = expected_rows(live_server, canned.text)
    assert rows.count() == len(wanted) > 0
    first = [c.strip() for c in rows.first.locator("td").all_inner_texts()]
    assert [c.split("@")[0].strip() for c in first] == [v.replace("\n", " ").strip() for v in wanted[0]][:len(first)] or \
        all(v.split("\n")[0] in " ".join(first) for v in wanted[0] if v)
    # The permalink reproduces the page; result downloads are offered in every format.
    assert "query=" in page.get_by_role("link", name="Permalink").get_attribute("href")
    for label in ("JSON", "XML", "CSV", "TSV"):
        assert page.get_by_role("link", name=label, exact=True).count() == 1


def test_broken_query_shows_the_parser_message(page, live_server):
    page.goto(live_server + "/sparql")
    page.evaluate("document.querySelector('.CodeMirror').CodeMirror.setValue('SELECT ?x WHERE { ?x ?y }')")
    page.get_by_role("button", name="Run query").click()
    error = page.locator("#results .error")
    error.wait_for()
    text = error.inner_text()
    assert "Malformed query" in text and "1:" in text


def test_results_link_to_linked_data_pages(page, live_server):
    page.goto(live_server + "/sparql?query=" + requests.utils.quote(
        'SELECT ?s WHERE { ?s a <https://w3id.org/strategiaverkko/ontology#Strategy> } ORDER BY ?s'))
    link = page.locator("table.results a").first
    assert link.get_attribute("href") == "/page/strategy/etela-karjala-2023-2025"
    link.click()
    page.wait_for_url("**/page/strategy/etela-karjala-2023-2025")
