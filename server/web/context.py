"""The request context: one home for what a view needs to know about the app and the reader.

Views and presenters ask these functions rather than reaching into `current_app.extensions`
themselves, so where the app keeps its parts is written down once (see app.create_app).
"""

from __future__ import annotations

import functools
import logging
from typing import cast
from urllib.parse import parse_qsl, urlsplit

from flask import current_app, request

from ..core.errors import StrategiaverkkoError
from ..core.iris import Iris
from ..core.settings import Settings
from ..query.sandbox import QueryPool
from ..query.service import QueryService
from ..store import statistics as build_statistics
from ..store.current import Build, BuildState
from ..store.short_links import ShortLinks
from .i18n import LANGUAGES, UI, reader_languages

log = logging.getLogger("strategiaverkko")

IRIS = "strategiaverkko.iris"
STATE = "strategiaverkko.state"
POOL = "strategiaverkko.pool"
QUERIES = "strategiaverkko.queries"
SHORT_LINKS = "strategiaverkko.short_links"
# The reader's choice of language, set by the language switch (?lang=) and kept for a year.
LANGUAGE_COOKIE = "lang"


class NotFound(StrategiaverkkoError):
    status = 404
    title = "Not found"


def settings() -> Settings:
    return cast(Settings, current_app.config["STRATEGIAVERKKO"])


def iris() -> Iris:
    return cast(Iris, current_app.extensions[IRIS])


def state() -> BuildState:
    return cast(BuildState, current_app.extensions[STATE])


def current_build() -> Build:
    """The build this request is answered from (503 when there is none)."""
    return state().current()


def statistics() -> dict:
    """The current build's statistics (store.statistics: counted when it was built)."""
    return build_statistics.of(current_build(), iris().graph("ontology"), iris().base)


def pool() -> QueryPool:
    return cast(QueryPool, current_app.extensions[POOL])


def query_service() -> QueryService:
    return cast(QueryService, current_app.extensions[QUERIES])


def short_links() -> ShortLinks:
    return cast(ShortLinks, current_app.extensions[SHORT_LINKS])


def languages() -> list[str]:
    return reader_languages(
        request.args.get("lang"),
        request.headers.get("Accept-Language"),
        settings()["fallback_languages"],
        remembered=request.cookies.get(LANGUAGE_COOKIE),
    )


def language_asked() -> bool:
    """Whether the reader named a language (?lang=, Accept-Language or the remembered choice), rather
    than getting the site's fallback."""
    return bool(
        request.args.get("lang") or request.headers.get("Accept-Language") or request.cookies.get(LANGUAGE_COOKIE)
    )


def with_url_language(href: str) -> str:
    """A link from this request that keeps the language the URL asked for (?lang=), so the choice
    survives a click (or a redirect) even without the cookie. Only our own paths; fragments stay last."""
    asked = language_in_url()
    if not asked or not href.startswith("/") or href.startswith("//"):
        return href
    path, hash_mark, fragment = href.partition("#")
    if any(name == "lang" for name, _ in parse_qsl(urlsplit(path).query)):
        return href
    return path + ("&" if "?" in path else "?") + "lang=" + asked + hash_mark + fragment


def language_in_url() -> str | None:
    """The language this URL asks for (?lang=), which links from the page keep; None if none."""
    asked = request.args.get("lang")
    return asked if asked in LANGUAGES else None


def ui() -> dict:
    return UI[languages()[0]]


def public_url() -> str:
    """The address catalog, VoID and sitemap links use: the configured one, else this request's host."""
    configured = settings()["public_url"]
    if not configured and not settings()["trusted_proxies"] and "X-Forwarded-Proto" in request.headers:
        _say_proxy_is_not_trusted()
    return (configured or request.host_url).rstrip("/")


@functools.cache  # once per worker: every request through that proxy would say the same
def _say_proxy_is_not_trusted() -> None:
    log.warning(
        "a proxy sends X-Forwarded-Proto, but neither public_url nor trusted_proxies is set: the catalog, "
        "VoID and sitemap list this server's own address (%s), not the one readers use",
        request.host_url,
    )
