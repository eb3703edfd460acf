"""What /compare shows: organisations side by side by strategic theme.

Rows are the strategic themes (data/themes.ttl), columns the organisations, and each cell
the organisation's statements that address the theme. Which theme a statement addresses is
a curated judgement (data/theme-classification.ttl, named graph graph/curated), and the
page says so.

Everything here comes from the canned queries server/query/canned_queries/20_*.rq (the matrix) and
21_*.rq (the themes two organisations share), run on the build's store as they are
written: only the language, the two organisations and, for another base IRI, the base are
filled in. So the page, its CSV and JSON, the heat map, the organisation pages and the
canned queries in the SPARQL editor all give the same answer.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace

import pyoxigraph as ox

from ...core.errors import StrategiaverkkoError
from ...core.iris import DEFAULT_BASE, Iris
from ...query.canned import canned
from ...store.current import Build
from ...store.guard import values_line
from ..i18n import LANGUAGES, UI
from . import queries
from .heatmap import HeatColumn, HeatRow, heatmap_svg

MATRIX_QUERY = "20_themes_by_organisation"
SHARED_QUERY = "21_shared_themes_of_two_organisations"
# The columns of both queries, in order: the CSV header.
COLUMNS = (
    "theme",
    "themeLabel",
    "organisation",
    "organisationLabel",
    "kind",
    "kindLabel",
    "statement",
    "statementLabel",
    "summary",
    "order",
    "plan",
    "planLabel",
    "linkedTheme",
)
# How a strategy reads, top to bottom; kinds not listed come after these.
KIND_ORDER = (
    "Vision",
    "Mission",
    "Value",
    "StrategicPriority",
    "Goal",
    "QualitativeGoal",
    "SuccessFactor",
    "ServicePromise",
    "EmployerPromise",
)
LANG_LINE = 'VALUES ?lang { "fi" }'
PAIR_LINE = re.compile(r"VALUES \(\?organisationA \?organisationB\) \{ \(<[^<>\s]+> <[^<>\s]+>\) \}")
FORMATS = {  # format -> (media type, Content-Disposition type)
    "csv": ("text/csv; charset=utf-8; header=present", "attachment"),
    "json": ("application/json", "inline"),
    "svg": ("image/svg+xml", "inline"),
}


class BadCompareRequest(StrategiaverkkoError):
    status = 400
    title = "Bad request"


# --- The queries --------------------------------------------------------------------


def query_text(name: str, iris: Iris, lang: str, pair: tuple[str, str] | None = None) -> str:
    """The canned query `name` with the reader's language (and two organisations) filled in."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    query = canned(name)
    if query is None:
        raise RuntimeError(f"the canned query server/query/canned_queries/{name}.rq is missing")
    text = query.text
    if iris.base != DEFAULT_BASE:  # the canned queries are written with the default base
        text = text.replace(DEFAULT_BASE, iris.base)
    if text.count(LANG_LINE) != 1:
        raise RuntimeError(f"{name}.rq must contain the line {LANG_LINE!r} exactly once")
    text = text.replace(LANG_LINE, values_line(["lang"], [(ox.Literal(lang),)]))
    if pair is not None:
        a, b = pair
        line = values_line(["organisationA", "organisationB"], [(ox.NamedNode(a), ox.NamedNode(b))])
        text, found = PAIR_LINE.subn(lambda _: line, text)
        if found != 1:
            raise RuntimeError(f"{name}.rq must contain one VALUES (?organisationA ?organisationB) line")
    return text


def _rows(solutions) -> list[dict]:
    """Rows of a SELECT as {variable: value}; literals with a language also give {variable@: tag}."""
    rows = []
    for solution in solutions:
        row: dict = {}
        for var in COLUMNS:
            term = solution[var]
            row[var] = None if term is None else term.value
            if isinstance(term, ox.Literal) and term.language:
                row[var + "@"] = term.language
        rows.append(row)
    return rows


def cached_rows(build, iris: Iris, name: str, lang: str, pair: tuple[str, str] | None = None) -> list[dict]:
    key = ("compare-rows", name, lang, pair)
    rows = build.cache.get(key)
    if rows is None:
        # Through the query service (Build.select): in Finnish, the answer warming computed (the
        # canned text as it is); otherwise the build's in-memory copy.
        rows = _rows(build.select(query_text(name, iris, lang, pair)))
        build.cache.put(key, rows, 2_000 + 600 * len(rows))
    return rows


# --- What the page shows -------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    iri: str
    slug: str
    href: str | None
    label: str
    lang: str | None
    definition: str | None = None
    broader: str | None = None
    depth: int = 0


@dataclass(frozen=True)
class Organisation:
    iri: str
    slug: str
    href: str | None
    label: str
    lang: str | None


