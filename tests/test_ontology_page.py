"""/ontology for people: a table of contents whose every link has its target, a class tree that is the
ontology's own subclass hierarchy (read here from ontology/strategiaverkko.ttl, not from the page's code),
and its words in fi, sv and en."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from server.core.settings import PROJECT_ROOT, load_settings
from server.web.i18n import UI

BASE = load_settings()["base_iri"]
STV = BASE + "ontology#"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    g.parse(PROJECT_ROOT / "ontology" / "strategiaverkko.ttl", format="turtle", publicID=BASE)
    return g


def page(app, lang: str) -> BeautifulSoup:
    client = app.test_client()  # a reader of its own: the chosen language is remembered in a cookie
    response = client.get(f"/ontology?lang={lang}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def ours(g: Graph) -> set[str]:
    return {str(c) for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(STV)}


def test_every_contents_link_has_its_target(app, ontology):
    soup = page(app, "fi")
    toc = soup.select_one("nav.toc#contents")
    assert toc is not None and toc.find_previous("h1") is not None
    links = [a["href"] for a in toc.select("a")]
    assert links[:4] == ["#class-tree", "#versions", "#classes", "#properties"]
    assert "#concepts" in links
    for href in links:
        assert soup.find(id=href[1:]) is not None, href
    # The index lists every property, each linking to its section.
    properties = {
        str(p)[len(STV) :]
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
        for p in ontology.subjects(RDF.type, kind)
        if str(p).startswith(STV)
    }
    assert {a["href"][1:] for a in toc.select("ul.index a")} == properties
    # It comes before the first term and the versions guide: near the top.
    order = [tag.get("id") for tag in soup.find_all(id=True)]
    assert order.index("contents") < order.index("class-tree") < order.index("versions") < order.index("classes")
    # Every section of terms leads back to the contents.
    assert len(soup.select("p.to-contents a[href='#contents']")) >= 5


def test_class_tree_is_the_subclass_hierarchy(app, ontology):
    soup = page(app, "en")
    tree = soup.select_one("section#class-tree > ul")
    classes = ours(ontology)
    seen: dict[str, list[str | None]] = {}
    for li in tree.find_all("li"):
        anchor = li.find("a", recursive=False)["href"][1:]
        parent = li.find_parent("li")
        seen.setdefault(STV + anchor, []).append(
            STV + parent.find("a", recursive=False)["href"][1:] if parent is not None else None
        )
    assert set(seen) == classes
    for c in classes:
        supers = {str(s) for s in ontology.objects(URIRef(c), RDFS.subClassOf)} & classes - {c}
        assert set(seen[c]) == (supers or {None}), c
    # Some the ontology plainly states.
    assert STV + "StrategyElement" in seen[STV + "Value"] and STV + "Goal" in seen[STV + "QualitativeGoal"]
    # Siblings are in alphabetical order of their labels.
    for ul in soup.select("section#class-tree ul"):
        labels = [li.find("a", recursive=False).get_text().casefold() for li in ul.find_all("li", recursive=False)]
        assert labels == sorted(labels)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_words_in_the_readers_language(app, lang):
    soup = page(app, lang)
    words = UI[lang]
    assert soup.html["lang"] == lang
    assert soup.select_one("#contents-h").get_text() == words["onto_contents"]
    assert soup.select_one("#class-tree-h").get_text() == words["onto_class_tree"]
    assert [soup.find(id=i).get_text() for i in ("classes", "properties", "concepts")] == [
        words["onto_classes"],
        words["onto_properties"],
        words["onto_concepts"],
    ]
    assert [dt.get_text() for dt in soup.select("dl.meta dt")] == [
        "IRI",
        words["onto_version"],
        words["onto_prefix"],
        words["onto_licence"],
        words["onto_formats"],
    ]
    assert soup.select("section.term dt")[-1].get_text() == words["onto_in_data"]
    # Every string of the page's own block exists in all three languages, and differs where the words do.
    assert {k for k in UI["fi"] if k.startswith("onto_")} == {k for k in UI[lang] if k.startswith("onto_")}


def test_counts_as_the_language_writes_numbers(app):
    soup = page(app, "fi")
    for dd in soup.select("dd.count"):
        n = int(dd["data-count"])
        assert dd.get_text().replace("\xa0", " ") == (f"{n:,}".replace(",", " ") if n >= 1000 else str(n))
    assert any(int(dd["data-count"]) > 0 for dd in soup.select("dd.count"))


def test_the_example_query_can_be_scrolled_with_the_keyboard(app):
    pre = page(app, "en").select_one("section#versions pre")
    assert pre["tabindex"] == "0" and pre.get("aria-label")


@pytest.mark.parametrize("path", ["/ontology", "/ontology/external"])
def test_every_link_on_the_ontology_pages_leads_somewhere(app, path):
    """A value shown under a term links only when it is a thing: a notation ("Goal") is text, not a
    link to /Goal (a reviewer followed 21 such links to a 404)."""
    from urllib.parse import urljoin, urlsplit

    client = app.test_client()
    soup = BeautifulSoup(
        client.get(path + "?lang=en", headers={"Accept": "text/html"}).get_data(as_text=True), "html.parser"
    )
    targets = set()
    for a in soup.select("main a[href]"):
        url = urlsplit(urljoin("http://localhost" + path, a["href"]))
        if url.netloc == "localhost" and url.path != path:
            targets.add(url.path + ("?" + url.query if url.query else ""))
    assert targets
    for target in sorted(targets):
        status = client.get(target, headers={"Accept": "text/html"}).status_code
        assert status in (200, 301, 302, 303), (target, status)
    notations = [dd for dt in soup.find_all("dt") if dt.get_text() == "skos:notation" for dd in [dt.find_next("dd")]]
    assert notations and all(dd.find("a") is None for dd in notations)
