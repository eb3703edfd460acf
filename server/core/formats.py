"""The one table of formats: RDF serialisations and SPARQL result formats, with every name each
part of the product uses for them (our key, file extension, media type, rdflib's and Oxigraph's).

The pipeline writes dumps with it, the store serialises answers with it, and the web layer
negotiates and names documents with it, so a format is added or renamed in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

W3C = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class RdfFormat:
    key: str  # our name, as in ?format= and `strategiaverkko query --format`
    extension: str  # of /data/… documents and /ontology.…
    media_type: str
    rdflib: str  # rdflib's serializer name
    oxigraph: ox.RdfFormat
    w3c: str  # its IRI in http://www.w3.org/ns/formats/ (a service description names it)


@dataclass(frozen=True)
class ResultFormat:
    key: str
    media_type: str
    oxigraph: ox.QueryResultsFormat
    w3c: str


RDF_FORMATS = (
    RdfFormat("turtle", "ttl", "text/turtle", "turtle", ox.RdfFormat.TURTLE, W3C + "Turtle"),
    RdfFormat("jsonld", "jsonld", "application/ld+json", "json-ld", ox.RdfFormat.JSON_LD, W3C + "JSON-LD"),
    RdfFormat("rdfxml", "rdf", "application/rdf+xml", "xml", ox.RdfFormat.RDF_XML, W3C + "RDF_XML"),
    RdfFormat("ntriples", "nt", "application/n-triples", "nt", ox.RdfFormat.N_TRIPLES, W3C + "N-Triples"),
    RdfFormat("nquads", "nq", "application/n-quads", "nquads", ox.RdfFormat.N_QUADS, W3C + "N-Quads"),
    RdfFormat("trig", "trig", "application/trig", "trig", ox.RdfFormat.TRIG, W3C + "TriG"),
)
RESULT_FORMATS = (
    ResultFormat("json", "application/sparql-results+json", ox.QueryResultsFormat.JSON, W3C + "SPARQL_Results_JSON"),
    ResultFormat("xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML, W3C + "SPARQL_Results_XML"),
    ResultFormat("csv", "text/csv", ox.QueryResultsFormat.CSV, W3C + "SPARQL_Results_CSV"),
    ResultFormat("tsv", "text/tab-separated-values", ox.QueryResultsFormat.TSV, W3C + "SPARQL_Results_TSV"),
)

RDF_BY_KEY = {f.key: f for f in RDF_FORMATS}
RESULTS_BY_KEY = {f.key: f for f in RESULT_FORMATS}
# A graph is one document: these are the formats a /data/… or /ontology document comes in,
# in the order negotiation prefers them when a client accepts several equally.
DOCUMENT_FORMATS = tuple(f for f in RDF_FORMATS if f.key in ("turtle", "jsonld", "rdfxml", "ntriples"))
# The documents harvesters read (the catalog, VoID, the ontology) have always put RDF/XML before
# JSON-LD, so a client that accepts both equally (application/*) gets RDF/XML there, as before.
HARVEST_FORMATS = tuple(RDF_BY_KEY[key] for key in ("turtle", "rdfxml", "jsonld", "ntriples"))
DOCUMENT_BY_EXTENSION = {f.extension: f for f in DOCUMENT_FORMATS}
DOCUMENT_BY_MEDIA = {f.media_type: f for f in DOCUMENT_FORMATS}
