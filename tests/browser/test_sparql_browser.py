"""The query page in Chromium, as a researcher uses it: pick a question, run it in place, page,
sort and filter the rows, stop a slow query, see a chart, find an error marked where it is, leave
the editor by keyboard, on a phone, with no serious accessibility violation, and without JavaScript."""

from __future__ import annotations

import re
import time
import urllib.parse

import pytest
import requests
from accessibility import serious_violations

from server.query.canned import canned, canned_queries

JSON = "application/sparql-results+json"
EDITOR = "document.querySelector('.CodeMirror').CodeMirror"
# 250 rows: three pages.
TRIPLES_250 = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 250"
# Numbers to sort: statements per strategy.
COUNTS = """SELECT ?strategy (COUNT(?e) AS ?n) WHERE { ?e stv:partOfPlan ?strategy } GROUP BY ?strategy"""
# Never ends on its own (the endpoint stops it at its time limit).
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def wait_until(page, script: str, arg=None, timeout: float = 15.0) -> None:
    """Poll `script` (a function of `arg`) until it is true. page.wait_for_function would evaluate
    a string inside the page, which our Content-Security-Policy (no 'unsafe-eval') refuses."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        time.sleep(0.05)


def answer(live_server, query: str) -> dict:
    return requests.post(live_server + "/sparql", data={"query": query}, headers={"Accept": JSON}, timeout=30).json()


def set_query(page, text: str) -> None:
    page.evaluate(f"text => {EDITOR}.setValue(text)", text)


def run(page) -> None:
    page.get_by_role("button", name="Suorita kysely").click()  # a Finnish reader (conftest)
    wait_until(page, "() => !document.getElementById('results').classList.contains('running')")


def column_texts(page, column: int) -> list[str]:
    return page.evaluate(
        """c => Array.from(document.querySelectorAll('table.results tbody tr'))
                 .map(tr => tr.children[c].firstChild ? tr.children[c].firstChild.textContent : '')""",
        column,
    )


def test_pick_a_canned_question_run_it_in_place_and_see_its_rows(page, live_server):
    question = canned("01_values_side_by_side")
    assert question is not None
    page.goto(live_server + "/sparql")
    assert page.locator(".CodeMirror").count() == 1, "the SPARQL editor (CodeMirror) did not load"
    page.evaluate("window.notReloaded = true")
    page.get_by_role("link", name=question.titles["fi"]).click()  # the questions speak Finnish here
    assert page.evaluate(f"{EDITOR}.getValue()").strip() == question.text.strip()
    run(page)
    wanted = answer(live_server, question.text)
    rows = page.locator("table.results tbody tr")
    assert rows.count() == min(100, len(wanted["results"]["bindings"])) > 0
    value_column = wanted["head"]["vars"].index("value")
    expected = [b["value"]["value"] for b in wanted["results"]["bindings"][: rows.count()]]
    assert column_texts(page, value_column) == expected
    # The language of a literal is shown apart, quietly; an IRI by its label, the IRI on hover.
    assert page.locator("table.results tbody tr").first.locator("span.lang").count() >= 1
    first_link = page.locator("table.results tbody a[title^='https://w3id.org/strategiaverkko/id/']").first
    assert first_link.get_attribute("href").startswith("/page/")
    assert not first_link.inner_text().startswith("https://")
    # It ran in place (no reload), and the address is now the permalink.
    assert page.evaluate("window.notReloaded") is True
    query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)["query"][0]
    assert query.strip() == question.text.strip()
    for label in ("JSON", "XML", "CSV", "TSV"):
        assert page.get_by_role("link", name=label, exact=True).count() == 1
    csv_link = page.get_by_role("link", name="CSV", exact=True).get_attribute("href")
    assert "bom=1" in csv_link and "download=1" in csv_link
    # The run is in this browser's history, shown after a reload.
    page.reload()
    assert page.locator("#history-list a").first.get_attribute("title").strip() == question.text.strip()


def test_rows_page_sort_and_filter(page, live_server):
    page.goto(live_server + "/sparql")
    set_query(page, TRIPLES_250)
    run(page)
    assert page.locator("table.results tbody tr").count() == 100
    assert "Rivit 1–100/250" in page.locator(".pager").inner_text()
    page.get_by_role("button", name="Seuraava").click()
    assert "Rivit 101–200/250" in page.locator(".pager").inner_text()
    page.get_by_role("button", name="Seuraava").click()
    assert page.locator("table.results tbody tr").count() == 50
    assert page.get_by_role("button", name="Seuraava").is_disabled()

    # Sort by a column of numbers, both ways.
    set_query(page, COUNTS)
    run(page)
    counts = sorted(int(b["n"]["value"]) for b in answer(live_server, COUNTS)["results"]["bindings"])
    page.locator("th button.sort", has_text="n").click()
    assert page.locator("th[aria-sort=ascending]").inner_text().startswith("n")
    assert [int(t) for t in column_texts(page, 1)] == counts[:100]
    page.locator("th button.sort", has_text="n").click()
    assert [int(t) for t in column_texts(page, 1)] == sorted(counts, reverse=True)[:100]
    assert page.locator("td.num").count() > 0  # numbers align right

    # Filter: only rows whose text has the word, and the count says how many.
    set_query(page, TRIPLES_250)
    run(page)
    word = "etela-karjala-2023"  # in IRIs only (labels say "Etelä-Karjalan … 2023–2025")
    rows = answer(live_server, TRIPLES_250)["results"]["bindings"]
    wanted = [b for b in rows if any(word in t["value"] for t in b.values())]
    assert wanted, "the filter test needs rows that match"
    page.get_by_label("Suodata rivejä").fill(word)
    wait_until(page, "n => document.querySelectorAll('table.results tbody tr').length === n", min(len(wanted), 100))
    assert f"{len(wanted)}/250 riviä vastaa" in page.locator(".row-count").inner_text()


def test_stop_aborts_a_running_query(page, live_server):
    page.goto(live_server + "/sparql")
    set_query(page, ENDLESS)
    page.get_by_role("button", name="Suorita kysely").click()
    stop = page.get_by_role("button", name="Pysäytä")
    stop.wait_for()
    assert page.locator("#results").get_attribute("aria-busy") == "true"
    assert page.get_by_role("button", name="Suorita kysely").is_disabled()
    stop.click()
    wait_until(page, "() => document.getElementById('status').textContent.startsWith('Pysäytetty')")
    assert stop.is_hidden() and page.get_by_role("button", name="Suorita kysely").is_enabled()


def test_charts_timeline_and_graph(page, live_server):
    page.goto(live_server + "/sparql")
    # The question's #defaultView:BarChart picks the chart.
    question = canned("30_counties_strategy_coverage")
    assert question is not None and question.default_view == "BarChart"
    page.get_by_role("link", name=question.titles["fi"]).click()
    run(page)
    page.locator(".chart-box canvas").wait_for()
    assert page.locator("#view").input_value() == "BarChart"
    assert "view=BarChart" in page.url
    assert page.evaluate("Chart.getChart(document.querySelector('.chart-box canvas')).data.labels.length") == len(
        answer(live_server, question.text)["results"]["bindings"]
    )
    # The reader picks another view: a line chart, then the table.
    page.locator("#view").select_option("LineChart")
    assert page.evaluate("Chart.getChart(document.querySelector('.chart-box canvas')).config.type") == "line"
    page.locator("#view").select_option("Table")
    page.locator("table.results").wait_for()
    # A timeline of decisions by date.
    decisions = canned("03_decisions_shaping_strategies")
    assert decisions is not None
    page.get_by_role("link", name=decisions.titles["fi"]).click()
    run(page)
    page.locator(".chart-box canvas").wait_for()
    assert page.locator("#view").input_value() == "Timeline"
    # A view that cannot show an answer says why, and shows the table.
    set_query(page, "SELECT ?label WHERE { ?s a stv:Value ; skos:prefLabel ?label } LIMIT 5")
    page.locator("#view").select_option("BarChart")
    run(page)
    assert page.locator(".view-note").inner_text() == "Kaavio tarvitsee numerosarakkeen."
    assert page.locator("table.results").count() == 1
    # A CONSTRUCT answer as a graph.
    set_query(page, "CONSTRUCT WHERE { ?s stv:organisation <id/organisation/etela-savo> ; a ?kind }")
    page.locator("#view").select_option("Graph")
    run(page)
    page.locator(".graph-box canvas").first.wait_for()
    assert re.search(r"\d+ solmua, \d+ kaarta", page.locator("#results").inner_text())


def test_errors_are_marked_where_they_are(page, live_server):
    page.goto(live_server + "/sparql")
    set_query(page, "SELECT ?x WHERE {\n  ?x foo:bar ?y }")
    run(page)
    error = page.locator("#results .error")
    error.wait_for()
    assert "Rivi 2, sarake 6: tuntematon etuliite foo:" in error.inner_text()
    mark = page.locator(".CodeMirror .cm-problem").first
    assert mark.inner_text() == "foo:bar"
    # A name our vocabulary does not have is flagged before the query runs, with the nearest real one.
    set_query(page, "SELECT ?v WHERE { ?v a stv:Values }")
    page.locator("#problems li.warning").wait_for()
    assert "tarkoititko stv:Value" in page.locator("#problems").inner_text()
    assert page.locator(".CodeMirror .cm-problem-warning").inner_text() == "stv:Values"
    # So is a query the parser cannot read: marked where it goes wrong, before any run.
    set_query(page, "SELECT ?x WHERE {\n  ?x ?p ?o ")
    page.locator("#problems li.error").wait_for()
    assert "Rivi 1, sarake 17" in page.locator("#problems").inner_text()
    assert page.locator(".CodeMirror .cm-problem-error").first.inner_text() == "{"
    # A limit says which, its value and what to try.
    set_query(page, ENDLESS)
    page.evaluate("window.sparqlPage.run()")
    wait_until(page, "() => !document.getElementById('results').classList.contains('running')", timeout=40)
    text = page.locator("#results .error").inner_text()
    assert re.search(r"Kysely kesti yli \d+ s \(tämän palvelun aikaraja\)", text) and "Kokeile" in text


def test_esc_then_tab_leaves_the_editor(page, live_server):
    page.goto(live_server + "/sparql")
    page.locator(".CodeMirror").click()
    inside = "document.querySelector('.CodeMirror').contains(document.activeElement)"
    before = page.evaluate(f"{EDITOR}.getValue()")
    page.keyboard.press("Tab")  # Tab alone indents: it stays in the editor
    assert page.evaluate(inside)
    assert page.evaluate(f"{EDITOR}.getValue()") != before
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert not page.evaluate(inside), "Esc then Tab must leave the editor (WCAG 2.1.2)"
    # From the keyboard alone: the run button is reachable and runs the query.
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "run":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "run"
    page.keyboard.press("Enter")
    page.locator("table.results").wait_for()


@pytest.fixture()
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fi-FI", bypass_csp=True)
    yield context.new_page()
    context.close()


def test_the_page_fits_a_phone_and_has_no_serious_accessibility_violation(phone, live_server, screenshots):
    question = canned("01_values_side_by_side")
    assert question is not None
    phone.goto(live_server + "/sparql?" + urllib.parse.urlencode({"query": question.text}))
    phone.locator("table.results").wait_for()
    wait_until(phone, "() => !document.getElementById('results').classList.contains('running')")
    phone.screenshot(path=str(screenshots / "sparql-phone.png"), full_page=False)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 391, "the page scrolls sideways on a phone"
    # The table scrolls in its own box instead.
    assert phone.evaluate("document.querySelector('.table-box').scrollWidth > 390")
    serious = serious_violations(phone)
    assert serious == [], "\n".join(map(str, serious))
    # A chart fits too.
    phone.locator("#view").select_option("BarChart")
    set_query(phone, COUNTS)
    phone.evaluate("window.sparqlPage.run()")
    phone.locator(".chart-box canvas").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 391


def test_without_javascript_a_permalink_shows_its_rows_a_page_at_a_time(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="fi-FI")
    page = context.new_page()
    try:
        page.goto(live_server + "/sparql?" + urllib.parse.urlencode({"query": TRIPLES_250}))
        assert page.locator("table.results tbody tr").count() == 100
        page.get_by_role("link", name="Seuraava").click()
        assert "Rivit 101–200/250" in page.locator(".pager").inner_text()
        # A chart view asked for in the link: the table is there, and a note says why it is a table.
        page.goto(live_server + "/sparql?" + urllib.parse.urlencode({"query": COUNTS, "view": "BarChart"}))
        assert page.locator("table.results").is_visible()
        assert "JavaScript" in page.locator("p.view-needs-script").inner_text()
        # A query with a name that does not exist says so on the server's page too.
        page.goto(live_server + "/sparql?" + urllib.parse.urlencode({"query": "SELECT * { ?v a stv:Values }"}))
        assert "tarkoititko stv:Value" in page.locator("#problems").inner_text()
        # The form runs a query.
        page.locator("#query").fill("ASK { ?s a stv:Strategy }")
        page.get_by_role("button", name="Suorita kysely").click()
        assert page.locator("p.boolean").inner_text() == "true"
    finally:
        context.close()


def test_every_question_is_on_the_page_and_the_filter_finds_them(page, live_server):
    page.goto(live_server + "/sparql")
    assert page.locator("li.question").count() == len(canned_queries())
    page.get_by_label("Suodata kysymyksiä").fill("zzzz")
    assert page.locator("#no-question").is_visible() and page.locator("li.question:visible").count() == 0
    # Words of the title, the note or the description, any case and accents ("paatokset").
    page.get_by_label("Suodata kysymyksiä").fill("paatokset")
    assert page.locator("#no-question").is_hidden()
    assert page.locator("li.question[data-name='03_decisions_shaping_strategies']").is_visible()
    assert 0 < page.locator("li.question:visible").count() < len(canned_queries())


def test_a_short_link_reproduces_the_query_and_its_view(page, live_server):
    page.goto(live_server + "/sparql")
    set_query(page, COUNTS)
    page.select_option("#view", "BarChart")
    page.get_by_role("button", name="Kopioi lyhyt linkki").click()
    wait_until(page, "() => !document.getElementById('short-link').hidden")
    href = page.locator("#short-link").get_attribute("href")
    assert re.fullmatch(re.escape(live_server) + r"/s/[a-z2-7]{10}", href), href
    page.goto(href)
    assert page.evaluate(f"() => {EDITOR}.getValue()") == COUNTS
    assert page.locator("#view").input_value() == "BarChart"


def test_a_permalink_with_a_dataset_keeps_it_when_run_again_in_place(page, live_server):
    """A permalink with default-graph-uri: the script's run, its downloads and its copied link ask
    the same graphs as the server's page did, not the union."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    graph = "https://w3id.org/strategiaverkko/graph/curated"
    in_curated = requests.get(
        live_server + "/sparql",
        params={"query": query, "default-graph-uri": graph},
        headers={"Accept": JSON},
        timeout=30,
    ).json()["results"]["bindings"][0]["n"]["value"]
    page.goto(live_server + "/sparql?" + urllib.parse.urlencode({"query": query, "default-graph-uri": graph}))
    run(page)
    assert column_texts(page, 0) == [in_curated]
    for href in page.eval_on_selector_all("p.downloads a", "links => links.map(a => a.href)"):
        assert urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)["default-graph-uri"] == [graph]
    page.get_by_role("button", name="Kopioi lyhyt linkki").click()
    wait_until(page, "() => !document.getElementById('short-link').hidden")
    copied = page.locator("#short-link").get_attribute("href")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(copied).query)["default-graph-uri"] == [graph]


def test_a_timeline_spans_its_years_and_says_which_rows_it_cannot_draw(page, live_server):
    """Strategies in force as a timeline: the axis covers the periods drawn (it began at year 0,
    every bar a sliver), and rows without a start are counted in a note, not dropped in silence."""
    question = canned("02_strategies_in_force")
    assert question is not None
    rows = answer(live_server, question.text)["results"]["bindings"]
    page.goto(live_server + "/sparql?" + urllib.parse.urlencode({"query": question.text, "view": "Timeline"}))
    page.locator(".chart-box canvas").wait_for()
    low, high, bars = page.evaluate(
        """() => { const c = Chart.getChart(document.querySelector('.chart-box canvas'));
                   return [c.scales.x.min, c.scales.x.max, c.data.datasets[0].data]; }"""
    )
    assert low > 2000 and low == int(min(b[0] for b in bars)) and high >= max(b[1] for b in bars), (low, high, bars)
    assert high - low < 30
    if len(bars) < len(rows):
        assert str(len(rows) - len(bars)) in page.locator(".view-note").inner_text()
