"""What /search shows: the things whose texts match the words, grouped by kind and organisation,
with the matching words marked.

Words match by their forms (core/words.py): case and accents folded, Finnish inflection and
derivation by base forms, with the analyser the build's index was made with.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field

from markupsafe import Markup
from rdflib import URIRef

from ...core.iris import Iris
from ...core.words import WORD as WORD_SPAN
from ...core.words import analyser, matches, query_forms
from ...store.current import Build
from ...store.search import Hit, SearchIndex
from ..i18n import pick_label
from .linked_data import ontology_labels
from .resource import external_label_index

PAGE_SIZE = 50  # things a page shows; the texts of those are marked
SNIPPET_WORDS = 24
SEARCH_LIMIT = 500  # texts the index returns, best first
MATCHES_SHOWN = 2  # texts of one thing that matched, best first


@dataclass
class Thing:
    iri: str
    href: str
    label: str
    lang: str | None
    rank: int  # the place of its best text among those found
    matches: list[dict] = field(default_factory=list)


def _label(names: list[tuple[str, str]], langs: list[str]) -> tuple[str, str | None] | None:
    """(text, language) of the name to show: the first in the reader's first language that has
    one, else the first (pick_label's choice, without making literals of every name)."""
    for lang in langs:
        for tag, text in names:
            if tag.lower().split("-")[0] == lang:
                return text, tag
    return (names[0][1], names[0][0] or None) if names else None


def highlighted(text: str, wanted: list[tuple[str, frozenset[str]]], using, memo: dict | None = None) -> Markup:
    """The text with the words that match marked (<mark>), cut around the first match if long.
    `memo` keeps whether a word matches between the texts of one answer."""
    known: dict[str, bool] = {} if memo is None else memo

    def marked(word: str) -> bool:
        found = known.get(word)
        if found is None:
            found = known[word] = matches(word, wanted, using)
        return found

    spans = [m.span() for m in WORD_SPAN.finditer(text)]
    if not spans:
        return Markup(html.escape(text))
    lo_word, hi_word = 0, len(spans)
    if len(spans) > SNIPPET_WORDS:
        first = next((i for i, (a, b) in enumerate(spans) if marked(text[a:b])), 0)
        lo_word = max(0, min(first - SNIPPET_WORDS // 3, len(spans) - SNIPPET_WORDS))
        hi_word = lo_word + SNIPPET_WORDS
    start = spans[lo_word][0] if lo_word > 0 else 0
    end = spans[hi_word - 1][1] if hi_word < len(spans) else len(text)
    out = ["… " if start > 0 else ""]
    at = start  # the text from here to the next marked word is escaped in one piece
    for a, b in spans[lo_word:hi_word]:
        word = text[a:b]
        if marked(word):
            out.append(html.escape(text[at:a]))
            out.append(f"<mark>{html.escape(word)}</mark>")
            at = b
    out.append(html.escape(text[at:end]))
    out.append(" …" if end < len(text) else "")
    return Markup("".join(out))  # every piece of the text is escaped above


def search(build: Build, iris: Iris, q: str, langs: list[str], page: int = 1) -> dict:
    """{"count", "page", "pages", "analyser", "groups": [{kind, label, organisations: [{iri, label, href,
    things}]}]}: the things of one page (best first), grouped by kind and organisation.

    The index gives the best SEARCH_LIMIT texts (which thing each is of); only the texts of the
    page's things are read, marked and named."""
    info = build.manifest.get("search") or {}
    if not q or not info:
        return {"count": 0, "page": 1, "pages": 1, "analyser": info.get("analyser"), "groups": [], "truncated": False}
    using = analyser(info.get("analyser", "snowball"))
    wanted = query_forms(q, using)
    index = SearchIndex(build.path / info["file"])
    hits = index.search(wanted, limit=SEARCH_LIMIT)
    # The things, best first, each with its texts that matched, best first; a thing's rank is the
    # place of its best text.
    by_iri: dict[str, list[Hit]] = {}
    rank: dict[str, int] = {}
    for place, hit in enumerate(hits):
        by_iri.setdefault(hit.iri, []).append(hit)
        rank.setdefault(hit.iri, place)
    pages = max(1, -(-len(by_iri) // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = dict(list(by_iri.items())[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    texts = index.texts([hit.row for rows in shown.values() for hit in rows[:MATCHES_SHOWN]])
    # Names of the things shown and of their organisations, from the index itself.
    wanted_names = set(shown) | {rows[0].organisation for rows in shown.values() if rows[0].organisation}
    names = {iri: _label(found, langs) for iri, found in index.names_of(sorted(wanted_names)).items()}
    kinds = ontology_labels(build, iris)

    memo: dict[str, bool] = {}
    groups: dict[str, dict[str, list[Thing]]] = defaultdict(lambda: defaultdict(list))
    best: dict[str, int] = {}
    for iri, rows in shown.items():
        label = names.get(iri)
        thing = Thing(
            iri=iri,
            href=iris.browse_path(iri) or iri,
            label=label[0] if label is not None else iri,
            lang=label[1] if label is not None else None,
            rank=rank[iri],
            matches=[
                {
                    "field": text.field,
                    "lang": text.lang,
                    "text": text.text,
                    "html": highlighted(text.text, wanted, using, memo),
                }
                for text in (texts[hit.row] for hit in rows[:MATCHES_SHOWN] if hit.row in texts)
            ],
        )
        kind, organisation = rows[0].kind, rows[0].organisation
        groups[kind][organisation].append(thing)
        best.setdefault(kind, thing.rank)  # things come best first

    out = []
    for kind in sorted(groups, key=lambda k: best[k]):
        # A kind of another vocabulary (skos:Concept, prov:Activity …) has its display label.
        kind_labels = kinds.get(URIRef(kind)) or external_label_index().get(URIRef(kind), {})
        kind_label = pick_label(kind_labels, langs) if kind else None
        organisations = []
        for organisation, things in groups[kind].items():  # in the order of their best thing
            org_label = names.get(organisation)
            organisations.append(
                {
                    "iri": organisation,
                    "href": iris.browse_path(organisation) if organisation else None,
                    "label": org_label[0] if org_label is not None else "",
                    "lang": org_label[1] if org_label is not None else None,
                    "things": things,
                }
            )
        out.append(
            {
                "kind": kind,
                "label": str(kind_label) if kind_label else kind.rsplit("#", 1)[-1],
                "organisations": organisations,
            }
        )
    return {
        "count": len(by_iri),
        "page": page,
        "pages": pages,
        "analyser": using.name,
        "groups": out,
        # The index answers the best SEARCH_LIMIT texts: a question matching more is cut there.
        "truncated": len(hits) >= SEARCH_LIMIT,
    }


def as_json(result: dict, q: str) -> dict:
    """The same answer for programs: plain values, the marked text as HTML."""
    return {
        "query": q,
        "count": result["count"],
        "page": result["page"],
        "pages": result["pages"],
        "analyser": result["analyser"],
        "truncated": result["truncated"],
        "groups": [
            {
                "kind": g["kind"],
                "kindLabel": g["label"],
                "organisations": [
                    {
                        "organisation": o["iri"] or None,
                        "label": o["label"],
                        "things": [
                            {
                                "iri": t.iri,
                                "href": t.href,
                                "label": t.label,
                                "lang": t.lang,
                                "matches": [
                                    {"field": m["field"], "lang": m["lang"], "text": m["text"], "html": str(m["html"])}
                                    for m in t.matches
                                ],
                            }
                            for t in o["things"]
                        ],
                    }
                    for o in g["organisations"]
                ],
            }
            for g in result["groups"]
        ],
    }
