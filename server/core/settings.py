"""All settings in one table: name, default, environment variable, help.

`load_settings()` merges defaults, environment and explicit overrides; an unknown
key is an error, so a typo cannot silently fall back to a default.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict, cast

from .iris import DEFAULT_BASE

# Large enough that one entry (a quarter) holds any result under max_result_bytes' default.
DEFAULT_CACHE_BYTES = 256 * 1024 * 1024

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(TypedDict):
    """The values of SETTINGS, one key each, as load_settings() returns them."""

    base_iri: str
    source_dir: str
    var_dir: str
    fallback_languages: tuple[str, ...]
    public_url: str
    trusted_proxies: int
    publisher_name: str
    publisher_iri: str
    contact_email: str
    catalog_page_size: int
    query_timeout: float
    slow_query_seconds: float
    max_result_bytes: int
    max_request_bytes: int
    short_links_max: int
    shared_page_bytes: int
    query_processes: int
    memory_store_max_triples: int
    query_host_trim_seconds: float
    store_url: str
    graph_store_url: str
    cache_bytes: int
    warm_on_open: bool
    warm_pages: bool
    query_queue_seconds: float


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env(self) -> str:
        return "STRATEGIAVERKKO_" + self.name.upper()


SETTINGS = [
    Setting("base_iri", DEFAULT_BASE, "Canonical base IRI of every resource; data files are resolved against it."),
    Setting("source_dir", str(PROJECT_ROOT), "Folder holding ontology/, data/ and shapes/."),
    Setting(
        "var_dir", str(PROJECT_ROOT / "var"), "Where builds are written; var/current points at the build being served."
    ),
    Setting(
        "fallback_languages",
        ("fi", "sv", "en"),
        "Languages pages fall back to, in order, after the reader's own (comma-separated).",
        lambda raw: tuple(x.strip() for x in raw.split(",") if x.strip()),
    ),
    Setting(
        "public_url",
        "",
        "Public address of this server (e.g. https://strategiaverkko.example); download and endpoint URLs in the "
        "catalog, VoID and sitemap use it. Empty: the address the request came to.",
    ),
    Setting(
        "trusted_proxies",
        0,
        "Reverse proxies in front of this server whose X-Forwarded-For, -Proto, -Host, -Port and -Prefix "
        "headers are believed (werkzeug's ProxyFix). 0: none. Behind one proxy that sets them, 1: without "
        "public_url the catalog then lists the https:// address readers use.",
        int,
    ),
    Setting("publisher_name", "Strategiaverkko", "Name of the publisher in the DCAT-AP catalog."),
    Setting("publisher_iri", "", "IRI of the publisher in the catalog. Empty: {base}id/agent/strategiaverkko."),
    Setting("contact_email", "", "Contact e-mail of the datasets in the catalog (vcard:hasEmail). Empty: none given."),
    Setting(
        "catalog_page_size", 50, "Datasets per page of the catalog; more than this and it is paged with Hydra.", int
    ),
    Setting("query_timeout", 10.0, "Seconds a SPARQL query may run before it is stopped.", float),
    Setting("slow_query_seconds", 1.0, "Queries that take at least this long are logged as slow.", float),
    Setting("max_result_bytes", 50_000_000, "Largest serialised SPARQL result, in bytes; larger results get 413.", int),
    Setting("max_request_bytes", 1_000_000, "Largest request body (e.g. a POSTed query), in bytes.", int),
    Setting(
        "shared_page_bytes",
        256_000_000,
        "Rendered pages one worker shares with the others, per build (its pages.sqlite), in bytes. 0: off.",
        int,
    ),
    Setting(
        "short_links_max",
        100_000,
        "Short links (/s/…) to a query and its view kept in var/short-links.sqlite; beyond this none are made.",
        int,
    ),
    Setting(
        "query_processes",
        2,
        "SPARQL queries each web worker runs at once (on the build's query host, or in its own child processes "
        "when the build has none); bounds concurrent heavy queries.",
        int,
    ),
    Setting(
        "memory_store_max_triples",
        2_000_000,
        "Queries are answered from an in-memory copy of builds up to this many triples (several times faster "
        "than the on-disk store), one copy per machine held by the build's query host. 0: always on disk.",
        int,
    ),
    Setting(
        "query_host_trim_seconds",
        0.0,
        "0: the query host hands the memory a heavy query freed back to the system at once. More: only once "
        "no query has run for this many seconds, so that heavy queries in a row find it ready (20-30% faster "
        "at 1M) while the host holds up to a few hundred MB more (bench/results/lean-1M-trim-10s.md).",
        float,
    ),
    Setting(
        "store_url",
        "",
        "SPARQL 1.1 query endpoint of a remote store (e.g. an Oxigraph server's /query) that builds "
        "are loaded into and queries go to. Empty: the embedded store of each build.",
        str,
    ),
    Setting(
        "graph_store_url",
        "",
        "Graph Store Protocol endpoint of the remote store. Empty: store_url with /query "
        "replaced by /store (Oxigraph's layout).",
        str,
    ),
    Setting(
        "cache_bytes",
        DEFAULT_CACHE_BYTES,
        "Bytes of query results, rendered pages and whole responses each web worker keeps for the "
        "build it serves (least recently used go first; the canned queries' answers that warming computes stay, "
        "up to half of it). One entry may take a quarter of it: results larger than that are computed every "
        "time they are asked for.",
        int,
    ),
    Setting(
        "warm_on_open",
        True,
        "When a web worker opens a build, start its query processes and compute the canned "
        "queries' answers in the background (see server/query/warm.py). false: only when asked for.",
        lambda raw: raw.strip().lower() not in ("0", "false", "no", "off", ""),
    ),
    Setting(
        "warm_pages",
        True,
        "After warm_on_open's canned queries, render the pages of the whole graph (home, coverage, "
        "compare, ontology, the query page, downloads; the catalog when public_url is set) in fi, sv "
        "and en into the build's shared page cache (see server/web/warm_pages.py). false: when first asked for.",
        lambda raw: raw.strip().lower() not in ("0", "false", "no", "off", ""),
    ),
    Setting(
        "query_queue_seconds",
        2.0,
        "Seconds a query waits for a free query process before it gets 503 with Retry-After.",
        float,
    ),
]
SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


class SettingsError(ValueError):
    pass


def load_settings(overrides: dict[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for s in SETTINGS:
        raw = environ.get(s.env)
        values[s.name] = s.default if raw is None else s.parse(raw)
    for key, value in (overrides or {}).items():
        if key not in SETTINGS_BY_NAME:
            known = ", ".join(SETTINGS_BY_NAME)
            raise SettingsError(f"unknown setting {key!r}; known settings: {known}")
        values[key] = value
    if not str(values["base_iri"]).endswith("/"):
        raise SettingsError(f"base_iri must end with '/': {values['base_iri']!r}")
    return cast(Settings, values)
