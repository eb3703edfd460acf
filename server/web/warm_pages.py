"""Render the pages of the whole graph when a worker opens a build, so that no reader waits for them.

A page about one thing renders in tens of milliseconds at a million triples, but the pages of
the whole graph ask across all of it: /compare draws every organisation's themes (its matrix
takes over a second to compute in a language not yet asked), /catalog and /ontology build
RDF graphs of thousands of statements. After the canned queries are warm (query.warm), one
worker of the machine asks for each of these pages in each language, through the app as a
reader would, so each rendering lands in the build's shared page cache (http.shared_pages)
and the first reader of any worker gets it from there.

Which renderings: a page is keyed by the reader's order of fi, sv and en (from ?lang=, the
language cookie, Accept-Language and the fallback) and by the ?lang= its links keep. So each
page is asked in every order without ?lang= (as Accept-Language gives it on a first visit), and
with ?lang= in both orders that can follow it (as our links give it): 12 renderings of each.
/catalog is rendered only when public_url is set: its links hold the server's public address,
which a warm-up without a reader's request cannot know.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import logging
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

from flask import Flask

from ..store.current import Build
from . import context
from .i18n import LANGUAGES

log = logging.getLogger("strategiaverkko.warm")

PAGES = ("/", "/coverage", "/compare", "/ontology", "/sparql", "/download/")
PAGES_WITH_PUBLIC_ADDRESS = ("/catalog",)
# Set in the WSGI environ of the warm-up's own requests: the access log leaves them out.
WARMING = "strategiaverkko.warming"
# Beside the shared page cache: the worker that holds it renders, the others find the pages.
LOCK_FILE = "pages.warming.lock"


def reader_choices() -> list[tuple[str | None, str]]:
    """(?lang=, Accept-Language) pairs that give every key a page can have."""
    orders = list(itertools.permutations(LANGUAGES))
    return [(None, ", ".join(order)) for order in orders] + [(order[0], ", ".join(order[1:])) for order in orders]


def warm_pages_in_background(app: Flask, build: Build, after: threading.Thread) -> threading.Thread:
    """Render the pages once `after` (the canned queries' warm-up) is done."""

    def run() -> None:
        after.join()
        warm_pages(app, build)

    thread = threading.Thread(target=run, name=f"warm-pages-{build.id}", daemon=True)
    thread.start()
    return thread


@contextlib.contextmanager
def first_worker_to_render(build: Build) -> Iterator[bool]:
    """Whether this worker is the one to render (no other holds the build's lock). A build folder
    we cannot write to shares no pages: then each worker renders for its own cache."""
    try:
        lock = open(build.path / LOCK_FILE, "a")  # noqa: SIM115 - held until the pages are done
    except OSError:
        yield True
        return
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True


def warm_pages(app: Flask, build: Build) -> int:
    """Ask for every page of the whole graph in every language; returns how many answered 200
    (0 when another worker of the machine is rendering them)."""
    settings = app.config["STRATEGIAVERKKO"]
    public_url = settings["public_url"]
    paths = PAGES + (PAGES_WITH_PUBLIC_ADDRESS if public_url else ())
    # The host only: a path in public_url is in the pages' links already, not in the app's routes.
    base_url = "{0.scheme}://{0.netloc}".format(urlsplit(public_url)) if public_url else "http://localhost"
    client = app.test_client(use_cookies=False)
    state, pool = app.extensions[context.STATE], app.extensions[context.POOL]
    started, done = time.perf_counter(), 0
    with first_worker_to_render(build) as first:
        if not first:
            log.info("the pages of build %s are rendered by another worker", build.id)
            return 0
        try:
            for path in paths:
                for lang, accept_language in reader_choices():
                    if pool.stopping:
                        return done  # the worker is stopping
                    if state.current() is not build:
                        return done  # a newer build came: its own warm-up renders its pages
                    response = client.get(
                        path,
                        query_string={"lang": lang} if lang else None,
                        base_url=base_url,
                        headers={"Accept": "text/html", "Accept-Language": accept_language},
                        environ_overrides={WARMING: True},
                    )
                    response.close()
                    if response.status_code == 200:
                        done += 1
                    elif response.status_code == 503:  # stopping, or busy with readers: they come first
                        log.info("stopped rendering the pages of build %s: busy or stopping", build.id)
                        return done
                    else:
                        log.warning("warming build %s: %s answered %d", build.id, path, response.status_code)
        except Exception:  # noqa: BLE001 - an optimisation: never take the worker down
            log.exception("warming the pages of build %s failed", build.id)
            return done
    log.info("rendered %d pages of build %s in %.1f s", done, build.id, time.perf_counter() - started)
    return done
