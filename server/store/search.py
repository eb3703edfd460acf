"""Reading a build's search index (search.sqlite, written by pipeline/search_index.py).

The index is opened read-only and immutable for each search: SQLite connections are not shared
between threads, and opening one costs well under a millisecond.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Hit:
    iri: str
    kind: str
    organisation: str
    field: str
    lang: str
    text: str
    rank: float


def fts_query(forms_per_word: list[tuple[str, frozenset[str]]]) -> str:
    """An FTS5 query: every word of the question (as typed, folded; and its forms), each matched by
    any of its forms, the word as typed also as a prefix ("strateg" finds "strategia"). Forms are
    quoted, so no character of the question is read as FTS5 syntax."""

    def quoted(form: str) -> str:
        return '"' + form.replace('"', '""') + '"'

    groups = []
    for typed, forms in forms_per_word:
        alternatives = sorted(quoted(f) for f in forms if f)
        # Only the word as typed is also a prefix: a base form as a prefix ("palvelu*") matches a
        # large part of any index and is what made a search slow at scale.
        if len(typed) >= 4:
            alternatives.append(quoted(typed) + "*")
        if alternatives:
            groups.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(groups)


class SearchIndex:
    def __init__(self, path: Path):
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True)

    def search(self, forms_per_word: list[tuple[str, frozenset[str]]], limit: int = 1000) -> list[Hit]:
        query = fts_query(forms_per_word)
        if not query:
            return []
        db = self._connect()
        try:
            rows = db.execute(
                "SELECT iri, kind, organisation, field, lang, text, bm25(texts) FROM texts "
                "WHERE terms MATCH ? ORDER BY bm25(texts) LIMIT ?",
                (query, limit),
            ).fetchall()
        finally:
            db.close()
        return [Hit(*row) for row in rows]

    def texts_of(self, iris: list[str]) -> dict[str, list[Hit]]:
        """The names (prefLabel, label, name, title) of these things, in every language."""
        out: dict[str, list[Hit]] = {}
        if not iris:
            return out
        db = self._connect()
        try:
            # One indexed lookup per thing (a page has at most a few dozen): no SQL put together.
            for wanted in iris:
                for iri, field, lang, text in db.execute(
                    "SELECT iri, field, lang, text FROM names WHERE iri = ?", (wanted,)
                ):
                    out.setdefault(iri, []).append(Hit(iri, "", "", field, lang, text, 0.0))
        finally:
            db.close()
        return out
