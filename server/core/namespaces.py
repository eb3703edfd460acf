"""The prefixes we declare for users: in the query page, in Turtle output and in docs."""

from __future__ import annotations

from .iris import Iris

COMMON = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "cv": "http://data.europa.eu/m8g/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "time": "http://www.w3.org/2006/time#",
}


def prefixes(iris: Iris) -> dict[str, str]:
    return {"stv": iris.vocab, **COMMON}
