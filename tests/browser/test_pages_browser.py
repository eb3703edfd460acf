"""A person in Chromium: follow links from the home page to a county, its strategy, a value and back;
switch the language; a screenshot of a strategy page is saved for review (test-results/)."""

from __future__ import annotations


def test_follow_links_home_county_strategy_value_and_back(page, live_server, screenshots):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Etelä-Savon hyvinvointialue", exact=True).click()
    page.wait_for_url("**/page/organisation/etela-savo")
    assert page.locator("h1").inner_text() == "Etelä-Savon hyvinvointialue"
    page.locator("section a[href='/page/strategy/etela-savo']").first.click()
    page.wait_for_url("**/page/strategy/etela-savo")
    assert page.locator("section.values li strong").all_inner_texts() == [
        "YHDENVERTAISUUS",
        "VAIKUTTAVUUS",
        "ASIAKASLÄHTÖISYYS",
        "ROHKEUS",
        "TURVALLISUUS",
    ]
    page.locator("section.values a", has_text="ROHKEUS").click()
    page.wait_for_url("**/page/value/etela-savo-rohkeus")
    assert page.locator("h1").inner_text() == "ROHKEUS"
    assert "Uudistumme luovasti ja ennakkoluulottomasti." in page.locator("section.properties").inner_text()
    page.go_back()
    page.wait_for_url("**/page/strategy/etela-savo")
    page.get_by_role("link", name="Etusivu").first.click()
    page.wait_for_url(live_server + "/")
    assert page.locator("table.organisations tbody tr").count() == 23


def test_language_switch(page, live_server):
    page.goto(live_server + "/page/organisation/etela-karjala")
    assert page.locator("h1").inner_text() == "Etelä-Karjalan hyvinvointialue"
    page.locator("nav.languages a", has_text="svenska").click()
    assert page.locator("h1").inner_text() == "Södra Karelens välfärdsområde"
    assert page.locator("html").get_attribute("lang") == "sv"
    page.locator("nav.languages a", has_text="English").click()
    assert page.locator("h1").inner_text() == "South Karelia wellbeing services county"


def test_strategy_page_screenshot(page, live_server, screenshots):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/page/strategy/etela-karjala-2023-2025")
    assert page.locator("figure.diagram svg").is_visible()
    page.screenshot(path=str(screenshots / "strategy-etela-karjala.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.screenshot(path=str(screenshots / "strategy-etela-karjala-phone.png"), full_page=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, "the page scrolls sideways on a phone"
