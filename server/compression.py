"""gzip for clients that ask for it (Accept-Encoding), compressed once per build where we can.

Query results and RDF documents are text that shrinks five- to twentyfold, and at a million
triples a canned query's answer is megabytes: sent as they are, the bytes, not the queries,
limit how many answers a second the server gives. A response with an ETag is one of the
build's immutable representations (see http_cache), so its gzip copy is made once and kept
in the build's cache under that ETag; other responses are compressed as they go, quickly.
Dumps are already compressed or sent as files, and are left alone.
"""
from __future__ import annotations

import gzip

from flask import Flask, Response, current_app, request

from .errors import StrategiaverkkoError

MIN_BYTES = 1024           # below this, the gzip header and a round of inflate cost more than they save
KEPT_LEVEL = 6             # made once per build: worth zlib's default effort
PASSING_LEVEL = 1          # made for every response: the fastest level already gives most of the gain
RDF_AND_RESULT_TYPES = {
    "application/n-triples", "application/n-quads", "application/trig", "application/javascript",
    "application/sparql-results+json", "application/sparql-results+xml",
}


def compressible(mimetype: str) -> bool:
    return (mimetype.startswith("text/") or mimetype.endswith(("json", "xml"))
            or mimetype in RDF_AND_RESULT_TYPES)


def init_app(app: Flask) -> None:
    app.after_request(compress)


def compress(response: Response) -> Response:
    if (response.status_code != 200 or response.direct_passthrough or response.is_streamed
            or "Content-Encoding" in response.headers or not compressible(response.mimetype or "")):
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
        compressed = gzip.compress(body, compresslevel=PASSING_LEVEL, mtime=0)
    response.set_data(compressed)   # also sets Content-Length
    response.headers["Content-Encoding"] = "gzip"
    return response


def _kept_copy(etag: str, body: bytes) -> bytes:
    try:
        cache = current_app.extensions["strategiaverkko.state"].current().cache
    except StrategiaverkkoError:   # the build went away under us: compress, keep nothing
        return gzip.compress(body, compresslevel=PASSING_LEVEL, mtime=0)
    key = ("gzip", etag)   # an ETag names one build's bytes (build id, path, format, language …)
    compressed = cache.get(key)
    if compressed is None:
        compressed = gzip.compress(body, compresslevel=KEPT_LEVEL, mtime=0)
        cache.put(key, compressed, len(compressed))
    return compressed
