"""When a worker opens a build it renders the pages of the whole graph in every language, into
the build's shared page cache: the first reader of any worker gets them ready."""

from __future__ import annotations

import contextlib
import logging
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from flask import template_rendered

from server.store.manifest import current_build
from server.web.app import create_app
from server.web.warm_pages import PAGES, first_worker_to_render, warm_pages

PUBLIC = "https://strategiaverkko.example"


def _fresh_copy(real_settings: dict, var: Path) -> dict:
    """Settings over a copy of the real build with nothing rendered yet (no pages.sqlite)."""
    built = current_build(real_settings["var_dir"])
    copy = shutil.copytree(built, var / "builds" / built.name)
    (copy / "pages.sqlite").unlink(missing_ok=True)
    (var / "current").symlink_to(Path("builds") / built.name)
    return {**real_settings, "var_dir": str(var), "public_url": PUBLIC, "warm_pages": True}


def _renders(app) -> list[str]:
    """The templates `app` renders from now on."""
    seen: list[str] = []

    def record(sender, template, context, **extra):
        seen.append(template.name)

    template_rendered.connect(record, app, weak=False)
    return seen


# What readers send: a first visit with a browser's Accept-Language, and links with ?lang=.
READERS = [
    ("", "fi-FI,fi;q=0.9,en-US;q=0.8,en;q=0.7", "fi"),
    ("", "sv-FI,sv;q=0.9,fi;q=0.8", "sv"),
    ("", "en-GB,en;q=0.9", "en"),
    ("", "", "fi"),  # a crawler
    ("?lang=sv", "fi-FI,fi;q=0.9,en;q=0.8", "sv"),
    ("?lang=en", "", "en"),
    ("?lang=fi", "en", "fi"),
]


def _ask_every_page(app) -> None:
    client = app.test_client(use_cookies=False)
    for path in (*PAGES, "/catalog"):
        for query, accept_language, lang in READERS:
            headers = {"Accept": "text/html", "Accept-Language": accept_language}
            response = client.get(path + query, base_url=PUBLIC, headers=headers)
            assert response.status_code == 200, path + query
            assert f'<html lang="{lang}"'.encode() in response.data, (path, query, accept_language)


@contextlib.contextmanager
def _two_workers(settings: dict) -> Iterator[tuple]:
    """Two apps on one build with the same settings: two web workers that share pages."""
    apps = (create_app(settings), create_app(settings))
    try:
        yield apps
    finally:
        for app in apps:
            app.extensions["strategiaverkko.pool"].close()


def _reads_every_page_without_rendering(app) -> None:
    renders = _renders(app)
    _ask_every_page(app)
    assert renders == []


def test_a_worker_renders_the_pages_of_the_whole_graph_and_another_worker_only_reads_them(
    real_settings, tmp_path, caplog
):
    settings = {**_fresh_copy(real_settings, tmp_path / "var"), "warm_on_open": False}
    with _two_workers(settings) as (first, second):
        build = first.extensions["strategiaverkko.state"].current()
        with caplog.at_level(logging.INFO, logger="strategiaverkko.access"):
            assert warm_pages(first, build) == (len(PAGES) + 1) * 12
        assert "strategiaverkko.access" not in {r.name for r in caplog.records}  # not a reader's request
        _reads_every_page_without_rendering(second)


def test_opening_a_build_warms_its_pages_after_its_queries(real_settings, tmp_path, caplog):
    with _two_workers(_fresh_copy(real_settings, tmp_path / "var")) as (first, second):
        with caplog.at_level(logging.INFO, logger="strategiaverkko.warm"):
            assert first.test_client().get("/healthz").status_code == 200  # opens the build
            build = first.extensions["strategiaverkko.state"].current()
            warming = [t for t in threading.enumerate() if t.name == f"warm-pages-{build.id}"]
            assert len(warming) == 1
            warming[0].join(timeout=120)
            assert build.warmed.is_set()
        assert f"rendered {(len(PAGES) + 1) * 12} pages of build {build.id}" in caplog.text
        _reads_every_page_without_rendering(second)


def test_of_two_workers_warming_the_same_build_one_renders(real_settings, tmp_path):
    settings = {**_fresh_copy(real_settings, tmp_path / "var"), "warm_on_open": False}
    with _two_workers(settings) as (first, second):
        build = first.extensions["strategiaverkko.state"].current()
        with first_worker_to_render(build) as holds:  # as if the first worker were rendering now
            assert holds
            assert warm_pages(second, second.extensions["strategiaverkko.state"].current()) == 0
        assert warm_pages(second, second.extensions["strategiaverkko.state"].current()) == (len(PAGES) + 1) * 12


def test_without_a_public_url_the_catalog_waits_for_its_reader(real_settings, tmp_path):
    settings = {**_fresh_copy(real_settings, tmp_path / "var"), "warm_on_open": False, "public_url": ""}
    app = create_app(settings)
    try:
        build = app.extensions["strategiaverkko.state"].current()
        assert warm_pages(app, build) == len(PAGES) * 12
        renders = _renders(app)
        response = app.test_client().get("/catalog?lang=fi", base_url=PUBLIC, headers={"Accept": "text/html"})
        assert response.status_code == 200 and PUBLIC.encode() in response.data
        assert renders == ["catalog.html"]
    finally:
        app.extensions["strategiaverkko.pool"].close()
