"""The reader's language: which literal and which label to show, and the page chrome's words.

Order of preference: an explicit ?lang= (the language switch), then the reader's earlier
choice (the `lang` cookie the switch sets), then the Accept-Language header with its
q-values, then the configured fallback order (fi, sv, en by default), then any language at all.
A label is never replaced by a bare IRI when one exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

T = TypeVar("T")
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


def reader_languages(
    explicit: str | None, header: str | None, fallback=DEFAULT_FALLBACK, remembered: str | None = None
) -> list[str]:
    order = [tag for tag in (explicit, remembered) if tag in LANGUAGES]
    order += [tag for tag in accept_language(header) if tag in LANGUAGES]
    order += list(fallback)
    return list(dict.fromkeys(order))  # each once, where it first comes


def in_reader_language(terms: Sequence[T], languages: list[str]) -> T | None:
    """The first term (a literal, or anything with a `language`) in the reader's first language
    that has one, else the first term; None when there are none."""
    for lang in languages:
        for term in terms:
            if (getattr(term, "language", None) or "").lower().split("-")[0] == lang:
                return term
    return terms[0] if terms else None


def best_literals(literals: list[Literal], languages: list[str]) -> list[Literal]:
    """Literals to show: untagged ones always; of tagged ones, those in the first language
    that has any (then any language)."""
    plain = [lit for lit in literals if not lit.language]
    tagged = [lit for lit in literals if lit.language]
    for lang in languages:
        chosen = [lit for lit in tagged if (lit.language or "").lower().split("-")[0] == lang]
        if chosen:
            return plain + chosen
    return plain + tagged


def language_of(label: Literal | None) -> str | None:
    """The language tag of a label, for the lang attribute of what shows it: None for an untagged
    literal, no label, or a value that is not a literal at all."""
    return getattr(label, "language", None)


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
        "open_in_sparql": "Open in SPARQL: what the graph says about this",
        "open_in_sparql_incoming": "what links here",
        "build": "Build",
        "breadcrumbs": "You are here",
        "in_order": "{kind} in order",
        "position": "{n} of {of}",
        "theme_elsewhere": "This theme in other counties",
        "elsewhere_more": "… and {n} more organisations.",
        "elsewhere_more_one": "… and 1 more organisation.",
        "inferred_heading": "Derived from other statements",
        "inferred_explained": (
            "The build derives these from the statements above by the ontology’s rules (OWL "
            "RL inference): the sources do not state them in these words."
        ),
        "repeated_summary": "{n} derived statements repeat ones shown above (shown once)",
        "repeated_summary_one": "1 derived statement repeats one shown above (shown once)",
        "repeats": "the same as “{p}”",
        "translation_note": "our translation, not the source’s words",
        "curated_short": "the maintainers’ classification, not the source’s",
        "earlier_versions_n": "{n} earlier version(s) on the organisation's page",
        "skip_to_content": "Skip to content",
        "site_nav": "Site",
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
        "open_in_sparql": "Avaa SPARQL-kyselynä: mitä graafi kertoo tästä",
        "open_in_sparql_incoming": "mitkä viittaavat tähän",
        "build": "Koonti",
        "breadcrumbs": "Olet tässä",
        "in_order": "{kind} järjestyksessä",
        "position": "{n}/{of}",
        "theme_elsewhere": "Sama teema muilla alueilla",
        "elsewhere_more": "… ja {n} muuta organisaatiota.",
        "elsewhere_more_one": "… ja 1 muu organisaatio.",
        "inferred_heading": "Johdettu muista tiedoista",
        "inferred_explained": (
            "Koonti johtaa nämä yllä olevista tiedoista ontologian sääntöjen avulla (OWL RL "
            "-päättely): lähteet eivät sano niitä näin."
        ),
        "repeated_summary": "{n} johdettua tietoa toistaa yllä näkyviä (näytetään kerran)",
        "repeated_summary_one": "1 johdettu tieto toistaa yllä näkyvää (näytetään kerran)",
        "repeats": "sama kuin ”{p}”",
        "translation_note": "meidän käännöksemme, ei lähteen sanoja",
        "curated_short": "ylläpitäjien luokittelu, ei lähteen",
        "earlier_versions_n": "{n} aiempaa versiota organisaation sivulla",
        "skip_to_content": "Siirry sisältöön",
        "site_nav": "Sivusto",
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
        "open_in_sparql": "Öppna i SPARQL: vad grafen säger om detta",
        "open_in_sparql_incoming": "vad som länkar hit",
        "build": "Bygge",
        "breadcrumbs": "Du är här",
        "in_order": "{kind} i ordning",
        "position": "{n} av {of}",
        "theme_elsewhere": "Samma tema i andra områden",
        "elsewhere_more": "… och {n} organisationer till.",
        "elsewhere_more_one": "… och 1 organisation till.",
        "inferred_heading": "Härlett ur andra uppgifter",
        "inferred_explained": (
            "Bygget härleder dessa ur uppgifterna ovan med ontologins regler (OWL "
            "RL-inferens): källorna säger dem inte med dessa ord."
        ),
        "repeated_summary": "{n} härledda uppgifter upprepar sådana som visas ovan (visas en gång)",
        "repeated_summary_one": "1 härledd uppgift upprepar en som visas ovan (visas en gång)",
        "repeats": "samma som ”{p}”",
        "translation_note": "vår översättning, inte källans ord",
        "curated_short": "förvaltarnas klassificering, inte källans",
        "earlier_versions_n": "{n} tidigare version(er) på organisationens sida",
        "skip_to_content": "Hoppa till innehållet",
        "site_nav": "Webbplats",
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


def _add_words(words: dict[str, dict[str, str]]) -> None:
    """Add a page's words to UI. One key means one text: a page may not quietly change the words
    of another (a "triples" that became "{n} triples" once broke the home page's counts)."""
    for lang, more in words.items():
        for key, text in more.items():
            if UI[lang].get(key, text) != text:
                raise ValueError(f"UI[{lang!r}][{key!r}] is already {UI[lang][key]!r}, not {text!r}")
            UI[lang][key] = text


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
        "heatmap_cell": "{theme} – {organisation}: {count} statements",
        "heatmap_cell_one": "{theme} – {organisation}: 1 statement",
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
        "org_filter": "Organisations",
        "org_filter_hint": "none ticked: all",
        "org_filter_shown": "{shown} of {all} shown",
        "heatmap_skip": "Skip the heat map",
        "heatmap_legend": (
            "Each number is how many statements of the organisation (column) address the theme (row); the darker "
            "the cell, the more. Choose a number to see those statements in the table below."
        ),
        "heatmap_scale": "Shades and the numbers they stand for",
        "heatmap_none": "none",
        "heatmap_keys": (
            "In the heat map, the arrow keys move between the numbers (Home and End: first and last of the row); "
            "Enter opens the statements. Tab moves on past the heat map."
        ),
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
        "heatmap_cell": "{theme} – {organisation}: {count} lausumaa",
        "heatmap_cell_one": "{theme} – {organisation}: 1 lausuma",
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
        "org_filter": "Organisaatiot",
        "org_filter_hint": "jos mitään ei ole valittu: kaikki",
        "org_filter_shown": "{shown}/{all} näkyvissä",
        "heatmap_skip": "Ohita lämpökartta",
        "heatmap_legend": (
            "Kukin luku kertoo, montako organisaation (sarake) lausumaa käsittelee teemaa (rivi); mitä tummempi "
            "solu, sitä useampi. Valitse luku nähdäksesi lausumat alla olevasta taulukosta."
        ),
        "heatmap_scale": "Sävyt ja niiden luvut",
        "heatmap_none": "ei yhtään",
        "heatmap_keys": (
            "Lämpökartassa nuolinäppäimet siirtävät lukujen välillä (Home ja End: rivin ensimmäinen ja viimeinen); "
            "Enter avaa lausumat. Sarkain siirtyy lämpökartan ohi."
        ),
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
        "heatmap_cell": "{theme} – {organisation}: {count} utsagor",
        "heatmap_cell_one": "{theme} – {organisation}: 1 utsaga",
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
        "org_filter": "Organisationer",
        "org_filter_hint": "inget valt: alla",
        "org_filter_shown": "{shown} av {all} visas",
        "heatmap_skip": "Hoppa över värmekartan",
        "heatmap_legend": (
            "Varje tal anger hur många av organisationens (kolumn) utsagor som behandlar temat (rad); ju mörkare "
            "cell, desto fler. Välj ett tal för att se utsagorna i tabellen nedan."
        ),
        "heatmap_scale": "Nyanser och de tal de står för",
        "heatmap_none": "inga",
        "heatmap_keys": (
            "I värmekartan flyttar piltangenterna mellan talen (Home och End: radens första och sista); Enter "
            "öppnar utsagorna. Tabb går vidare förbi värmekartan."
        ),
    },
}
_add_words(_COMPARE)

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
_add_words(_COVERAGE)

