"""The query guard: look at a SPARQL string before running it (its form, and what it must not
do), and put outside values into a query safely.

Oxigraph has no switch to turn off SERVICE (it would fetch from the network), so the
endpoint refuses queries that use it. Keywords are looked for in the query with
strings, IRIs and comments blanked out, so a label that says "service" is fine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from ..core.errors import StrategiaverkkoError

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

_STRINGS = (
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'  # short strings
    r"|'(?:[^'\\\n]|\\.)*'"
)
_IRI = r"<[^<>\"{}|^`\\\s]*>"
_COMMENT = r"#[^\n]*"
_BLANKABLE = re.compile(f"{_STRINGS}|{_IRI}|{_COMMENT}", re.DOTALL)
# The same without IRIs, for counting nesting where `<` may be "less than" (see nesting_depth).
_BLANKABLE_BUT_IRIS = re.compile(f"{_STRINGS}|{_COMMENT}", re.DOTALL)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ForbiddenQuery(StrategiaverkkoError):
    status = 403
    title = "Not allowed on this endpoint"


class UpdateRefused(ForbiddenQuery):
    title = "This endpoint is read-only"


class QueryTooDeep(StrategiaverkkoError):
    status = 400
    title = "Query nested too deeply"


class QueryTooLong(StrategiaverkkoError):
    status = 413
    title = "Query too long"


# Groups, sub-queries and expressions nest; the engine's parser recurses on each level, and
# 10,000 nested braces crashed a query process. No researcher's query comes near this.
MAX_NESTING = 200


def nesting_depth(query: str, blanked: str | None = None) -> int:
    """The deepest nesting of { } ( ) [ ] outside strings and comments (`blanked`: the query
    through blank_out, if the caller has it already).

    Whether `<` opens an IRI or is "less than" depends on where it stands (`?x<((1))&&2>1` is an
    expression, not the IRI it looks like), which a regular expression cannot tell; so the depth
    is counted both ways, with `<…>` read as an IRI and as operators, and the deeper count wins."""
    blanked = blank_out(query) if blanked is None else blanked
    return max(_depth(blanked), _depth(_BLANKABLE_BUT_IRIS.sub(_spaces, query)))


_NOT_BRACKETS = re.compile(r"[^{}()\[\]]+")


def _depth(text: str) -> int:
    depth = deepest = 0
    for char in _NOT_BRACKETS.sub("", text):  # only the brackets: a query is mostly other text
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth -= 1
    return deepest


def _spaces(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def blank_out(query: str) -> str:
    """The query with strings, IRIs and comments replaced by spaces (lengths kept, so offsets stay right)."""
    return _BLANKABLE.sub(_spaces, query)


def keywords(query: str, blanked: str | None = None) -> list[str]:
    bare = blank_out(query) if blanked is None else blanked
    # Prefixed names (ex:SERVICE) and variables (?service) are not keywords.
    return [m.group(0).upper() for m in _WORD.finditer(bare) if not _is_part_of_name(bare, m.start(), m.end())]


def _is_part_of_name(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return before in "?$:_-." or after == ":"


# Functions whose value is new at each evaluation (SPARQL 1.1 §17.4): a query that calls one has
# another answer each time it runs, so its answer is not kept or shared as the build's.
VOLATILE_FUNCTIONS = frozenset({"NOW", "RAND", "UUID", "STRUUID", "BNODE"})


def is_volatile(query: str) -> bool:
    """Whether the query calls NOW(), RAND(), UUID(), STRUUID() or BNODE()."""
    upper = query.upper()
    if not any(name in upper for name in ("NOW", "RAND", "UUID", "BNODE")):
        return False  # most queries: told in about 10 µs instead of tokenising (30 µs for canned query 07)
    return not VOLATILE_FUNCTIONS.isdisjoint(keywords(query))


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; None if the query has none of them (e.g. an update)."""
    return _form_of(keywords(query))


def _form_of(words: list[str]) -> str | None:
    for word in words:
        if word in QUERY_FORMS:
            return word
        if word in UPDATE_KEYWORDS:
            return None
    return None


def inspect(query: str, max_bytes: int | None = None) -> str:
    """Return the query form, or raise if the query is longer than `max_bytes`, is an update,
    would reach out, or nests deeper than the engine can parse safely."""
    size = len(query.encode("utf-8"))
    if max_bytes is not None and size > max_bytes:
        raise QueryTooLong(
            f"The query has {size:,} bytes; this endpoint takes at most {max_bytes:,}.",
            details={"bytes": size, "limit": max_bytes},
        )
    blanked = blank_out(query)
    depth = nesting_depth(query, blanked)
    if depth > MAX_NESTING:
        raise QueryTooDeep(
            f"The query nests brackets {depth} levels deep; this endpoint accepts at most {MAX_NESTING}.",
            details={"depth": depth, "limit": MAX_NESTING},
        )
    words = keywords(query, blanked)  # tokenised once: it is most of the cost of looking at a query
    form = _form_of(words)
    if form is None and any(w in UPDATE_KEYWORDS for w in words):
        raise UpdateRefused("SPARQL Update (INSERT, DELETE, LOAD, CLEAR, …) is not accepted here.")
    if "SERVICE" in words:
        raise ForbiddenQuery(
            "Federated queries (SERVICE) are not allowed: this endpoint answers only from its own data."
        )
    return form or "SELECT"


def declares_dataset(query: str) -> bool:
    """True if the query has FROM or FROM NAMED clauses of its own."""
    return "FROM" in keywords(query)


Term = ox.NamedNode | ox.BlankNode | ox.Literal


def with_values(query: str, variables: Sequence[str], rows: Iterable[Sequence[Term | None]]) -> str:
    """`query` with `VALUES (?v …) { (…) }` as the first thing in its WHERE clause.

    This is how values from outside (an IRI from a URL, the reader's language) reach a query: as
    terms that pyoxigraph writes in N-Triples syntax, never pasted into the text by hand. The
    block goes first in the outermost group, so it joins before any grouping or aggregation."""
    block = values_line(variables, rows)
    where = _WHERE.search(blank_out(query))
    if where is None:
        raise ValueError("the query has no WHERE { … } to put values in")
    return query[: where.end()] + " " + block + " " + query[where.end() :]


_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def values_line(variables: Sequence[str], rows: Iterable[Sequence[Term | None]]) -> str:
    """`VALUES (?v …) { (…) … }` with each term written by pyoxigraph (N-Triples syntax)."""
    if not variables or not all(_VARIABLE.fullmatch(v) for v in variables):
        raise ValueError(f"not SPARQL variable names: {variables!r}")
    cells = []
    for row in rows:
        if len(row) != len(variables):
            raise ValueError(f"a VALUES row needs {len(variables)} terms: {row!r}")
        terms = " ".join("UNDEF" if t is None else str(t) for t in row)
        cells.append(terms if len(variables) == 1 else f"({terms})")
    names = " ".join("?" + v for v in variables)
    return f"VALUES {names if len(variables) == 1 else f'({names})'} {{ {' '.join(cells)} }}"
