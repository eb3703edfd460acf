"""Search as a reader uses it in Chromium: the box in the header of any page, Finnish word forms
and letters without accents found, results grouped with the matched words marked, and a helpful
answer when nothing matches."""

from __future__ import annotations

import re


def test_search_from_the_header_finds_word_forms_and_marks_them(page, live_server):
    page.goto(live_server + "/page/strategy/etela-karjala-2023-2025")
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill("palveluiden")
    box.press("Enter")
    page.wait_for_url("**/search?q=palveluiden*")
    count = page.locator("#search-count").inner_text()  # "Haulla ”palveluiden” löytyi N kohdetta."
    assert re.search(r"löytyi [1-9]\d* kohdetta", count), count
    marked = [m.lower() for m in page.locator("main mark").all_inner_texts()]
    assert marked and any(m.startswith("palvelu") and m != "palveluiden" for m in marked), marked[:10]
    assert page.locator("section.search-group h2").count() >= 1  # grouped by kind


def test_letters_without_accents_find_the_accented_name(page, live_server):
    page.goto(live_server + "/search?q=etela+savo&lang=en")
    links = page.locator("main ul.hits a").all_inner_texts()
    assert any("Etelä-Savo" in text for text in links), links[:10]
    page.goto(live_server + "/search?q=zzyzx&lang=sv")
    assert page.locator("#no-hits").is_visible()
    assert page.locator("html").get_attribute("lang") == "sv"
