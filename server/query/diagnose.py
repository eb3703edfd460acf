"""What is wrong with a query, said so a reader can fix it: where (line and column), what (the
culprit) and what to try (the nearest real terms). No Flask, no language: the web layer words
a Problem in the reader's language.

Two sources of problems:
- `syntax_problem` reads the engine's parse error ("error at 2:12: expected one of Prefix not
  found, …" and five lines of character ranges) and finds the token it is about;
- `lint` looks at the query before it runs: prefixes nobody declared, and names in our own
  vocabulary that do not exist (`stv:Values` matches nothing and silently returns no rows).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..store.guard import blank_out

# A prefixed name (SPARQL's PNAME_LN / PNAME_NS, simplified): an optional prefix, a colon and
# an optional local part that does not end in a dot. Variables, blank nodes (_:b) and the
# insides of strings, IRIs and comments are not prefixed names (see _names).
_PNAME = re.compile(r"([A-Za-z][\w\-.]*)?:((?:[\w\-%:]|\.(?=[\w\-%:]))*)")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w\-.]*)?:\s*<([^<>\s]*)>", re.IGNORECASE)
_ERROR_AT = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.DOTALL)
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)+)"')
_TOKEN = re.compile(r"\?\w+|\$\w+|[A-Za-z_][\w\-.]*:?[\w\-.]*|<[^>\s]*>?|\"[^\"\n]*\"?|\S")

# Prefixes researchers type that the endpoint does not declare, with their usual namespaces
# (as prefix.cc has them). Typing one in the editor adds its PREFIX line.
WELL_KNOWN = {
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "adms": "http://www.w3.org/ns/adms#",
    "locn": "http://www.w3.org/ns/locn#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ex": "http://example.org/",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "dbo": "http://dbpedia.org/ontology/",
    "dbr": "http://dbpedia.org/resource/",
}


# Every word SPARQL 1.1 knows outside names, variables and literals: keywords and built-in functions.
KEYWORDS = frozenset(
    """BASE PREFIX SELECT DISTINCT REDUCED AS CONSTRUCT DESCRIBE ASK FROM NAMED WHERE ORDER BY ASC DESC
    LIMIT OFFSET VALUES UNDEF OPTIONAL GRAPH UNION MINUS FILTER BIND SERVICE SILENT EXISTS NOT IN GROUP
    HAVING LATERAL A TRUE FALSE STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND
    CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY
    HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG
    STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE COUNT SUM MIN MAX AVG SAMPLE
    GROUP_CONCAT SEPARATOR LANGDIR HASLANG HASLANGDIR ISTRIPLE TRIPLE SUBJECT PREDICATE OBJECT STRLANGDIR""".split()
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Problem:
    code: str  # unknown_prefix | unknown_term | syntax | end_of_query
    line: int  # 1-based
    column: int  # 1-based, in characters
    length: int  # characters of the culprit (at least 1, to mark)
    culprit: str
    suggestions: tuple[str, ...] = ()
    expected: tuple[str, ...] = ()
    severity: str = "error"  # error (the query cannot run) | warning (it runs, but likely not as meant)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "line": self.line,
            "column": self.column,
            "length": self.length,
            "culprit": self.culprit,
            "suggestions": list(self.suggestions),
            "expected": list(self.expected),
            "severity": self.severity,
        }

    def english(self) -> str:
        """A short English message (for API clients and logs; pages word it in the reader's language)."""
        where = f"at {self.line}:{self.column}: "
        if self.code == "unknown_prefix":
            text = f"unknown prefix {self.culprit}"
        elif self.code == "unknown_term":
            text = f"{self.culprit} is not a term of this vocabulary"
        elif self.code == "end_of_query":
            text = "the query ends too early"
        elif self.code == "unclosed":
            text = f"the query ends before this {self.culprit} is closed"
        elif self.code == "unknown_word":
            text = f"unknown word {self.culprit}"
        elif self.code == "ungrouped":
            text = "a variable of SELECT is neither in GROUP BY nor inside an aggregate (COUNT, SAMPLE …)"
        else:
            text = f"unexpected {self.culprit}"
        if self.suggestions:
            text += "; did you mean " + " or ".join(self.suggestions) + "?"
        elif self.expected:
            text += "; expected " + " or ".join(self.expected)
        return where + text


def position(text: str, offset: int) -> tuple[int, int]:
    """(line, column), both 1-based, of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def offset_of(text: str, line: int, column: int) -> int:
    """The character offset of a 1-based (line, column), clamped to the text."""
    start = 0
    for _ in range(line - 1):
        found = text.find("\n", start)
        if found < 0:
            return len(text)
        start = found + 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    return min(start + max(column - 1, 0), end)


def declared_prefixes(query: str) -> dict[str, str]:
    """The PREFIX declarations of the query itself (outside strings and comments)."""
    bare = blank_out(query)
    return {
        (m.group(1) or ""): m.group(2) for m in _PREFIX_DECL.finditer(query) if bare[m.start() : m.start() + 6].strip()
    }


def _names(query: str) -> list[tuple[int, str, str]]:
    """(offset, prefix, local name) of every prefixed name outside strings, IRIs and comments."""
    bare = blank_out(query)
    found = []
    for m in _PNAME.finditer(bare):
        start = m.start()
        before = bare[start - 1] if start > 0 else " "
        if before in "?$_" or before.isalnum() or (m.group(1) or "").startswith("_"):
            continue  # a variable (?x:…), a blank node (_:b) or the tail of a longer word
        if m.group(1) is None and before == ":":
            continue
        found.append((start, m.group(1) or "", m.group(2)))
    return found


def lint(query: str, prefixes: Mapping[str, str], vocabularies: Mapping[str, Collection[str]]) -> list[Problem]:
    """Problems visible before the query runs.

    `prefixes`: the prefixes the endpoint declares (the query's own PREFIX lines win);
    `vocabularies`: for each namespace we know completely (our own), its local names."""
    namespaces = {**prefixes, **declared_prefixes(query)}
    bare = blank_out(query)
    problems = unknown_words(query, bare)
    for offset, prefix, local in _names(query):
        # Skip the PREFIX declarations themselves (`PREFIX foo: <…>`).
        if re.search(r"PREFIX\s*$", bare[max(0, offset - 20) : offset], re.IGNORECASE):
            continue
        line, column = position(query, offset)
        if prefix not in namespaces:
            known = sorted(set(namespaces) | set(WELL_KNOWN))
            problems.append(
                Problem(
                    "unknown_prefix",
                    line,
                    column,
                    len(prefix) + 1 + len(local),
                    prefix + ":",
                    tuple(p + ":" for p in difflib.get_close_matches(prefix, known, n=3, cutoff=0.6)),
                    extra={"namespace": WELL_KNOWN.get(prefix)},
                )
            )
            continue
        terms = vocabularies.get(namespaces[prefix])
        if terms is None or not local or local in terms:
            continue
        problems.append(
            Problem(
                "unknown_term",
                line,
                column,
                len(prefix) + 1 + len(local),
                f"{prefix}:{local}",
                tuple(f"{prefix}:{t}" for t in nearest(local, terms)),
                severity="warning",
            )
        )
    return problems


def unknown_words(query: str, bare: str | None = None) -> list[Problem]:
    """Bare words that are no SPARQL keyword or function (LIMT, SELEC, FILTR)."""
    bare = blank_out(query) if bare is None else bare
    problems = []
    quote = _open_quote(bare)
    for m in _WORD.finditer(bare, 0, len(bare) if quote is None else quote):
        start, end = m.start(), m.end()
        before = bare[start - 1] if start > 0 else " "
        after = bare[end] if end < len(bare) else " "
        if before in "?$:_-.@" or before.isalnum() or after in ":-." or m.group(0).upper() in KEYWORDS:
            continue  # part of a name, a variable, a language tag or a number's exponent; or a keyword
        line, column = position(query, start)
        word = m.group(0)
        suggestions = difflib.get_close_matches(word.upper(), sorted(KEYWORDS), n=2, cutoff=0.7)
        problems.append(Problem("unknown_word", line, column, len(word), word, tuple(suggestions)))
    return problems


def nearest(word: str, terms: Collection[str], n: int = 3) -> list[str]:
    """The terms closest to `word`: the same but for case first, then by similarity."""
    same_case = [t for t in terms if t.lower() == word.lower()]
    close = difflib.get_close_matches(word, list(terms), n=n, cutoff=0.6)
    lowered = {t.lower(): t for t in terms}
    close_folded = [lowered[t] for t in difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.6)]
    ordered = list(dict.fromkeys(same_case + close + close_folded))
    return ordered[:n]


def syntax_problem(query: str, parser_message: str) -> Problem | None:
    """The problem a parse error is about, or None when the message gives no position."""
    m = _ERROR_AT.search(parser_message)
    if not m:
        return None
    line, column, rest = int(m.group(1)), int(m.group(2)), m.group(3)
    offset = offset_of(query, line, column)
    if "Prefix not found" in rest:
        # The parser stops just after the prefixed name whose prefix it does not know.
        for start, prefix, local in reversed(_names(query)):
            if start < offset:
                line, column = position(query, start)
                return Problem("unknown_prefix", line, column, len(prefix) + 1 + len(local), prefix + ":")
    if UNGROUPED in rest:
        # The engine says so in words, at the end of the query: the place is the SELECT.
        select = re.search(r"\bSELECT\b", blank_out(query), re.IGNORECASE)
        line, column = position(query, select.start() if select else 0)
        return Problem("ungrouped", line, column, 6 if select else 1, "SELECT")
    expected = _expected(rest.split("\n", 1)[0])
    bare = blank_out(query)
    # A word SPARQL does not know, at or before where the parser gave up, is the likelier culprit
    # (SELEC ?x WHERE … fails at WHERE).
    before = [w for w in unknown_words(query, bare) if offset_of(query, w.line, w.column) <= offset]
    if before:
        return before[0]
    if not bare[offset:].strip():
        # The parser got to the end (it reports where it gave up, often the end): a word it does
        # not know, or a bracket left open, is the likelier culprit than the end itself.
        quote = _open_quote(bare)
        if quote is not None:
            line, column = position(query, quote)
            return Problem("unclosed", line, column, 1, query[quote], expected=expected)
        words = unknown_words(query, bare)
        if words:
            return words[0]
        opened = _unclosed(bare)
        if opened is not None:
            line, column = position(query, opened)
            return Problem("unclosed", line, column, 1, query[opened], expected=expected)
        end = len(query.rstrip())
        if end and not query[offset:].strip():
            last = _last_token(query, end)
            if last is not None:
                line, column = position(query, last.start())
                return Problem("syntax", line, column, len(last.group(0)), last.group(0), expected=expected)
        line, column = position(query, end)
        return Problem("end_of_query", line, column, 1, "", expected=expected)
    token = _TOKEN.match(query, offset + len(query[offset:]) - len(query[offset:].lstrip()))
    culprit = token.group(0) if token else query[offset : offset + 1]
    start = token.start() if token else offset
    line, column = position(query, start)
    return Problem("syntax", line, column, max(len(culprit), 1), culprit, expected=expected)


# What the engine says of an aggregate query that selects a variable it neither groups nor aggregates.
UNGROUPED = "The SELECT contains a variable that is unbound"
_EXPECTED = re.compile(r"expected (?:one of )?(.*)")


def _expected(rest: str) -> tuple[str, ...]:
    """What the parser expected, from its message: quoted tokens ("expected one of "{", "(""), at
    most six; or one or two unquoted keywords ("expected BY"). A longer unquoted list is a sample
    the engine picked ("expected one of COALESCE, CONTAINS, …" inside any expression): no help."""
    quoted = _QUOTED.findall(rest)
    if quoted:
        return tuple(e for e in quoted if len(e) <= 12 and "\\" not in e)[:6]
    m = _EXPECTED.search(rest)
    words = [part.strip() for part in m.group(1).split(",")] if m else []
    if len(words) > 2 or not all(re.fullmatch(r"[A-Za-z]{1,12}", w) for w in words):
        return ()
    return tuple(words)


def _open_quote(bare: str) -> int | None:
    """Where a string starts that never ends (blank_out blanks only whole strings)."""
    found = [i for i in (bare.find('"'), bare.find("'")) if i >= 0]
    return min(found) if found else None


def _unclosed(bare: str) -> int | None:
    """The offset of the innermost bracket that is never closed, if any: the one a closing
    bracket of another kind meets (FILTER( … } leaves the "(" open, not the "{"), else the last
    one still open at the end."""
    stack: list[int] = []
    pairs = {"}": "{", ")": "(", "]": "["}
    for i, char in enumerate(bare):
        if char in "{([":
            stack.append(i)
        elif char in pairs and stack:
            if bare[stack[-1]] != pairs[char]:
                return stack[-1]
            stack.pop()
    return stack[-1] if stack else None


def _last_token(query: str, end: int) -> re.Match[str] | None:
    last = None
    for m in _TOKEN.finditer(query, 0, end):
        last = m
    return last
