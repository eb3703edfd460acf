"""Every IRI dereferences, for people (HTML) and machines (RDF), following Cool URIs."""

from __future__ import annotations

import json
import re
from collections import defaultdict, deque
from urllib.parse import quote, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph, URIRef

BASE = "https://w3id.org/strategiaverkko/"
ROHKEUS = BASE + "id/value/etela-savo-rohkeus"
JSON = "application/sparql-results+json"
RDF_TYPES = {
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "xml"),
    "nt": ("application/n-triples", "nt"),
}


def all_subjects(client) -> list[str]:
    response = client.get(
        "/sparql",
        query_string={"query": "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"},
        headers={"Accept": JSON},
    )
    return [b["s"]["value"] for b in json.loads(response.data)["results"]["bindings"]]


def html_path(iri: str) -> str:
    if iri.startswith(BASE + "id/"):
        return "/page/" + iri[len(BASE + "id/") :]
    if iri.startswith(BASE):
        return "/" + iri[len(BASE) :].split("#")[0]
    return "/page/?iri=" + quote(iri, safe="")


def test_every_subject_dereferences_to_html_and_rdf(client):
    subjects = all_subjects(client)
    assert len(subjects) > 150
    for iri in subjects:
        page = client.get(html_path(iri), headers={"Accept": "text/html"})
        assert page.status_code == 200, iri
        assert page.mimetype == "text/html"
        if "#" in iri and iri.startswith(BASE + "ontology#"):
            assert f'id="{iri.split("#")[1]}"' in page.get_data(as_text=True), iri
        if iri.startswith(BASE + "id/"):
            data = client.get("/data/" + iri[len(BASE + "id/") :] + ".ttl")
        elif iri.startswith(BASE):
            data = client.get("/" + iri[len(BASE) :].split("#")[0], headers={"Accept": "text/turtle"})
        else:
            data = client.get("/data/?iri=" + quote(iri, safe=""), headers={"Accept": "text/turtle"})
        assert data.status_code == 200, iri
        g = Graph().parse(data=data.data, format="turtle")
        assert (URIRef(iri), None, None) in g, iri


@pytest.mark.parametrize(
    "accept, location",
    [
        ("text/html", "/page/value/etela-savo-rohkeus"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "/page/value/etela-savo-rohkeus"),
        ("text/turtle", "/data/value/etela-savo-rohkeus.ttl"),
        ("application/ld+json", "/data/value/etela-savo-rohkeus.jsonld"),
        ("application/rdf+xml", "/data/value/etela-savo-rohkeus.rdf"),
        ("application/n-triples", "/data/value/etela-savo-rohkeus.nt"),
        ("application/rdf+xml;q=0.5, text/turtle;q=0.9", "/data/value/etela-savo-rohkeus.ttl"),
    ],
)
def test_id_303_by_accept(client, accept, location):
    response = client.get("/id/value/etela-savo-rohkeus", headers={"Accept": accept})
    assert response.status_code == 303
    assert urlparse(response.headers["Location"]).path == location
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("ext", RDF_TYPES)
def test_data_documents_by_extension_and_accept(client, ext):
    media, fmt = RDF_TYPES[ext]
    by_ext = client.get(f"/data/value/etela-savo-rohkeus.{ext}")
    by_accept = client.get("/data/value/etela-savo-rohkeus", headers={"Accept": media})
    for response in (by_ext, by_accept):
        assert response.status_code == 200 and response.mimetype == media
        assert response.headers["Content-Location"] == f"/data/value/etela-savo-rohkeus.{ext}"
        link = response.headers["Link"]
        for other in RDF_TYPES:
            assert f"</data/value/etela-savo-rohkeus.{other}>" in link
        assert '</page/value/etela-savo-rohkeus>; rel="alternate"; type="text/html"' in link
    g = Graph().parse(data=by_ext.data, format=fmt)
    assert (URIRef(ROHKEUS), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), None) in g


def test_document_holds_outgoing_incoming_and_labels(client):
    g = Graph().parse(data=client.get("/data/strategy/etela-savo.ttl").data, format="turtle")
    strategy = URIRef(BASE + "id/strategy/etela-savo")
    org = URIRef(BASE + "id/organisation/etela-savo")
    assert (strategy, URIRef(BASE + "ontology#organisation"), org) in g  # outgoing
    assert (URIRef(ROHKEUS), URIRef(BASE + "ontology#partOfPlan"), strategy) in g  # incoming
    labels = {str(o) for o in g.objects(org, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))}
    assert "Etelä-Savon hyvinvointialue" in labels  # label of a link
    assert "ROHKEUS" in {str(o) for o in g.objects(URIRef(ROHKEUS), None)}


