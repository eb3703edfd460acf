"""Pages people can read: no search words or raw paths among the facts, derived repeats shown
once and explained in words, the way up and along (breadcrumbs, previous/next), and the same
theme in other counties."""

from __future__ import annotations

from bs4 import BeautifulSoup

from server.web.app import create_app
from server.web.presenters import plans


def _soup(client, path: str) -> BeautifulSoup:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    return BeautifulSoup(response.data, "html.parser")


def test_search_base_forms_and_raw_paths_stay_off_the_page(client):
    strategy = _soup(client, "/page/strategy/etela-karjala-2023-2025?lang=fi")
    labels = [dt.get_text(strip=True) for dt in strategy.select("dl dt")]
    assert "perusmuoto" not in labels  # stv:baseForm is for SPARQL, not for reading
    org = _soup(client, "/page/organisation/etela-karjala?lang=en")
    for soup in (strategy, org):
        text = soup.select_one("main").get_text()
        assert "id/membership/" not in text and "id/recording/" not in text
    # A membership is named by its municipality and years; a recording by its aspect and status.
    imatra = next(dd for dd in org.select("dd") if " ".join(dd.get_text().split()).startswith("Imatra · 2023, 2024"))
    # On an English page, the Finnish name in it says it is Finnish (WCAG 3.1.2); the years are the page's.
    assert imatra.find(lang="fi").get_text() == "Imatra"
    assert "visio · kirjattu" in [dd.get_text(strip=True) for dd in strategy.select("section.inferred dd")]


def test_each_group_has_its_own_name(client):
    org = _soup(client, "/page/organisation/etela-karjala?lang=fi")
    for dl in org.select("main dl"):
        names = [dt.get_text(strip=True) for dt in dl.find_all("dt")]
        assert len(names) == len(set(names)), names


def test_derived_repeats_are_shown_once_and_explained(client):
    soup = _soup(client, "/page/value/etela-savo-rohkeus?lang=en")
    strategy_links = [a for a in soup.select("main dd a") if a["href"].startswith("/page/strategy/etela-savo")]
    assert len(strategy_links) == 1  # "part of plan", not again as "has part" and "has statement"
    inferred = soup.select_one("section.inferred")
    assert inferred.find("h2").get_text() == "Derived from other statements"
    assert "OWL RL" in inferred.select_one("p.note").get_text()  # the how, in words
    details = inferred.select_one("details.repeated")
    assert details is not None and "the same as" in details.get_text()
    assert soup.find(string="OWL RL") is None  # no bare jargon heading


def test_a_badge_is_given_once_per_group(client):
    soup = _soup(client, "/page/value/etela-savo-rohkeus?lang=en")
    theme = next(dt for dt in soup.select("section.properties dt") if dt.get_text().startswith("theme"))
    assert theme.select_one(".badge.curated") is not None
    assert theme.find_next_sibling("dd").select_one(".badge") is None


def test_breadcrumbs_and_previous_next_through_the_values(client):
    soup = _soup(client, "/page/value/etela-savo-rohkeus?lang=fi")
    crumbs = [li.get_text(strip=True) for li in soup.select("nav.breadcrumbs li")]
    assert crumbs == ["Etusivu", "Etelä-Savon hyvinvointialue", "Etelä-Savon hyvinvointialueen strategia", "ROHKEUS"]
    nav = soup.select_one("nav.prev-next")
    assert nav.select_one("a[rel=prev]")["href"] == "/page/value/etela-savo-asiakaslahtoisyys?lang=fi"
    assert nav.select_one("a[rel=next]")["href"] == "/page/value/etela-savo-turvallisuus?lang=fi"
    assert nav.select_one(".position").get_text() == "4/5"
    first = _soup(client, "/page/value/etela-savo-yhdenvertaisuus")
    assert first.select_one("nav.prev-next a[rel=prev]") is None
    strategy = _soup(client, "/page/strategy/etela-savo")
    assert [li.get_text(strip=True) for li in strategy.select("nav.breadcrumbs li")][:2] == [
        "Etusivu",
        "Etelä-Savon hyvinvointialue",
    ]


