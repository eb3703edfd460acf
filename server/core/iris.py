"""The only place that mints, parses and rewrites Strategiaverkko IRIs.

Things are `{base}id/{kind}/{slug}`; their documents are `/page/{kind}/{slug}`
(HTML) and `/data/{kind}/{slug}.{ext}` (RDF). Ontology terms are `{base}ontology#Term`.
"""

from __future__ import annotations

import re
import unicodedata

import pyoxigraph as ox

DEFAULT_BASE = "https://w3id.org/strategiaverkko/"

# Named graphs of a build, relative to the base.
GRAPHS = {
    "asserted": "graph/asserted",
    "inferred": "graph/inferred",
    "ontology": "graph/ontology",
    # Our own judgements about the data (the strategic themes and which statements address
    # them), kept apart from the source facts so a query can leave them out.
    "curated": "graph/curated",
    # Our translations of source text (a Finnish name for a strategy the sources name only in
    # Swedish, say), kept apart so that no translation passes for the source's words.
    "translations": "graph/translations",
    # Base forms of the Finnish words of names and texts (stv:baseForm), derived by the build.
    "baseforms": "graph/baseforms",
}


# A kind or a slug: lowercase ASCII words joined by single hyphens. Nothing else, so an IRI
# we mint or accept can never hold "..", "/", "%2F" or a character a file system reads specially.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# What may follow the base: a thing, a named graph, the ontology and its terms.
# (A set of things of its own may sit one level down, as the benchmark's id/synthetic/{kind}/{slug}.)
LOCAL = re.compile(
    r"(id/(?:[a-z0-9]+(?:-[a-z0-9]+)*/)?(?P<kind>[a-z0-9]+(?:-[a-z0-9]+)*)/(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)"
    r"|graph/[a-z0-9]+(?:-[a-z0-9]+)*|ontology(?:/[a-z]+)?(?:#[A-Za-z0-9_-]*)?)"
)
_THING = re.compile(r"id/(?P<kind>[a-z0-9]+(?:-[a-z0-9]+)*)/(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)")
_DOT_SEGMENT = re.compile(r"(^|/)\.{1,2}(/|$|[?#])")


def is_absolute_iri(value: str) -> bool:
    """Whether `value` is an absolute IRI (the store's own parser decides: no spaces, no control
    characters such as CR or LF, a scheme), so nothing the store would refuse gets further."""
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


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
        """`{base}id/{kind}/{slug}`; ValueError for a kind or slug that is not lowercase words and hyphens."""
        if not SLUG.fullmatch(kind) or not SLUG.fullmatch(slug):
            raise ValueError(f"not a kind and slug of ours: {kind!r}, {slug!r}")
        return f"{self.base}id/{kind}/{slug}"

    def slug_of(self, iri: str, kind: str) -> str | None:
        """The slug of a well-formed `{base}id/{kind}/{slug}`; None for any other IRI."""
        local = self.local_path(iri)
        m = _THING.fullmatch(local) if local is not None else None
        return m.group("slug") if m and m.group("kind") == kind else None

    def problem(self, iri: str) -> str | None:
        """Why `iri` cannot be one of ours, or None. IRIs outside the base are not judged here."""
        local = self.local_path(iri)
        if local is None:
            return None  # someone else's IRI: a source's URL may have any path it likes
        if _DOT_SEGMENT.search(local):
            return "has a '.' or '..' path segment; write the IRI without them"
        if not LOCAL.fullmatch(local):
            return (
                f"is under the base {self.base} but is not id/{{kind}}/{{slug}} (lowercase letters, digits and "
                "single hyphens; or id/{set}/{kind}/{slug}), graph/{name} or an ontology term"
            )
        return None

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
