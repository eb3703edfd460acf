"""Open-data portals can harvest us without a human: DCAT-AP catalog, VoID, dumps, sitemap."""

from __future__ import annotations

import gzip
import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlencode

import pyshacl
import pytest
import requests
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SH, SKOS

from server.core.settings import PROJECT_ROOT
from server.web.app import create_app

BASE = "https://w3id.org/strategiaverkko/"
VOID = "http://rdfs.org/ns/void#"
SPDX = "http://spdx.org/rdf/terms#"
HYDRA = "http://www.w3.org/ns/hydra/core#"


def asserted_data() -> Graph:
    from server.pipeline.load import load_sources

    return load_sources(PROJECT_ROOT, BASE).data["asserted"]


def organisations_with_strategy() -> list[str]:
    """Slugs of the organisations that have a strategy in the data: each gets a dataset and a dump."""
    g, stv = asserted_data(), BASE + "ontology#"
    orgs = {g.value(s, URIRef(stv + "organisation")) for s in g.subjects(RDF.type, URIRef(stv + "Strategy"))}
    return sorted(str(o)[len(BASE + "id/organisation/") :] for o in orgs)


def expected_datasets() -> list[str]:
    return sorted([BASE + "dataset/strategiaverkko"] + [BASE + "dataset/" + s for s in organisations_with_strategy()])


JSON = "application/sparql-results+json"


def fetch(client, path, method="GET", **kwargs):
    """Status, headers and body of a request, with the response closed (file downloads hold a file open)."""
    with client.open(path, method=method, **kwargs) as response:
        return response.status_code, response.headers, response.mimetype, response.get_data()


