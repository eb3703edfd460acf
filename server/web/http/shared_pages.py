"""Pages one worker rendered, for every other worker of the machine: one SQLite file per build.

Each web worker is a process with its own memory cache (BuildCache), so without this every
worker renders a page again the first time it is asked for it; at 1 M triples an organisation
page takes about 150 ms to render. Here the first worker's bytes go into `pages.sqlite` in the
build's own folder, and the others read them (a lookup by key, well under a millisecond). A
build is immutable, so an entry never goes stale, and it goes when the build is pruned.

The file is bounded (SQLite's max_page_count: a write past it fails, and the page is then only
kept in the worker's memory), so questions nobody can enumerate (searches, comparisons of any
set of organisations) cannot fill the disk. Where the build folder cannot be written (a
read-only deployment) the cache stays off and every worker renders for itself, as before.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import sqlite3
import threading
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

log = logging.getLogger("strategiaverkko")

CODE_ROOT = Path(__file__).resolve().parents[2]  # the server package
FILE = "pages.sqlite"
PAGE_BYTES = 4096
SCHEMA = "CREATE TABLE IF NOT EXISTS pages (key BLOB PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID"
SELECT = "SELECT body FROM pages WHERE key = ?"
INSERT = "INSERT OR IGNORE INTO pages (key, body) VALUES (?, ?)"


def key_digest(key: Hashable, salt: bytes = b"") -> bytes:
    """A key of the build's cache (a tuple of strings) as the same 32 bytes in every process
    running the same code with the same settings: both are part of it (`salt`), so a page
    rendered by older templates or under other settings (a catalog page size) is never served."""
    return hashlib.sha256(_code_version() + salt + repr(key).encode("utf-8")).digest()


@functools.cache
def _code_version() -> bytes:
    """A digest of everything that shapes a rendered page: the package's code, templates, words and
    named queries (about 150 files, read once per process in a few milliseconds)."""
    digest = hashlib.sha256()
    for path in sorted(CODE_ROOT.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".html", ".ttl", ".rq"):
            digest.update(str(path.relative_to(CODE_ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.digest()


class SharedPages:
    def __init__(self, build_path: Path, max_bytes: int, settings_digest: bytes = b""):
        self.path = build_path / FILE
        self.salt = settings_digest
        self.max_pages = max(1, max_bytes // PAGE_BYTES)
        self._local = threading.local()
        self.enabled = max_bytes > 0

    def _db(self) -> sqlite3.Connection | None:
        db = getattr(self._local, "db", None)
        if db is None and self.enabled:
            try:
                db = sqlite3.connect(self.path, timeout=2.0, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=OFF")  # a lost entry is only rendered again
                db.execute(f"PRAGMA max_page_count={int(self.max_pages)}")  # a pragma takes no parameters
                db.execute(SCHEMA)
            except sqlite3.Error as e:
                log.warning("shared page cache off for %s: %s", self.path, e)
                self.enabled = False
                return None
            self._local.db = db
        return db

    def get(self, key: Hashable) -> bytes | None:
        db = self._db()
        if db is None:
            return None
        try:
            row = db.execute(SELECT, (key_digest(key, self.salt),)).fetchone()
        except sqlite3.Error:
            return None  # busy or damaged: render instead
        return bytes(row[0]) if row else None

    def put(self, key: Hashable, body: bytes) -> None:
        db = self._db()
        if db is None:
            return
        try:
            db.execute(INSERT, (key_digest(key, self.salt), body))
        except sqlite3.Error:
            pass  # full (max_page_count) or busy: this worker keeps it in memory all the same


_BY_BUILD: dict[tuple[Path, bytes], SharedPages] = {}
_LOCK = threading.Lock()


def settings_digest(settings: Mapping[str, Any]) -> bytes:
    """The settings as bytes: every setting may shape a page (the public URL, the catalog's page size)."""
    return hashlib.sha256(json.dumps(dict(settings), sort_keys=True, default=str).encode("utf-8")).digest()


def shared_pages(build_path: Path, settings: Mapping[str, Any]) -> SharedPages:
    """The shared page cache of the build at `build_path` for these settings (one object per process)."""
    digest = settings_digest(settings)
    with _LOCK:
        found = _BY_BUILD.get((build_path, digest))
        if found is None:
            if len(_BY_BUILD) >= 4:  # a worker serves one build at a time; older ones are gone
                _BY_BUILD.clear()
            found = SharedPages(build_path, settings["shared_page_bytes"], digest)
            _BY_BUILD[build_path, digest] = found
        return found
