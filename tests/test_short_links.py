"""Short links to a query and its view: made on the query page, followed by anyone, bounded."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from server.store.short_links import ShortLinks, ShortLinksFull

QUERY = "SELECT ?value WHERE { ?v a stv:Value ; skos:prefLabel ?value } LIMIT 5"


def test_a_short_link_leads_back_to_the_query_and_its_view(client):
    made = client.post("/sparql/short", data={"query": QUERY, "view": "BarChart"})
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    href = made.get_json()["href"]
    assert href.startswith("/s/") and len(href) == len("/s/") + 10
    again = client.post("/sparql/short", data={"query": QUERY, "view": "BarChart"}).get_json()["href"]
    assert again == href  # the same query and view: the same link
    other = client.post("/sparql/short", data={"query": QUERY, "view": "Table"}).get_json()["href"]
    assert other != href
    followed = client.get(href)
    assert followed.status_code == 302
    target = urlsplit(followed.headers["Location"])
    assert target.path == "/sparql"
    assert parse_qs(target.query) == {"query": [QUERY], "view": ["BarChart"]}


def test_bad_and_unknown_short_links_are_explained(client):
    assert client.post("/sparql/short", data={"query": "  ", "view": "Table"}).status_code == 400
    assert client.post("/sparql/short", data={"query": QUERY, "view": "Pie"}).status_code == 400
    # A permalink no GET could carry gets no short link (it could not be followed).
    long_query = QUERY + " #" + "ä" * 30_000
    too_long = client.post(
        "/sparql/short", data={"query": long_query, "view": "Table"}, headers={"Accept": "application/json"}
    )
    assert too_long.status_code == 400 and too_long.get_json()["details"]["limit"] < 65_536
    missing = client.get("/s/aaaaaaaaaa?lang=sv", headers={"Accept": "text/html"})
    assert missing.status_code == 404
    assert "Det finns ingen kort länk aaaaaaaaaa" in missing.get_data(as_text=True)
    assert client.get("/s/../../etc", headers={"Accept": "text/html"}).status_code == 404


def test_the_store_is_bounded_and_keeps_what_it_has(tmp_path):
    links = ShortLinks(tmp_path / "links.sqlite", max_links=2)
    first, second = links.save("ASK {}", "Table"), links.save("ASK { ?s ?p ?o }", "Table")
    try:
        links.save("SELECT * {}", "Table")
    except ShortLinksFull as full:
        assert full.status == 503 and full.details == {"limit": 2}
    else:
        raise AssertionError("a third link was kept past the limit of two")
    assert links.save("ASK {}", "Table") == first  # an existing link is still given
    assert links.get(first) == ("ASK {}", "Table") and links.get(second) == ("ASK { ?s ?p ?o }", "Table")
    # A second process (a new store object on the same file) sees them too.
    assert ShortLinks(tmp_path / "links.sqlite").get(first) == ("ASK {}", "Table")
