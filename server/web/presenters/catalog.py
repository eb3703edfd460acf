"""The DCAT-AP 3 catalog and the VoID description of a build, as RDF graphs.

Identifiers of the catalog, datasets, distributions and the data service are stable
IRIs under the base IRI (harvesters key datasets by IRI and delete those that vanish),
never blank nodes. The URLs to fetch things from (download, endpoint, landing pages)
are on the public address of the server, so a harvester can follow them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from ...core.iris import Iris
from ...core.settings import Settings
from ...store.base import Store, to_rdflib
from ...store.current import Build
from ...store.manifest import Manifest
from ..i18n import in_reader_language
from . import queries
from .script_json import script_json

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
VOCAB_FILE = Path(__file__).parent / "catalog_vocab.ttl"

# Dump media type -> EU file type code (in catalog_vocab.ttl, each confirmed from the EU NAL).
FILE_TYPES = {
    "text/turtle": "RDF_TURTLE",
    "application/n-triples": "RDF_N_TRIPLES",
    "application/ld+json": "JSON_LD",
    "application/trig": "RDF_TRIG",
    "application/xml": "XML",
}
THEMES = ("GOVE", "HEAL", "SOCI")
LANGUAGES = ("FIN", "SWE", "ENG")
# DCAT-AP 3.0.1's shapes accept spdx:algorithm values only under https://spdx.org/..., while the SPDX
# vocabulary's own namespace is http://spdx.org/rdf/terms#. We follow the shapes (the profile harvesters
# validate against) for the algorithm IRI, and keep the SPDX namespace for the properties themselves.
SHA256 = URIRef("https://spdx.org/rdf/terms#checksumAlgorithm_sha256")

# Finnish titles of the dumps (publish.DUMP_FORMATS gives the English ones).
# What each download holds, in Finnish and Swedish (the build's manifest says it in English).
DUMP_TEXT = {
    "fi": {
        "strategiaverkko.ttl": "Kaikki graafit yhdistettyinä (lähteen tiedot, päätellyt, ontologia), Turtle",
        "strategiaverkko.nt.gz": "Kaikki graafit yhdistettyinä, N-Triples, gzip-pakattu",
        "strategiaverkko.jsonld": "Kaikki graafit yhdistettyinä, JSON-LD",
        "strategiaverkko.trig": "Lähteen tiedot, päätellyt ja ontologia nimettyinä graafeina, TriG",
        "stratml": "Strategia {stem} StratML-asiakirjana (ISO 17469-1, XML)",
        "organisation": "Organisaation {stem} resurssit kaikista graafeista yhdistettyinä, Turtle",
    },
    "sv": {
        "strategiaverkko.ttl": "Alla grafer sammanslagna (källornas uppgifter, härledda, ontologin), Turtle",
        "strategiaverkko.nt.gz": "Alla grafer sammanslagna, N-Triples, gzip-komprimerad",
        "strategiaverkko.jsonld": "Alla grafer sammanslagna, JSON-LD",
        "strategiaverkko.trig": "Källornas uppgifter, härledda och ontologin som namngivna grafer, TriG",
        "stratml": "Strategin {stem} som StratML-dokument (ISO 17469-1, XML)",
        "organisation": "Organisationens {stem} resurser från alla grafer sammanslagna, Turtle",
    },
}
TITLE = {
    "fi": "Strategiaverkko: hyvinvointialueiden strategiat linkitettynä datana",
    "sv": "Strategiaverkko: välfärdsområdenas strategier som länkade data",
    "en": "Strategiaverkko: the strategies of Finnish wellbeing services counties as linked data",
}
DESCRIPTION = {
    "fi": "Suomen hyvinvointialueiden strategiat (visio, missio, arvot, strategian kärjet, tavoitteet, ohjelmat ja "
    "niistä tehdyt päätökset) tietograafina. Jokainen tieto on johdettu nimetystä lähteestä; nimet ja tekstit "
    "ovat lähteiden omia, ja omat tiivistelmämme (stv:summary) ja käännöksemme (stv:translatedName, graafi "
    "graph/translations) on merkitty.",
    "sv": "Strategierna för Finlands välfärdsområden (vision, mission, värden, strategiska prioriteringar, mål, "
    "program och besluten om dem) som en kunskapsgraf. Varje uppgift härleds ur en namngiven källa; namnen och "
    "texterna är källornas egna, och våra sammanfattningar (stv:summary) och översättningar (stv:translatedName, "
    "grafen graph/translations) är märkta.",
    "en": "The strategies of Finnish wellbeing services counties (vision, mission, values, strategic priorities, "
    "goals, programmes and the decisions that adopted them) as a knowledge graph. Every fact is derived from a "
    "named source; names and texts are the sources' own, and our summaries (stv:summary) and translations "
    "(stv:translatedName, graph/translations) are marked as ours.",
}
KEYWORDS = {
    "fi": ["strategia", "hyvinvointialue", "sosiaali- ja terveydenhuolto", "julkinen hallinto"],
    "sv": ["strategi", "välfärdsområde", "social- och hälsovård", "offentlig förvaltning"],
    "en": ["strategy", "wellbeing services county", "social and health care", "public administration"],
}


RIGHTS = {
    "fi": "Data: CC BY 4.0. Mainitse lähteeksi Strategiaverkko ja sen nimeämät alkuperäiset lähteet; nimet ja "
    "tekstit ovat sanatarkkoja lainauksia hyvinvointialueiden julkaisuista, paitsi merkityt omat tiivistelmämme ja "
    "käännöksemme. Luettelon kuvailutiedot: CC0 1.0.",
    "sv": "Data: CC BY 4.0. Ange Strategiaverkko och de ursprungliga källor den nämner som källa; namnen och "
    "texterna är ordagranna citat ur välfärdsområdenas publikationer, utom våra märkta sammanfattningar och "
    "översättningar. Katalogens metadata: CC0 1.0.",
    "en": "Data: CC BY 4.0. Credit Strategiaverkko and the original sources it names; names and texts are verbatim "
    "quotations from the counties' publications, except our summaries and translations, which are marked. The "
    "catalog's metadata: CC0 1.0.",
}


def dump_text(name: str, english: str, lang: str) -> str:
    """What the download `name` holds, in `lang` (the manifest's English text for English)."""
    texts = DUMP_TEXT.get(lang)
    if texts is None:
        return english
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    kind = "stratml" if name.startswith("stratml/") else "organisation" if name.startswith("organisations/") else name
    return texts.get(kind, english).format(stem=stem)


@dataclass(frozen=True)
class CatalogContext:
    iris: Iris
    public_url: str  # no trailing slash
    manifest: Manifest
    settings: Settings

    def url(self, path: str) -> URIRef:
        return URIRef(self.public_url + path)


@lru_cache(maxsize=1)
def eu_concepts() -> Graph:
    return Graph().parse(VOCAB_FILE, format="turtle") if VOCAB_FILE.exists() else Graph()


@lru_cache(maxsize=1)
def _described_concepts() -> frozenset:
    """The vocabulary values catalog_vocab.ttl describes (a set lookup per object of the catalog,
    not a triple pattern on the vocabulary graph)."""
    return frozenset(s for s in eu_concepts().subjects() if isinstance(s, URIRef))


def _lit(g: Graph, s, p, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        g.add((s, p, Literal(text, lang=lang)))


def _dt(value: str) -> Literal:
    return Literal(datetime.fromisoformat(value).isoformat(), datatype=XSD.dateTime)


def _period_literal(value: str) -> Literal:
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
    return Literal(value, datatype=datatype)


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in {
        "dcat": DCAT,
        "dct": DCTERMS,
        "foaf": FOAF,
        "vcard": VCARD,
        "adms": ADMS,
        "spdx": SPDX,
        "hydra": HYDRA,
        "void": VOID,
        "skos": SKOS,
        "xsd": XSD,
        "sd": SD,
    }.items():
        g.bind(prefix, ns)
    return g


def _agent(g: Graph, ctx: CatalogContext) -> URIRef:
    agent = URIRef(ctx.settings["publisher_iri"] or ctx.iris.thing("agent", "strategiaverkko"))
    g.add((agent, RDF.type, FOAF.Agent))
    g.add((agent, RDF.type, FOAF.Organization))
    g.add((agent, FOAF.name, Literal(ctx.settings["publisher_name"], lang="fi")))
    g.add((agent, FOAF.name, Literal(ctx.settings["publisher_name"], lang="en")))
    return agent


def _contact(g: Graph, ctx: CatalogContext) -> URIRef:
    contact = URIRef(ctx.iris.base + "catalog#contact")
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(ctx.settings["publisher_name"])))
    g.add((contact, VCARD.hasURL, ctx.url("/")))
    if ctx.settings["contact_email"]:
        g.add((contact, VCARD.hasEmail, URIRef("mailto:" + ctx.settings["contact_email"])))
    return contact


