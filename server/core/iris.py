"""The only place that mints, parses and rewrites Strategiaverkko IRIs.

Things are `{base}id/{kind}/{slug}`; their documents are `/page/{kind}/{slug}`
(HTML) and `/data/{kind}/{slug}.{ext}` (RDF). Ontology terms are `{base}ontology#Term`.
"""

from __future__ import annotations

import re
import unicodedata

DEFAULT_BASE = "https://w3id.org/strategiaverkko/"

# Named graphs of a build, relative to the base.
GRAPHS = {
    "asserted": "graph/asserted",
    "inferred": "graph/inferred",
    "ontology": "graph/ontology",
    # Our own judgements about the data (the strategic themes and which statements address
    # them), kept apart from the source facts so a query can leave them out.
    "curated": "graph/curated",
}


def slugify(text: str) -> str:
    """Lowercase ASCII slug: 'Mäntyharju' -> 'mantyharju', 'Mie uskallan.' -> 'mie-uskallan'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class Iris:
    """IRIs for one base. Views and templates ask this object; they never build IRI strings."""

    def __init__(self, base: str = DEFAULT_BASE):
        if not base.endswith("/"):
            raise ValueError(f"base IRI must end with '/': {base!r}")
        self.base = base
        self.ontology = base + "ontology"
        self.vocab = base + "ontology#"

    def term(self, local: str) -> str:
        return self.vocab + local

    def thing(self, kind: str, slug: str) -> str:
        return f"{self.base}id/{kind}/{slug}"

    def graph(self, name: str) -> str:
        return self.base + GRAPHS[name]

    def is_local(self, iri: str) -> bool:
        return iri.startswith(self.base)

    def local_path(self, iri: str) -> str | None:
        """'{base}id/value/x' -> 'id/value/x'; None for IRIs outside the base."""
        return iri[len(self.base) :] if self.is_local(iri) else None

    def browse_path(self, iri: str) -> str | None:
        """Where a browser on this server reads about `iri`: '/page/…' for things,
        '/ontology#Term' for terms, the path itself for other local IRIs; None if not ours."""
        local = self.local_path(iri)
        if local is None:
            return None
        if local.startswith("id/"):
            return "/page/" + local[3:]
        return "/" + local
