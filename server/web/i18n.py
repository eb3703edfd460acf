"""The reader's language: which literal and which label to show, and the page chrome's words.

Order of preference: an explicit ?lang= (the language switch), then the Accept-Language
header with its q-values, then the configured fallback order (fi, sv, en by default),
then any language at all. A label is never replaced by a bare IRI when one exists.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

LANGUAGES = ("fi", "sv", "en")
DEFAULT_FALLBACK = ("fi", "sv", "en")
SCHEMA_NAME = URIRef("https://schema.org/name")
LABEL_ORDER = (SKOS.prefLabel, RDFS.label, SCHEMA_NAME)
# When a thing has no label at all (e.g. a decision), its title or description names it.
DESCRIPTIVE_ORDER = (DCTERMS.title, DCTERMS.description)


def accept_language(header: str | None) -> list[str]:
    """Primary language subtags in the client's order of preference ('sv-FI;q=0.8' -> 'sv')."""
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        tag = fields[0].lower().split("-")[0]
        if not tag or tag == "*":
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, position, tag))
    seen, out = set(), []
    for _, _, tag in sorted(ranked):
        if tag not in seen:
            seen.add(tag)
            out.append(tag)
    return out


def reader_languages(explicit: str | None, header: str | None, fallback=DEFAULT_FALLBACK) -> list[str]:
    order = []
    if explicit in LANGUAGES:
        order.append(explicit)
    order += [tag for tag in accept_language(header) if tag in LANGUAGES]
    order += list(fallback)
    seen = set()
    return [tag for tag in order if not (tag in seen or seen.add(tag))]


def best_literals(literals: list[Literal], languages: list[str]) -> list[Literal]:
    """Literals to show: untagged ones always; of tagged ones, those in the first language
    that has any (then any language)."""
    plain = [lit for lit in literals if not lit.language]
    tagged = [lit for lit in literals if lit.language]
    for lang in languages:
        chosen = [lit for lit in tagged if lit.language.lower().split("-")[0] == lang]
        if chosen:
            return plain + chosen
    return plain + tagged


def pick_label(labels_by_property: dict, languages: list[str]) -> Literal | None:
    """The best label from {property: [literals]}: skos:prefLabel, then rdfs:label, then schema:name,
    each in the reader's language order; a label in another language beats no label."""
    for order in (LABEL_ORDER, DESCRIPTIVE_ORDER):
        for lang in [*languages, None]:
            for prop in order:
                for literal in labels_by_property.get(prop, []):
                    if lang is None or (literal.language or "").lower().split("-")[0] == lang:
                        return literal
    return None


