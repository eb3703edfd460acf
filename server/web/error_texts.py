"""Errors in the reader's language: a title for every status, and a message for each error
people meet on our pages, in fi, sv and en.

An error names its message by `key` (core/errors.py); the message is formatted with the
error's `details`. An error without a translation keeps its English message, marked
lang="en" by the error page, under a title in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STATUS_TITLES: dict[str, dict[int, str]] = {
    "en": {
        400: "Bad request",
        403: "Forbidden",
        404: "Not found",
        405: "Method not allowed",
        406: "Not acceptable",
        413: "Request too large",
        414: "Address too long",
        415: "Unsupported media type",
        422: "Cannot be processed",
        429: "Too many requests",
        500: "Internal error",
        502: "Bad gateway",
        503: "Service unavailable",
        504: "Gateway timeout",
    },
    "fi": {
        400: "Virheellinen pyyntö",
        403: "Kielletty",
        404: "Ei löytynyt",
        405: "Menetelmä ei käy",
        406: "Muotoa ei voi tarjota",
        413: "Pyyntö on liian suuri",
        414: "Osoite on liian pitkä",
        415: "Sisältötyyppiä ei tueta",
        422: "Ei voida käsitellä",
        429: "Liian monta pyyntöä",
        500: "Sisäinen virhe",
        502: "Virheellinen yhdyskäytävä",
        503: "Palvelu ei ole käytettävissä",
        504: "Yhdyskäytävän aikakatkaisu",
    },
    "sv": {
        400: "Felaktig begäran",
        403: "Förbjudet",
        404: "Hittades inte",
        405: "Metoden tillåts inte",
        406: "Formatet kan inte erbjudas",
        413: "Begäran är för stor",
        414: "Adressen är för lång",
        415: "Medietypen stöds inte",
        422: "Kan inte behandlas",
        429: "För många förfrågningar",
        500: "Internt fel",
        502: "Felaktig gateway",
        503: "Tjänsten är inte tillgänglig",
        504: "Gateway-timeout",
    },
}

# key -> message; {names} come from the error's details.
MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "nothing_about": "There is nothing about <{iri}> in the graph.",
        "short_link_empty": "Give the query to link to.",
        "short_link_too_long": "The query is too long for a link; keep it in a file and POST it instead.",
        "short_link_view": "There is no view called {view}.",
        "no_short_link": "There is no short link {key}. Short links are made on the query page.",
        "ShortLinksFull": "The server keeps at most {limit} short links; use the full permalink instead.",
        "no_such_page": "There is no page at this address. Search for it, or start from the home page.",
        "no_such_download": "No download called {name}. The downloads page lists them all.",
        "page_number": "The page number must be a whole number.",
        "no_ontology_format": "The ontology does not come as .{ext}.",
        "iri_param_missing": "Name the resource to show: ?iri= followed by its absolute IRI.",
        "iri_not_absolute": "{iri} is not an absolute IRI.",
        "method_not_allowed": "This address does not accept {method} requests.",
        "too_large": "The request body is larger than this server accepts.",
        "internal": "Something went wrong on our side. The error has been logged.",
        "NoBuild": "No build of the data is being served yet. Try again later.",
        "NotAcceptable": "This address cannot answer in any format asked for. It offers: {offered}.",
        "UnknownFormat": "There is no format called {format}. Try one of: {known}.",
        "no_such_catalog_page": "The catalog has {pages} page(s); there is no page {page}.",
        "no_catalog_entry": "The catalog has no {kind} called {name}.",
        "EndpointBusy": "All query slots are busy. Try again in a moment.",
        "ShuttingDown": "This server process is stopping. Try again in a moment.",
        "QueryTimeout": (
            "The query ran past the time limit of {limit_seconds} s. Ask for fewer rows (LIMIT) or narrow the pattern."
        ),
        "QueryTooLong": "The query has {bytes} bytes; this endpoint takes at most {limit}.",
        "QueryTooDeep": "The query nests brackets {depth} levels deep; this endpoint accepts at most {limit}.",
        "UpdateRefused": "SPARQL Update is not accepted: this endpoint is read-only.",
        "ForbiddenQuery": "Federated queries (SERVICE) are not allowed: this endpoint answers only from its own data.",
    },
    "fi": {
        "nothing_about": "Graafissa ei ole mitään resurssista <{iri}>.",
        "short_link_empty": "Anna kysely, johon linkki tehdään.",
        "short_link_too_long": "Kysely on liian pitkä linkiksi; tallenna se tiedostoon ja lähetä POST-pyynnöllä.",
        "short_link_view": "Näkymää {view} ei ole.",
        "no_short_link": "Lyhyttä linkkiä {key} ei ole. Lyhyet linkit tehdään kyselysivulla.",
        "ShortLinksFull": "Palvelin säilyttää enintään {limit} lyhyttä linkkiä; käytä täyttä pysyvää linkkiä.",
        "no_such_page": "Tässä osoitteessa ei ole sivua. Hae sitä tai aloita etusivulta.",
        "no_such_download": "Latausta nimeltä {name} ei ole. Lataukset-sivulla ovat kaikki.",
        "page_number": "Sivunumeron pitää olla kokonaisluku.",
        "no_ontology_format": "Ontologiaa ei ole muodossa .{ext}.",
        "iri_param_missing": "Kerro näytettävä resurssi: ?iri= ja sen täydellinen IRI.",
        "iri_not_absolute": "{iri} ei ole täydellinen (absoluuttinen) IRI.",
        "method_not_allowed": "Tämä osoite ei ota vastaan {method}-pyyntöjä.",
        "too_large": "Pyynnön runko on suurempi kuin palvelin ottaa vastaan.",
        "internal": "Palvelussa tapahtui virhe. Virhe on kirjattu lokiin.",
        "NoBuild": "Aineistoa ei vielä julkaista. Yritä myöhemmin uudelleen.",
        "NotAcceptable": "Tämä osoite ei voi vastata missään pyydetyssä muodossa. Tarjolla: {offered}.",
        "UnknownFormat": "Muotoa {format} ei ole. Kokeile jotakin näistä: {known}.",
        "no_such_catalog_page": "Luettelossa on {pages} sivua; sivua {page} ei ole.",
        "no_catalog_entry": "Luettelossa ei ole kohdetta {kind}/{name}.",
        "EndpointBusy": "Kaikki kyselypaikat ovat varattuina. Yritä hetken kuluttua uudelleen.",
        "ShuttingDown": "Tämä palvelinprosessi on pysähtymässä. Yritä hetken kuluttua uudelleen.",
        "QueryTimeout": (
            "Kysely ylitti {limit_seconds} sekunnin aikarajan. Pyydä vähemmän rivejä (LIMIT) tai rajaa hakua."
        ),
        "QueryTooLong": "Kyselyssä on {bytes} tavua; tämä palvelu ottaa enintään {limit}.",
        "QueryTooDeep": "Kyselyn sulkeet ovat {depth} tasoa syvällä; tämä palvelu hyväksyy enintään {limit}.",
        "UpdateRefused": "SPARQL Update -päivityksiä ei oteta vastaan: palvelu on vain luettava.",
        "ForbiddenQuery": "Yhdistettyjä kyselyitä (SERVICE) ei sallita: palvelu vastaa vain omista tiedoistaan.",
    },
    "sv": {
        "nothing_about": "Grafen har ingenting om <{iri}>.",
        "short_link_empty": "Ange frågan som länken ska gå till.",
        "short_link_too_long": "Frågan är för lång för en länk; spara den i en fil och skicka den med POST.",
        "short_link_view": "Det finns ingen vy som heter {view}.",
        "no_short_link": "Det finns ingen kort länk {key}. Korta länkar skapas på frågesidan.",
        "ShortLinksFull": "Servern sparar högst {limit} korta länkar; använd den fullständiga permanenta länken.",
        "no_such_page": "Det finns ingen sida på den här adressen. Sök efter den eller börja från startsidan.",
        "no_such_download": "Det finns ingen nedladdning som heter {name}. Sidan Nedladdningar listar alla.",
        "page_number": "Sidnumret måste vara ett heltal.",
        "no_ontology_format": "Ontologin finns inte som .{ext}.",
        "iri_param_missing": "Ange resursen som ska visas: ?iri= följt av dess absoluta IRI.",
        "iri_not_absolute": "{iri} är inte en absolut IRI.",
        "method_not_allowed": "Den här adressen tar inte emot {method}-förfrågningar.",
        "too_large": "Begärans innehåll är större än servern tar emot.",
        "internal": "Något gick fel hos oss. Felet har loggats.",
        "NoBuild": "Inga data publiceras ännu. Försök igen senare.",
        "NotAcceptable": "Den här adressen kan inte svara i något av de begärda formaten. Den erbjuder: {offered}.",
        "UnknownFormat": "Det finns inget format som heter {format}. Prova något av: {known}.",
        "no_such_catalog_page": "Katalogen har {pages} sidor; det finns ingen sida {page}.",
        "no_catalog_entry": "Katalogen har ingen post {kind}/{name}.",
        "EndpointBusy": "Alla frågeplatser är upptagna. Försök igen om en stund.",
        "ShuttingDown": "Den här serverprocessen håller på att stanna. Försök igen om en stund.",
        "QueryTimeout": (
            "Frågan överskred tidsgränsen på {limit_seconds} s. Be om färre rader (LIMIT) eller avgränsa mönstret."
        ),
        "QueryTooLong": "Frågan har {bytes} byte; den här tjänsten tar emot högst {limit}.",
        "QueryTooDeep": "Frågans parenteser är {depth} nivåer djupa; den här tjänsten godtar högst {limit}.",
        "UpdateRefused": "SPARQL Update tas inte emot: tjänsten är skrivskyddad.",
        "ForbiddenQuery": "Federerade frågor (SERVICE) är inte tillåtna: tjänsten svarar bara från sina egna data.",
    },
}


@dataclass(frozen=True)
class ShownError:
    title: str
    message: str
    message_lang: str  # the language the message is in (English when it has no translation)


def shown_error(status: int, key: str, english_message: str, details: dict[str, Any], lang: str) -> ShownError:
    titles = STATUS_TITLES.get(lang, STATUS_TITLES["en"])
    title = titles.get(status) or STATUS_TITLES["en"].get(status) or titles[500 if status >= 500 else 400]
    template = MESSAGES.get(lang, {}).get(key)
    if template is not None:
        params = {name: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v for name, v in details.items()}
        try:
            return ShownError(title, template.format(**params), lang)
        except (KeyError, IndexError, ValueError):
            pass  # details lack a name the translation uses: the English text says it all
    return ShownError(title, english_message, "en")