@dataclass
class Statement:
    iri: str
    href: str | None
    label: str
    lang: str | None
    kind: str  # local name of the class the data states, e.g. "Value"
    kind_label: str
    order: int | None
    summary: str | None = None  # our summary, where the graph does not hold the source's wording
    summary_lang: str | None = None
    plan: str | None = None  # the strategy (or programme) it belongs to
    plan_label: str | None = None
    plan_href: str | None = None
    plan_lang: str | None = None  # the plan's name's language (Finnish beside an English summary)
    linked: list[str] = field(default_factory=list)  # themes it is linked to (narrower ones, when rolled up)

    def sort_key(self):
        rank = KIND_ORDER.index(self.kind) if self.kind in KIND_ORDER else len(KIND_ORDER)
        return (rank, self.order if self.order is not None else 1 << 30, self.label)


@dataclass
class Matrix:
    lang: str
    themes: list[Theme]
    organisations: list[Organisation]
    cells: dict[tuple[str, str], list[Statement]]
    kinds: list[tuple[str, str]]  # every kind in the data: (local name, label)
    selected: list[str]  # the kinds shown; empty means all
    rows: list[dict]  # the query's rows after the kind and organisation filters: the CSV
    chosen: list[str] = field(default_factory=list)  # slugs of the organisations shown; empty means all

    @property
    def columns(self) -> list[Organisation]:
        """The organisations shown as columns (of the matrix, the heat map and the exports)."""
        return [o for o in self.organisations if not self.chosen or o.slug in self.chosen]

    @property
    def highest(self) -> int:
        """The largest number of statements in one cell shown: the darkest shade of the heat map."""
        return max([len(self.cell(t.iri, o.iri)) for t in self.themes for o in self.columns] + [0])

    def cell(self, theme: str, organisation: str) -> list[Statement]:
        return self.cells.get((theme, organisation), [])

    def theme_label(self, iri: str) -> str:
        return next((t.label for t in self.themes if t.iri == iri), iri)

    def several_plans(self, organisation: str) -> bool:
        """Whether the organisation's statements here come from more than one strategy (e.g. an update)."""
        return len({r["plan"] for r in self.rows if r["organisation"] == organisation}) > 1


def _slug(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _kind_name(kind: str, iris: Iris) -> str:
    return kind[len(iris.vocab) :] if kind.startswith(iris.vocab) else kind


def theme_list(store, iris: Iris, lang: str) -> list[Theme]:
    """Every theme of the schemes the theme links use, broader before narrower, by label."""
    rows = store.query(queries.THEMES, bind={"lang": ox.Literal(lang)})
    themes = {}
    for row in rows:
        iri = row["theme"].value
        if iri in themes:
            continue
        label = row["label"]
        themes[iri] = Theme(
            iri,
            _slug(iri),
            iris.browse_path(iri),
            label.value if label else _slug(iri),
            label.language if label else None,
            row["definition"].value if row["definition"] else None,
            row["broader"].value if row["broader"] else None,
        )
    return _hierarchy(list(themes.values()))


def _hierarchy(themes: list[Theme]) -> list[Theme]:
    known = {t.iri for t in themes}
    children: dict[str | None, list[Theme]] = {}
    for t in themes:
        children.setdefault(t.broader if t.broader in known else None, []).append(t)
    out: list[Theme] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for t in sorted(children.get(parent, []), key=lambda t: t.label.casefold()):
            if t.iri not in seen:
                seen.add(t.iri)
                out.append(replace(t, depth=depth))
                walk(t.iri, depth + 1)

    walk(None, 0)
    # A cycle of broader links would hide its themes; show them at the top level rather than not at all.
    out += [replace(t, depth=0) for t in sorted(themes, key=lambda t: t.label.casefold()) if t.iri not in seen]
    return out


def _organisations(rows: list[dict], iris: Iris) -> list[Organisation]:
    found: dict[str, Organisation] = {}
    for row in rows:
        iri = row["organisation"]
        found.setdefault(
            iri,
            Organisation(
                iri, _slug(iri), iris.browse_path(iri), row["organisationLabel"] or iri, row.get("organisationLabel@")
            ),
        )
    return sorted(found.values(), key=lambda o: o.label.casefold())


def _kinds(rows: list[dict], iris: Iris) -> list[tuple[str, str]]:
    found = {_kind_name(r["kind"], iris): r["kindLabel"] or _kind_name(r["kind"], iris) for r in rows}
    rank = lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER)  # noqa: E731
    return sorted(found.items(), key=lambda kv: (rank(kv[0]), kv[0]))