UI = {
    "en": {
        "home": "Home",
        "query": "SPARQL",
        "ontology": "Ontology",
        "searched": "Searched, not found",
        "versions_guide": "Versions, periods and provenance",
        "licence_data": "Data: CC BY 4.0 (credit Strategiaverkko and the sources it names)",
        "licence_metadata": "catalog metadata: CC0 1.0",
        "col_file": "File",
        "col_type": "Type",
        "col_bytes": "Bytes",
        "catalog": "Catalog",
        "downloads": "Downloads",
        "compare": "Compare",
        "type": "Type",
        "referred_by": "Referred to by",
        "source": "Source",
        "source_text": "Source text",
        "translation": "Translation",
        "curated": "Curated judgement",
        "inferred": "inferred",
        "other_formats": "This page as data",
        "vision": "Vision",
        "mission": "Mission",
        "values": "Values",
        "priorities": "Strategic priorities",
        "goals": "Goals",
        "programmes": "Programmes",
        "decisions": "Decisions",
        "timeline": "Decisions and events",
        "structure": "Structure of the strategy",
        "stratml": "This strategy as a StratML document (ISO 17469-1, XML)",
        "organisations": "Organisations",
        "strategies": "Strategies",
        "responsible": "Responsible for organising public services here (see its page for which)",
        "strategy_in_graph": "strategy in the graph",
        "no_strategy": "no strategy in the graph yet",
        "counts": "In numbers",
        "triples": "triples",
        "statements": "statements",
        "not_found": "Not found",
        "search": "Search the graph",
        "search_words": "Words to search for",
        "search_help": (
            "Finds every name, title and text in Finnish, Swedish and English. Inflected Finnish words "
            'match their base form ("strategiat" finds "strategia"), and letters without their accents '
            'match ("etela" finds "Etelä").'
        ),
        "search_count": "{n} things match “{q}”.",
        "search_truncated": "The search stops at the best 500 texts; add a word to narrow it.",
        "search_none": "Nothing matches “{q}”.",
        "search_try_fewer": (
            "Try fewer words, another form of the word, or a word in Finnish: the strategies are in Finnish."
        ),
        "search_try_sparql": "Ask in SPARQL (stv:baseForm holds the base forms of every word)",
        "search_submit": "Search",
        "search_pages": "Result pages",
        "search_page": "Page {page} of {pages}",
        "previous": "Previous",
        "next": "Next",
        "language": "Language",
        "period": "Period",
        "properties": "Properties",
        "about": "About this dataset",
        "draft": "draft",
        "final": "final",
        "other_properties": "Other properties",
        "municipalities": "Member municipalities (years)",
        "home_intro": (
            "The strategies of Finnish wellbeing services counties as linked open data: every statement with its "
            "source, queryable with SPARQL."
        ),
        "area_code": "Code",
        "query_ui": "Query with SPARQL",
        "dumps": "Download the data",
        "back_home": "Back to the home page",
    },
    "fi": {
        "home": "Etusivu",
        "query": "SPARQL",
        "ontology": "Ontologia",
        "searched": "Etsitty, ei löytynyt",
        "versions_guide": "Versiot, voimassaoloajat ja lähteet",
        "licence_data": "Data: CC BY 4.0 (mainitse lähteeksi Strategiaverkko ja sen nimeämät lähteet)",
        "licence_metadata": "luettelon kuvailutiedot: CC0 1.0",
        "col_file": "Tiedosto",
        "col_type": "Tyyppi",
        "col_bytes": "Tavua",
        "catalog": "Katalogi",
        "downloads": "Lataukset",
        "compare": "Vertailu",
        "type": "Tyyppi",
        "referred_by": "Viittaukset tähän",
        "source": "Lähde",
        "source_text": "Lähteen teksti",
        "translation": "Käännös",
        "curated": "Kuratoitu tulkinta",
        "inferred": "päätelty",
        "other_formats": "Tämä sivu datana",
        "vision": "Visio",
        "mission": "Missio",
        "values": "Arvot",
        "priorities": "Strategian kärjet",
        "goals": "Tavoitteet",
        "programmes": "Ohjelmat",
        "decisions": "Päätökset",
        "timeline": "Päätökset ja tapahtumat",
        "structure": "Strategian rakenne",
        "stratml": "Strategia StratML-asiakirjana (ISO 17469-1, XML)",
        "organisations": "Organisaatiot",
        "strategies": "Strategiat",
        "responsible": "Järjestämisvastuussa täällä (mistä palveluista, kerrotaan sen sivulla)",
        "strategy_in_graph": "strategia graafissa",
        "no_strategy": "strategiaa ei vielä graafissa",
        "counts": "Lukuina",
        "triples": "kolmikkoa",
        "statements": "lausumaa",
        "not_found": "Ei löytynyt",
        "search": "Hae graafista",
        "search_words": "Hakusanat",
        "search_help": (
            "Hakee kaikista nimistä, otsikoista ja teksteistä suomeksi, ruotsiksi ja englanniksi. "
            'Taivutetut sanat löytävät perusmuotonsa ("strategiat" löytää "strategia"), ja kirjaimet '
            'löytyvät ilman pisteitäkin ("etela" löytää "Etelä").'
        ),
        "search_count": "Haulla ”{q}” löytyi {n} kohdetta.",
        "search_truncated": "Haku pysähtyy 500 parhaaseen tekstiin; tarkenna lisäämällä sana.",
        "search_none": "Haulla ”{q}” ei löytynyt mitään.",
        "search_try_fewer": (
            "Kokeile vähempiä sanoja, sanan toista muotoa tai suomenkielistä sanaa: strategiat ovat suomeksi."
        ),
        "search_try_sparql": "Kysy SPARQLilla (stv:baseForm sisältää jokaisen sanan perusmuodot)",
        "search_submit": "Hae",
        "search_pages": "Tulossivut",
        "search_page": "Sivu {page}/{pages}",
        "previous": "Edellinen",
        "next": "Seuraava",
        "language": "Kieli",
        "period": "Voimassaolo",
        "properties": "Ominaisuudet",
        "about": "Tietoa aineistosta",
        "draft": "luonnos",
        "final": "lopullinen",
        "other_properties": "Muut ominaisuudet",
        "municipalities": "Jäsenkunnat (vuodet)",
        "home_intro": (
            "Suomen hyvinvointialueiden strategiat linkitettynä avoimena datana: jokainen lausuma lähteineen, "
            "kysyttävissä SPARQLilla."
        ),
        "area_code": "Koodi",
        "query_ui": "Kysy SPARQLilla",
        "dumps": "Lataa aineisto",
        "back_home": "Takaisin etusivulle",
    },
    "sv": {
        "home": "Hem",
        "query": "SPARQL",
        "ontology": "Ontologi",
        "searched": "Sökt, inte hittat",
        "versions_guide": "Versioner, giltighetstider och källor",
        "licence_data": "Data: CC BY 4.0 (ange Strategiaverkko och de källor den nämner)",
        "licence_metadata": "katalogens metadata: CC0 1.0",
        "col_file": "Fil",
        "col_type": "Typ",
        "col_bytes": "Byte",
        "catalog": "Katalog",
        "downloads": "Nedladdningar",
        "compare": "Jämförelse",
        "type": "Typ",
        "referred_by": "Hänvisningar hit",
        "source": "Källa",
        "source_text": "Källtext",
        "translation": "Översättning",
        "curated": "Kurerad bedömning",
        "inferred": "härledd",
        "other_formats": "Den här sidan som data",
        "vision": "Vision",
        "mission": "Mission",
        "values": "Värderingar",
        "priorities": "Strategiska prioriteringar",
        "goals": "Mål",
        "programmes": "Program",
        "decisions": "Beslut",
        "timeline": "Beslut och händelser",
        "structure": "Strategins struktur",
        "stratml": "Strategin som StratML-dokument (ISO 17469-1, XML)",
        "organisations": "Organisationer",
        "strategies": "Strategier",
        "responsible": "Organiseringsansvarig här (för vilka tjänster, se dess sida)",
        "strategy_in_graph": "strategi i grafen",
        "no_strategy": "ingen strategi i grafen ännu",
        "counts": "I siffror",
        "triples": "tripler",
        "statements": "utsagor",
        "not_found": "Hittades inte",
        "search": "Sök i grafen",
        "search_words": "Sökord",
        "search_help": (
            "Söker i alla namn, rubriker och texter på finska, svenska och engelska. Böjda finska ord "
            'hittar sin grundform ("strategiat" hittar "strategia"), och bokstäver utan prickar hittar '
            'dem med ("etela" hittar "Etelä").'
        ),
        "search_count": "{n} träffar på ”{q}”.",
        "search_truncated": "Sökningen stannar vid de 500 bästa texterna; lägg till ett ord för att avgränsa den.",
        "search_none": "Inget hittades för ”{q}”.",
        "search_try_fewer": "Pröva färre ord, en annan form av ordet eller ett finskt ord: strategierna är på finska.",
        "search_try_sparql": "Fråga med SPARQL (stv:baseForm innehåller grundformerna av varje ord)",
        "search_submit": "Sök",
        "search_pages": "Resultatsidor",
        "search_page": "Sida {page} av {pages}",
        "previous": "Föregående",
        "next": "Nästa",
        "language": "Språk",
        "period": "Giltighetstid",
        "properties": "Egenskaper",
        "about": "Om datamängden",
        "draft": "utkast",
        "final": "slutlig",
        "other_properties": "Övriga egenskaper",
        "municipalities": "Medlemskommuner (år)",
        "home_intro": (
            "Strategierna för Finlands välfärdsområden som länkade öppna data: varje utsaga med sin källa, sökbar "
            "med SPARQL."
        ),
        "area_code": "Kod",
        "query_ui": "Fråga med SPARQL",
        "dumps": "Ladda ner data",
        "back_home": "Tillbaka till startsidan",
    },
}

