"""/coverage in Chromium: the table sorts by any column with a click or the keyboard (sortable.js), in the
page language's alphabetical order; without JavaScript it is the same table in code order; it fits a phone,
and axe-core finds no serious or critical WCAG 2.1 AA violation."""

from __future__ import annotations

import pytest
from accessibility import serious_violations

from server.web.formatting import human_date

TABLE = "table.coverage"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as a script: our CSP (script-src 'self') refuses it unless bypassed in tests.
    return {**browser_context_args, "bypass_csp": True}


def column(page, index: int) -> list[str]:
    """The text of column `index` (0-based) of every row that has a cell starting there."""
    return page.evaluate(
        """([table, index]) => [...document.querySelector(table).tBodies[0].rows].map(row => {
             let at = 0;
             for (const cell of row.cells) { if (at === index) return cell.textContent.trim(); at += cell.colSpan; }
             return null;
           }).filter(text => text !== null)""",
        [TABLE, index],
    )


def header(page, index: int):
    return page.locator(f"{TABLE} thead th").nth(index)


def test_click_sorts_names_in_the_page_language(page, live_server):
    page.goto(live_server + "/coverage?lang=fi")
    codes = column(page, 0)
    assert codes == sorted(codes) and len(codes) == 23, "the table starts in code order"
    name = header(page, 1)
    assert name.get_attribute("aria-sort") is None
    name.get_by_role("button").click()
    assert name.get_attribute("aria-sort") == "ascending"
    names = column(page, 1)
    # Finnish order: ä after z, so Päijät-Häme comes after Pohjois-Savo (an English sort would put it before Pirkanmaa).
    assert names.index("Päijät-Hämeen hyvinvointialue") == names.index("Pohjois-Savon hyvinvointialue") + 1
    assert names[0] == "Ahvenanmaa" and names[-1] == "Varsinais-Suomen hyvinvointialue"
    name.get_by_role("button").click()
    assert name.get_attribute("aria-sort") == "descending"
    assert column(page, 1) == names[::-1]

    # Swedish: å, ä, ö after z.
    page.goto(live_server + "/coverage?lang=sv")
    header(page, 1).get_by_role("button").click()
    assert column(page, 1)[-3:] == ["Åland", "Österbottens välfärdsområde", "Östra Nylands välfärdsområde"]
    # English: Å is an A.
    page.goto(live_server + "/coverage?lang=en")
    header(page, 1).get_by_role("button").click()
    names = column(page, 1)
    assert names[0] == "Åland"
    assert names.index("Päijät-Häme wellbeing services county") < names.index("Pirkanmaa wellbeing services county")


def test_keyboard_sorts_numbers_and_dates_with_blanks_last(page, live_server):
    page.goto(live_server + "/coverage?lang=fi")
    sources = header(page, 7)
    sources.get_by_role("button").focus()
    page.keyboard.press("Enter")
    assert sources.get_attribute("aria-sort") == "ascending"
    counts = [int(n) for n in column(page, 7)]
    assert counts == sorted(counts) and counts[0] < counts[-1]
    page.keyboard.press("Space")
    assert sources.get_attribute("aria-sort") == "descending"
    assert [int(n) for n in column(page, 7)] == sorted(counts, reverse=True)
    # Only one column says how it is sorted.
    assert page.locator(f"{TABLE} thead th[aria-sort]").count() == 1

    # Dates are shown as Finns write them and sorted by their ISO value; areas without one come last.
    last = header(page, 6)
    last.get_by_role("button").press("Enter")
    iso = page.locator(f"{TABLE} tbody td.last-source").evaluate_all("cells => cells.map(c => c.dataset.sortValue)")
    dated = [d for d in iso if d]
    assert dated == sorted(dated) and iso[: len(dated)] == dated, iso
    shown = page.locator(f"{TABLE} tbody td.last-source time").first
    day = shown.get_attribute("datetime")
    assert shown.inner_text() == f"{int(day[8:10])}.{int(day[5:7])}.{day[:4]}"
    page.goto(live_server + "/coverage?lang=en")
    dates = page.locator(f"{TABLE} tbody td.decided time").evaluate_all(
        "times => times.map(t => [t.dateTime, t.textContent])"
    )
    assert dates and all(text == human_date(iso, "en") and "-" not in text for iso, text in dates), dates
    rows_without = page.locator(f"{TABLE} tbody tr.no-strategy")
    assert rows_without.count() > 0
    assert page.locator(f"{TABLE} tbody tr").last.get_attribute("class") == "no-strategy"


def test_the_script_sorts_any_sortable_table_by_its_contract(page, live_server):
    """sortable.js on a table of its own: numbers as the page's language writes them, text in its
    alphabetical order, data-sort-value over the text, blanks last, a colspan cell empty, data-sort=none."""
    rows = [
        ("Öljy", "10", "b", "x"),
        ("Äes", "9", "", "y"),
        ("Zeta", "1 234,5", "a", "z"),
        ("Aamu", "−2", "—", "w"),
    ]
    body = "".join(
        f"<tr><td>{a}</td><td>{n}</td><td data-sort-value='{v}'>shown</td><td>{t}</td></tr>" for a, n, v, t in rows
    )
    page.set_content(
        f"""<!doctype html><html lang="fi"><body><table class="sortable"><thead><tr>
        <th>Nimi</th><th>Luku</th><th>Arvo</th><th data-sort="none">Ei</th></tr></thead>
        <tbody>{body}<tr><td colspan="2">Beta</td><td data-sort-value="c">shown</td><td>v</td></tr></tbody></table>
        <script src="{live_server}/static/sortable.js"></script></body></html>"""
    )
    heads = page.locator("th")
    assert heads.nth(3).locator("button").count() == 0
    first = "() => [...document.querySelectorAll('tbody tr')].map(r => r.cells[0].textContent)"
    heads.nth(0).locator("button").click()
    assert page.evaluate(first) == ["Aamu", "Beta", "Zeta", "Äes", "Öljy"]
    heads.nth(1).locator("button").click()  # 1 234,5 is a Finnish number; Beta's first cell spans it: blank
    assert page.evaluate(first) == ["Aamu", "Äes", "Öljy", "Zeta", "Beta"]
    heads.nth(1).locator("button").click()
    assert page.evaluate(first) == ["Zeta", "Öljy", "Äes", "Aamu", "Beta"]
    heads.nth(2).locator("button").click()  # by data-sort-value; "" and "—" are blank, kept in their order
    assert page.evaluate(first) == ["Zeta", "Öljy", "Beta", "Äes", "Aamu"]
    assert [heads.nth(i).get_attribute("aria-sort") for i in range(4)] == [None, None, "ascending", None]


def test_without_javascript_the_table_is_plain(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="fi-FI")
    page = context.new_page()
    page.goto(live_server + "/coverage")
    assert page.locator(f"{TABLE} thead button").count() == 0
    assert page.locator(f"{TABLE} thead th").first.inner_text() == "Koodi"
    assert page.locator(f"{TABLE} tbody tr").count() == 23
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_fits_and_passes_axe(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server + "/coverage")
    assert page.locator(f"{TABLE} thead button").count() == 8
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width == 390:  # the table scrolls in its own box
        box = page.locator("div.table-wrap").first
        assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    header(page, 1).get_by_role("button").click()
    assert serious_violations(page) == []
