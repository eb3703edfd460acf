"""/ontology in Chromium: the table of contents and the class tree take a reader to each part and term,
on a desktop and on a phone, and axe-core finds no serious or critical WCAG 2.1 AA violation."""

from __future__ import annotations

import pytest
from accessibility import serious_violations


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as a script: our CSP (script-src 'self') refuses it unless bypassed in tests.
    return {**browser_context_args, "bypass_csp": True}


def in_view(page, selector: str) -> bool:
    return page.locator(selector).evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= -1 && r.top < window.innerHeight / 2; }"
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_contents_links_jump_to_their_parts(page, live_server, width, screenshots):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_server + "/ontology?lang=fi")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    toc = page.locator("nav#contents")
    # The contents are near the top: within the first two screens of a page tens of screens long.
    assert toc.bounding_box()["y"] < 2 * 844 < page.evaluate("document.documentElement.scrollHeight") / 10
    if width == 390:
        page.screenshot(path=str(screenshots / "ontology-phone.png"))
    for name, target in (
        ("Luokkapuu", "#class-tree"),
        ("Versiot, voimassaoloajat ja lähteet", "#versions"),
        ("Luokat (", "#classes"),
        ("Ominaisuudet (", "#properties"),
        ("Käsitteet ja vastinsanastojen termit", "#concepts"),
    ):
        page.goto(live_server + "/ontology?lang=fi")
        toc.get_by_role("link", name=name).first.click()
        page.wait_for_url("**" + target)
        assert in_view(page, target), target
    # A property from the index, by the keyboard.
    page.goto(live_server + "/ontology?lang=fi")
    link = toc.locator("ul.index a", has_text="teema").first
    href = link.get_attribute("href")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**" + href)
    assert in_view(page, href) and page.locator(href + " h3").is_visible()
    # Back to the contents from the end of a part.
    page.locator("p.to-contents a").last.click()
    page.wait_for_url("**#contents")
    assert in_view(page, "#contents")


def test_class_tree_leads_to_each_class(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/ontology?lang=en")
    tree = page.locator("section#class-tree")
    value = tree.locator("li li a[href='#Value']")
    assert value.is_visible()
    # Value sits under strategy element, in a nested list.
    parent = value.evaluate("a => a.closest('ul').closest('li').querySelector('a').getAttribute('href')")
    assert parent == "#StrategyElement"
    value.click()
    page.wait_for_url("**#Value")
    assert in_view(page, "#Value") and "stv:Value" in page.locator("#Value h3").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_accessibility_violations(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(live_server + "/ontology?lang=sv")
    assert response is not None and response.status == 200
    assert serious_violations(page) == []