# The comparison page (/compare) and the themes on organisation pages.
_COMPARE = {
    "en": {
        "compare_title": "Organisations side by side by strategic theme",
        "compare_intro": (
            "Rows are strategic themes, columns organisations; each cell lists the statements of the "
            "organisation's strategy (vision, mission, values, priorities, goals) that address the theme."
        ),
        "curated_note": (
            "Which theme a statement addresses is a curated judgement of the Strategiaverkko maintainers, not a "
            "statement of the source. The links are kept in their own named graph:"
        ),
        "curated_rule": "who classified, when and by what rule",
        "kind_filter": "Kinds of statement",
        "kind_filter_hint": "none ticked: all kinds",
        "show": "Show",
        "theme": "Theme",
        "themes": "Strategic themes",
        "heatmap": "Number of statements by theme and organisation",
        "heatmap_cell": "{theme} – {organisation}: {count} statement(s)",
        "matrix": "Themes and statements",
        "shared_title": "Themes two organisations share",
        "shared_intro": "The themes both organisations address, and the statements through which each of them does.",
        "organisation_a": "First organisation",
        "organisation_b": "Second organisation",
        "compare_these": "Compare",
        "no_shared": "These organisations share no theme (with these kinds of statement).",
        "download": "Download",
        "query_behind": "The SPARQL query behind this",
        "via": "linked to",
        "no_themes": "No statement of this organisation is linked to a theme yet.",
        "shared_with": "Also addressed by",
        "only_here": "no other organisation",
        "on_compare_page": "Compare by theme",
        "statements_heading": "Statements",
        "editors_summary": "Editors' summary",
    },
    "fi": {
        "compare_title": "Organisaatiot rinnakkain strategisten teemojen mukaan",
        "compare_intro": (
            "Riveinä strategiset teemat, sarakkeina organisaatiot; kussakin solussa organisaation strategian "
            "lausumat (visio, missio, arvot, kärjet, tavoitteet), jotka käsittelevät teemaa."
        ),
        "curated_note": (
            "Se, mitä teemaa lausuma käsittelee, on Strategiaverkon ylläpitäjien kuratoitu tulkinta, ei lähteen "
            "toteamus. Linkit ovat omassa nimetyssä graafissaan:"
        ),
        "curated_rule": "kuka luokitteli, milloin ja millä säännöllä",
        "kind_filter": "Lausumien lajit",
        "kind_filter_hint": "jos mitään ei ole valittu: kaikki lajit",
        "show": "Näytä",
        "theme": "Teema",
        "themes": "Strategiset teemat",
        "heatmap": "Lausumien määrä teemoittain ja organisaatioittain",
        "heatmap_cell": "{theme} – {organisation}: {count} lausuma(a)",
        "matrix": "Teemat ja lausumat",
        "shared_title": "Kahden organisaation yhteiset teemat",
        "shared_intro": (
            "Teemat, joita kumpikin organisaatio käsittelee, ja lausumat, joiden kautta kumpikin niitä käsittelee."
        ),
        "organisation_a": "Ensimmäinen organisaatio",
        "organisation_b": "Toinen organisaatio",
        "compare_these": "Vertaa",
        "no_shared": "Näillä organisaatioilla ei ole yhteisiä teemoja (näillä lausumien lajeilla).",
        "download": "Lataa",
        "query_behind": "Taustalla oleva SPARQL-kysely",
        "via": "liitetty teemaan",
        "no_themes": "Tämän organisaation lausumia ei ole vielä liitetty teemoihin.",
        "shared_with": "Myös näillä",
        "only_here": "ei muilla organisaatioilla",
        "on_compare_page": "Vertaa teemoittain",
        "statements_heading": "Lausumat",
        "editors_summary": "Toimituksen tiivistelmä",
    },
    "sv": {
        "compare_title": "Organisationer sida vid sida enligt strategiska teman",
        "compare_intro": (
            "Raderna är strategiska teman, kolumnerna organisationer; varje cell visar de utsagor i "
            "organisationens strategi (vision, mission, värderingar, prioriteringar, mål) som behandlar temat."
        ),
        "curated_note": (
            "Vilket tema en utsaga behandlar är en kurerad bedömning av Strategiaverkkos förvaltare, inte källans "
            "utsaga. Länkarna finns i en egen namngiven graf:"
        ),
        "curated_rule": "vem som klassificerade, när och enligt vilken regel",
        "kind_filter": "Typer av utsagor",
        "kind_filter_hint": "inget valt: alla typer",
        "show": "Visa",
        "theme": "Tema",
        "themes": "Strategiska teman",
        "heatmap": "Antal utsagor per tema och organisation",
        "heatmap_cell": "{theme} – {organisation}: {count} utsaga(or)",
        "matrix": "Teman och utsagor",
        "shared_title": "Teman som två organisationer delar",
        "shared_intro": (
            "De teman som båda organisationerna behandlar, och de utsagor genom vilka var och en av dem gör det."
        ),
        "organisation_a": "Första organisationen",
        "organisation_b": "Andra organisationen",
        "compare_these": "Jämför",
        "no_shared": "Organisationerna delar inget tema (med dessa typer av utsagor).",
        "download": "Ladda ner",
        "query_behind": "SPARQL-frågan bakom sidan",
        "via": "kopplad till",
        "no_themes": "Ingen av organisationens utsagor är ännu kopplad till ett tema.",
        "shared_with": "Behandlas också av",
        "only_here": "ingen annan organisation",
        "on_compare_page": "Jämför enligt tema",
        "statements_heading": "Utsagor",
        "editors_summary": "Redaktionens sammanfattning",
    },
}
for _lang, _words in _COMPARE.items():
    UI[_lang].update(_words)