def _licence(g: Graph) -> URIRef:
    """The data's licence: CC BY 4.0, as JHS 189 recommends for Finnish public-sector open data."""
    return _licence_document(g, "CC_BY_4_0", "Creative Commons Attribution 4.0 International")


def _metadata_licence(g: Graph) -> URIRef:
    """The catalog's own metadata: CC0, as avoindata.fi recommends for metadata (and uses for its own)."""
    return _licence_document(g, "CC0", "Creative Commons CC0 1.0 Universal")


def _licence_document(g: Graph, code: str, title: str) -> URIRef:
    """A licence of the EU licence table, with its English name there as dct:title: a harvester
    that knows the licence by name, not by this IRI (ckanext-dcat matches a licence's title
    against its own register), still finds it, and a portal has a name to show."""
    licence = URIRef(EU + "licence/" + code)
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    g.add((licence, DCTERMS.title, Literal(title, lang="en")))
    return licence


def _rights(g: Graph, ctx: CatalogContext) -> URIRef:
    """What a reuser must do, in words: credit, and what is quoted from whom."""
    rights = URIRef(ctx.iris.base + "catalog#rights")
    g.add((rights, RDF.type, DCTERMS.RightsStatement))
    _lit(g, rights, RDFS.label, RIGHTS)
    return rights


