"""Every kind of page, as a phone and a desktop browser meet it: no sideways scrolling at 390 px,
no serious or critical WCAG 2.1 AA violation by axe-core, a skip link for the keyboard, and a
language choice that survives the next click."""

from __future__ import annotations

import pytest
from accessibility import serious_violations

# One URL for every kind of page people meet.
PAGES = [
    "/",
    "/coverage",
    "/compare",
    "/sparql",
    "/sparql?query=SELECT%20%3Fs%20%3Fp%20%3Fo%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%2030",
    "/ontology",
    "/catalog",
    "/download/",
    "/search?q=strategiat",
    "/search?q=zzyzx",
    "/page/organisation/etela-karjala",
    "/page/strategy/etela-karjala-2023-2025",
    "/page/value/etela-savo-rohkeus",
    "/page/decision/pohjanmaa-aluehallitus-2022-08-29-strategia",  # a title of labels in three languages
    "/page/municipality/nowhere",  # the error page
]


@pytest.fixture(scope="module")
def axe_context(browser):
    # The pages' Content-Security-Policy refuses an injected script, as it should; the test
    # lifts it for axe alone.
    context = browser.new_context(bypass_csp=True, locale="fi-FI")
    yield context
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_every_kind_of_page_passes_axe_and_fits(axe_context, live_server, width):
    page = axe_context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    for path in PAGES:
        page.goto(live_server + path)
        for rule, impact, targets in serious_violations(page):
            problems.append(f"{path} at {width} px: {rule} ({impact}) {targets}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width + 1:
            problems.append(f"{path} at {width} px scrolls sideways: {scroll_width} px wide")
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('main *')]
                 .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
                 .map(e => parseFloat(getComputedStyle(e).fontSize)))"""
        )
        if smallest < 12:
            problems.append(f"{path} at {width} px has text of {smallest} px")
    page.close()
    assert not problems, "\n".join(problems)


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(page, live_server):
    page.goto(live_server + "/page/strategy/etela-karjala-2023-2025")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link" and page.locator("a.skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    page.keyboard.press("Tab")  # the next stop is inside the page's content, past the header
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_focus_is_visible_on_links(page, live_server):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the brand link in the header
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), outline


def test_the_language_choice_survives_clicks_fi_sv_en_fi(page, live_server):
    page.goto(live_server + "/page/organisation/etela-karjala")
    assert page.locator("html").get_attribute("lang") == "fi"
    for lang, name, heading in [
        ("sv", "svenska", "Södra Karelens välfärdsområde"),
        ("en", "English", "South Karelia wellbeing services county"),
        ("fi", "suomi", "Etelä-Karjalan hyvinvointialue"),
    ]:
        page.locator("nav.languages a", has_text=name).click()
        assert page.locator("h1").inner_text() == heading
        # Follow links: the strategy, then home through the header, then the county again.
        page.locator("div.organisation section a[href^='/page/strategy/']").first.click()
        assert page.locator("html").get_attribute("lang") == lang
        page.locator("header.site nav a").first.click()
        assert page.locator("html").get_attribute("lang") == lang
        page.goto(live_server + "/page/organisation/etela-karjala")  # typed in: the cookie remembers
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").inner_text() == heading


def test_verbatim_finnish_is_marked_on_english_pages(page, live_server):
    page.goto(live_server + "/page/strategy/etela-karjala-2023-2025?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    for text in ("Mie turvaan.", "Henkilöstöön panostaminen"):
        owner = page.locator("main li", has_text=text).first
        assert owner.get_attribute("lang") == "fi", text


def test_the_home_table_sorts_by_keyboard(page, live_server):
    page.goto(live_server + "/?lang=fi")
    rows = page.locator("table.organisations tbody tr")
    first_codes = [rows.nth(i).locator("td").first.inner_text() for i in range(3)]
    assert first_codes == sorted(first_codes, key=int)
    header = page.locator("table.organisations thead th").nth(1)
    header.locator("button").focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    names = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())]
    assert names[0] == "Ahvenanmaa" and names[-1].startswith("Varsinais-Suomen")
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    assert [rows.nth(i).locator("td").nth(1).inner_text() for i in range(rows.count())] == names[::-1]


# Pages a reviewer found scrolling sideways at 390 px: a title of one long word (a path, or
# "Välfärdsområdesfullmäktige") pushed the page wider than the phone.
LONG_WORDS = [
    "/page/membership/uusikaarlepyy-pohjanmaa",
    "/page/source/ita-uusimaa-fullmaktige-1-november",
    "/page/source/lansi-uusimaa-aldreradet-2025-09-04-6",
    "/page/source/keski-suomi-tiedote-2025-09-09",
]


def test_the_longest_named_pages_of_every_kind_fit_a_phone(page, live_server):
    """Every kind of resource page, its three longest addresses (long names make long titles) and
    the pages that once did not fit: none scrolls sideways at 390 px."""
    import re
    from collections import defaultdict

    import requests

    sitemap = requests.get(live_server + "/sitemap.xml", timeout=30).text
    by_kind = defaultdict(list)
    for path in re.findall(r"<loc>[^<]*?(/page/[^<]+)</loc>", sitemap):
        by_kind[path.split("/")[2]].append(path)
    paths = LONG_WORDS + [p for kind in sorted(by_kind) for p in sorted(by_kind[kind], key=len)[-3:]]
    page.set_viewport_size({"width": 390, "height": 844})
    too_wide = []
    for path in dict.fromkeys(paths):
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 391:
            too_wide.append(f"{path}: {width} px")
    assert len(by_kind) >= 20  # every kind of page was there to try
    assert not too_wide, "\n".join(too_wide)
