"""A researcher in Chromium on /compare: sees the themes by organisation, narrows them to values,
follows a cell to the statement, compares two counties, switches the language; screenshots for review."""

from __future__ import annotations

BASE = "https://w3id.org/strategiaverkko/"


def test_compare_matrix_filter_and_follow_a_cell(page, live_server, screenshots):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/")
    page.locator("header nav a[href='/compare']").click()
    page.wait_for_url("**/compare")
    assert page.locator("h1").inner_text() == "Organisaatiot rinnakkain strategisten teemojen mukaan"
    assert page.locator("figure.heatmap svg").is_visible()
    assert page.locator("table.matrix tbody tr").count() >= 11
    # Etelä-Savo's safety statements, in the matrix and as a number in the heat map.
    cell = page.locator("#c-turvallisuus-etela-savo")
    assert cell.locator("a", has_text="TURVALLISUUS").is_visible()
    assert page.locator("figure.heatmap a[href='#c-turvallisuus-etela-savo']").get_attribute(
        "data-count"
    ) == cell.get_attribute("data-count")
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
    assert width <= 390 + 1, "the page scrolls sideways on a phone (the table and the heat map scroll in their boxes)"