def check_kinds(selected: list[str], available: list[tuple[str, str]]) -> list[str]:
    names = [k for k, _ in available]
    unknown = [k for k in selected if k not in names]
    if unknown:
        raise BadCompareRequest(
            f"Unknown kind of statement: {', '.join(unknown)}. Choose from: {', '.join(names)}.",
            details={"kinds": names},
        )
    return [k for k in names if k in selected]  # canonical order, no repeats


def check_organisations(chosen: list[str], available: list[Organisation]) -> list[str]:
    slugs = [o.slug for o in available]
    unknown = [c for c in chosen if c not in slugs]
    if unknown:
        raise BadCompareRequest(
            f"Unknown organisation: {', '.join(unknown)}. Choose from: {', '.join(slugs)}.",
            details={"organisations": slugs},
        )
    return [c for c in slugs if c in chosen]  # the page's order, no repeats


def filter_rows(rows: list[dict], selected: list[str], iris: Iris) -> list[dict]:
    return [r for r in rows if not selected or _kind_name(r["kind"], iris) in selected]


def _cells(rows: list[dict], iris: Iris) -> dict[tuple[str, str], list[Statement]]:
    cells: dict[tuple[str, str], dict[str, Statement]] = {}
    for row in rows:
        cell = cells.setdefault((row["theme"], row["organisation"]), {})
        statement = cell.get(row["statement"])
        if statement is None:
            statement = cell[row["statement"]] = Statement(
                row["statement"],
                iris.browse_path(row["statement"]),
                row["statementLabel"] or row["statement"],
                row.get("statementLabel@"),
                _kind_name(row["kind"], iris),
                row["kindLabel"] or "",
                int(row["order"]) if row["order"] else None,
                row["summary"],
                row.get("summary@"),
                row["plan"],
                row["planLabel"],
                iris.browse_path(row["plan"]) if row["plan"] else None,
                row.get("planLabel@"),
            )
        if row["linkedTheme"] not in statement.linked:
            statement.linked.append(row["linkedTheme"])
    return {key: sorted(found.values(), key=Statement.sort_key) for key, found in cells.items()}


def matrix(build, iris: Iris, lang: str, selected: list[str], chosen: list[str] | None = None) -> Matrix:
    """The matrix with the kinds of statement `selected` and the organisations `chosen` (slugs; none: all)."""
    rows = cached_rows(build, iris, MATRIX_QUERY, lang)
    kinds = _kinds(rows, iris)
    selected = check_kinds(selected, kinds)
    organisations = _organisations(rows, iris)
    chosen = check_organisations(chosen or [], organisations)
    shown = filter_rows(rows, selected, iris)
    if chosen:
        shown = [r for r in shown if _slug(r["organisation"]) in chosen]
    key = ("compare-themes", lang)
    themes = build.cache.get(key)
    if themes is None:
        themes = theme_list(build.store, iris, lang)
        build.cache.put(key, themes, 20_000)
    listed = {t.iri for t in themes}
    # A linked theme outside the schemes (should not happen) still gets its row.
    extra = {
        r["theme"]: Theme(
            r["theme"],
            _slug(r["theme"]),
            iris.browse_path(r["theme"]),
            r["themeLabel"] or r["theme"],
            r.get("themeLabel@"),
        )
        for r in rows
        if r["theme"] not in listed
    }
    return Matrix(
        lang,
        themes + sorted(extra.values(), key=lambda t: t.label.casefold()),
        organisations,
        _cells(shown, iris),
        kinds,
        selected,
        shown,
        chosen,
    )


@dataclass
class Shared:
    a: Organisation
    b: Organisation
    themes: list[tuple[Theme, list[Statement], list[Statement]]]
    rows: list[dict]  # the query's rows, kind filter applied: the CSV


def shared(build, iris: Iris, m: Matrix, a: Organisation, b: Organisation) -> Shared:
    """Query 21 for the pair; with a kind filter, a theme is shared when both have statements of those kinds on it."""
    rows = filter_rows(cached_rows(build, iris, SHARED_QUERY, m.lang, (a.iri, b.iri)), m.selected, iris)
    by_theme: dict[str, set[str]] = {}
    for row in rows:
        by_theme.setdefault(row["theme"], set()).add(row["organisation"])
    rows = [r for r in rows if by_theme[r["theme"]] >= {a.iri, b.iri}]
    cells = _cells(rows, iris)
    themes = [
        (t, cells.get((t.iri, a.iri), []), cells.get((t.iri, b.iri), []))
        for t in m.themes
        if (t.iri, a.iri) in cells and (t.iri, b.iri) in cells
    ]
    return Shared(a, b, themes, rows)


