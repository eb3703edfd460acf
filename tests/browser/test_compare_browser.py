"""A researcher in Chromium on /compare: sees the themes by organisation, narrows them to values,
follows a cell to the statement, compares two counties, switches the language; screenshots for review."""

from __future__ import annotations

import pytest
from accessibility import serious_violations

BASE = "https://w3id.org/strategiaverkko/"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as a script: our CSP (script-src 'self') refuses it unless bypassed in tests.
    return {**browser_context_args, "bypass_csp": True}


def test_compare_matrix_filter_and_follow_a_cell(page, live_server, screenshots):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/")
    page.locator("header nav a[href='/compare']").click()
    page.wait_for_url("**/compare")
    assert page.locator("h1").inner_text() == "Organisaatiot rinnakkain strategisten teemojen mukaan"
    assert page.locator("table.heat").is_visible()
    assert page.locator("table.matrix tbody tr").count() >= 11
    # Etelä-Savo's safety statements, in the matrix and as a number in the heat map.
    cell = page.locator("#c-turvallisuus-etela-savo")
    assert cell.locator("a", has_text="TURVALLISUUS").is_visible()
    heat = page.locator("table.heat a[href='#c-turvallisuus-etela-savo']")
    assert heat.inner_text() == cell.get_attribute("data-count") != "0"
    page.screenshot(path=str(screenshots / "compare.png"), full_page=True)

    # Only values: tick the box and show.
    page.get_by_label("arvo", exact=True).check()
    page.get_by_role("button", name="Näytä").click()
    page.wait_for_url("**/compare?kind=Value")
    kinds = page.locator("table.matrix li[data-kind]")
    assert kinds.count() > 0
    assert set(kinds.evaluate_all("items => items.map(i => i.dataset.kind)")) == {"Value"}
    assert page.get_by_label("arvo", exact=True).is_checked()
    assert page.locator("#c-turvallisuus-etela-karjala a", has_text="Mie turvaan.").is_visible()

    # Follow a cell's statement to its page.
    page.locator("#c-uudistuminen-etela-savo a", has_text="ROHKEUS").click()
    page.wait_for_url("**/page/value/etela-savo-rohkeus")
    assert page.locator("h1").inner_text() == "ROHKEUS"
    # The statement's page shows the theme link, marked as a curated judgement.
    assert page.locator("section.properties a[href='/page/theme/uudistuminen']").is_visible()
    assert page.locator("section.properties .badge.curated").first.is_visible()


def test_compare_two_counties_and_switch_language(page, live_server):
    page.goto(live_server + "/compare")
    shared = page.locator("section#shared")
    assert shared.locator("select[name=a]").input_value() == "etela-karjala"
    assert shared.locator("select[name=b]").input_value() == "etela-savo"
    rows = shared.locator("table.shared tbody tr")
    themes = rows.evaluate_all("rows => rows.map(r => r.dataset.theme)")
    assert BASE + "id/theme/turvallisuus" in themes and BASE + "id/theme/digitaaliset-palvelut" not in themes
    safety = shared.locator(f"tr[data-theme='{BASE}id/theme/turvallisuus']")
    assert safety.locator(
        f"td[data-organisation='{BASE}id/organisation/etela-karjala'] a", has_text="Mie turvaan."
    ).is_visible()
    assert safety.locator(
        f"td[data-organisation='{BASE}id/organisation/etela-savo'] a", has_text="TURVALLISUUS"
    ).is_visible()

    # In English, with the filter kept across the switch.
    page.goto(live_server + "/compare?kind=Value")
    page.locator("nav.languages a", has_text="English").click()
    page.wait_for_url("**/compare?kind=Value&lang=en")
    assert page.locator("h1").inner_text() == "Organisations side by side by strategic theme"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("table.matrix tbody th", has_text="Safety and security").is_visible()
    assert page.get_by_label("value", exact=True).is_checked()


