"""/ontology: documentation for people, the ontology itself for machines (content negotiation).

Generated from the built ontology graph, so the docs cannot drift from the ontology:
every class and property with labels, definition, domain, range, super- and
subclasses, alignments and how many instances (or uses) it has in the data.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL

from ...core.formats import DOCUMENT_BY_EXTENSION, HARVEST_FORMATS
from ...query.canned import canned
from ..context import NotFound, current_build, iris, languages
from ..formatting import human_number
from ..http.conditional import build_response
from ..http.negotiate import html_or_rdf
from ..presenters.ontology import class_tree, in_language_order, literals_of, ontology_graph, terms

bp = Blueprint("ontology", __name__)
EXTENSIONS = {f.extension: f.media_type for f in HARVEST_FORMATS}
VANN_PREFIX = URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix")
# The worked example of the guide to versions, periods and provenance on the page.
VERSIONS_EXAMPLE = canned("22_compare_two_versions")


@bp.route("/ontology")
@bp.route("/ontology.<ext>")
@bp.route("/ontology/<path:rest>")
def ontology(ext: str | None = None, rest: str | None = None):
    build = current_build()
    if ext is not None and ext not in DOCUMENT_BY_EXTENSION:
        raise NotFound(f"No ontology format .{ext}; try " + ", ".join("." + e for e in EXTENSIONS))
    fmt = html_or_rdf(request.headers.get("Accept"), ext, offered=HARVEST_FORMATS)
    if fmt is None:
        langs = languages()

        def make() -> bytes:
            g = ontology_graph(build, iris())
            classes, properties, concepts = terms(build, iris(), g, langs)
            header = URIRef(iris().ontology)
            return render_template(
                "ontology.html",
                classes=classes,
                class_tree=class_tree(classes, g),
                number=lambda n: human_number(n, langs[0]),
                properties=properties,
                concepts=concepts,
                titles=in_language_order(literals_of(g, header, DCTERMS.title), langs),
                descriptions=in_language_order(literals_of(g, header, DCTERMS.description), langs),
                version=g.value(header, OWL.versionInfo),
                iri=iris().ontology,
                prefix=g.value(header, VANN_PREFIX),
                license=g.value(header, DCTERMS.license),
                formats=EXTENSIONS,
                example_query=VERSIONS_EXAMPLE.text if VERSIONS_EXAMPLE else "",
            ).encode("utf-8")

        return build_response(("ontology-html", tuple(langs)), make, "text/html; charset=utf-8", language=langs[0])
    links = ", ".join(f'</ontology.{e}>; rel="alternate"; type="{m}"' for e, m in EXTENSIONS.items())
    return build_response(
        ("ontology-rdf", fmt.media_type),
        lambda: ontology_graph(build, iris()).serialize(format=fmt.rdflib, encoding="utf-8"),
        f"{fmt.media_type}; charset=utf-8",
        headers={"Link": links},
    )