def pick_pair(m: Matrix, a: str | None, b: str | None) -> tuple[Organisation, Organisation] | None:
    """The two organisations to compare: ?a= and ?b= (slugs), else the first two by slug, in every language."""
    by_slug = {o.slug: o for o in m.organisations}
    if a is None and b is None:
        # The first two of the organisations chosen for the page, else of all.
        first = sorted(o.slug for o in m.columns)[:2] if len(m.columns) >= 2 else sorted(by_slug)[:2]
        return (by_slug[first[0]], by_slug[first[1]]) if len(first) == 2 else None
    for name, slug in (("a", a), ("b", b)):
        if slug not in by_slug:
            raise BadCompareRequest(
                f"?{name}= must name an organisation on the page: one of {', '.join(by_slug)}.",
                details={"organisations": list(by_slug)},
            )
    assert a is not None and b is not None  # both were found in by_slug above
    if a == b:
        raise BadCompareRequest("Pick two different organisations to compare.")
    return by_slug[a], by_slug[b]


def organisation_themes(build, iris: Iris, lang: str, organisation: str) -> list[dict]:
    """For an organisation page: each theme its statements address, with the other organisations
    whose statements address it too (from the same matrix query as /compare)."""
    m = matrix(build, iris, lang, [])
    others = [o for o in m.organisations if o.iri != organisation]
    out = []
    for theme in m.themes:
        statements = m.cell(theme.iri, organisation)
        if statements:
            out.append(
                {
                    "theme": theme,
                    "statements": statements,
                    "shared_with": [o for o in others if m.cell(theme.iri, o.iri)],
                    "organisation_slug": _slug(organisation),
                }
            )
    return out


# --- Representations --------------------------------------------------------------------


def heatmap(m: Matrix, ui: dict, link: str = "") -> str:
    rows = [
        HeatRow(
            t.label,
            t.lang,
            t.depth,
            [len(m.cell(t.iri, o.iri)) for o in m.columns],
            [f"{link}#c-{t.slug}-{o.slug}" for o in m.columns],
        )
        for t in m.themes
    ]
    columns = [HeatColumn(o.label, o.lang) for o in m.columns]
    return heatmap_svg(rows, columns, ui["heatmap"], ui["heatmap_cell"], ui["theme"], ui["heatmap_cell_one"])


def csv_body(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
    return out.getvalue().encode("utf-8")


def _statement_json(s: Statement) -> dict:
    return {
        "iri": s.iri,
        "label": s.label,
        "lang": s.lang,
        "summary": s.summary,
        "kind": s.kind,
        "kindLabel": s.kind_label,
        "order": s.order,
        "plan": s.plan,
        "planLabel": s.plan_label,
        "linkedThemes": s.linked,
        "page": s.href,
    }


def matrix_json(m: Matrix, query: str, iris: Iris) -> dict:
    return {
        "language": m.lang,
        "kinds": m.selected or [k for k, _ in m.kinds],
        "curated": {"graph": iris.graph("curated"), "note": UI["en"]["curated_note"].rstrip(":") + "."},
        "query": {"name": MATRIX_QUERY, "text": query},
        "themes": [
            {"iri": t.iri, "label": t.label, "lang": t.lang, "broader": t.broader, "page": t.href} for t in m.themes
        ],
        "organisations": [{"iri": o.iri, "label": o.label, "lang": o.lang, "page": o.href} for o in m.columns],
        "cells": [
            {
                "theme": t.iri,
                "organisation": o.iri,
                "count": len(m.cell(t.iri, o.iri)),
                "statements": [_statement_json(s) for s in m.cell(t.iri, o.iri)],
            }
            for t in m.themes
            for o in m.columns
            if m.cell(t.iri, o.iri)
        ],
    }


def shared_json(s: Shared, m: Matrix, query: str, iris: Iris) -> dict:
    return {
        "language": m.lang,
        "kinds": m.selected or [k for k, _ in m.kinds],
        "curated": {"graph": iris.graph("curated"), "note": UI["en"]["curated_note"].rstrip(":") + "."},
        "query": {"name": SHARED_QUERY, "text": query},
        "organisations": [{"iri": o.iri, "label": o.label, "lang": o.lang, "page": o.href} for o in (s.a, s.b)],
        "themes": [
            {
                "iri": t.iri,
                "label": t.label,
                "lang": t.lang,
                "broader": t.broader,
                "page": t.href,
                "statements": {
                    s.a.iri: [_statement_json(x) for x in of_a],
                    s.b.iri: [_statement_json(x) for x in of_b],
                },
            }
            for t, of_a, of_b in s.themes
        ],
    }


def classification_activity(build: Build, iris: Iris) -> str | None:
    """The activity that generated the curated graph: who classified, when, by what rule."""
    rows = list(build.store.query(queries.CLASSIFICATION_ACTIVITY))
    return iris.browse_path(rows[0]["activity"].value) if rows else None
