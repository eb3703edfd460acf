"""Render the pages of the whole graph when a worker opens a build, so that no reader waits for them.

A page about one thing renders in tens of milliseconds at a million triples, but the pages of
the whole graph ask across all of it: /compare draws every organisation's themes (its matrix
takes over a second to compute in a language not yet asked), /catalog and /ontology build
RDF graphs of thousands of statements. After the canned queries are warm (query.warm), the
worker asks for each of these pages in each language, through the app as a reader would, so
each rendering lands in the build's shared page cache (http.shared_pages) and the first reader
of any worker gets it from there. A worker that finds them rendered by another only reads them.

Which renderings: each page with ?lang=fi, ?lang=sv and ?lang=en (every link on our pages keeps
one), and without it as a crawler asks (no Accept-Language). /catalog is rendered only when
public_url is set: its links hold the server's public address, which a warm-up without a
reader's request cannot know.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

from ..store.current import Build
from . import context
from .i18n import LANGUAGES

log = logging.getLogger("strategiaverkko.warm")

PAGES = ("/", "/coverage", "/compare", "/ontology", "/sparql", "/download/")
PAGES_WITH_PUBLIC_ADDRESS = ("/catalog",)
# Set in the WSGI environ of the warm-up's own requests: the access log leaves them out.
WARMING = "strategiaverkko.warming"


def warm_pages_in_background(app: Flask, build: Build, after: threading.Thread) -> threading.Thread:
    """Render the pages once `after` (the canned queries' warm-up) is done."""

    def run() -> None:
        after.join()
        warm_pages(app, build)

    thread = threading.Thread(target=run, name=f"warm-pages-{build.id}", daemon=True)
    thread.start()
    return thread


def warm_pages(app: Flask, build: Build) -> int:
    """Ask for every page of the whole graph in every language; returns how many answered 200."""
    settings = app.config["STRATEGIAVERKKO"]
    public_url = settings["public_url"]
    paths = PAGES + (PAGES_WITH_PUBLIC_ADDRESS if public_url else ())
    client = app.test_client(use_cookies=False)
    state = app.extensions[context.STATE]
    started, done = time.perf_counter(), 0
    try:
        for path in paths:
            for lang in (*LANGUAGES, None):
                if state.current() is not build:
                    return done  # a newer build came: its own warm-up renders its pages
                response = client.get(
                    path,
                    query_string={"lang": lang} if lang else None,
                    base_url=public_url or "http://localhost",
                    headers={"Accept": "text/html"},
                    environ_overrides={WARMING: True},
                )
                response.close()
                if response.status_code == 200:
                    done += 1
                else:
                    log.warning("warming build %s: %s answered %d", build.id, path, response.status_code)
    except Exception:  # noqa: BLE001 - an optimisation: never take the worker down
        log.exception("warming the pages of build %s failed", build.id)
        return done
    log.info("rendered %d pages of build %s in %.1f s", done, build.id, time.perf_counter() - started)
    return done