def test_unknown_iri_is_a_helpful_404(client):
    for path in ("/id/value/no-such-thing", "/page/value/no-such-thing", "/data/value/no-such-thing.ttl"):
        response = client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 404, path
        soup = BeautifulSoup(response.data, "html.parser")
        assert soup.find("input", {"type": "search"}) is not None and soup.find("a", href="/") is not None


def test_ontology_negotiates(client):
    html = client.get("/ontology", headers={"Accept": "text/html"})
    soup = BeautifulSoup(html.data, "html.parser")
    value = soup.find(id="Value")
    assert value is not None and "Arvot kuvaavat merkityksellisyyttä" in value.get_text()
    from rdflib.namespace import RDF

    from server.core.settings import PROJECT_ROOT
    from server.pipeline.load import load_sources

    values = set(load_sources(PROJECT_ROOT, BASE).data["asserted"].subjects(RDF.type, URIRef(BASE + "ontology#Value")))
    assert value.find(class_="count").get_text() == str(len(values))
    for media, fmt in [("text/turtle", "turtle"), ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")]:
        response = client.get("/ontology", headers={"Accept": media})
        assert response.mimetype == media
        g = Graph().parse(data=response.data, format=fmt)
        assert (URIRef(BASE + "ontology#Value"), None, None) in g


def test_every_ontology_term_is_documented(client):
    soup = BeautifulSoup(client.get("/ontology", headers={"Accept": "text/html"}).data, "html.parser")
    g = Graph().parse(data=client.get("/ontology.ttl").data, format="turtle")
    terms = {
        str(s)[len(BASE + "ontology#") :]
        for s in g.subjects()
        if str(s).startswith(BASE + "ontology#")
        and {str(o) for o in g.objects(s, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"))}
        & {
            "http://www.w3.org/2002/07/owl#Class",
            "http://www.w3.org/2002/07/owl#ObjectProperty",
            "http://www.w3.org/2002/07/owl#DatatypeProperty",
        }
    }
    assert len(terms) > 40
    for term in terms:
        section = soup.find(id=term)
        assert section is not None, term
        assert section.find(class_="definition") is not None, term


def test_page_language_follows_accept_language_and_switch(app):
    client = app.test_client()
    org = "/page/organisation/etela-savo"
    sv = BeautifulSoup(client.get(org, headers={"Accept-Language": "sv-FI,sv;q=0.9,en;q=0.5"}).data, "html.parser")
    assert sv.find("h1").get_text() == "Södra Savolax välfärdsområde" and sv.html["lang"] == "sv"
    en = BeautifulSoup(client.get(org + "?lang=en", headers={"Accept-Language": "sv"}).data, "html.parser")
    assert en.find("h1").get_text() == "South Savo wellbeing services county" and en.html["lang"] == "en"
    # The switch's choice sticks (its cookie) over the browser's languages …
    kept = BeautifulSoup(client.get(org, headers={"Accept-Language": "de"}).data, "html.parser")
    assert kept.find("h1").get_text() == "South Savo wellbeing services county"
    # … and a reader who never chose gets the fallback order's first language.
    de = BeautifulSoup(app.test_client().get(org, headers={"Accept-Language": "de"}).data, "html.parser")
    assert de.find("h1").get_text() == "Etelä-Savon hyvinvointialue"  # fallback fi
    # A statement exists only in Finnish: an English reader still gets the Finnish text, marked as Finnish.
    value = BeautifulSoup(client.get("/page/value/etela-savo-rohkeus?lang=en").data, "html.parser")
    assert value.find("h1").get_text() == "ROHKEUS" and value.find("h1")["lang"] == "fi"


def test_links_are_labelled_never_bare_iris(client):
    for path in (
        "/page/strategy/etela-karjala-2023-2025",
        "/page/value/etela-savo-rohkeus",
        "/page/organisation/etela-karjala",
        "/page/decision/etela-karjala-aluevaltuusto-2023-06-14-palvelustrategia",
    ):
        soup = BeautifulSoup(client.get(path + "?lang=en").data, "html.parser")
        for section in soup.select("section.properties, section.incoming, section.sources, section.inferred"):
            for a in section.find_all("a"):
                assert not a.get_text().startswith("http"), (path, a)
        labels = [dt.get_text() for dt in soup.select("section.properties dt")]
        assert labels and not any(":" in label or label.startswith("http") for label in labels), (path, labels)


def test_strategy_page_shows_the_strategy_in_order(client):
    soup = BeautifulSoup(client.get("/page/strategy/etela-karjala-2023-2025?lang=fi").data, "html.parser")
    values = [li.find("strong").get_text() for li in soup.select("section.values li")]
    assert values == ["Mie turvaan.", "Mie uskallan.", "Mie vastaan.", "Mie välitän."]
    priorities = [li.find("strong").get_text() for li in soup.select("section.priorities li")]
    assert priorities == ["Henkilöstöön panostaminen", "Prosessit ja sujuvuus", "Palveluiden porrastus"]
    dates = [t["datetime"] for t in soup.select("ol.timeline time")]
    assert dates == sorted(dates) and dates[0] == "2022-12" and "2023-06-14" in dates and "2023-10-11" in dates
    svg = soup.select_one("figure.diagram svg")
    assert svg is not None and "Mie välitän." in svg.get_text() and svg.find("title") is not None
    programmes = {a.get_text() for a in soup.select("section.programmes a")}
    assert {"Palvelustrategia", "Strategian toimeenpano-ohjelma", "Pelastustoimen palvelutasopäätös"} <= programmes


def test_every_strategys_timeline_names_its_events_never_by_their_id(client):
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/strategiaverkko/ontology#Strategy> }"
    answer = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
    strategies = [row["s"]["value"] for row in json.loads(answer.data)["results"]["bindings"]]
    named = 0
    for strategy in strategies:
        path = "/page/" + strategy.split("/id/", 1)[1]
        for lang in ("fi", "en"):
            soup = BeautifulSoup(client.get(f"{path}?lang={lang}").data, "html.parser")
            for a in soup.select("ol.timeline li > a"):
                assert a.get_text().strip() and not a.get_text().startswith("http"), (path, a)
                named += 1
    assert named > 20  # the timelines were there to look at


def test_a_name_made_of_labels_in_several_languages_marks_each_ones_language(client):
    # Pohjanmaa's regional government decision has no name of its own: its page names it by its
    # date, the deciding body (named in Swedish), the strategy (in Finnish) and its status.
    soup = BeautifulSoup(
        client.get("/page/decision/pohjanmaa-aluehallitus-2022-08-29-strategia?lang=en").data, "html.parser"
    )
    h1 = soup.find("h1")
    assert not h1.has_attr("lang")  # no one language is the title's
    pieces = {span["lang"]: span.get_text() for span in h1.find_all("span", lang=True)}
    assert pieces["sv"] == "Välfärdsområdesstyrelsen för Österbottens välfärdsområde"
    assert pieces["fi"].startswith("Pohjanmaan hyvinvointialueen strategia")
    assert pieces["en"] == "draft" and h1.get_text().startswith("29 Aug 2022 · ")
    crumb = soup.select_one("nav.breadcrumbs [aria-current=page]")
    assert len(crumb.get_text()) <= 63 and crumb.find("span", lang="sv") is not None  # cut, and still marked


def test_pages_carry_alternates_and_schema_org(client):
    soup = BeautifulSoup(client.get("/page/organisation/etela-karjala").data, "html.parser")
    # The data formats (with a type), beside the page in the other languages (with an hreflang).
    types = {link["type"] for link in soup.find_all("link", rel="alternate") if link.has_attr("type")}
    assert {"text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"} <= types
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "GovernmentOrganization" and data["name"] == "Etelä-Karjalan hyvinvointialue"


def test_home_lists_all_23_areas_and_marks_strategies(client):
    soup = BeautifulSoup(client.get("/").data, "html.parser")
    rows = soup.select("table.organisations tbody tr")
    assert len(rows) == 23
    with_strategy = [r.find("a").get_text() for r in rows if "has-strategy" in r["class"]]
    # The seed counties and the counties added from web sources (issue 9), in area-code order.
    assert {
        "Etelä-Karjalan hyvinvointialue",
        "Etelä-Savon hyvinvointialue",
        "Keski-Suomen hyvinvointialue",
        "Pirkanmaan hyvinvointialue",
        "Lapin hyvinvointialue",
    } <= set(with_strategy)
    assert len(with_strategy) >= 12 and soup.find("a", href="/coverage") is not None
    for href in ("/sparql", "/catalog", "/download/"):
        assert soup.find("a", href=href) is not None
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "Dataset" and data["license"].startswith("https://creativecommons.org/licenses/by/4.0")


def test_conditional_requests(client):
    first = client.get("/page/value/etela-savo-rohkeus")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get("/page/value/etela-savo-rohkeus", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_store_describe_matches_generic_sparql_describe(real_settings):
    from server.store.base import Store
    from server.store.manifest import current_build
    from server.store.oxigraph import OxigraphStore

    store = OxigraphStore(current_build(real_settings["var_dir"]) / "store")
    for iri in (ROHKEUS, BASE + "id/strategy/etela-karjala-2023-2025", BASE + "id/organisation/etela-savo"):
        assert set(store.describe(iri)) == set(Store.describe(store, iri))


def test_rdflib_dereferences_through_the_server(live_server):
    g = Graph()
    g.parse(live_server + "/id/value/etela-savo-rohkeus")
    assert (URIRef(ROHKEUS), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), None) in g


def test_a_crawler_reaches_every_organisation_and_statement(client):
    seen, queue = set(), deque(["/"])
    while queue:
        path = queue.popleft()
        if path in seen or len(seen) > 2000:
            continue
        seen.add(path)
        response = client.get(path, headers={"Accept": "text/html"})
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for a in BeautifulSoup(response.data, "html.parser").find_all("a", href=True):
            href = urljoin(path, a["href"]).split("#")[0]
            if href.startswith("/page/") and "?" not in href and href not in seen:
                queue.append(href)
    wanted = [
        s
        for s in all_subjects(client)
        if re.match(
            re.escape(BASE) + r"id/(organisation|value|vision|mission|priority|goal|strategy|employer-promise)/", s
        )
    ]
    missing = [s for s in wanted if html_path(s) not in seen]
    assert not missing, missing


def test_ontology_counts_uses_in_every_data_graph(client, app):
    """stv:theme lives only in the curated graph: its count must come from there too."""
    soup = BeautifulSoup(client.get("/ontology", headers={"Accept": "text/html"}).data, "html.parser")
    store = app.extensions["strategiaverkko.state"].current().store
    uses = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s stv:theme ?o }")))["n"].value)
    assert uses > 0
    assert int(soup.find(id="theme").find(class_="count")["data-count"]) == uses


def test_a_sources_web_address_is_a_link(client):
    """schema:url "…"^^xsd:anyURI: the reader follows it to the original, not copies it."""
    soup = BeautifulSoup(
        client.get("/page/source/pohjois-karjala-strategia?lang=en", headers={"Accept": "text/html"}).get_data(
            as_text=True
        ),
        "html.parser",
    )
    assert soup.select_one('main a[href="https://www.siunsote.fi/fi/strategia"]') is not None


def test_no_page_names_a_property_or_language_by_its_code(client):
    """Every kind of page, two of each: a property is named in words (not dct:abstract or
    prov:used), and a source's language is a language (not an EU authority address)."""
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    by_kind = defaultdict(list)
    for path in re.findall(r"<loc>[^<]*?(/page/[^<]+)</loc>", sitemap):
        by_kind[path.split("/")[2]].append(path)
    coded = []
    for kind, paths in sorted(by_kind.items()):
        for path in paths[:2]:
            html = client.get(path + "?lang=sv", headers={"Accept": "text/html"}).get_data(as_text=True)
            soup = BeautifulSoup(html, "html.parser")
            coded += [
                f"{path}: {dt.get_text(strip=True)}"
                for dt in soup.select("main dt")
                if re.match(r"^[a-z]+:[A-Za-z]", dt.get_text(strip=True))
            ]
            coded += [f"{path}: {a}" for a in soup.select("main dd") if "authority/language/" in a.get_text()]
    assert not coded, "\n".join(coded)
    source = client.get("/page/source/pohjois-karjala-strategia?lang=sv", headers={"Accept": "text/html"})
    assert "finska" in source.get_data(as_text=True)


@pytest.mark.parametrize(
    "path, words",
    [
        ("/page/membership/suomussalmi-kainuu", ["Suomussalmi", "Kainuun hyvinvointialue"]),
        ("/page/decision/keski-uusimaa-aluevaltuusto-strategia-2026-2030", ["aluevaltuusto", "Keusoten strategia"]),
    ],
)
def test_a_thing_without_a_label_is_titled_by_what_it_links_to(client, path, words):
    """A membership or a decision has no label of its own: its title (and breadcrumb) is made of
    the labels of what it links to, not its address (id/membership/…) nor a note's long text."""
    soup = BeautifulSoup(
        client.get(path + "?lang=fi", headers={"Accept": "text/html"}).get_data(as_text=True), "html.parser"
    )
    title = soup.h1.get_text()
    assert "id/" not in title and all(w in title for w in words) and len(title) < 150, title
    crumb = soup.select_one('nav.breadcrumbs [aria-current="page"]').get_text()
    assert title.startswith(crumb.removesuffix("...")), crumb  # the breadcrumb shortens it
