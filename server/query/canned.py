"""The canned researcher queries in server/query/canned_queries/*.rq.

Each file starts with comment lines that say what it is, in English and in the other two
languages of the site:

    # title: …                  (English; one line)
    # description: …            (English; one or more lines)
    # topic: statements         (one of TOPICS)
    # title@fi: …               (and @sv)
    # description@fi: …         (and @sv; one or more lines)
    # note@en: …                (and @fi, @sv: one short sentence on what the answer shows)
    #defaultView:BarChart       (optional, as in the Wikidata Query Service: how the page shows it)

the rest is the query. The comments stay in the text, so a researcher who copies a query
into another tool keeps its explanation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

QUERY_DIR = Path(__file__).parent / "canned_queries"
LANGUAGES = ("fi", "sv", "en")
_HEADER = re.compile(r"^#\s*(title|description|note|topic)(?:@(fi|sv|en))?:\s*(.*)$")
# `#defaultView:BarChart` anywhere in a query, as the Wikidata Query Service reads it.
DEFAULT_VIEW = re.compile(r"^\s*#\s*defaultView:\s*(\w+)", re.MULTILINE)
VIEWS = ("Table", "BarChart", "LineChart", "Timeline", "Graph")

# The topics the questions are grouped by on the query page, in this order.
TOPICS = {
    "statements": {
        "fi": "Mitä strategiat sanovat",
        "sv": "Vad strategierna säger",
        "en": "What the strategies say",
    },
    "themes": {
        "fi": "Teemat ja vertailu",
        "sv": "Teman och jämförelse",
        "en": "Themes and comparison",
    },
    "versions": {
        "fi": "Versiot, kaudet ja päätökset",
        "sv": "Versioner, perioder och beslut",
        "en": "Versions, periods and decisions",
    },
    "coverage": {
        "fi": "Alueet ja kattavuus",
        "sv": "Områden och täckning",
        "en": "Areas and coverage",
    },
    "sources": {
        "fi": "Lähteet, osallistuminen ja päättely",
        "sv": "Källor, delaktighet och härledning",
        "en": "Sources, participation and inference",
    },
}


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str  # English, as `# title:` gives it
    description: str  # English
    text: str
    topic: str = "statements"
    titles: dict[str, str] = field(default_factory=dict)  # by language, English included
    descriptions: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    default_view: str | None = None

    def in_language(self, lang: str) -> tuple[str, str, str]:
        """(title, description, note) in `lang`, else in English."""
        return (
            self.titles.get(lang, self.title),
            self.descriptions.get(lang, self.description),
            self.notes.get(lang, self.notes.get("en", "")),
        )


def parse_canned(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    values: dict[tuple[str, str], list[str]] = {}
    for line in text.splitlines():
        m = _HEADER.match(line)
        if m:
            values.setdefault((m.group(1), m.group(2) or "en"), []).append(m.group(3).strip())
    title = " ".join(values.get(("title", "en"), []))
    if not title:
        raise ValueError(f"{path}: a canned query needs a '# title: …' line")
    topic = " ".join(values.get(("topic", "en"), ["statements"]))
    if topic not in TOPICS:
        raise ValueError(f"{path}: unknown topic {topic!r}; one of {', '.join(TOPICS)}")
    view = DEFAULT_VIEW.search(text)
    if view and view.group(1) not in VIEWS:
        raise ValueError(f"{path}: unknown defaultView {view.group(1)!r}; one of {', '.join(VIEWS)}")

    def by_language(kind: str) -> dict[str, str]:
        return {lang: " ".join(values[(kind, lang)]) for lang in LANGUAGES if (kind, lang) in values}

    return CannedQuery(
        path.stem,
        title,
        " ".join(values.get(("description", "en"), [])),
        text,
        topic=topic,
        titles=by_language("title"),
        descriptions=by_language("description"),
        notes=by_language("note"),
        default_view=view.group(1) if view else None,
    )


@lru_cache(maxsize=1)
def canned_queries() -> tuple[CannedQuery, ...]:
    return tuple(parse_canned(p) for p in sorted(QUERY_DIR.glob("*.rq")))


def canned(name: str) -> CannedQuery | None:
    return next((q for q in canned_queries() if q.name == name), None)


def by_topic() -> list[tuple[str, list[CannedQuery]]]:
    """The questions grouped by topic, topics in TOPICS' order, questions in file order."""
    queries = canned_queries()
    return [(topic, [q for q in queries if q.topic == topic]) for topic in TOPICS]
