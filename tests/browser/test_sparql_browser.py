"""The query page in Chromium: pick a canned question, run it, see its rows; a broken query shows the error."""

from __future__ import annotations

import requests

from server.query.canned import canned_queries


def expected_rows(live_server, query: str) -> list[list[str]]:
    answer = requests.post(
        live_server + "/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=10,
    ).json()
    names = answer["head"]["vars"]
    return [[b.get(v, {}).get("value", "") for v in names] for b in answer["results"]["bindings"]]


def answer_vars(live_server, query: str) -> list[str]:
    return requests.post(
        live_server + "/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=10,
    ).json()["head"]["vars"]


def test_pick_a_canned_query_run_it_and_see_its_rows(page, live_server):
    canned = next(q for q in canned_queries() if q.name == "01_values_side_by_side")
    page.goto(live_server + "/sparql")
    assert page.locator(".CodeMirror").count() == 1, "the SPARQL editor (CodeMirror) did not load"
    page.get_by_role("link", name=canned.title).click()
    editor_text = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert editor_text.strip() == canned.text.strip()
    page.get_by_role("button", name="Suorita kysely").click()  # a Finnish reader (conftest)
    page.wait_for_selector("table.results")
    rows = page.locator("table.results tbody tr")
    wanted = expected_rows(live_server, canned.text)
    assert rows.count() == len(wanted) > 0
    # Each row shows its value's name, in the endpoint's order.
    value_column = answer_vars(live_server, canned.text).index("value")
    shown = [rows.nth(i).locator("td").nth(value_column).inner_text() for i in range(rows.count())]
    assert [cell.split("@")[0].strip() for cell in shown] == [row[value_column] for row in wanted]
    # The permalink reproduces the page; result downloads are offered in every format.
    assert "query=" in page.get_by_role("link", name="Pysyvä linkki").get_attribute("href")
    for label in ("JSON", "XML", "CSV", "TSV"):
        assert page.get_by_role("link", name=label, exact=True).count() == 1


def test_broken_query_shows_the_parser_message(page, live_server):
    page.goto(live_server + "/sparql")
    page.evaluate("document.querySelector('.CodeMirror').CodeMirror.setValue('SELECT ?x WHERE { ?x ?y }')")
    page.get_by_role("button", name="Suorita kysely").click()  # a Finnish reader (conftest)
    error = page.locator("#results .error")
    error.wait_for()
    text = error.inner_text()
    assert "Malformed query" in text and "1:" in text


def test_results_link_to_linked_data_pages(page, live_server):
    page.goto(
        live_server
        + "/sparql?query="
        + requests.utils.quote(
            "SELECT ?s WHERE { ?s a <https://w3id.org/strategiaverkko/ontology#Strategy> } ORDER BY ?s"
        )
    )
    link = page.locator("table.results a").first
    assert link.get_attribute("href") == "/page/strategy/etela-karjala-2023-2025"
    link.click()
    page.wait_for_url("**/page/strategy/etela-karjala-2023-2025")