def _period(g: Graph, node: URIRef, start: str | None, end: str | None) -> None:
    g.add((node, RDF.type, DCTERMS.PeriodOfTime))
    if start:
        g.add((node, DCAT.startDate, _period_literal(start)))
    if end:
        g.add((node, DCAT.endDate, _period_literal(end)))


def _when(ctx: CatalogContext, dumps: list[dict]) -> tuple[str, str]:
    """(issued, modified) of what `dumps` publish: when the first was first published, when the
    last changed (the build carries both over from build to build, pipeline.publish.dated_dumps).
    A build made before dumps were dated has its own date for both."""
    created = ctx.manifest["created"]
    issued = [d.get("issued", created) for d in dumps] or [created]
    modified = [d.get("modified", created) for d in dumps] or [created]
    return min(issued, key=datetime.fromisoformat), max(modified, key=datetime.fromisoformat)


def _dates(g: Graph, node: URIRef, when: tuple[str, str]) -> None:
    g.add((node, DCTERMS.issued, _dt(when[0])))
    g.add((node, DCTERMS.modified, _dt(when[1])))


def _common(g: Graph, ctx: CatalogContext, node: URIRef, agent, contact, licence, when: tuple[str, str]) -> None:
    g.add((node, DCTERMS.publisher, agent))
    g.add((node, DCAT.contactPoint, contact))
    g.add((node, DCTERMS.license, licence))
    _dates(g, node, when)
    for code in LANGUAGES:
        g.add((node, DCTERMS.language, URIRef(f"{EU}language/{code}")))


def distribution_slug(dump_name: str) -> str:
    """The last segment of a dump's distribution IRI ({base}distribution/…)."""
    return dump_name.replace("/", "-").replace(".", "-")


