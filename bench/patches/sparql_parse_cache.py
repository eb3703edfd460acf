"""Proposed fix (not applied by the server): parse each SPARQL text once during SHACL validation.

pySHACL runs every sh:sparql constraint once per focus node with the *same* query text
(the focus node goes in as an initial binding), and rdflib parses the text again on
every call: on our shapes, parsing is ~90 % of the check stage (bench/results/). This
memoises rdflib's parse + algebra translation per (text, base, namespaces), which is what
`rdflib.plugins.sparql.prepareQuery` is for: a translated Query may be evaluated many
times with different initial bindings.

The benchmark applies it with `python bench/stages.py ... --patch` to measure it side by
side with the check as it is; the report names every figure that used it. To adopt it,
server/check.py would wrap its `pyshacl.validate(...)` call in `with parse_once(): ...`.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

import rdflib.plugins.sparql.processor as processor

_original_query = processor.SPARQLProcessor.query


@lru_cache(maxsize=1024)
def _prepared(text: str, base, namespaces: tuple):
    return processor.translateQuery(processor.parseQuery(text), base, dict(namespaces) if namespaces else None)


def _query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803 - rdflib's names
    if isinstance(strOrQuery, str):
        strOrQuery = _prepared(strOrQuery, base, tuple(sorted((initNs or {}).items())))
    return _original_query(self, strOrQuery, initBindings, initNs, base, DEBUG)


def install() -> None:
    processor.SPARQLProcessor.query = _query


def uninstall() -> None:
    processor.SPARQLProcessor.query = _original_query


@contextmanager
def parse_once() -> Iterator[None]:
    install()
    try:
        yield
    finally:
        uninstall()