def test_compare_page_fits_a_phone(page, live_server, screenshots):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/compare")
    page.screenshot(path=str(screenshots / "compare-phone.png"), full_page=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone (the table and the heat map scroll in their boxes)"
    # The heat map and the matrix scroll in boxes of their own, within the phone's width.
    for box in ("div.heat-wrap", "div.matrix-wrap"):
        sizes = page.locator(box).evaluate("b => [b.getBoundingClientRect().right, b.scrollWidth, b.clientWidth]")
        assert sizes[0] <= 390 and sizes[1] > sizes[2], (box, sizes)
    # Readable type in the heat map: its numbers, theme names and organisation names at 12 px or more.
    sizes = page.evaluate(
        """() => ['table.heat td a', 'table.heat tbody th', 'table.heat thead th .vertical']
             .map(s => [s, Math.min(...[...document.querySelectorAll(s)]
                 .map(e => parseFloat(getComputedStyle(e).fontSize)))])"""
    )
    assert all(size >= 12 for _, size in sizes), sizes
    page.locator("section.heatmap").screenshot(path=str(screenshots / "compare-heatmap-phone.png"))


def test_legend_explains_the_shades(page, live_server):
    page.goto(live_server + "/compare?lang=en")
    legend = page.locator("#heat-legend")
    assert legend.is_visible() and "the darker the cell, the more" in legend.inner_text()
    items = legend.locator("ul.heat-scale li")
    assert " ".join(items.first.inner_text().split()) == "· none"
    # Each shade in the legend is the colour of the heat map's cells of that shade.
    for i in range(items.count()):
        swatch = items.nth(i).locator(".swatch")
        shade = swatch.get_attribute("class").split()[1]
        cells = page.locator(f"table.heat td.{shade}")
        assert cells.count() > 0, shade
        colour = "b => getComputedStyle(b).backgroundColor"
        assert swatch.evaluate(colour) == cells.first.evaluate(colour)
    # The largest number has the darkest shade; a shade's range holds the numbers of its cells.
    for i in range(1, items.count()):
        text = "".join(items.nth(i).inner_text().split())
        low, _, high = text.partition("–")
        shade = items.nth(i).locator(".swatch").get_attribute("class").split()[1]
        numbers = page.locator(f"table.heat td.{shade}").evaluate_all("cs => cs.map(c => +c.dataset.count)")
        assert all(int(low) <= n <= int(high or low) for n in numbers), (text, numbers)


def test_choose_organisations_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="fi-FI")
    page = context.new_page()
    page.goto(live_server + "/compare?kind=Value")
    all_columns = page.locator("table.heat thead th[data-organisation]").count()
    assert all_columns > 2
    page.locator("details.org-choice summary").click()
    page.get_by_label("Etelä-Savon hyvinvointialue", exact=True).check()
    page.get_by_label("Pirkanmaan hyvinvointialue", exact=True).check()
    page.get_by_role("button", name="Näytä").click()
    page.wait_for_url("**/compare?kind=Value&org=etela-savo&org=pirkanmaa")
    heads = page.locator("table.matrix thead th[data-organisation]")
    assert heads.evaluate_all("hs => hs.map(h => h.dataset.organisation.split('/').pop())") == [
        "etela-savo",
        "pirkanmaa",
    ]
    assert page.locator("table.heat thead th[data-organisation]").count() == 2
    assert set(page.locator("table.matrix li[data-kind]").evaluate_all("ls => ls.map(l => l.dataset.kind)")) == {
        "Value"
    }
    assert "2/" in page.locator("details.org-choice summary").inner_text()
    # The pair below defaults to the chosen two.
    assert page.locator("section#shared select[name=a]").input_value() == "etela-savo"
    assert page.locator("section#shared select[name=b]").input_value() == "pirkanmaa"
    # Without JavaScript the skip link leads past the heat map.
    page.locator("a.skip-heatmap").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**#matrix-h")  # following a fragment link lands a moment after the key press
    context.close()