# The coverage page (/coverage) and the coverage columns of the home page.
_COVERAGE = {
    "en": {
        "coverage": "Coverage",
        "coverage_intro": (
            "Per area of the wellbeing services county classification: whether a strategy is in the graph, its "
            "period and version, and the date of the newest source."
        ),
        "current_strategy": "Current strategy",
        "version": "Version",
        "decided": "Decided",
        "last_source": "Last source",
        "sources": "Sources",
        "earlier_versions": "Earlier versions",
        "counties_without": "Areas without a strategy in the graph",
        "coverage_query": "The same as a SPARQL query",
        "coverage_note": (
            "Version: counted in the graph (a strategy that replaces another is one version later). Last source: "
            "the newest publication or modification date among the sources of the area's facts, as precise as the "
            "sources give it."
        ),
    },
    "fi": {
        "coverage": "Kattavuus",
        "coverage_intro": (
            "Hyvinvointialueluokituksen alueittain: onko strategia graafissa, sen voimassaolo ja versio sekä "
            "uusimman lähteen päivämäärä."
        ),
        "current_strategy": "Nykyinen strategia",
        "version": "Versio",
        "decided": "Päätetty",
        "last_source": "Uusin lähde",
        "sources": "Lähteitä",
        "earlier_versions": "Aiemmat versiot",
        "counties_without": "Alueet, joiden strategiaa ei ole graafissa",
        "coverage_query": "Sama SPARQL-kyselynä",
        "coverage_note": (
            "Versio: laskettu graafista (toisen strategian korvaava strategia on versiota myöhempi). Uusin lähde: "
            "alueen tietojen lähteiden uusin julkaisu- tai muokkauspäivä lähteiden tarkkuudella."
        ),
    },
    "sv": {
        "coverage": "Täckning",
        "coverage_intro": (
            "Per område i klassificeringen av välfärdsområden: om en strategi finns i grafen, dess giltighetstid "
            "och version samt datum för den nyaste källan."
        ),
        "current_strategy": "Nuvarande strategi",
        "version": "Version",
        "decided": "Beslutad",
        "last_source": "Nyaste källa",
        "sources": "Källor",
        "earlier_versions": "Tidigare versioner",
        "counties_without": "Områden utan strategi i grafen",
        "coverage_query": "Samma som SPARQL-fråga",
        "coverage_note": (
            "Version: räknad i grafen (en strategi som ersätter en annan är en version senare). Nyaste källa: det "
            "nyaste publicerings- eller ändringsdatumet bland källorna till områdets uppgifter, så exakt som "
            "källorna anger."
        ),
    },
}
for _lang, _words in _COVERAGE.items():
    UI[_lang].update(_words)