def catalog(client, **params) -> Graph:
    response = client.get("/catalog", query_string=params, headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    return Graph().parse(data=response.data, format="turtle")


def dcat_ap_shapes() -> Graph:
    shapes = Graph()
    for path in sorted((PROJECT_ROOT / "shapes" / "catalog").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def test_catalog_passes_the_dcat_ap_shapes(client):
    conforms, report, text = pyshacl.validate(
        catalog(client), shacl_graph=dcat_ap_shapes(), advanced=True, allow_warnings=True
    )
    top = next(report.subjects(RDF.type, SH.ValidationReport))
    violations = [r for r in report.objects(top, SH.result) if report.value(r, SH.resultSeverity) == SH.Violation]
    assert conforms and not violations, text


def test_datasets_and_distributions_have_stable_iris_and_tagged_literals(client):
    g = catalog(client)
    datasets = set(g.subjects(RDF.type, DCAT.Dataset))
    assert sorted(str(d) for d in datasets) == expected_datasets()
    assert {BASE + "dataset/etela-karjala", BASE + "dataset/etela-savo"} <= {str(d) for d in datasets}
    for node in datasets | set(g.subjects(RDF.type, DCAT.Distribution)) | set(g.subjects(RDF.type, DCAT.DataService)):
        assert not isinstance(node, BNode)
        for p in (DCTERMS.title, DCTERMS.description):
            values = list(g.objects(node, p))
            assert values and all(isinstance(v, Literal) and v.language for v in values), (node, p)
    main = URIRef(BASE + "dataset/strategiaverkko")
    assert {v.language for v in g.objects(main, DCTERMS.title)} == {"fi", "sv", "en"}


def test_every_licence_has_a_name_a_harvester_can_match(client):
    """ckanext-dcat finds a distribution's licence in its register by IRI or else by dct:title:
    every licence the catalog gives has its name in the EU licence table."""
    g = catalog(client)
    licences = set(g.objects(None, DCTERMS.license))
    assert licences, "the catalog names no licence"
    names = {str(licence): str(g.value(licence, DCTERMS.title)) for licence in licences}
    assert names == {
        "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0": (
            "Creative Commons Attribution 4.0 International"
        ),
        "http://publications.europa.eu/resource/authority/licence/CC0": "Creative Commons CC0 1.0 Universal",
    }
    for distribution in g.subjects(RDF.type, DCAT.Distribution):
        assert g.value(g.value(distribution, DCTERMS.license), DCTERMS.title) is not None, distribution


def test_every_dump_is_a_distribution_with_size_and_checksum(client, real_settings):
    g = catalog(client)
    from server.store.manifest import current_build

    download = current_build(real_settings["var_dir"]) / "download"
    sums = dict(reversed(line.split("  ")) for line in (download / "SHA256SUMS").read_text().splitlines())
    dists = [d for d in g.subjects(RDF.type, DCAT.Distribution) if g.value(d, DCAT.downloadURL)]
    # The whole-graph dumps, one Turtle dump per organisation with a strategy, one StratML document a strategy.
    g_data, stv = asserted_data(), BASE + "ontology#"
    strategies = set(g_data.subjects(RDF.type, URIRef(stv + "Strategy")))
    assert len(dists) == len(sums) == 4 + len(organisations_with_strategy()) + len(strategies)
    for dist in dists:
        url = str(g.value(dist, DCAT.downloadURL))
        name = url.split("/download/", 1)[1]
        body = fetch(client, "/download/" + name)[3]
        assert int(g.value(dist, DCAT.byteSize)) == len(body)
        checksum = g.value(dist, URIRef(SPDX + "checksum"))
        value = str(g.value(checksum, URIRef(SPDX + "checksumValue")))
        assert value == hashlib.sha256(body).hexdigest() == sums[name]
        assert g.value(dist, DCAT.accessURL) == g.value(dist, DCAT.downloadURL)


def test_sparql_endpoint_is_a_distribution_with_access_service(client):
    g = catalog(client)
    main = URIRef(BASE + "dataset/strategiaverkko")
    services = [
        g.value(d, DCAT.accessService) for d in g.objects(main, DCAT.distribution) if g.value(d, DCAT.accessService)
    ]
    assert services == [URIRef(BASE + "service/sparql")]
    endpoint = g.value(services[0], DCAT.endpointURL)
    assert str(endpoint).endswith("/sparql")
    assert (services[0], DCAT.servesDataset, main) in g


@pytest.mark.parametrize(
    "path, media",
    [
        ("/catalog", "text/turtle"),
        ("/.well-known/void", "text/turtle"),
        ("/download/strategiaverkko.ttl", "text/turtle"),
        ("/download/strategiaverkko.nt.gz", "application/gzip"),
        ("/download/strategiaverkko.jsonld", "application/ld+json"),
        ("/download/strategiaverkko.trig", "application/trig"),
        ("/download/SHA256SUMS", "text/plain"),
        ("/sitemap.xml", "application/xml"),
        ("/robots.txt", "text/plain"),
        ("/download/organisations/etela-savo.ttl", "text/turtle"),
    ],
)
def test_head_and_conditional_requests(client, path, media):
    status, headers, mimetype, body = fetch(client, path, headers={"Accept": "text/turtle"})
    head_status, head_headers, head_mimetype, head_body = fetch(client, path, "HEAD", headers={"Accept": "text/turtle"})
    assert status == head_status == 200
    assert mimetype == head_mimetype == media
    assert head_body == b"" and int(head_headers["Content-Length"]) == len(body)
    assert headers.get("ETag") and headers.get("Last-Modified"), path
    again = fetch(client, path, headers={"Accept": "text/turtle", "If-None-Match": headers["ETag"]})
    assert again[0] == 304
    since = fetch(client, path, headers={"Accept": "text/turtle", "If-Modified-Since": headers["Last-Modified"]})
    assert since[0] == 304


def test_void_numbers_match_the_store(client):
    g = Graph().parse(data=client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data, format="turtle")
    ds = URIRef(BASE + "dataset/strategiaverkko")
    assert (ds, RDF.type, URIRef(VOID + "Dataset")) in g and (ds, RDF.type, DCAT.Dataset) not in g

    def ask(query):
        r = client.get("/sparql", query_string={"query": query}, headers={"Accept": JSON})
        return int(json.loads(r.data)["results"]["bindings"][0]["n"]["value"])

    number = lambda p: int(g.value(ds, URIRef(VOID + p)))  # noqa: E731
    assert number("triples") == ask("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    assert number("classes") == ask("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }")
    assert number("properties") == ask("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }")
    assert number("entities") == ask(
        f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{BASE}id/")) }}'
    )
    assert number("distinctSubjects") == ask("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
    assert number("distinctObjects") == ask("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }")
    value_partition = next(
        p
        for p in g.objects(ds, URIRef(VOID + "classPartition"))
        if g.value(p, URIRef(VOID + "class")) == URIRef(BASE + "ontology#Value")
    )
    values = set(asserted_data().subjects(RDF.type, URIRef(BASE + "ontology#Value")))
    assert int(g.value(value_partition, URIRef(VOID + "entities"))) == len(values) > 9
    partitions = list(g.objects(ds, URIRef(VOID + "propertyPartition")))
    assert len(partitions) == number("properties")
    assert sum(int(g.value(p, URIRef(VOID + "triples"))) for p in partitions) == number("triples")
    assert str(g.value(ds, URIRef(VOID + "uriSpace"))) == BASE + "id/"
    assert URIRef(BASE + "ontology#") in set(g.objects(ds, URIRef(VOID + "vocabulary")))
    assert str(g.value(ds, URIRef(VOID + "sparqlEndpoint"))).endswith("/sparql")
    assert len(list(g.objects(ds, URIRef(VOID + "dataDump")))) == 4
    assert URIRef(BASE + "id/strategy/etela-savo") in set(g.objects(ds, URIRef(VOID + "exampleResource")))


def test_catalog_is_paged_with_hydra(real_settings):
    app = create_app({**real_settings, "catalog_page_size": 1})
    try:
        client = app.test_client()
        seen, url = [], "/catalog?page=1"
        while url:
            g = Graph().parse(data=client.get(url, headers={"Accept": "text/turtle"}).data, format="turtle")
            seen += [str(d) for d in g.subjects(RDF.type, DCAT.Dataset)]
            assert int(g.value(URIRef(BASE + "catalog"), URIRef(HYDRA + "totalItems"))) == len(expected_datasets())
            view = next(g.subjects(RDF.type, URIRef(HYDRA + "PartialCollectionView")))
            nxt = g.value(view, URIRef(HYDRA + "next"))
            url = str(nxt).replace("http://localhost", "") if nxt else None
        assert sorted(seen) == expected_datasets()
        # Past the last page, or not a number: an error, not some other page served as this one.
        pages = len(expected_datasets())
        assert client.get(f"/catalog?page={pages + 1}", headers={"Accept": "text/turtle"}).status_code == 404
        assert client.get("/catalog?page=0").status_code == 404
        assert client.get("/catalog?page=two").status_code == 400
    finally:
        app.extensions["strategiaverkko.pool"].close()


def test_a_harvester_that_names_rdf_xml_application_xml_gets_it(client):
    """Clients that say application/xml (or text/xml) for RDF/XML, and application/json for JSON-LD,
    get those documents from the catalog, VoID and the linked data, not a 406."""
    for path in ("/catalog", "/.well-known/void", "/id/organisation/etela-savo"):
        for accept, media, syntax in (
            ("application/xml", "application/rdf+xml", "xml"),
            ("text/xml;q=0.9, */*;q=0.1", "application/rdf+xml", "xml"),
            ("application/json", "application/ld+json", "json-ld"),
        ):
            response = client.get(path, headers={"Accept": accept}, follow_redirects=True)
            assert response.status_code == 200 and response.mimetype == media, (path, accept, response)
            assert len(Graph().parse(data=response.data, format=syntax)) > 0
    # A type named exactly still wins over one named by an alias.
    both = client.get("/catalog", headers={"Accept": "application/xml;q=0.5, text/turtle"})
    assert both.mimetype == "text/turtle"
    # A browser names application/xml for XHTML: on an RDF-only URL it still gets Turtle.
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for path in ("/.well-known/void", "/data/organisation/etela-savo"):
        assert client.get(path, headers={"Accept": browser}).mimetype == "text/turtle", path


def test_a_harvester_that_asks_a_format_gets_every_page_in_it(real_settings):
    """ckanext-dcat reads every page in the format of the first: the paging links keep ?format=,
    every name clients give RDF/XML gets it, and a format we lack is a 400, not Turtle."""
    app = create_app({**real_settings, "catalog_page_size": 5})
    try:
        client = app.test_client()
        for name in ("rdf", "xml", "rdfxml", "application/rdf+xml"):
            url, pages = "/catalog?" + urlencode({"format": name}), 0
            while url:
                response = client.get(url)
                assert response.status_code == 200 and response.mimetype == "application/rdf+xml", (url, response)
                g = Graph().parse(data=response.data, format="xml")
                view = next(g.subjects(RDF.type, URIRef(HYDRA + "PartialCollectionView")))
                nxt = g.value(view, URIRef(HYDRA + "next"))
                url = str(nxt).replace("http://localhost", "") if nxt else None
                pages += 1
            assert pages == -(-len(expected_datasets()) // 5)
        assert client.get("/catalog?format=json-ld").mimetype == "application/ld+json"
        unknown = client.get("/catalog?format=yaml", headers={"Accept": "application/json", "Accept-Language": "fi"})
        assert unknown.status_code == 400 and "yaml" in unknown.get_json()["message"]
        # Without ?format=, the links stay plain (Accept decides each page).
        g = Graph().parse(data=client.get("/catalog", headers={"Accept": "text/turtle"}).data, format="turtle")
        view = next(g.subjects(RDF.type, URIRef(HYDRA + "PartialCollectionView")))
        assert str(g.value(view, URIRef(HYDRA + "next"))).endswith("/catalog?page=2")
    finally:
        app.extensions["strategiaverkko.pool"].close()


def test_each_dataset_covers_its_strategies_periods_and_is_named_after_its_organisation(real_settings):
    """The build records the periods (store.statistics) and each page asks only its own datasets'
    names: what the catalog says must still be what the graph says, on every page of it."""
    g, stv = asserted_data(), BASE + "ontology#"
    bounds: dict[str, tuple[list[str], list[str]]] = {}
    for strategy in g.subjects(RDF.type, URIRef(stv + "Strategy")):
        org = str(g.value(strategy, URIRef(stv + "organisation")))[len(BASE + "id/organisation/") :]
        period = g.value(strategy, DCTERMS.temporal)
        if period is None:
            continue  # a strategy whose sources give no period
        for key in (org, "strategiaverkko"):
            starts, ends = bounds.setdefault(key, ([], []))
            starts += [str(v) for v in g.objects(period, DCAT.startDate)]
            ends += [str(v) for v in g.objects(period, DCAT.endDate)]
    app = create_app({**real_settings, "catalog_page_size": 4})
    try:
        client, served = app.test_client(), Graph()
        for page in range(1, -(-len(expected_datasets()) // 4) + 1):
            served += catalog(client, page=page)
    finally:
        app.extensions["strategiaverkko.pool"].close()
    for key, (starts, ends) in bounds.items():
        dataset = URIRef(BASE + "dataset/" + key)
        period = served.value(dataset, DCTERMS.temporal)
        start, end = served.value(period, DCAT.startDate), served.value(period, DCAT.endDate)
        assert (start and str(start), end and str(end)) == (min(starts, default=None), max(ends, default=None)), key
        if key != "strategiaverkko":
            labels = g.objects(URIRef(BASE + "id/organisation/" + key), SKOS.prefLabel)
            name = next(label for label in labels if label.language == "fi")
            assert Literal(f"{name}: strategia", lang="fi") in set(served.objects(dataset, DCTERMS.title)), key
    assert len(bounds) > 10


def test_a_build_made_before_the_periods_were_kept_counts_them_once(real_settings, tmp_path):
    """An older build's manifest has statistics without strategy_periods: the catalog counts
    them on the store instead of failing."""
    import shutil

    from server.store.manifest import MANIFEST

    built = (Path(real_settings["var_dir"]) / "current").resolve()
    var = tmp_path / "var"
    current = shutil.copytree(built, var / "builds" / built.name)
    (var / "current").symlink_to(Path("builds") / built.name)
    manifest = json.loads((current / MANIFEST).read_text(encoding="utf-8"))
    expected = manifest["statistics"].pop("strategy_periods")
    (current / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    app = create_app({**real_settings, "var_dir": str(var)})
    try:
        served = catalog(app.test_client())
    finally:
        app.extensions["strategiaverkko.pool"].close()
    whole = served.value(URIRef(BASE + "dataset/strategiaverkko"), DCTERMS.temporal)
    assert [str(served.value(whole, DCAT.startDate)), str(served.value(whole, DCAT.endDate))] == expected[""]


def test_sitemap_lists_every_resource_page(client):
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in robots
    root = ET.fromstring(client.get("/sitemap.xml").data)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {u.find("s:loc", ns).text for u in root.findall("s:url", ns)}
    assert all(u.find("s:lastmod", ns).text for u in root.findall("s:url", ns))
    r = client.get(
        "/sparql",
        query_string={"query": f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{BASE}id/")) }}'},
        headers={"Accept": JSON},
    )
    subjects = [b["s"]["value"] for b in json.loads(r.data)["results"]["bindings"]]
    for s in subjects:
        assert "http://localhost/page/" + s[len(BASE + "id/") :] in locs


def test_schema_org_on_catalog_page(client):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get("/catalog", headers={"Accept": "text/html"}).data, "html.parser")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "DataCatalog" and len(data["dataset"]) == len(expected_datasets())
    main = next(d for d in data["dataset"] if d["@id"].endswith("/dataset/strategiaverkko"))
    assert {d["encodingFormat"] for d in main["distribution"]} >= {"text/turtle", "application/ld+json"}


def test_harvest_by_following_links_over_http(live_server):
    """catalog -> dataset -> distribution -> download URL, and -> data service answering a query: HTTP only."""
    g = Graph().parse(live_server + "/catalog", format="turtle")
    main = URIRef(BASE + "dataset/strategiaverkko")
    assert (URIRef(BASE + "catalog"), DCAT.dataset, main) in g
    harvested = Graph()
    for dist in g.objects(main, DCAT.distribution):
        url = g.value(dist, DCAT.downloadURL)
        if url is not None:
            assert str(url).startswith(live_server)
            body = requests.get(str(url), timeout=10).content
            if str(url).endswith(".gz"):
                harvested.parse(data=gzip.decompress(body), format="nt")
            elif str(url).endswith(".ttl"):
                harvested.parse(data=body, format="turtle")
        service = g.value(dist, DCAT.accessService)
        if service is not None:
            endpoint = str(g.value(service, DCAT.endpointURL))
            answer = requests.get(
                endpoint,
                params={"query": f"ASK {{ ?s a <{BASE}ontology#Strategy> }}"},
                headers={"Accept": JSON},
                timeout=10,
            ).json()
            assert answer["boolean"] is True
    assert (URIRef(BASE + "id/value/etela-savo-rohkeus"), None, None) in harvested


def test_every_catalog_literal_has_a_language_a_portal_can_match(client):
    g = catalog(client)
    for s, p, o in g:
        codes = p in (URIRef("http://www.w3.org/2006/vcard/ns#fn"), DCTERMS.identifier) or str(s).startswith(
            "https://www.iana.org/"
        )  # identifiers and media-type names are codes, not text
        if isinstance(o, Literal) and o.datatype is None and not codes:
            assert o.language in ("fi", "en", "sv"), (s, p, o)
    for node in set(g.subjects(RDF.type, DCAT.Distribution)) | set(g.subjects(RDF.type, DCAT.Dataset)):
        assert {t.language for t in g.objects(node, DCTERMS.title)} >= {"fi", "en"}, node


def test_an_organisations_dump_holds_its_own_resources_and_no_others(client):
    """/download/organisations/etela-savo.ttl: the county, its strategy and statements, the
    decisions on them, its memberships; nothing that belongs to another county."""
    response = client.get("/download/organisations/etela-savo.ttl")
    dump = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    response.close()
    org = URIRef(BASE + "id/organisation/etela-savo")
    stv = BASE + "ontology#"
    subjects = set(dump.subjects())
    assert org in subjects
    assert URIRef(BASE + "id/strategy/etela-savo") in subjects
    assert any(str(s).startswith(BASE + "id/membership/") for s in subjects)
    for other in (URIRef(BASE + "id/organisation/pirkanmaa"), URIRef(BASE + "id/strategy/etela-karjala-2023-2025")):
        assert other not in subjects, other
    owners = {dump.value(s, URIRef(stv + "organisation")) for s in subjects} - {None}
    assert owners == {org}, owners
    # Nothing of the ontology or the reference areas rides along.
    assert (URIRef(stv + "Strategy"), None, None) not in dump


@pytest.mark.parametrize("path", ["/catalog", "/download/"])
def test_a_page_cached_in_one_language_is_not_served_in_another(app, path):
    """The first reader's language used to be kept for /catalog's page and served to the next one
    (and shared caches were not told that it varies)."""
    client = app.test_client()
    pages = {}
    for lang in ("sv", "fi", "en", "sv"):
        response = client.get(path, headers={"Accept": "text/html", "Accept-Language": lang})
        assert response.status_code == 200
        assert f'<html lang="{lang}"' in response.get_data(as_text=True)
        assert "Accept-Language" in response.headers["Vary"] and response.headers["Content-Language"] == lang
        pages.setdefault(lang, response.get_data(as_text=True))
    assert len({pages["sv"], pages["fi"], pages["en"]}) == 3


def test_a_rebuild_keeps_the_dates_and_etags_of_what_did_not_change(tmp_path):
    """A harvester re-imports what the catalog says was modified, and fetches again a dump whose
    ETag changed: a rebuild of the same data must change neither, and an edit only what it touched."""
    import time

    from source_trees import FIXTURES, make_source_tree

    from server.core.settings import load_settings
    from server.pipeline.build import build

    minimal = (FIXTURES / "minimal.ttl").read_text("utf-8")
    other = minimal.replace("testi", "toinen").replace('stv:areaCode "99"', 'stv:areaCode "98"')
    source = make_source_tree(tmp_path / "src", {"minimal.ttl": minimal, "toinen.ttl": other})
    settings = load_settings({"var_dir": str(tmp_path / "var"), "source_dir": str(source), "warm_pages": False})
    issued, modified = URIRef(str(DCTERMS.issued)), URIRef(str(DCTERMS.modified))

    def served() -> tuple[dict, dict]:
        app = create_app(settings)
        try:
            client = app.test_client()
            g = Graph().parse(data=client.get("/catalog", headers={"Accept": "text/turtle"}).data, format="turtle")
            dates = {(str(s), str(p)): str(o) for p in (issued, modified) for s, o in g.subject_objects(p)}
            etags = {}
            for name in ("strategiaverkko.ttl", "organisations/testi.ttl", "organisations/toinen.ttl", "SHA256SUMS"):
                status, headers, _, _ = fetch(client, f"/download/{name}")
                assert status == 200
                etags[name] = headers["ETag"]
            return dates, etags
        finally:
            app.extensions["strategiaverkko.pool"].close()

    build(settings)
    first_dates, first_etags = served()
    time.sleep(1.1)  # a build's time has whole seconds
    build(settings)
    again_dates, again_etags = served()
    assert again_dates == first_dates and again_etags == first_etags
    app = create_app(settings)
    try:
        client = app.test_client()
        status, _, _, _ = fetch(
            client, "/download/strategiaverkko.ttl", headers={"If-None-Match": first_etags["strategiaverkko.ttl"]}
        )
        assert status == 304
    finally:
        app.extensions["strategiaverkko.pool"].close()

    time.sleep(1.1)
    (source / "data" / "toinen.ttl").write_text(other.replace('"Rohkeus"@fi', '"Uskallus"@fi'), encoding="utf-8")
    build(settings)
    edited_dates, edited_etags = served()
    testi, toinen = BASE + "distribution/organisations-testi-ttl", BASE + "distribution/organisations-toinen-ttl"
    assert edited_dates[(testi, str(modified))] == first_dates[(testi, str(modified))]
    assert edited_dates[(toinen, str(modified))] > first_dates[(toinen, str(modified))]
    assert edited_dates[(toinen, str(issued))] == first_dates[(toinen, str(issued))]
    assert edited_dates[(BASE + "dataset/testi", str(modified))] == first_dates[(BASE + "dataset/testi", str(modified))]
    assert edited_dates[(BASE + "catalog", str(modified))] > first_dates[(BASE + "catalog", str(modified))]
    assert edited_etags["organisations/testi.ttl"] == first_etags["organisations/testi.ttl"]
    assert edited_etags["organisations/toinen.ttl"] != first_etags["organisations/toinen.ttl"]


def test_every_iri_the_catalog_mints_dereferences_to_its_description(real_settings):
    """{base}dataset/…, distribution/… and service/sparql are things, not documents: each answers
    303 to the catalog page that describes it (CKAN shows these IRIs as links)."""
    app = create_app({**real_settings, "catalog_page_size": 5})
    try:
        client = app.test_client()
        minted, url = set(), "/catalog"
        while url:
            g = Graph().parse(data=client.get(url, headers={"Accept": "text/turtle"}).data, format="turtle")
            minted |= {
                str(s)
                for s in g.subjects()
                if isinstance(s, URIRef)
                and str(s).startswith(BASE)
                and "#" not in str(s)
                and str(s) != BASE + "catalog"
            }
            view = next(g.subjects(RDF.type, URIRef(HYDRA + "PartialCollectionView")))
            nxt = g.value(view, URIRef(HYDRA + "next"))
            url = str(nxt).replace("http://localhost", "") if nxt else None
        kinds = {iri[len(BASE) :].split("/")[0] for iri in minted}
        assert {"dataset", "distribution", "service"} <= kinds, kinds
        for iri in sorted(minted):
            path = iri[len(BASE) - 1 :]
            answer = client.get(path, headers={"Accept": "text/turtle"})
            if path.split("/")[1] not in ("dataset", "distribution", "service"):  # the graph's own (id/, ontology)
                assert answer.status_code in (200, 303), (path, answer.status_code)
                continue
            assert answer.status_code == 303, (path, answer.status_code)
            described = client.get(answer.headers["Location"].split("#")[0], headers={"Accept": "text/turtle"})
            g = Graph().parse(data=described.data, format="turtle")
            assert (URIRef(iri), RDF.type, None) in g, path
        page = client.get("/dataset/strategiaverkko", headers={"Accept": "text/html"})
        anchor = page.headers["Location"].split("#")[1]
        html = client.get(page.headers["Location"].split("#")[0], headers={"Accept": "text/html"}).get_data(
            as_text=True
        )
        assert f'id="{anchor}"' in html
        assert client.get("/dataset/nowhere").status_code == 404
        assert client.get("/distribution/nowhere-ttl").status_code == 404
    finally:
        app.extensions["strategiaverkko.pool"].close()


def test_the_site_icon_is_where_browsers_and_crawlers_look(client):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301
    status, _, mimetype, _ = fetch(client, answer.headers["Location"])
    assert status == 200 and mimetype == "image/svg+xml"
    page = client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert f'<link rel="icon" href="{answer.headers["Location"].replace("http://localhost", "")}"' in page


def test_behind_a_trusted_proxy_the_catalog_lists_the_address_readers_use(real_settings, caplog):
    """Behind TLS at a proxy, with no public_url: the proxy's X-Forwarded-* are believed only when
    trusted_proxies says so; otherwise the catalog keeps this server's own address, and says why."""
    forwarded = {"Accept": "text/turtle", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "data.example.org"}

    def downloads(settings) -> set[str]:
        app = create_app(settings)
        try:
            g = Graph().parse(data=app.test_client().get("/catalog", headers=forwarded).data, format="turtle")
            return {str(url) for url in g.objects(None, DCAT.downloadURL)}
        finally:
            app.extensions["strategiaverkko.pool"].close()

    trusted = downloads({**real_settings, "trusted_proxies": 1})
    assert trusted and all(url.startswith("https://data.example.org/download/") for url in trusted)
    with caplog.at_level("WARNING", logger="strategiaverkko"):
        untrusted = downloads(real_settings)
    assert all(url.startswith("http://localhost/download/") for url in untrusted)
    assert "trusted_proxies" in caplog.text
