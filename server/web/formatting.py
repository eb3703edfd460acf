"""Literals as people write them in each language: dates, numbers and booleans by CLDR's rules
(Babel), so a page says "23.11.2026" in Finnish and "23 Nov 2026" in English, never
"2026-11-23 date" or "4 integer"."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from rdflib import Literal
from rdflib.namespace import XSD

LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
BOOLEANS = {"fi": ("kyllä", "ei"), "sv": ("ja", "nej"), "en": ("yes", "no")}
NUMBERS = {
    XSD.integer,
    XSD.int,
    XSD.long,
    XSD.short,
    XSD.decimal,
    XSD.double,
    XSD.float,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
}
# Datatypes whose lexical form is already how people write them (a year is a year).
AS_WRITTEN = {XSD.gYear, XSD.string, XSD.anyURI}
IN_WORDS = NUMBERS | AS_WRITTEN | {XSD.date, XSD.dateTime, XSD.gYearMonth, XSD.boolean}


def is_known_datatype(datatype) -> bool:
    """True when `human_literal` writes a literal of this datatype in words of its own."""
    return datatype is None or datatype in IN_WORDS


def human_literal(literal: Literal, lang: str) -> str:
    """The literal as text for a reader of `lang`; its lexical form when it is not a valid value."""
    locale = LOCALES.get(lang, "en_GB")
    value, datatype = literal.toPython(), literal.datatype
    try:
        if datatype == XSD.boolean and isinstance(value, bool):
            yes, no = BOOLEANS.get(lang, BOOLEANS["en"])
            return yes if value else no
        if datatype in NUMBERS and isinstance(value, int | float) and not isinstance(value, bool):
            return format_decimal(value, locale=locale)
        if datatype == XSD.dateTime and isinstance(value, datetime):
            return format_datetime(value, "medium", locale=locale)
        if datatype == XSD.date and isinstance(value, date):
            return format_date(value, "medium", locale=locale)
        if datatype == XSD.gYearMonth:
            year, _, month = str(literal).partition("-")
            return format_date(date(int(year), int(month[:2]), 1), "LLLL y", locale=locale)
    except (ValueError, TypeError):
        pass
    return str(literal)


def human_date(iso: str | None, lang: str) -> str:
    """An ISO date (2026-11-23), year-month (2022-12) or year as a reader of `lang` writes it."""
    if not iso:
        return ""
    parts = iso.split("-")
    locale = LOCALES.get(lang, "en_GB")
    try:
        if len(parts) == 3:
            return format_date(date.fromisoformat(iso[:10]), "medium", locale=locale)
        if len(parts) == 2:
            return format_date(date(int(parts[0]), int(parts[1]), 1), "LLLL y", locale=locale)
    except ValueError:
        pass
    return iso


def human_number(n: int | float, lang: str) -> str:
    return format_decimal(n, locale=LOCALES.get(lang, "en_GB"))


def load_locale_data() -> None:
    """Read CLDR's data for our three locales now (Babel reads a locale's files at its first use:
    16-33 ms each, which a worker's first page in each language would otherwise pay)."""
    for locale in LOCALES.values():
        format_date(date(2026, 1, 1), "medium", locale=locale)
        format_decimal(1234.5, locale=locale)
