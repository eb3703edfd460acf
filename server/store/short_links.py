"""Short links to a query and its view: /s/{key} stands for /sparql?query=…&view=…

A link is content-addressed (the key is a hash of the query and the view), so asking twice
gives the same link and nobody can guess or overwrite another's. The links live in one SQLite
file beside the builds (they outlive a rebuild) and the store is bounded: a query longer than
the endpoint takes is refused by the caller, and once `max_links` are kept no new one is made
(existing links keep working). Every worker process opens the same file; SQLite's locking and
a busy timeout keep concurrent writers apart.
"""

from __future__ import annotations

import base64
import hashlib
import sqlite3
import threading
from pathlib import Path

from ..core.errors import StrategiaverkkoError

KEY_CHARS = 10  # 50 bits of SHA-256: a collision needs about 30 million links
SCHEMA = "CREATE TABLE IF NOT EXISTS links (key TEXT PRIMARY KEY, query TEXT NOT NULL, view TEXT NOT NULL)"
INSERT = "INSERT OR IGNORE INTO links (key, query, view) VALUES (?, ?, ?)"
SELECT = "SELECT query, view FROM links WHERE key = ?"
COUNT = "SELECT COUNT(*) FROM links"


class ShortLinksFull(StrategiaverkkoError):
    status = 503
    title = "No room for new short links"


def link_key(query: str, view: str) -> str:
    digest = hashlib.sha256(f"{view}\x1f{query}".encode()).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:KEY_CHARS]


class ShortLinks:
    def __init__(self, path: Path, max_links: int = 100_000):
        self.path, self.max_links = path, max_links
        self._local = threading.local()

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=5.0)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(SCHEMA)
            self._local.db = db
        return db

    def save(self, query: str, view: str) -> str:
        """The key of (query, view), kept if it is new and there is room."""
        key = link_key(query, view)
        db = self._db()
        if db.execute(SELECT, (key,)).fetchone() is not None:
            return key
        if db.execute(COUNT).fetchone()[0] >= self.max_links:
            raise ShortLinksFull(
                f"The server keeps at most {self.max_links:,} short links; use the full permalink instead.",
                details={"limit": self.max_links},
            )
        with db:
            db.execute(INSERT, (key, query, view))
        return key

    def get(self, key: str) -> tuple[str, str] | None:
        if len(key) != KEY_CHARS or not key.isalnum():
            return None
        row = self._db().execute(SELECT, (key,)).fetchone()
        return (row[0], row[1]) if row else None