def _distribution(g: Graph, ctx: CatalogContext, dataset: URIRef, dump: dict, licence) -> URIRef:
    dist = URIRef(f"{ctx.iris.base}distribution/{distribution_slug(dump['name'])}")
    url = ctx.url(f"/download/{dump['name']}")
    g.add((dataset, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    texts = {lang: dump_text(dump["name"], dump["description"], lang) for lang in ("fi", "sv", "en")}
    _lit(g, dist, DCTERMS.title, texts)
    _lit(g, dist, DCTERMS.description, texts)
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCAT.accessURL, url))
    g.add((dist, DCAT.mediaType, URIRef(IANA + dump["media_type"])))
    if dump["media_type"] in FILE_TYPES:
        g.add((dist, DCTERMS.format, URIRef(f"{EU}file-type/{FILE_TYPES[dump['media_type']]}")))
    if dump["name"].endswith(".gz"):
        g.add((dist, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
    g.add((dist, DCAT.byteSize, Literal(dump["byte_size"], datatype=XSD.nonNegativeInteger)))
    checksum = URIRef(str(dist) + "#sha256")
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SHA256))
    g.add((SHA256, RDF.type, SPDX.ChecksumAlgorithm))
    g.add((checksum, SPDX.checksumValue, Literal(dump["sha256"], datatype=XSD.hexBinary)))
    g.add((dist, DCTERMS.license, licence))
    g.add((dist, DCTERMS.rights, _rights(g, ctx)))
    _dates(g, dist, _when(ctx, [dump]))
    return dist


WHOLE_GRAPH = "strategiaverkko"  # the whole graph's dataset: {base}dataset/strategiaverkko


def dataset_iri(iris: Iris, slug: str | None = None) -> URIRef:
    return URIRef(f"{iris.base}dataset/{slug or WHOLE_GRAPH}")


def datasets_of(manifest: Manifest) -> list[str | None]:
    """None for the whole graph, then a slug per organisation with a strategy (they have dumps)."""
    slugs = sorted(
        d["name"][len("organisations/") : -len(".ttl")]
        for d in manifest["dumps"]
        if d["name"].startswith("organisations/")
    )
    return [None, *slugs]


def dumps_of(manifest: Manifest, slug: str | None) -> list[dict]:
    """The dumps a dataset distributes: the whole graph's (slug None), or an organisation's Turtle
    and its strategies as StratML documents (ISO 17469-1)."""
    if slug is None:
        return [d for d in manifest["dumps"] if "/" not in d["name"]]
    return [
        d
        for d in manifest["dumps"]
        if d["name"] == f"organisations/{slug}.ttl" or d["name"].startswith(f"stratml/{slug}/")
    ]


def describing_page(ctx: CatalogContext, kind: str, slug: str) -> tuple[int, str] | None:
    """Where the catalog describes its dataset, distribution or service `{base}{kind}/{slug}`:
    (page number, the anchor of its dataset on the HTML page), or None if it has no such thing."""
    datasets = datasets_of(ctx.manifest)
    size = ctx.settings["catalog_page_size"]
    if kind == "service":
        return (1, "") if slug == "sparql" else None  # every page describes the SPARQL service
    for index, dataset in enumerate(datasets):
        name = dataset or WHOLE_GRAPH
        if kind == "dataset":
            found = slug == name
        else:
            found = slug == f"{name}-sparql" or any(
                slug == distribution_slug(d["name"]) for d in dumps_of(ctx.manifest, dataset)
            )
        if found:
            return index // size + 1, f"dataset-{name}"
    return None


