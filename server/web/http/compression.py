"""gzip for clients that ask for it (Accept-Encoding), compressed once per build where we can.

Query results and RDF documents are text that shrinks five- to twentyfold, and at a million
triples a canned query's answer is megabytes: sent as they are, the bytes, not the queries,
limit how many answers a second the server gives. A response with an ETag is one of the
build's immutable representations (see http.conditional), so its gzip copy is made once and kept
in the build's cache under that ETag; other responses are compressed as they go, quickly.
Dumps are already compressed or sent as files, and are left alone.

The compressor is ISA-L's (python-isal), not zlib's: the first asking of a query waits for its
answer to be compressed, and at a million triples zlib at level 6 took 112 ms for the 10.9 MB
answer of canned query 01, most of what that query cost beyond the Oxigraph server's time.
ISA-L took 9 ms and still shrinks it 22-fold (zlib level 6: 32-fold; level 1: 21-fold in
51 ms). Over all canned answers it is 12 times as fast as zlib 6 for 1.5 times the bytes
(bench/results/compression.md). Its output is plain gzip, for any client.
"""

from __future__ import annotations

from flask import Flask, Response, request
from isal import igzip

from ...core.errors import StrategiaverkkoError
from ..context import current_build

MIN_BYTES = 1024  # below this, the gzip header and a round of inflate cost more than they save
# ISA-L's levels are 0-3. On our query answers level 2 is as fast as 1 and a little smaller;
# level 3 took 4 times as long and was no smaller.
LEVEL = 2
RDF_AND_RESULT_TYPES = {
    "application/n-triples",
    "application/n-quads",
    "application/trig",
    "application/javascript",
    "application/sparql-results+json",
    "application/sparql-results+xml",
}


def compressible(mimetype: str) -> bool:
    return mimetype.startswith("text/") or mimetype.endswith(("json", "xml")) or mimetype in RDF_AND_RESULT_TYPES


def gzip_bytes(body: bytes) -> bytes:
    return igzip.compress(body, compresslevel=LEVEL, mtime=0)  # mtime 0: the same bytes every time


def init_app(app: Flask) -> None:
    app.after_request(compress)


def compress(response: Response) -> Response:
    if (
        response.status_code != 200
        or response.direct_passthrough
        or response.is_streamed
        or "Content-Encoding" in response.headers
        or not compressible(response.mimetype or "")
    ):
        return response
    # Whether or not this client gets gzip, a shared cache must not hand its copy to another.
    response.vary.add("Accept-Encoding")
    if request.accept_encodings.quality("gzip") <= 0:
        return response
    body = response.get_data()
    if len(body) < MIN_BYTES:
        return response
    etag, weak = response.get_etag()
    if etag and not weak:
        compressed = _kept_copy(etag, body)
        # The two encodings are the same representation for If-None-Match (a weak comparison),
        # but not byte for byte, so the ETag becomes weak (as nginx does when it compresses).
        response.set_etag(etag, weak=True)
    else:
        compressed = gzip_bytes(body)
    response.set_data(compressed)  # also sets Content-Length
    response.headers["Content-Encoding"] = "gzip"
    return response


def _kept_copy(etag: str, body: bytes) -> bytes:
    try:
        cache = current_build().cache
    except StrategiaverkkoError:  # the build went away under us: compress, keep nothing
        return gzip_bytes(body)
    key = ("gzip", etag)  # an ETag names one build's bytes (build id, path, format, language …)
    compressed = cache.get(key)
    if compressed is None:
        compressed = gzip_bytes(body)
        cache.put(key, compressed, len(compressed))
    return compressed