def test_headers_stay_in_view(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server + "/compare")
    for table in ("table.matrix", "table.heat"):
        styles = page.evaluate(
            """t => ({head: getComputedStyle(document.querySelector(t + ' thead th:nth-child(2)')).position,
                      row: getComputedStyle(document.querySelector(t + ' tbody th[scope=row]')).position,
                      corner: getComputedStyle(document.querySelector(t + ' thead th')).position})""",
            table,
        )
        assert styles == {"head": "sticky", "row": "sticky", "corner": "sticky"}, (table, styles)
    # Scrolled down and right inside its box, the matrix still shows its header row and theme column.
    box = page.locator("div.matrix-wrap")
    box.evaluate("b => { b.scrollTop = 1500; b.scrollLeft = 800; }")
    top = box.evaluate("b => b.getBoundingClientRect().top")
    left = box.evaluate("b => b.getBoundingClientRect().left")
    head = page.locator("table.matrix thead th").nth(3).bounding_box()
    theme = page.locator("table.matrix tbody th[scope=row]").nth(5).bounding_box()
    assert abs(head["y"] - top) <= 2 and abs(theme["x"] - left) <= 2, (head, theme, top, left)


def test_heat_map_is_one_tab_stop_with_arrow_keys(page, live_server):
    page.goto(live_server + "/compare")
    links = page.locator("table.heat td a").count()
    assert links > 50
    assert page.locator(".heat-keys").is_visible()
    page.locator("a.skip-heatmap").focus()
    stops = []
    for _ in range(10):
        page.keyboard.press("Tab")
        inside = page.evaluate("!!document.activeElement.closest('section.heatmap')")
        if not inside:
            break
        stops.append(page.evaluate("document.activeElement.getAttribute('href')"))
    assert len(stops) == 1, stops  # one tab stop in the heat map (it had one a cell before: 380)
    first = page.locator("table.heat td a").first
    assert stops[0] == first.get_attribute("href")
    # Arrow keys move between the numbers, skipping cells without statements.
    page.locator("a.skip-heatmap").focus()
    page.keyboard.press("Tab")
    row = first.evaluate("a => a.closest('tr').dataset.theme")
    page.keyboard.press("ArrowRight")
    right = page.evaluate(
        "() => [document.activeElement.closest('tr').dataset.theme, document.activeElement.getAttribute('href')]"
    )
    assert right[0] == row and right[1] != stops[0]
    page.keyboard.press("ArrowDown")
    down = page.evaluate(
        "() => [document.activeElement.closest('td').dataset.organisation,"
        " document.activeElement.closest('tr').dataset.theme]"
    )
    column = page.locator(f"table.heat a[href='{right[1]}']").evaluate("a => a.closest('td').dataset.organisation")
    assert down[0] == column and down[1] != row
    page.keyboard.press("End")
    end = page.evaluate("document.activeElement.getAttribute('href')")
    last_in_row = page.evaluate(
        "() => [...document.activeElement.closest('tr').querySelectorAll('a')].pop().getAttribute('href')"
    )
    assert end == last_in_row
    # Tab leaves the heat map at once; Shift+Tab comes back to the number last visited.
    page.keyboard.press("Tab")
    assert not page.evaluate("!!document.activeElement.closest('section.heatmap')")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == end
    # Enter opens the cell's statements in the table below.
    page.keyboard.press("Enter")
    # The URL changes on the browser's next navigation event, not when the key press returns.
    page.wait_for_url(lambda url: url.endswith(end), timeout=5000)
    assert page.locator(end).evaluate("td => td.matches(':target')")


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", ["/compare", "/compare?lang=sv&org=etela-savo&org=helsinki&kind=Value"])
def test_no_serious_accessibility_violations(page, live_server, width, path):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(live_server + path)
    assert response is not None and response.status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("details.org-choice summary").click()  # the choice of organisations open too
    assert serious_violations(page) == []