def test_the_same_theme_in_other_counties(client):
    soup = _soup(client, "/page/value/etela-savo-rohkeus?lang=fi")
    section = soup.select_one("section.elsewhere")
    assert section is not None and section.select_one(".badge.curated") is not None
    orgs = [a.get_text() for a in section.select("ul.elsewhere-orgs > li > a:first-child")]
    assert "Etelä-Savon hyvinvointialue" not in orgs and "Etelä-Karjalan hyvinvointialue" in orgs


def test_the_diagram_wraps_whole_texts_and_is_one_image(client):
    soup = _soup(client, "/page/strategy/etela-karjala-2023-2025?lang=fi")
    svg = soup.select_one("figure.diagram svg")
    assert svg["role"] == "img" and svg.find("a") is None
    words = " ".join(t.get_text() for t in svg.find_all("tspan"))
    assert "Suomen hyvinvoivin väestö ja onnellisimmat työntekijät." in words


def test_every_resource_page_opens_its_query_in_sparql(client):
    soup = _soup(client, "/page/value/etela-savo-rohkeus?lang=en")
    links = soup.select("p.open-in-sparql a")
    assert [a.get_text() for a in links] == ["Open in SPARQL: what the graph says about this", "what links here"]
    about = client.get(links[0]["href"], headers={"Accept": "application/sparql-results+json"})
    values = {b["value"] for row in about.get_json()["results"]["bindings"] for b in row.values()}
    assert "Uudistumme luovasti ja ennakkoluulottomasti." in values
    incoming = client.get(links[1]["href"], headers={"Accept": "application/sparql-results+json"})
    values = {b["value"] for row in incoming.get_json()["results"]["bindings"] for b in row.values()}
    assert "https://w3id.org/strategiaverkko/id/strategy/etela-savo" in values


def test_a_theme_shared_by_many_names_a_few_and_counts_the_rest(real_settings, monkeypatch):
    monkeypatch.setattr(plans, "ELSEWHERE_SHOWN", 3)
    app = create_app({**real_settings, "shared_page_bytes": 0})  # its own caches: rendered afresh
    try:
        soup = _soup(app.test_client(), "/page/value/etela-savo-rohkeus?lang=fi")
        section = soup.select_one("section.elsewhere")
        assert len(section.select("ul.elsewhere-orgs > li")) == 3
        more = section.select_one("p.more").get_text()
        assert more.startswith("… ja ") and "muuta organisaatiota" in more
    finally:
        app.extensions["strategiaverkko.pool"].close()


def test_a_name_of_pieces_is_cut_within_the_limit_and_says_so(app):
    """The breadcrumb cuts a long name made of labels in several languages as it cuts a plain one:
    within the limit, with "..." where it was cut, each piece still marked with its language."""
    template = app.jinja_env.from_string('{% from "_values.html" import words %}{{ words(text, parts, 28) }}')
    parts = (("Imatra", "fi"), (" · ", None), ("abcdefghij klmnopqrst", "sv"), (" · ", None), ("more", None))
    html = template.render(text="".join(p for p, _ in parts), parts=parts)
    shown = BeautifulSoup(html, "html.parser")
    assert shown.get_text().endswith("...") and len(shown.get_text()) <= 28
    assert shown.find(lang="fi").get_text() == "Imatra" and shown.find(lang="sv") is not None
    short = template.render(text="Imatra · 2023", parts=(("Imatra", "fi"), (" · 2023", None)))
    assert BeautifulSoup(short, "html.parser").get_text() == "Imatra · 2023"  # short enough: nothing cut


def test_a_blank_node_gets_no_made_up_name(app):
    from server.web.presenters.linked_data import names_by_links

    build = app.extensions["strategiaverkko.state"].current()
    assert names_by_links(build.store, ["_:b0"], "https://example.org/page", ["en"]) == {}
