"""Languages that stick: the switch's choice is kept (a cookie, and links that carry ?lang=),
every page and error speaks fi, sv and en, and every cached answer is keyed by the language."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from server.web.i18n import UI

# One URL for every kind of HTML page people meet.
PAGES = [
    "/",
    "/coverage",
    "/compare",
    "/sparql",
    "/ontology",
    "/catalog",
    "/download/",
    "/search?q=strategiat",
    "/page/organisation/etela-savo",
    "/page/strategy/etela-karjala-2023-2025",
    "/page/value/etela-savo-rohkeus",
    "/page/municipality/no-such-municipality",  # an error page (404)
]


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def _with(path: str, lang: str) -> str:
    return path + ("&" if "?" in path else "?") + "lang=" + lang


def test_every_kind_of_page_in_fi_sv_en_and_fi_again(app):
    client = app.test_client()
    for lang in ("fi", "sv", "en", "fi"):
        for path in PAGES:
            response = client.get(_with(path, lang), headers={"Accept": "text/html", "Accept-Language": "de"})
            soup = _soup(response)
            assert soup.html["lang"] == lang, (lang, path)
            if response.status_code == 200:  # and says so to crawlers and caches, as <html lang> does
                assert response.headers["Content-Language"] == lang, (lang, path)
            assert soup.select_one("a.skip-link").get_text() == UI[lang]["skip_to_content"], (lang, path)
            assert soup.select_one("header.site nav a").get_text() == UI[lang]["home"], (lang, path)
        # The choice sticks: the next page, asked without ?lang=, comes in the same language.
        assert _soup(client.get("/coverage", headers={"Accept-Language": "de"})).html["lang"] == lang


def test_the_switch_sets_a_private_cookie_and_links_keep_the_choice(app):
    client = app.test_client()
    response = client.get("/page/organisation/etela-savo?lang=sv", headers={"Accept-Language": "fi"})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=sv;") and "SameSite=Lax" in cookie and "Max-Age=31536000" in cookie
    assert "private" in response.headers["Cache-Control"]  # a shared cache must not hand it on
    soup = _soup(response)
    nav = {a.get_text(): a["href"] for a in soup.select("header.site nav a")}
    assert nav[UI["sv"]["coverage"]] == "/coverage?lang=sv"
    strategy_links = [a["href"] for a in soup.select("section a[href^='/page/strategy/']")]
    assert strategy_links and all(href.endswith("?lang=sv") for href in strategy_links)
    assert soup.select_one("form.site-search input[name=lang]")["value"] == "sv"
    # The language switch itself offers the other two languages of this very page.
    switch = {a.get_text(): a["href"] for a in soup.select("nav.languages a")}
    assert switch == {"suomi": "?lang=fi", "English": "?lang=en"}


def test_language_varying_answers_are_keyed_by_it_and_say_so(app):
    for path in ("/", "/catalog", "/coverage", "/page/organisation/etela-savo"):
        seen = {}
        for lang in ("sv", "fi", "en"):
            response = app.test_client().get(path, headers={"Accept-Language": lang, "Accept": "text/html"})
            vary = {v.strip().lower() for v in response.headers["Vary"].split(",")}
            assert {"accept-language", "cookie"} <= vary, path
            seen[lang] = _soup(response).html["lang"]
        assert seen == {"sv": "sv", "fi": "fi", "en": "en"}, path  # never the first reader's language
        # A cookie outranks Accept-Language, and is not served from the cookieless answer.
        client = app.test_client()
        client.set_cookie("lang", "en")
        answer = client.get(path, headers={"Accept-Language": "fi", "Accept": "text/html"})
        assert _soup(answer).html["lang"] == "en", path


def test_a_bogus_language_cookie_is_ignored(app):
    client = app.test_client()
    client.set_cookie("lang", "xx")
    assert _soup(client.get("/", headers={"Accept-Language": "sv"})).html["lang"] == "sv"


@pytest.mark.parametrize(
    "lang, title, message",
    [
        ("fi", "Ei löytynyt", "Graafissa ei ole mitään resurssista"),
        ("sv", "Hittades inte", "Grafen har ingenting om"),
        ("en", "Not found", "There is nothing about"),
    ],
)
def test_errors_speak_the_readers_language(client, lang, title, message):
    response = client.get("/page/organisation/nowhere?lang=" + lang, headers={"Accept": "text/html"})
    assert response.status_code == 404
    soup = _soup(response)
    assert soup.find("h1").get_text() == title and soup.title.get_text().startswith(title)
    assert message in soup.select_one(".error-message").get_text()
    assert soup.select_one(".error-message").get("lang") is None  # in the page's own language


@pytest.mark.parametrize(
    "asked, expected",
    [
        ({"Accept-Language": "fi"}, "Virheellinen pyyntö: Rivi 1, sarake"),
        ({"Accept-Language": "sv"}, "Felaktig begäran: Rad 1, kolumn"),
        ({}, "Malformed query: at 1:"),  # no language named: English, as tools have always had it
    ],
)
def test_a_plain_text_error_speaks_the_language_the_reader_named(client, asked, expected):
    """curl, R and SPARQLWrapper read errors as plain text: in the language asked for, and every
    error response says it varies by it (a shared cache must not mix them)."""
    response = client.get("/sparql", query_string={"query": "SELECT ?s { ?s a foo:Bar }"}, headers=asked)
    assert response.status_code == 400 and response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert text.startswith(expected) and "foo:" in text, text
    assert "Accept-Language" in response.headers["Vary"]
    as_json = client.get(
        "/sparql", query_string={"query": "SELECT ?s { ?s a foo:Bar }"}, headers={**asked, "Accept": "application/json"}
    )
    assert "Accept-Language" in as_json.headers["Vary"] and "Cookie" in as_json.headers["Vary"]


def test_an_unknown_address_and_a_missing_download_are_explained_in_swedish(client):
    soup = _soup(client.get("/no/such/place?lang=sv", headers={"Accept": "text/html"}))
    assert soup.find("h1").get_text() == "Hittades inte"
    assert "Det finns ingen sida på den här adressen" in soup.select_one(".error-message").get_text()
    soup = _soup(client.get("/download/nothing.ttl?lang=sv", headers={"Accept": "text/html"}))
    assert "Det finns ingen nedladdning som heter nothing.ttl" in soup.select_one(".error-message").get_text()


def test_an_error_without_a_translation_is_marked_as_english(client):
    # The title is always the reader's; a message we have no translation for says it is English.
    response = client.get("/ontology.xyz?lang=fi", headers={"Accept": "text/html"})
    soup = _soup(response)
    assert response.status_code == 404 and soup.html["lang"] == "fi"
    assert soup.find("h1").get_text() == "Ei löytynyt"
    assert soup.select_one(".error-message")["lang"] == "en"


def test_dates_and_numbers_as_each_language_writes_them(client):
    fi = _soup(client.get("/page/strategy/etela-karjala-2023-2025?lang=fi"))
    en = _soup(client.get("/page/strategy/etela-karjala-2023-2025?lang=en"))
    sv = _soup(client.get("/page/strategy/etela-karjala-2023-2025?lang=sv"))
    assert fi.select_one("time[datetime='2023-06-14']").get_text() == "14.6.2023"
    assert en.select_one("time[datetime='2023-06-14']").get_text() == "14 Jun 2023"
    assert sv.select_one("time[datetime='2023-06-14']").get_text() == "14 juni 2023"
    assert en.select_one("time[datetime='2022-12']").get_text() == "December 2022"
    value = _soup(client.get("/page/value/etela-savo-rohkeus?lang=en")).select_one("section.properties").get_text()
    assert "integer" not in value and "4" in value
    home = _soup(client.get("/?lang=en")).select_one("#counts-h").find_next("li").get_text()
    assert re.match(r"\d{1,3}(,\d{3})+ triples", home), home


def test_every_interface_string_exists_in_fi_sv_and_en():
    keys = {lang: set(words) for lang, words in UI.items()}
    assert keys["fi"] == keys["sv"] == keys["en"], {
        lang: sorted(keys["en"] ^ k) for lang, k in keys.items() if k != keys["en"]
    }
    for lang, words in UI.items():
        empty = [key for key, text in words.items() if not str(text).strip()]
        assert not empty, (lang, empty)


def test_the_language_switch_keeps_only_what_the_page_reads(app):
    """A cached page is the first reader's rendering: a parameter no page reads (a tracker's)
    must not reach its links, where every later reader would get it."""
    client = app.test_client()
    soup = _soup(client.get("/compare?utm_source=mail&kind=Value&lang=fi", headers={"Accept": "text/html"}))
    switch = [a["href"] for a in soup.select("a[hreflang]")]
    assert switch and all("kind=Value" in href and "utm_source" not in href for href in switch), switch


@pytest.mark.parametrize("lang, name", [("fi", "Sivusto"), ("sv", "Webbplats"), ("en", "Site")])
def test_the_site_navigation_is_named_in_the_readers_language(client, lang, name):
    soup = _soup(client.get(f"/?lang={lang}", headers={"Accept": "text/html"}))
    assert soup.select_one("header.site nav")["aria-label"] == name


@pytest.mark.parametrize(
    "lang, words",
    [("fi", "1 johdettu tieto toistaa"), ("sv", "1 härledd uppgift upprepar"), ("en", "1 derived statement repeats")],
)
def test_one_is_counted_in_the_singular(client, lang, words):
    """ "1 derived statements repeat …" read wrong in all three languages."""
    soup = _soup(client.get(f"/page/source/pohjois-karjala-strategia?lang={lang}", headers={"Accept": "text/html"}))
    summaries = [s.get_text() for s in soup.select("details summary")]
    assert any(words in text for text in summaries), summaries


# Every kind of page a reader moves between.
PAGES_FOR_LINKS = [
    "/",
    "/coverage",
    "/compare",
    "/search?q=strategia",
    "/sparql",
    "/ontology",
    "/catalog",
    "/download/",
    "/page/organisation/etela-savo",
    "/page/strategy/etela-karjala-2023-2025",
    "/page/value/etela-savo-rohkeus",
    "/page/theme/talous",
    "/page/source/pohjois-karjala-strategia",
]
# Links to files and data, not to pages for people: no language to keep.
NOT_PAGES = re.compile(
    r"^/(download/.+|data/|static/|assets/|\.well-known/)|\.(ttl|nt|rdf|jsonld|xml|json|gz|trig|nq)\b|[?&](format|download)="
)


@pytest.mark.parametrize("path", PAGES_FOR_LINKS)
def test_every_link_to_a_page_keeps_the_language_in_the_url(client, path):
    """With cookies off (or a link passed on), ?lang= is what keeps the reader's language: every
    link from a page opened with it to another page of ours carries it."""
    joiner = "&" if "?" in path else "?"
    soup = _soup(client.get(f"{path}{joiner}lang=sv", headers={"Accept": "text/html"}))
    lost = []
    for a in soup.select("a[href^='/']"):
        href = a["href"]
        if NOT_PAGES.search(href) or href.startswith("//"):
            continue
        if "lang=sv" not in href:
            lost.append(href)
    assert not lost, f"{len(lost)} links from {path} drop ?lang=: {sorted(set(lost))[:12]}"


def test_an_identifier_with_a_language_lands_on_the_page_in_it(client):
    answer = client.get("/id/organisation/etela-savo?lang=sv", headers={"Accept": "text/html"})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/page/organisation/etela-savo?lang=sv")
    plain = client.get("/id/organisation/etela-savo", headers={"Accept": "text/html"})
    assert plain.headers["Location"].endswith("/page/organisation/etela-savo")


@pytest.mark.parametrize("path", ["/coverage", "/search?q=arvot", "/page/organisation/etela-savo"])
def test_each_page_names_its_versions_in_the_other_languages_for_search_engines(client, path):
    soup = _soup(client.get(path, headers={"Accept": "text/html", "Accept-Language": "fi"}))
    versions = {link["hreflang"]: link["href"] for link in soup.select('head link[rel="alternate"][hreflang]')}
    assert set(versions) == {"fi", "sv", "en"}
    for lang, href in versions.items():
        assert href.startswith(path.split("?")[0] + "?")
        assert _soup(client.get(href, headers={"Accept": "text/html"})).html["lang"] == lang
    assert "q=arvot" in versions["sv"] or "q=" not in path  # the page's own parameters are kept
