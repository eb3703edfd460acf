"""Pick a representation: an explicit override first, then the Accept header, then a default."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...core.errors import StrategiaverkkoError
from ...core.formats import DOCUMENT_BY_EXTENSION, DOCUMENT_FORMATS, RDF_BY_KEY, RdfFormat

# Other names clients use for the same formats.
ALIASES = {
    "application/json": "json",
    "text/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/plain": "ntriples",
    "application/x-turtle": "turtle",
    "application/json+ld": "jsonld",
    "ttl": "turtle",
    "nt": "ntriples",
    "n-triples": "ntriples",
    "rdf": "rdfxml",
    "json-ld": "jsonld",
    "rdf+xml": "rdfxml",
    "xml-rdf": "rdfxml",
    # Turtle is valid N3, so N3 clients (SPARQLWrapper's N3 format) get Turtle.
    "n3": "turtle",
    "text/n3": "turtle",
    "text/rdf+n3": "turtle",
    "application/n3": "turtle",
    "application/turtle": "turtle",
    "application/x-json+ld": "jsonld",
}
# The short names clients use for "the usual format" (SPARQLWrapper's XML and JSON, Fuseki's and
# Virtuoso's format=xml / json) mean, for a graph, the graph formats of those syntaxes.
GRAPH_NAMES = {
    "xml": "rdfxml",
    "json": "jsonld",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
    "application/json": "jsonld",
    "text/json": "jsonld",
}


class NotAcceptable(StrategiaverkkoError):
    status = 406
    title = "Not Acceptable"

    def __init__(self, offered: list[str]):
        super().__init__(
            "None of the requested media types is available. Offered: " + ", ".join(offered),
            details={"offered": offered},
        )


class UnknownFormat(StrategiaverkkoError):
    status = 400
    title = "Bad Request"

    def __init__(self, name: str, known: list[str]):
        super().__init__(
            f"There is no format called {name!r}. Try one of: {', '.join(known)}.",
            details={"format": name, "known": ", ".join(known)},
        )


def canonical_accept(accept: str | None, table: dict[str, str], names: dict[str, str]) -> str | None:
    """Accept with each media range a client names by an alias (application/xml, text/plain …)
    written as the media type it stands for in `table` (media type -> format key), parameters
    kept. `names` are the aliases that win over ALIASES (GRAPH_NAMES for a graph). One range at a
    time: a substring replace turned application/json+ld into nonsense."""
    if not accept:
        return accept
    return ", ".join(_canonical_range(part, table, names) for part in accept.split(","))


def _canonical_range(part: str, table: dict[str, str], names: dict[str, str]) -> str:
    media, sep, parameters = part.strip().partition(";")
    key = names.get(media.strip().lower()) or ALIASES.get(media.strip().lower())
    return (media_of(key, table) or media) + sep + parameters


def media_of(key: str | None, table: dict[str, str]) -> str | None:
    """The media type a format key stands for in `table` (media type -> key), if it is there."""
    return next((media for media, k in table.items() if k == key), None)


def format_named(name: str, offered: Sequence[RdfFormat]) -> RdfFormat:
    """The offered graph format a ?format= value names: our key, the file extension, the media type
    or a name clients use for it (xml: RDF/XML, json: JSON-LD, n3: Turtle). 400 for any other: a
    harvester set to a format we do not have must hear so, not get Turtle it cannot parse."""
    wanted = name.strip().lower()
    by_name = {alias: f for f in offered for alias in (f.key, f.extension, f.media_type)}
    alias = GRAPH_NAMES.get(wanted) or ALIASES.get(wanted)
    found = by_name.get(wanted) or (RDF_BY_KEY.get(alias) if alias else None)
    if found is None or found not in offered:
        raise UnknownFormat(name, [f.key for f in offered])
    return found


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> int:
        """Specificity of the match (2 exact, 1 type/*, 0 */*), or -1 for no match."""
        t, _, s = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type == t and self.subtype == "*":
            return 1
        if self.type == t and self.subtype == s:
            return 2
        return -1


def parse_accept(header: str | None) -> list[MediaRange]:
    ranges = []
    for order, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        t, _, s = media.partition("/")
        ranges.append(MediaRange(t, s, q, order))
    return ranges


def choose(accept: str | None, offered: list[str], default: str | None = None) -> str:
    """The offered media type the client prefers most (ties: the server's order in `offered`).

    No or empty Accept means anything goes: the default (or the first offered).
    """
    ranges = parse_accept(accept)
    if not ranges:
        return default or offered[0]
    best, best_key = None, None
    for position, media_type in enumerate(offered):
        matching = [(r.matches(media_type), r) for r in ranges]
        matching = [(spec, r) for spec, r in matching if spec >= 0]
        if not matching:
            continue
        # The most specific range that matches decides this type's q (RFC 9110 §12.5.1).
        spec, r = max(matching, key=lambda m: (m[0], -m[1].order))
        if r.q <= 0:
            continue
        key = (r.q, spec, -position)
        if best_key is None or key > best_key:
            best, best_key = media_type, key
    if best is None:
        raise NotAcceptable(offered)
    return best


def prefers_html(accept: str | None) -> bool:
    """True when a browser asks (text/html ranked at least as high as any RDF/JSON type)."""
    ranges = parse_accept(accept)
    html_q = max((r.q for r in ranges if r.matches("text/html") == 2), default=0.0)
    return html_q > 0 and html_q >= max(
        (r.q for r in ranges if r.matches("text/html") < 2 and r.type != "*"), default=0.0
    )


def html_or_rdf(
    accept: str | None,
    extension: str | None = None,
    *,
    html: bool = True,
    html_without_accept: bool = True,
    offered: Sequence[RdfFormat] = DOCUMENT_FORMATS,
) -> RdfFormat | None:
    """Which representation of a resource to send: None for its HTML page, else an RDF document format.

    An explicit extension (a path's .ttl, or ?format=) decides first; one we don't have means
    "not the page", and the Accept header picks the RDF format. Then a browser's Accept gets the
    page, and so does a request with no Accept when `html_without_accept`. Otherwise Accept
    picks among the RDF formats (Turtle when anything goes); a client that names RDF/XML
    application/xml, or JSON-LD application/json, gets it (GRAPH_NAMES)."""
    if extension:
        if extension in DOCUMENT_BY_EXTENSION:
            return DOCUMENT_BY_EXTENSION[extension]
        html = False
    if html and (prefers_html(accept) if accept else html_without_accept):
        return None
    by_media = {f.media_type: f for f in offered}
    # A browser's Accept names application/xml for XHTML, not for RDF: only a client that names
    # no HTML has its aliases read (a browser on an RDF-only URL keeps getting Turtle by */*).
    wants_html = any(r.matches("text/html") == 2 for r in parse_accept(accept))
    canonical = accept if wants_html else canonical_accept(accept, {f.media_type: f.key for f in offered}, GRAPH_NAMES)
    return by_media[choose(canonical, list(by_media), default="text/turtle")]