# The SPARQL query page (/sparql). Canned queries' titles and descriptions stay in English
# (they are written once, in the .rq files); the page marks them lang="en".
_SPARQL = {
    "en": {
        "sparql_title": "SPARQL query",
        "sparql_intro": "Query the graph of Finnish wellbeing services counties' strategies. The default graph is "
        "the union of all named graphs: the facts from the sources (asserted), the curated theme "
        "links, the inferred triples and the ontology. These prefixes are declared for you:",
        "declared_prefixes": "Declared prefixes",
        "researchers_questions": "Researchers' questions",
        "in_english": "in English",
        "query_label": "Query",
        "run_query": "Run query",
        "permalink": "Permalink",
        "rows": "row(s)",
    },
    "fi": {
        "sparql_title": "SPARQL-kysely",
        "sparql_intro": "Kysy Suomen hyvinvointialueiden strategioiden graafista. Oletusgraafi on kaikkien "
        "nimettyjen graafien yhdiste: lähteiden tiedot (esitetyt), kuratoidut teemalinkit, "
        "päätellyt kolmikot ja ontologia. Nämä etuliitteet on määritelty valmiiksi:",
        "declared_prefixes": "Määritellyt etuliitteet",
        "researchers_questions": "Tutkijoiden kysymyksiä",
        "in_english": "englanniksi",
        "query_label": "Kysely",
        "run_query": "Suorita kysely",
        "permalink": "Pysyvä linkki",
        "rows": "riviä",
    },
    "sv": {
        "sparql_title": "SPARQL-fråga",
        "sparql_intro": "Ställ frågor till grafen över strategierna för Finlands välfärdsområden. Standardgrafen är "
        "unionen av alla namngivna grafer: uppgifterna från källorna (angivna), de kurerade "
        "temalänkarna, de härledda triplerna och ontologin. Dessa prefix är redan deklarerade:",
        "declared_prefixes": "Deklarerade prefix",
        "researchers_questions": "Forskarnas frågor",
        "in_english": "på engelska",
        "query_label": "Fråga",
        "run_query": "Kör frågan",
        "permalink": "Permanent länk",
        "rows": "rad(er)",
    },
}
for _lang, _words in _SPARQL.items():
    UI[_lang].update(_words)
