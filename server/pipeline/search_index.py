"""The search index of a build, and the base forms researchers can match in SPARQL.

- `search.sqlite`: an SQLite FTS5 table with one row per text of a thing of ours (its names, titles,
  texts and summaries in fi, sv and en) and the forms of its words (core/words.py), best first, so
  /search reads the first matches of one indexed lookup rather than scanning the graph.
- The graph `graph/baseforms`: `stv:baseForm` of each statement and plan, from its Finnish names
  (not its long texts), so a SPARQL query can match "talous" in "talouden tasapaino".
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS

from ..core.iris import Iris
from ..core.words import Analyser, terms, words

FILE = "search.sqlite"
# What a person searches for: names, titles, texts, summaries, and our translations of names (so a
# Finnish reader finds a strategy its sources name only in Swedish; the result names it as they do).
TEXT_PROPERTIES = (SKOS.prefLabel, SKOS.altLabel, RDFS.label, DCTERMS.title, FOAF.name)
LONG_TEXT_PROPERTIES = ("text", "summary", "translatedName")
LANGUAGES = ("fi", "sv", "en")
NAME_FIELDS = ("prefLabel", "label", "name", "title")


def _kind(graph: Graph, subject: URIRef, vocab: str) -> str:
    """The most specific class of ours the data states (the first, for a stable answer)."""
    ours = sorted(str(t) for t in graph.objects(subject, RDF.type) if str(t).startswith(vocab))
    others = sorted(str(t) for t in graph.objects(subject, RDF.type))
    return (ours or others or [""])[0]


def _organisation(graph: Graph, subject: URIRef, stv: Namespace) -> str:
    """The organisation a thing belongs to (itself for an organisation), or ""."""
    for prop in (stv.organisation, URIRef("http://www.w3.org/ns/org#unitOf")):
        value = graph.value(subject, prop)
        if value is not None:
            return str(value)
    return str(subject) if "/id/organisation/" in str(subject) else ""


def entries(graph: Graph, iris: Iris) -> Iterator[tuple[str, str, str, str, str, str]]:
    """(iri, kind, organisation, field, language, text) for every searchable text of ours."""
    stv = Namespace(iris.vocab)
    properties = [*TEXT_PROPERTIES, *(stv[name] for name in LONG_TEXT_PROPERTIES), DCTERMS.description]
    prefix = iris.base + "id/"
    for prop in properties:
        for subject, value in graph.subject_objects(prop):
            if not (isinstance(subject, URIRef) and str(subject).startswith(prefix) and isinstance(value, Literal)):
                continue
            lang = value.language or ""
            if lang and lang not in LANGUAGES:
                continue
            field = str(prop).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            # One copy of each IRI, kind and field for all the texts that repeat it (the build
            # holds every row at once: at 10 M triples about a million).
            yield (
                sys.intern(str(subject)),
                sys.intern(_kind(graph, subject, iris.vocab)),
                sys.intern(_organisation(graph, subject, stv)),
                sys.intern(field),
                lang,
                str(value),
            )


def _best_first(row: tuple[str, str, str, str, str, str, str]) -> tuple:
    """Where a text stands in the index: shortest first (each text holds each of its terms once,
    so this is BM25's length normalisation, the one part of its score that differs between the
    texts a word matches), names before other texts, then by IRI for a stable order."""
    field = row[3]
    return (
        len(row[6].split()),
        NAME_FIELDS.index(field) if field in NAME_FIELDS else len(NAME_FIELDS),
        row[0],
        row[4],
        row[5],
    )


def write_search_index(path: Path, graph: Graph, iris: Iris, using: Analyser) -> int:
    """Write the FTS5 index to `path`, its texts best first (store/search.py reads them in that
    order and stops at its limit); returns the number of texts indexed."""
    db = sqlite3.connect(path)
    try:
        # The forms of the words of each text, by row: contentless (a search reads only row numbers
        # from it) and without column sizes (nothing ranks by bm25(): the order of the rows does).
        db.execute(
            "CREATE VIRTUAL TABLE terms USING fts5(forms, content = '', columnsize = 0, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        # What each row is of, for the best SEARCH_LIMIT rows of a search (small rows: many a page);
        # and its text, read only for the rows a page shows.
        db.execute("CREATE TABLE things (row INTEGER PRIMARY KEY, iri TEXT, kind TEXT, organisation TEXT)")
        db.execute("CREATE TABLE texts (row INTEGER PRIMARY KEY, field TEXT, lang TEXT, text TEXT)")
        db.execute("CREATE TABLE about (key TEXT PRIMARY KEY, value TEXT)")
        # The names of things, looked up by IRI for the results (the organisation of a hit, too).
        db.execute("CREATE TABLE names (iri TEXT, field TEXT, lang TEXT, text TEXT)")
        rows = [(*entry, " ".join(terms(entry[5], using))) for entry in entries(graph, iris)]
        # Generators, not lists, into executemany: at 10 M triples each list of the rows was
        # another few hundred MB at the build's peak.
        db.executemany(
            "INSERT INTO names VALUES (?, ?, ?, ?)", ((r[0], r[3], r[4], r[5]) for r in rows if r[3] in NAME_FIELDS)
        )
        rows.sort(key=_best_first)
        db.executemany("INSERT INTO terms(rowid, forms) VALUES (?, ?)", ((n, r[6]) for n, r in enumerate(rows, 1)))
        db.executemany("INSERT INTO things VALUES (?, ?, ?, ?)", ((n, *r[:3]) for n, r in enumerate(rows, 1)))
        db.executemany("INSERT INTO texts VALUES (?, ?, ?, ?)", ((n, *r[3:6]) for n, r in enumerate(rows, 1)))
        db.execute("CREATE INDEX names_by_iri ON names (iri)")
        db.execute("INSERT INTO about VALUES ('analyser', ?)", (using.name,))
        db.execute("INSERT INTO terms(terms) VALUES ('optimize')")
        db.commit()
    finally:
        db.close()
    return len(rows)


def _plans_and_statements(graph: Graph, ontology: Graph, stv: Namespace) -> set:
    """Strategies, programmes and their statements (every subclass, from the ontology): what
    researchers match words in."""
    classes: set = set()
    for top in (stv.Strategy, stv.Programme, stv.StrategyElement):
        classes.update(ontology.transitive_subjects(RDFS.subClassOf, top))
    return {s for cls in classes for s in graph.subjects(RDF.type, cls)}


def base_forms(graph: Graph, ontology: Graph, iris: Iris, using: Analyser) -> set[tuple]:
    """stv:baseForm of every plan and statement: the lowercase base forms (and roots) of the words
    of its Finnish names; a word the analyser does not know stands as it is. Words of
    two letters or fewer ("ja", "on") are left out: no researcher matches them.

    A set of triples, not an rdflib graph (about 1 KB a triple): the build only puts them into
    the store; each form is one literal object, however many names share it."""
    stv = Namespace(iris.vocab)
    derived: set[tuple] = set()
    forms: dict[str, Literal] = {}
    # Names only: the explanatory texts are long (at 1M triples they doubled the graph) and query
    # 04 still finds a word inside them by its letters.
    properties = (SKOS.prefLabel, SKOS.altLabel, RDFS.label)
    wanted = _plans_and_statements(graph, ontology, stv)
    base_form = stv.baseForm  # one term for every triple (a Namespace makes a new one each time)
    for prop in properties:
        for subject, value in graph.subject_objects(prop):
            if subject not in wanted or not isinstance(value, Literal) or value.language != "fi":
                continue
            for word in words(str(value)):
                if len(word) <= 2:
                    continue
                for base in using.bases(word) or {word.casefold()}:
                    form = forms.get(base)
                    if form is None:
                        form = forms[base] = Literal(base)
                    derived.add((subject, base_form, form))
    return derived
