"""How the query page's results table keeps up with 10,000 rows, in Debian's Chromium.

Serves the current build (`strategiaverkko build` first) on loopback, opens /sparql in headless
Chromium (Playwright with /usr/bin/chromium: never a downloaded browser) and measures:

- run: click "Run", until the first page of the table is in the DOM (fetch, JSON parse, render);
- render: building the table from the parsed answer (SparqlResults.Table), no network;
- sort: a click on a column header (sorting all rows, rendering the first page), text and numbers;
- filter: narrowing all rows to those containing a word, and clearing it again;
- page: moving to another page.

Each is repeated and the median and the slowest are reported, with the DOM size (only one page of
rows is in it). Writes bench/results/query-table.md.

    python bench/query_table.py [--rows 10000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from server.core.settings import load_settings
from server.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
RESULTS = Path(__file__).parent / "results" / "query-table.md"
# Rows of every kind of cell: IRIs, literals with languages and datatypes, numbers (?n).
QUERY = """SELECT ?s ?p ?o ?n WHERE {{
  ?s ?p ?o . BIND (STRLEN(STR(?o)) AS ?n)
}} ORDER BY ?s ?p ?o LIMIT {rows}"""

MEASURE = """async ([rows, repeat]) => {
  const answer = await (await fetch('/sparql', {method: 'POST', body: new URLSearchParams({query: window.benchQuery}),
                                                 headers: {Accept: 'application/sparql-results+json'}})).json();
  const results = SparqlResults.fromJson(answer);
  const data = JSON.parse(document.getElementById('page-data').textContent);
  const names = new SparqlResults.Names(data.prefixes, data.base);
  const opts = {ui: data.ui, names: names, pageRows: 100};
  const times = {render: [], sort_text: [], sort_numbers: [], filter: [], filter_clear: [], page: []};
  let table = null;
  for (let i = 0; i < repeat; i++) {
    const holder = document.createElement('div');
    document.getElementById('results').replaceChildren(holder);
    let t = performance.now();
    table = SparqlResults.Table(holder, results, opts);
    times.render.push(performance.now() - t);
    t = performance.now(); table.sortBy(i % 2 ? 0 : 1); times.sort_text.push(performance.now() - t);
    t = performance.now(); table.sortBy(3); times.sort_numbers.push(performance.now() - t);
    t = performance.now(); table.setFilter('etela-savo'); times.filter.push(performance.now() - t);
    const matching = table.rows();
    t = performance.now(); table.setFilter(''); times.filter_clear.push(performance.now() - t);
    t = performance.now(); table.goTo(37 + i); times.page.push(performance.now() - t);
    times.matching = matching;
  }
  times.rows = results.rows.length;
  times.dom_rows = document.querySelectorAll('table.results tbody tr').length;
  return times;
}"""


def serve(settings):
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request in the output
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, server, f"http://127.0.0.1:{server.server_port}"


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} | {max(values):.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    app, server, url = serve(load_settings({"warm_on_open": False}))
    query = QUERY.format(rows=args.rows)
    runs: list[float] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url + "/sparql")
            page.evaluate("q => { window.benchQuery = q; }", query)
            for _ in range(args.repeat):
                page.evaluate("q => document.querySelector('.CodeMirror').CodeMirror.setValue(q)", query)
                started = time.perf_counter()
                page.locator("#run").click()
                while not page.evaluate(
                    "() => !document.getElementById('results').classList.contains('running')"
                    " && document.querySelectorAll('table.results tbody tr').length > 0"
                ):
                    time.sleep(0.005)
                runs.append((time.perf_counter() - started) * 1000)
            times = page.evaluate(MEASURE, [args.rows, args.repeat])
            version = browser.version
            browser.close()
    finally:
        server.shutdown()
        app.extensions["strategiaverkko.pool"].close()
    lines = [
        "# The query page's table at 10,000 rows",
        "",
        f"`python bench/query_table.py --rows {args.rows} --repeat {args.repeat}` on the current build, "
        f"Chromium {version} headless (Debian's, via Playwright), {time.strftime('%Y-%m-%d')}.",
        f"{times['rows']:,} rows of 4 columns (IRIs, literals with languages and datatypes, numbers); "
        f"{times['dom_rows']} rows in the DOM at a time; the filter 'etela-savo' matched {times['matching']:,} rows.",
        "",
        "| step | median ms | slowest ms |",
        "|---|---:|---:|",
        f"| run: click to the first page shown (fetch, parse, render; the answer cached by the server after the first) "
        f"| {summary(runs)} |",
        f"| render the table from the parsed answer | {summary(times['render'])} |",
        f"| sort by a text column (all rows) | {summary(times['sort_text'])} |",
        f"| sort by a number column (all rows) | {summary(times['sort_numbers'])} |",
        f"| filter all rows by a word | {summary(times['filter'])} |",
        f"| clear the filter | {summary(times['filter_clear'])} |",
        f"| go to another page | {summary(times['page'])} |",
        "",
        "Sorting and filtering run over the whole answer in memory; only the visible page is rendered, so",
        "their cost grows with the rows, and the DOM stays at one page. The filter's first use also folds",
        "every row's text once (kept for later filters).",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