def catalog_page(ctx: CatalogContext, page: int) -> tuple[int, int, list[str | None]]:
    """The page asked for (kept within the pages there are), the number of pages, and the
    datasets on it (None: the whole graph's, then one per organisation)."""
    slugs = datasets_of(ctx.manifest)
    size = ctx.settings["catalog_page_size"]
    pages = max(1, -(-len(slugs) // size))
    page = min(max(1, page), pages)
    return page, pages, slugs[(page - 1) * size : page * size]


def catalog_graph(
    ctx: CatalogContext,
    organisations: dict[str, dict],
    periods: dict[str | None, tuple],
    page: int = 1,
    format_key: str | None = None,
) -> Graph:
    """The catalog (one Hydra page of it). organisations: slug -> {"labels": {lang: name}};
    periods: slug (None for all) -> (earliest start, latest end) of the strategies' periods;
    format_key: a ?format= the paging links keep."""
    g = new_graph()
    catalog = URIRef(ctx.iris.base + "catalog")
    agent, contact, licence = _agent(g, ctx), _contact(g, ctx), _licence(g)
    g.add((catalog, RDF.type, DCAT.Catalog))
    _lit(g, catalog, DCTERMS.title, TITLE)
    _lit(g, catalog, DCTERMS.description, DESCRIPTION)
    g.add((catalog, FOAF.homepage, ctx.url("/")))
    _common(g, ctx, catalog, agent, contact, _metadata_licence(g), _when(ctx, ctx.manifest["dumps"]))
    g.add((catalog, DCTERMS.rights, _rights(g, ctx)))
    g.add((catalog, DCAT.themeTaxonomy, URIRef(EU + "data-theme")))
    g.add((catalog, DCTERMS.spatial, URIRef(EU + "country/FIN")))

    service = URIRef(ctx.iris.base + "service/sparql")
    g.add((catalog, DCAT.service, service))
    g.add((service, RDF.type, DCAT.DataService))
    _lit(
        g,
        service,
        DCTERMS.title,
        {
            "fi": "Strategiaverkon SPARQL-rajapinta",
            "sv": "Strategiaverkkos SPARQL-gränssnitt",
            "en": "Strategiaverkko SPARQL endpoint",
        },
    )
    _lit(
        g,
        service,
        DCTERMS.description,
        {
            "fi": "SPARQL 1.1 -kyselyrajapinta koko tietograafiin (vain luku).",
            "sv": "SPARQL 1.1-frågegränssnitt till hela kunskapsgrafen (endast läsning).",
            "en": "SPARQL 1.1 query endpoint over the whole knowledge graph (read-only).",
        },
    )
    g.add((service, DCAT.endpointURL, ctx.url("/sparql")))
    g.add((service, DCAT.endpointDescription, ctx.url("/sparql")))
    protocol = URIRef("https://www.w3.org/TR/sparql11-protocol/")
    g.add((service, DCTERMS.conformsTo, protocol))
    g.add((protocol, RDF.type, DCTERMS.Standard))
    g.add((protocol, DCTERMS.title, Literal("SPARQL 1.1 Protocol", lang="en")))
    g.add((service, DCTERMS.license, licence))
    g.add((service, DCTERMS.publisher, agent))
    g.add((service, DCAT.contactPoint, contact))
    for lang, words in KEYWORDS.items():
        for word in words + ["SPARQL"]:
            g.add((service, DCAT.keyword, Literal(word, lang=lang)))
    for code in THEMES:
        g.add((service, DCAT.theme, URIRef(f"{EU}data-theme/{code}")))

    slugs = datasets_of(ctx.manifest)
    page, pages, on_page = catalog_page(ctx, page)
    if pages > 1:
        g.add((catalog, RDF.type, HYDRA.Collection))
        g.add((catalog, HYDRA.totalItems, Literal(len(slugs), datatype=XSD.integer)))
        kept = f"&format={format_key}" if format_key else ""
        view = ctx.url(f"/catalog?page={page}{kept}")
        g.add((catalog, HYDRA.view, view))
        g.add((view, RDF.type, HYDRA.PartialCollectionView))
        g.add((view, HYDRA.first, ctx.url(f"/catalog?page=1{kept}")))
        g.add((view, HYDRA.last, ctx.url(f"/catalog?page={pages}{kept}")))
        if page > 1:
            g.add((view, HYDRA.previous, ctx.url(f"/catalog?page={page - 1}{kept}")))
        if page < pages:
            g.add((view, HYDRA.next, ctx.url(f"/catalog?page={page + 1}{kept}")))
    for slug in on_page:
        dataset = dataset_iri(ctx.iris, slug)
        g.add((catalog, DCAT.dataset, dataset))
        _dataset(g, ctx, dataset, slug, organisations, periods, agent, contact, licence, service)
    # Describe every controlled-vocabulary value we use (type, scheme, labels) as the shapes require.
    described = _described_concepts()
    used = {o for o in g.objects() if o in described}
    for concept in used:
        for triple in eu_concepts().triples((concept, None, None)):
            g.add(triple)
        for scheme in eu_concepts().objects(concept, SKOS.inScheme):
            for triple in eu_concepts().triples((scheme, None, None)):
                g.add(triple)
    return g


def _dataset(
    g: Graph,
    ctx: CatalogContext,
    dataset: URIRef,
    slug: str | None,
    organisations: dict,
    periods: dict,
    agent,
    contact,
    licence,
    service,
) -> None:
    g.add((dataset, RDF.type, DCAT.Dataset))
    if slug is None:
        _lit(g, dataset, DCTERMS.title, TITLE)
        _lit(g, dataset, DCTERMS.description, DESCRIPTION)
        g.add((dataset, DCAT.landingPage, ctx.url("/")))
        dumps = dumps_of(ctx.manifest, None)
        g.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
    else:
        names = organisations.get(slug, {}).get("labels", {})
        name_fi, name_en = names.get("fi", slug), names.get("en", names.get("fi", slug))
        name_sv = names.get("sv", name_fi)
        _lit(
            g,
            dataset,
            DCTERMS.title,
            {"fi": f"{name_fi}: strategia", "sv": f"{name_sv}: strategi", "en": f"{name_en}: strategy"},
        )
        _lit(
            g,
            dataset,
            DCTERMS.description,
            {
                "fi": f"{name_fi}: strategia ja siihen liittyvät ohjelmat ja päätökset Strategiaverkon tietograafissa, "
                "lähteineen.",
                "sv": f"{name_sv}: strategin med tillhörande program och beslut i Strategiaverkkos kunskapsgraf, "
                "med sina källor.",
                "en": f"{name_en}: its strategy with the related programmes and decisions in the Strategiaverkko "
                "knowledge graph, with their sources.",
            },
        )
        g.add((dataset, DCAT.landingPage, ctx.url(f"/page/organisation/{slug}")))
        g.add((ctx.url(f"/page/organisation/{slug}"), RDF.type, FOAF.Document))
        g.add((dataset, DCTERMS.isPartOf, dataset_iri(ctx.iris)))
        g.add((dataset_iri(ctx.iris), DCTERMS.hasPart, dataset))
        g.add((dataset, DCTERMS.subject, URIRef(ctx.iris.thing("organisation", slug))))
        dumps = dumps_of(ctx.manifest, slug)
        g.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
        for lang, name in names.items():
            g.add((dataset, DCAT.keyword, Literal(name, lang=lang)))
    g.add((ctx.url("/"), RDF.type, FOAF.Document))
    for lang, words in KEYWORDS.items():
        for word in words:
            g.add((dataset, DCAT.keyword, Literal(word, lang=lang)))
    for code in THEMES:
        g.add((dataset, DCAT.theme, URIRef(f"{EU}data-theme/{code}")))
    g.add((dataset, DCTERMS.spatial, URIRef(EU + "country/FIN")))
    g.add((URIRef(EU + "country/FIN"), RDF.type, DCTERMS.Location))
    g.add((dataset, DCTERMS.accessRights, URIRef(EU + "access-right/PUBLIC")))
    g.add((dataset, DCTERMS.accrualPeriodicity, URIRef(EU + "frequency/IRREG")))
    g.add((dataset, DCTERMS.conformsTo, URIRef(ctx.iris.ontology)))
    g.add((URIRef(ctx.iris.ontology), RDF.type, DCTERMS.Standard))
    start, end = periods.get(slug, (None, None))
    if start or end:
        period = URIRef(f"{dataset}#period")
        g.add((dataset, DCTERMS.temporal, period))
        _period(g, period, start, end)
    _common(g, ctx, dataset, agent, contact, licence, _when(ctx, dumps))
    for dump in dumps:
        _distribution(g, ctx, dataset, dump, licence)
    # The SPARQL endpoint as a distribution: harvesters ignore a service that hangs off the catalog alone.
    sparql = URIRef(f"{ctx.iris.base}distribution/{slug or WHOLE_GRAPH}-sparql")
    g.add((dataset, DCAT.distribution, sparql))
    g.add((sparql, RDF.type, DCAT.Distribution))
    _lit(g, sparql, DCTERMS.title, {"fi": "SPARQL-rajapinta", "sv": "SPARQL-gränssnitt", "en": "SPARQL endpoint"})
    _lit(
        g,
        sparql,
        DCTERMS.description,
        {
            "fi": "Koko tietograafi SPARQL 1.1 -kyselyin.",
            "sv": "Hela kunskapsgrafen med SPARQL 1.1-frågor.",
            "en": "The whole knowledge graph through SPARQL 1.1 queries.",
        },
    )
    g.add((sparql, DCAT.accessURL, ctx.url("/sparql")))
    g.add((sparql, DCAT.accessService, service))
    g.add((sparql, DCTERMS.license, licence))
    g.add((service, DCAT.servesDataset, dataset))


def _count(store: Store, query: str, **bound: ox.NamedNode | ox.Literal) -> int:
    return int(next(iter(store.query(query, bind=bound or None)))["n"].value)


def void_graph(ctx: CatalogContext, store: Store, stats: dict) -> Graph:
    """VoID for the whole graph: the same IRI as its DCAT dataset, with the build's statistics
    (store.statistics: counted when the build was made)."""
    g = new_graph()
    ds = dataset_iri(ctx.iris)
    g.add((ds, RDF.type, VOID.Dataset))
    _lit(g, ds, DCTERMS.title, TITLE)
    g.add((ds, DCTERMS.license, URIRef(EU + "licence/CC_BY_4_0")))
    whole = dumps_of(ctx.manifest, None)  # the whole graph's RDF dumps, not per organisation or StratML
    g.add((ds, DCTERMS.modified, _dt(_when(ctx, whole)[1])))
    g.add((ds, VOID.sparqlEndpoint, ctx.url("/sparql")))
    g.add((ds, VOID.uriSpace, Literal(ctx.iris.base + "id/")))
    g.add((ds, VOID.rootResource, URIRef(ctx.iris.base + "catalog")))
    for dump in whole:
        g.add((ds, VOID.dataDump, ctx.url(f"/download/{dump['name']}")))
    counts = {
        VOID.triples: stats["triples"],
        VOID.entities: stats["entities"],
        VOID.classes: stats["classes"],
        VOID.properties: stats["properties"],
        VOID.distinctSubjects: stats["distinct_subjects"],
        VOID.distinctObjects: stats["distinct_objects"],
    }
    for prop, n in counts.items():
        g.add((ds, prop, Literal(n, datatype=XSD.integer)))
    for c, n in sorted(stats["class_partitions"].items()):
        part = URIRef(f"{ds}#class-{_fragment(c)}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(c)))
        g.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
    vocabularies = {_namespace(c) for c in stats["class_partitions"]}
    for p, n in sorted(stats["property_partitions"].items()):
        part = URIRef(f"{ds}#property-{_fragment(p)}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(p)))
        g.add((part, VOID.triples, Literal(n, datatype=XSD.integer)))
        vocabularies.add(_namespace(p))
    for ns in sorted(vocabularies):
        g.add((ds, VOID.vocabulary, URIRef(ns)))
    for example in ("strategy/etela-karjala-2023-2025", "strategy/etela-savo", "organisation/etela-savo"):
        iri = URIRef(ctx.iris.base + "id/" + example)
        if _count(store, queries.TRIPLES_ABOUT, resource=ox.NamedNode(str(iri))):
            g.add((ds, VOID.exampleResource, iri))
    return g


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def _fragment(iri: str) -> str:
    local = iri[max(iri.rfind("#"), iri.rfind("/")) + 1 :]
    return f"{local}-{hashlib.sha1(iri.encode()).hexdigest()[:8]}"


def organisation_labels(build: Build, iris: Iris, slugs: list[str | None]) -> dict[str, dict]:
    """slug -> {"labels": {language: label}} of the organisations among `slugs`."""
    out: dict[str, dict] = {}
    asked = [(ox.NamedNode(iris.thing("organisation", slug)),) for slug in slugs if slug is not None]
    for row in build.select(queries.LABELS_OF_ORGANISATIONS, values=(["org"], asked)):
        slug = iris.slug_of(row["org"].value, "organisation")
        if slug is not None:
            label = to_rdflib(row["label"])
            out.setdefault(slug, {"labels": {}})["labels"][label.language] = str(label)
    return out


def strategy_periods(stats: dict, iris: Iris, slugs: list[str | None]) -> dict:
    """slug (None: the whole graph) -> (earliest start, latest end) of the strategies' validity
    periods, for the datasets among `slugs`: the build counted them (store.statistics)."""
    kept = stats["strategy_periods"]
    periods = {}
    for slug in slugs:
        start_end = kept.get("" if slug is None else iris.thing("organisation", slug))
        if start_end is not None:
            periods[slug] = tuple(start_end)
    return periods


def catalog_view(graph: Graph, langs: list[str]) -> dict:
    """Datasets and their distributions from the catalog graph, for the HTML page and its JSON-LD."""

    def text(node, prop) -> str:
        return chosen(node, prop)[0]

    def lang_of(node, prop) -> str | None:
        return chosen(node, prop)[1]

    def chosen(node, prop) -> tuple[str, str | None]:
        value = in_reader_language(list(graph.objects(node, prop)), langs)
        return ("", None) if value is None else (str(value), getattr(value, "language", None))

    datasets: list[dict[str, Any]] = []
    for ds in sorted(graph.subjects(RDF.type, DCAT.Dataset), key=str):
        dists: list[dict[str, Any]] = []
        for dist in sorted(graph.objects(ds, DCAT.distribution), key=str):
            url = graph.value(dist, DCAT.downloadURL) or graph.value(dist, DCAT.accessURL)
            dists.append(
                {
                    "title": text(dist, DCTERMS.title),
                    "title_lang": lang_of(dist, DCTERMS.title),
                    "url": str(url),
                    "media": str(graph.value(dist, DCAT.mediaType) or "").rsplit("media-types/", 1)[-1],
                    "size": graph.value(dist, DCAT.byteSize),
                }
            )
        datasets.append(
            {
                "iri": str(ds),
                "anchor": "dataset-" + str(ds).rsplit("/", 1)[-1],
                "title": text(ds, DCTERMS.title),
                "title_lang": lang_of(ds, DCTERMS.title),
                "description": text(ds, DCTERMS.description),
                "description_lang": lang_of(ds, DCTERMS.description),
                "landing": str(graph.value(ds, DCAT.landingPage) or ""),
                "distributions": dists,
            }
        )
    jsonld = {
        "@context": "https://schema.org",
        "@type": "DataCatalog",
        "name": "Strategiaverkko",
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "dataset": [
            {
                "@type": "Dataset",
                "@id": d["iri"],
                "name": d["title"],
                "description": d["description"],
                "license": "https://creativecommons.org/licenses/by/4.0/",
                "creator": {"@type": "Organization", "name": "Strategiaverkko"},
                "spatialCoverage": {"@type": "Place", "name": "Finland"},
                "distribution": [
                    {"@type": "DataDownload", "contentUrl": x["url"], "encodingFormat": x["media"]}
                    for x in d["distributions"]
                    if "/download/" in x["url"]
                ],
            }
            for d in datasets
        ],
    }
    return {"datasets": datasets, "jsonld": script_json(jsonld)}