# The ontology's documentation (/ontology).
_ONTOLOGY = {
    "en": {
        "onto_contents": "Contents",
        "onto_class_tree": "Class tree",
        "onto_class_tree_intro": "Every class of the ontology, each under the classes it is a subclass of.",
        "onto_also_above": "also listed above, with its subclasses",
        "onto_classes": "Classes",
        "onto_properties": "Properties",
        "onto_concepts": "Concepts and alignment targets",
        "onto_in_data": "In the data",
        "onto_version": "Version",
        "onto_prefix": "Prefix",
        "onto_licence": "Licence",
        "onto_formats": "Formats",
    },
    "fi": {
        "onto_contents": "Sisällys",
        "onto_class_tree": "Luokkapuu",
        "onto_class_tree_intro": "Ontologian kaikki luokat, kukin niiden luokkien alla, joiden alaluokka se on.",
        "onto_also_above": "myös edellä alaluokkineen",
        "onto_classes": "Luokat",
        "onto_properties": "Ominaisuudet",
        "onto_concepts": "Käsitteet ja vastinsanastojen termit",
        "onto_in_data": "Aineistossa",
        "onto_version": "Versio",
        "onto_prefix": "Etuliite",
        "onto_licence": "Lisenssi",
        "onto_formats": "Muodot",
    },
    "sv": {
        "onto_contents": "Innehåll",
        "onto_class_tree": "Klassträd",
        "onto_class_tree_intro": "Ontologins alla klasser, var och en under de klasser den är en underklass till.",
        "onto_also_above": "finns också ovan, med sina underklasser",
        "onto_classes": "Klasser",
        "onto_properties": "Egenskaper",
        "onto_concepts": "Begrepp och termer i andra vokabulär",
        "onto_in_data": "I data",
        "onto_version": "Version",
        "onto_prefix": "Prefix",
        "onto_licence": "Licens",
        "onto_formats": "Format",
    },
}
_add_words(_ONTOLOGY)

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
        "dataset_only": "Asked of these graphs only (the request's dataset), not of the union of all graphs:",
        "dataset_all": "Ask of all graphs",
        "rows": "row(s)",
        "stop": "Stop",
        "running": "Running…",
        "stopped": "Stopped: the query was cancelled.",
        "editor_help": (
            "Ctrl+Space completes names, Ctrl+Enter runs the query. To leave the editor with the keyboard, "
            "press Esc, then Tab."
        ),
        "filter_questions": "Filter questions",
        "no_questions_match": "No question matches.",
        "filter_rows": "Filter rows",
        "page_of": "Page {page} of {pages}",
        "previous": "Previous",
        "next": "Next",
        "rows_of": "Rows {first}–{last} of {total}",
        "rows_match": "{matching} of {total} rows match",
        "sort_by": "Sort by {column}",
        "results_caption": "Query results",
        "no_rows": "No rows.",
        "view": "View",
        "view_Table": "Table",
        "view_BarChart": "Bar chart",
        "view_LineChart": "Line chart",
        "view_Timeline": "Timeline",
        "view_Graph": "Graph",
        "needs_numbers": "A chart needs a column of numbers.",
        "needs_dates": "A timeline needs a column of dates.",
        "timeline_undated": "{n} row(s) without a date in {column} are not drawn; the table has them.",
        "needs_graph": "The graph view shows the answers of CONSTRUCT and DESCRIBE queries, or rows with IRIs.",
        "graph_size": "{nodes} nodes, {edges} edges",
        "graph_triples": "{n} triples",
        "history": "Your recent queries",
        "history_empty": "No queries yet.",
        "clear_history": "Clear history",
        "history_note": "Kept in this browser only.",
        "copy_link": "Copy a short link",
        "link_copied": "Link copied.",
        "short_link_made": "Short link made: it is shown next to the button.",
        "view_needs_script": (
            "The view “{view}” is drawn by JavaScript, which is off: the table below holds the same answer."
        ),
        "note_label": "Note",
        "question_details": "What it returns",
        "error_title": "The query could not run",
        "at_position": "Line {line}, column {column}",
        "err_unknown_prefix": "unknown prefix {culprit}",
        "err_unknown_term": "{culprit} is not in the Strategiaverkko vocabulary",
        "err_unknown_word": "unknown word {culprit}",
        "err_unclosed": "{culprit} is never closed",
        "err_ungrouped": "a variable of SELECT is neither in GROUP BY nor inside an aggregate (COUNT, SAMPLE …)",
        "err_syntax": "unexpected {culprit}",
        "err_end_of_query": "the query ends too early",
        "did_you_mean": "did you mean {suggestions}?",
        "expected_one_of": "expected {expected}",
        "add_prefix_line": "add the line PREFIX {prefix} <{namespace}>",
        "or": "or",
        "err_timeout": "The query ran longer than {limit} s ({which}) and was stopped.",
        "which_asked": "the time limit you asked for",
        "which_endpoint": "this endpoint's time limit",
        "try_timeout": (
            "Try: add LIMIT, start from a class or a known IRI instead of ?s ?p ?o, or split the question in two."
        ),
        "err_too_large": "The answer is larger than {limit}, this endpoint's limit for one answer.",
        "try_too_large": "Try: LIMIT and OFFSET to take the answer in parts, or fewer columns.",
        "err_query_too_long": "The query is {size} long; this endpoint takes at most {limit}.",
        "try_query_too_long": "Try: shorten long VALUES lists, or run the question in parts.",
        "err_too_deep": "The query nests brackets {depth} levels deep; this endpoint takes at most {limit}.",
        "err_forbidden": "Only read-only queries on this data run here: no SPARQL Update and no SERVICE.",
        "err_busy": "The endpoint is busy. Try again in a moment.",
        "err_network": "The server could not be reached. Check the connection and try again.",
        "err_other": "The server could not answer ({status}).",
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
        "dataset_only": "Kysytään vain näistä graafeista (pyynnön tietojoukko), ei kaikkien graafien yhdisteestä:",
        "dataset_all": "Kysy kaikista graafeista",
        "rows": "riviä",
        "stop": "Pysäytä",
        "running": "Kysely käynnissä…",
        "stopped": "Pysäytetty: kysely peruttiin.",
        "editor_help": (
            "Ctrl+välilyönti täydentää nimiä, Ctrl+Enter suorittaa kyselyn. Poistu editorista näppäimistöllä "
            "painamalla Esc ja sitten sarkainta."
        ),
        "filter_questions": "Suodata kysymyksiä",
        "no_questions_match": "Yksikään kysymys ei vastaa.",
        "filter_rows": "Suodata rivejä",
        "page_of": "Sivu {page}/{pages}",
        "previous": "Edellinen",
        "next": "Seuraava",
        "rows_of": "Rivit {first}–{last}/{total}",
        "rows_match": "{matching}/{total} riviä vastaa",
        "sort_by": "Lajittele: {column}",
        "results_caption": "Kyselyn tulokset",
        "no_rows": "Ei rivejä.",
        "view": "Näkymä",
        "view_Table": "Taulukko",
        "view_BarChart": "Pylväskaavio",
        "view_LineChart": "Viivakaavio",
        "view_Timeline": "Aikajana",
        "view_Graph": "Verkko",
        "needs_numbers": "Kaavio tarvitsee numerosarakkeen.",
        "needs_dates": "Aikajana tarvitsee päivämääräsarakkeen.",
        "timeline_undated": (
            "Rivejä, joiden sarakkeessa {column} ei ole päivämäärää, ei piirretä ({n}); taulukossa ne ovat."
        ),
        "needs_graph": (
            "Verkkonäkymä näyttää CONSTRUCT- ja DESCRIBE-kyselyjen vastaukset tai rivit, joissa on IRI-tunnisteita."
        ),
        "graph_size": "{nodes} solmua, {edges} kaarta",
        "graph_triples": "{n} kolmikkoa",
        "history": "Viimeisimmät kyselysi",
        "history_empty": "Ei vielä kyselyjä.",
        "clear_history": "Tyhjennä historia",
        "history_note": "Säilyy vain tässä selaimessa.",
        "copy_link": "Kopioi lyhyt linkki",
        "link_copied": "Linkki kopioitu.",
        "short_link_made": "Lyhyt linkki tehty: se näkyy painikkeen vieressä.",
        "view_needs_script": (
            "Näkymän ”{view}” piirtää JavaScript, joka on pois päältä: alla oleva taulukko sisältää saman vastauksen."
        ),
        "note_label": "Huomio",
        "question_details": "Mitä se palauttaa",
        "error_title": "Kyselyä ei voitu suorittaa",
        "at_position": "Rivi {line}, sarake {column}",
        "err_unknown_prefix": "tuntematon etuliite {culprit}",
        "err_unknown_term": "{culprit} ei ole Strategiaverkon sanastossa",
        "err_unknown_word": "tuntematon sana {culprit}",
        "err_unclosed": "{culprit} jää sulkematta",
        "err_ungrouped": "SELECTin muuttuja ei ole GROUP BY -ryhmittelyssä eikä koostefunktiossa (COUNT, SAMPLE …)",
        "err_syntax": "odottamaton {culprit}",
        "err_end_of_query": "kysely päättyy kesken",
        "did_you_mean": "tarkoititko {suggestions}?",
        "expected_one_of": "odotettiin: {expected}",
        "add_prefix_line": "lisää rivi PREFIX {prefix} <{namespace}>",
        "or": "tai",
        "err_timeout": "Kysely kesti yli {limit} s ({which}) ja pysäytettiin.",
        "which_asked": "pyytämäsi aikaraja",
        "which_endpoint": "tämän palvelun aikaraja",
        "try_timeout": (
            "Kokeile: lisää LIMIT, aloita luokasta tai tunnetusta IRI:stä ?s ?p ?o:n sijaan tai jaa kysymys kahteen."
        ),
        "err_too_large": "Vastaus on suurempi kuin {limit}, tämän palvelun raja yhdelle vastaukselle.",
        "try_too_large": "Kokeile: LIMIT ja OFFSET hakevat vastauksen osissa, tai valitse vähemmän sarakkeita.",
        "err_query_too_long": "Kysely on {size} pitkä; tämä palvelu ottaa enintään {limit}.",
        "try_query_too_long": "Kokeile: lyhennä pitkiä VALUES-listoja tai suorita kysymys osissa.",
        "err_too_deep": "Kyselyn sulkeet ovat {depth} tasoa syvällä; tämä palvelu sallii enintään {limit}.",
        "err_forbidden": "Täällä suoritetaan vain lukevia kyselyjä tähän aineistoon: ei SPARQL Updatea eikä SERVICEä.",
        "err_busy": "Palvelu on kiireinen. Yritä hetken päästä uudelleen.",
        "err_network": "Palvelimeen ei saatu yhteyttä. Tarkista yhteys ja yritä uudelleen.",
        "err_other": "Palvelin ei voinut vastata ({status}).",
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
        "dataset_only": "Frågan ställs bara till dessa grafer (begärans datamängd), inte till unionen av alla grafer:",
        "dataset_all": "Fråga alla grafer",
        "rows": "rad(er)",
        "stop": "Stoppa",
        "running": "Frågan körs…",
        "stopped": "Stoppad: frågan avbröts.",
        "editor_help": (
            "Ctrl+mellanslag kompletterar namn, Ctrl+Enter kör frågan. Lämna redigeraren med tangentbordet "
            "genom att trycka Esc och sedan Tab."
        ),
        "filter_questions": "Filtrera frågor",
        "no_questions_match": "Ingen fråga matchar.",
        "filter_rows": "Filtrera rader",
        "page_of": "Sida {page} av {pages}",
        "previous": "Föregående",
        "next": "Nästa",
        "rows_of": "Rader {first}–{last} av {total}",
        "rows_match": "{matching} av {total} rader matchar",
        "sort_by": "Sortera efter {column}",
        "results_caption": "Frågans resultat",
        "no_rows": "Inga rader.",
        "view": "Vy",
        "view_Table": "Tabell",
        "view_BarChart": "Stapeldiagram",
        "view_LineChart": "Linjediagram",
        "view_Timeline": "Tidslinje",
        "view_Graph": "Graf",
        "needs_numbers": "Ett diagram behöver en kolumn med tal.",
        "needs_dates": "En tidslinje behöver en kolumn med datum.",
        "timeline_undated": "Rader utan datum i {column} ritas inte ({n}); tabellen har dem.",
        "needs_graph": "Grafvyn visar svaren på CONSTRUCT- och DESCRIBE-frågor, eller rader med IRI:er.",
        "graph_size": "{nodes} noder, {edges} bågar",
        "graph_triples": "{n} tripler",
        "history": "Dina senaste frågor",
        "history_empty": "Inga frågor ännu.",
        "clear_history": "Töm historiken",
        "history_note": "Sparas bara i den här webbläsaren.",
        "copy_link": "Kopiera en kort länk",
        "link_copied": "Länken kopierad.",
        "short_link_made": "Kort länk skapad: den visas bredvid knappen.",
        "view_needs_script": (
            "Vyn ”{view}” ritas av JavaScript, som är avstängt: tabellen nedan innehåller samma svar."
        ),
        "note_label": "Obs",
        "question_details": "Vad den ger",
        "error_title": "Frågan kunde inte köras",
        "at_position": "Rad {line}, kolumn {column}",
        "err_unknown_prefix": "okänt prefix {culprit}",
        "err_unknown_term": "{culprit} finns inte i Strategiaverkkos vokabulär",
        "err_unknown_word": "okänt ord {culprit}",
        "err_unclosed": "{culprit} stängs aldrig",
        "err_ungrouped": "en variabel i SELECT finns varken i GROUP BY eller i en aggregatfunktion (COUNT, SAMPLE …)",
        "err_syntax": "oväntat {culprit}",
        "err_end_of_query": "frågan tar slut för tidigt",
        "did_you_mean": "menade du {suggestions}?",
        "expected_one_of": "förväntade {expected}",
        "add_prefix_line": "lägg till raden PREFIX {prefix} <{namespace}>",
        "or": "eller",
        "err_timeout": "Frågan körde längre än {limit} s ({which}) och stoppades.",
        "which_asked": "tidsgränsen du bad om",
        "which_endpoint": "tjänstens tidsgräns",
        "try_timeout": (
            "Försök: lägg till LIMIT, börja från en klass eller en känd IRI i stället för ?s ?p ?o, eller "
            "dela frågan i två."
        ),
        "err_too_large": "Svaret är större än {limit}, tjänstens gräns för ett svar.",
        "try_too_large": "Försök: LIMIT och OFFSET hämtar svaret i delar, eller välj färre kolumner.",
        "err_query_too_long": "Frågan är {size} lång; tjänsten tar högst {limit}.",
        "try_query_too_long": "Försök: korta långa VALUES-listor eller kör frågan i delar.",
        "err_too_deep": "Frågans parenteser är {depth} nivåer djupa; tjänsten tar högst {limit}.",
        "err_forbidden": "Här körs bara läsande frågor mot dessa data: ingen SPARQL Update och ingen SERVICE.",
        "err_busy": "Tjänsten är upptagen. Försök igen om en stund.",
        "err_network": "Servern kunde inte nås. Kontrollera anslutningen och försök igen.",
        "err_other": "Servern kunde inte svara ({status}).",
    },
}
_add_words(_SPARQL)
