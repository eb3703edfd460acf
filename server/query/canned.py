"""The canned researcher queries in server/query/canned_queries/*.rq.

Each file starts with comment lines `# title: …` and `# description: …` (one or more
description lines); the rest is the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

QUERY_DIR = Path(__file__).parent / "canned_queries"
_HEADER = re.compile(r"^#\s*(title|description):\s*(.*)$")


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    text: str


def parse_canned(path: Path) -> CannedQuery:
    title, description = None, []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _HEADER.match(line)
        if m and m.group(1) == "title":
            title = m.group(2).strip()
        elif m:
            description.append(m.group(2).strip())
    if not title:
        raise ValueError(f"{path}: a canned query needs a '# title: …' line")
    return CannedQuery(path.stem, title, " ".join(description), path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def canned_queries() -> tuple[CannedQuery, ...]:
    return tuple(parse_canned(p) for p in sorted(QUERY_DIR.glob("*.rq")))


def canned(name: str) -> CannedQuery | None:
    return next((q for q in canned_queries() if q.name == name), None)
