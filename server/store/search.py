"""Reading a build's search index (search.sqlite, written by pipeline/search_index.py).

The index holds its texts best first: shortest first (each text holds each of its terms once,
so its length is the number of terms), names before longer texts of the same length. A search
reads the first matches in that order, and stops at the limit: no score is computed for every
text that matches, which at 1M triples is tens of thousands for a common word ("palvelu").
Texts with the words as typed come first (their letters begin a word of the text), then texts
that match only by another form of a word (a base form: "strategia" for "strategiat").

The index never changes once built: each thread keeps one read-only connection to the index it
read last (SQLite connections are not shared between threads), so its page cache stays warm.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from ..core.words import words

# Each connection keeps up to 32 MiB of the index's pages, and maps up to 256 MiB of it (the
# index is ~90 MiB at 1M triples) rather than copying each page it reads.
PRAGMAS = ("PRAGMA cache_size = -32768", "PRAGMA mmap_size = 268435456")


@dataclass(frozen=True)
class Hit:
    """A text that matched: its row (its place in the index, best first), what it is of."""

    row: int
    iri: str
    kind: str
    organisation: str


@dataclass(frozen=True)
class Text:
    row: int
    field: str
    lang: str
    text: str


def _quoted(form: str) -> str:
    """One term, or the terms of a form the tokeniser splits ("etela-savo": both, anywhere in the
    text, since the index holds each term once). Quoted: no character is read as FTS5 syntax."""
    parts = ['"' + part.replace('"', '""') + '"' for part in words(form)]
    return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"


def fts_query(forms_per_word: list[tuple[str, frozenset[str]]], as_typed: bool = False) -> str:
    """An FTS5 query: every word of the question (as typed, folded; and its forms), each matched by
    any of its forms, the word as typed also as a prefix ("strateg" finds "strategia"). With
    `as_typed`, only the word as typed and as a prefix: what a reader sees in the text."""
    groups = []
    for typed, forms in forms_per_word:
        chosen = {typed} if as_typed else {typed, *forms}
        alternatives = sorted(_quoted(f) for f in chosen if words(f))
        # Only the word as typed is also a prefix: a base form as a prefix ("palvelu*") matches a
        # large part of any index.
        if len(typed) >= 4 and len(words(typed)) == 1:
            alternatives.append(_quoted(typed) + "*")
        if alternatives:
            groups.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(groups)


_local = threading.local()


def _connection(path: Path) -> sqlite3.Connection:
    """This thread's connection to the index at `path` (the one of another build is closed)."""
    held: tuple[Path, sqlite3.Connection] | None = getattr(_local, "held", None)
    if held is not None and held[0] == path:
        return held[1]
    if held is not None:
        held[1].close()
    db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    for pragma in PRAGMAS:
        db.execute(pragma)
    _local.held = (path, db)
    return db


# The first rows that match (the index is best first), and what each is of.
SEARCH = (
    "SELECT t.row, t.iri, t.kind, t.organisation "
    "FROM (SELECT rowid AS row FROM terms WHERE terms MATCH ? ORDER BY rowid LIMIT ?) AS m "
    "JOIN things AS t ON t.row = m.row ORDER BY m.row"
)
TEXTS = "SELECT row, field, lang, text FROM texts WHERE row IN (SELECT value FROM json_each(?))"
NAMES = "SELECT iri, lang, text FROM names WHERE iri IN (SELECT value FROM json_each(?)) ORDER BY rowid"


class SearchIndex:
    def __init__(self, path: Path):
        self.path = path

    def search(self, forms_per_word: list[tuple[str, frozenset[str]]], limit: int = 1000) -> list[Hit]:
        """The best `limit` texts that match, best first: those with the words as typed, then the
        others, each shortest first."""
        typed = fts_query(forms_per_word, as_typed=True)
        every = fts_query(forms_per_word)
        if not every:
            return []
        db = _connection(self.path)
        found = [Hit(*row) for row in db.execute(SEARCH, (typed, limit))] if typed else []
        if len(found) < limit and every != typed:
            seen = {hit.row for hit in found}
            more = db.execute(SEARCH, (every, limit + len(found))).fetchall()
            found += [Hit(*row) for row in more if row[0] not in seen][: limit - len(found)]
        return found

    def texts(self, rows: list[int]) -> dict[int, Text]:
        """The texts of these rows (a page's, not every hit's)."""
        if not rows:
            return {}
        db = _connection(self.path)
        return {row: Text(row, *rest) for row, *rest in db.execute(TEXTS, (json.dumps(rows),))}

    def names_of(self, iris: list[str]) -> dict[str, list[tuple[str, str]]]:
        """The names (prefLabel, label, name, title) of these things, in every language, as
        (language, text) in the order of the index (prefLabel first)."""
        out: dict[str, list[tuple[str, str]]] = {}
        if not iris:
            return out
        db = _connection(self.path)
        for iri, lang, text in db.execute(NAMES, (json.dumps(iris),)):
            out.setdefault(iri, []).append((lang, text))
        return out
