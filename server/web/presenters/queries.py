"""Every SPARQL query the pages ask, by name, as fixed text.

Values from outside (an IRI from the URL, the reader's language, a search's words) never go
into this text: callers pass them as terms (`Store.query(..., bind=..., values=...)`), which
reach the query as a VALUES block. Our vocabulary is written with the store's prefixes (`stv:`
follows the configured base) and our graphs as IRIs relative to the base (`<graph/asserted>`).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pyoxigraph as ox

from ...query.canned import canned
from ...store.guard import with_values

# --- Labels and texts -------------------------------------------------------------------

ONTOLOGY_LABELS = """
SELECT ?s ?p ?o WHERE { GRAPH <graph/ontology> { ?s ?p ?o FILTER(?p IN (rdfs:label, skos:prefLabel)) } }"""

# Labels of the resources ?s (values=…).
# (A FILTER, not VALUES ?p: with VALUES for both ?s and ?p Oxigraph read every label of the graph
# before joining, 136 ms for 12 things at 1M triples against 1 ms; bench/results/shared-render-1M.md.)
LABELS_OF = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER (?p IN (skos:prefLabel, rdfs:label)) }"

# Values of property ?property of resource ?resource.
VALUES_OF = "SELECT ?t WHERE { ?resource ?property ?t }"

# What names a thing that has no label (a membership, a recording): its values, with their labels.
PARTS_OF_UNLABELLED = """
SELECT ?s ?p ?o ?label WHERE {
  ?s ?p ?o FILTER (?p NOT IN (rdf:type, prov:wasDerivedFrom))
  OPTIONAL { ?o skos:prefLabel|rdfs:label ?label }
}"""

# Where a statement (a value, priority, goal …) stands: its plan, the plan's organisation, its kind and place.
# (Not inside GRAPH <graph/asserted>: with it Oxigraph took 500 ms at 1M triples instead of 1 ms.
# The inferred kinds it also returns (a qualitative goal is a goal) name the same section.)
STATEMENT_PLACE = """
SELECT ?plan ?org ?kind ?order WHERE {
  ?statement stv:partOfPlan ?plan ; a ?kind OPTIONAL { ?statement stv:order ?order }
  OPTIONAL { ?plan stv:organisation ?org }
}"""

# The curated themes of ?statement, and statements of other organisations with the same theme.
SAME_THEME_ELSEWHERE = """
SELECT ?theme ?other ?org WHERE {
  ?statement stv:theme ?theme ; stv:organisation ?own .
  OPTIONAL { ?other stv:theme ?theme ; stv:organisation ?org FILTER (?org != ?own) }
}"""

PREF_LABELS_OF = "SELECT ?l WHERE { ?resource skos:prefLabel ?l }"

# --- A strategy and an organisation (presenters.plans) ------------------------------------

STRATEGY_PARTS = """
SELECT ?e ?kind ?order WHERE {
  GRAPH <graph/asserted> { ?e stv:partOfPlan ?strategy ; a ?kind }
  OPTIONAL { ?e stv:order ?order }
}"""

RELATED_PLANS = """
SELECT DISTINCT ?p ?rel WHERE {
  GRAPH <graph/asserted> { ?p ?rel ?strategy }
  FILTER (?rel IN (stv:refines, stv:implements, stv:basedOn, stv:complements))
}"""

# Decisions on the strategy and on plans based on it, and consultations.
STRATEGY_EVENTS = """
SELECT DISTINCT ?event ?date ?plan ?status ?body WHERE {
  ?plan (stv:basedOn|stv:refines|stv:implements|stv:complements)? ?strategy .
  { ?event stv:approves ?plan . OPTIONAL { ?event stv:documentStatus ?status }
    OPTIONAL { ?event stv:decidedBy ?body } }
  UNION { ?event stv:informs ?plan }
  ?event stv:date ?date .
}"""

ORGANISATION_REPORTS = """
SELECT ?event ?date WHERE {
  ?strategy stv:organisation ?org . ?event a stv:Report ; stv:organisation ?org ; stv:date ?date }"""

# An organisation's strategies, oldest first: by how many strategies each replaces (its version),
# then by the year its period starts (a strategy with no period first), so that the list does not
# depend on the language a name is in.
STRATEGIES_OF = """
SELECT ?s (COUNT(DISTINCT ?older) AS ?version) (MIN(STR(?start)) AS ?from) WHERE {
  ?s a stv:Strategy ; stv:organisation ?org .
  OPTIONAL { ?s dct:replaces+ ?older }
  OPTIONAL { ?s dct:temporal/dcat:startDate ?start }
} GROUP BY ?s"""

UNITS_OF = "SELECT ?u WHERE { ?u org:unitOf ?org }"

# Who organises the area's social and health care: a county itself; elsewhere as the data says.
RESPONSIBLE_FOR = """
SELECT ?r WHERE {
  { ?org a stv:WellbeingServicesCounty . BIND (?org AS ?r) } UNION { ?r stv:responsibleFor ?org }
}"""

MEMBERS_OF = """
SELECT ?m (GROUP_CONCAT(STR(?y); separator=", ") AS ?years) WHERE {
  ?ms org:organization ?org ; org:member ?m ; stv:validInYear ?y } GROUP BY ?m"""

# --- /compare --------------------------------------------------------------------------

# Every theme of the schemes the theme links use, labelled in ?lang (else Finnish).
THEMES = """
SELECT DISTINCT ?theme ?label ?broader ?definition WHERE {
  { SELECT DISTINCT ?scheme WHERE { ?s stv:theme ?t . ?t skos:inScheme ?scheme } }
  ?theme skos:inScheme ?scheme .
  OPTIONAL { ?theme skos:prefLabel ?inLang FILTER (LANG(?inLang) = ?lang) }
  OPTIONAL { ?theme skos:prefLabel ?inFinnish FILTER (LANG(?inFinnish) = "fi") }
  BIND (COALESCE(?inLang, ?inFinnish) AS ?label)
  OPTIONAL { ?theme skos:definition ?dInLang FILTER (LANG(?dInLang) = ?lang) }
  OPTIONAL { ?theme skos:definition ?dInFinnish FILTER (LANG(?dInFinnish) = "fi") }
  BIND (COALESCE(?dInLang, ?dInFinnish) AS ?definition)
  OPTIONAL { ?theme skos:broader ?broader }
}"""

# The activity that generated the curated graph: who classified, when, by what rule.
CLASSIFICATION_ACTIVITY = """
SELECT ?activity WHERE {
  { <graph/curated> prov:wasGeneratedBy ?activity } UNION { ?activity prov:generated <graph/curated> } } LIMIT 1"""

# --- The home page and /coverage ------------------------------------------------------

AREAS_AND_STRATEGIES = """
SELECT ?org ?code ?label ?strategy WHERE {
  ?org stv:areaCode ?code ; skos:prefLabel ?label .
  FILTER (STRLEN(?code) = 2)
  OPTIONAL { ?strategy a stv:Strategy ; stv:organisation ?org }
}"""

AREAS = """
SELECT ?org ?code ?label WHERE {
  ?org stv:areaCode ?code ; skos:prefLabel ?label . FILTER (STRLEN(?code) = 2)
}"""

COVERAGE_NOTES = """
SELECT ?org ?note WHERE { ?org stv:coverageNote ?note }"""

STRATEGIES_WITH_PERIODS = """
SELECT ?s ?org ?label ?period ?start ?end ?old WHERE {
  ?s a stv:Strategy ; stv:organisation ?org .
  # Its Finnish name, or its Swedish one where its sources name it only in Swedish.
  OPTIONAL { ?s skos:prefLabel ?labelFi FILTER (LANG(?labelFi) = "fi") }
  OPTIONAL { ?s skos:prefLabel ?labelSv FILTER (LANG(?labelSv) = "sv") }
  BIND (COALESCE(?labelFi, ?labelSv) AS ?label)
  OPTIONAL { ?s dct:temporal ?p .
             OPTIONAL { ?p skos:prefLabel ?period FILTER (LANG(?period) = "fi") }
             OPTIONAL { ?p dcat:startDate ?start }
             OPTIONAL { ?p dcat:endDate ?end } }
  OPTIONAL { ?s dct:replaces ?old }
}"""

LAST_FINAL_DECISIONS = """
SELECT ?s (MAX(STR(?date)) AS ?last) WHERE {
  ?d stv:approves ?s ; stv:date ?date ; stv:documentStatus stv:Final . ?s a stv:Strategy .
} GROUP BY ?s"""

# The sources of each organisation's facts (?org given by a VALUES block): one query per way a
# fact hangs on an organisation. As one UNION, Oxigraph joined the organisations in after the
# union (1.2 s at 1M triples for the 23 areas); each of these alone takes under a millisecond.
SOURCES_OF_ORGANISATIONS = (
    "SELECT DISTINCT ?org ?src WHERE { ?x stv:organisation ?org ; prov:wasDerivedFrom ?src }",
    "SELECT DISTINCT ?org ?src WHERE { ?s stv:organisation ?org . ?x stv:approves ?s ; prov:wasDerivedFrom ?src }",
    "SELECT DISTINCT ?org ?src WHERE { ?s stv:organisation ?org . ?x stv:evaluates ?s ; prov:wasDerivedFrom ?src }",
    "SELECT DISTINCT ?org ?src WHERE { ?plan stv:organisation ?org ; dct:temporal ?x . ?x prov:wasDerivedFrom ?src }",
    "SELECT DISTINCT ?org ?src WHERE { ?x org:unitOf ?org ; prov:wasDerivedFrom ?src }",
)
# The dates sources give (?src given).
SOURCE_DATES = "SELECT ?src ?d WHERE { ?src dct:issued|dct:modified ?d }"

# --- What harvesters fetch --------------------------------------------------------------

# The names of the organisations given as ?org (the catalog's datasets on one page).
LABELS_OF_ORGANISATIONS = "SELECT ?org ?label WHERE { ?org skos:prefLabel ?label }"

# Subjects whose IRI starts with ?prefix (our things, for the sitemap).
SUBJECTS_IN = """
SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), ?prefix)) } ORDER BY ?s"""

TRIPLES_ABOUT = "SELECT (COUNT(*) AS ?n) WHERE { ?resource ?p ?o }"

# --- /ontology and /search --------------------------------------------------------------

ONTOLOGY_TRIPLES = "SELECT ?s ?p ?o WHERE { GRAPH <graph/ontology> { ?s ?p ?o } }"

# Our things (IRIs under ?idspace) with a label, some literal of which contains ?needle.
SEARCH = """
SELECT DISTINCT ?s ?label WHERE {
  ?s skos:prefLabel|rdfs:label ?label .
  ?s ?p ?text FILTER(isLiteral(?text) && CONTAINS(LCASE(STR(?text)), ?needle))
  FILTER(STRSTARTS(STR(?s), ?idspace))
} LIMIT 1000"""

# --- The query page (/sparql) -------------------------------------------------------------

# Every term of our vocabulary the ontology names (for the editor's completion and its check for
# names that do not exist, e.g. stv:Values). The ontology only: the shapes hold the data to its
# terms, and scanning the data for them took 16 s at 1M triples (bench/results/first-render-1M.md).
VOCABULARY_TERMS = """
SELECT DISTINCT ?t WHERE {
  GRAPH <graph/ontology> { { ?t ?p ?o } UNION { ?s ?t ?o } UNION { ?s ?p ?t } }
  FILTER (isIRI(?t) && STRSTARTS(STR(?t), STR(stv:)))
}"""

# --- "Open in SPARQL": the query behind what a page shows, as a link to the query page ----------

# What the graph says about one resource, graph by graph (its /page/… shows the same). The
# resource reaches it as a VALUES block (resource_sparql_href), so a reader sees which IRI it is.
RESOURCE_IN_SPARQL = """# What the graph says about this resource, and in which named graph
# (asserted: from the sources; curated: our theme links; inferred: by the reasoner; ontology).
SELECT ?property ?value ?graph WHERE {
  GRAPH ?graph { ?resource ?property ?value }
}
ORDER BY ?graph ?property ?value"""

# What points at the resource (the links into it).
LINKS_TO_RESOURCE = """# What links to this resource, and by which property.
SELECT ?subject ?property ?graph WHERE {
  GRAPH ?graph { ?subject ?property ?resource }
}
ORDER BY ?property ?subject"""


def sparql_page_href(query: str, view: str | None = None) -> str:
    """The query page's permalink for `query` (it opens in the editor with its results; `view`:
    Table, BarChart, LineChart, Timeline or Graph)."""
    params = {"query": query} if not view or view == "Table" else {"query": query, "view": view}
    return "/sparql?" + urlencode(params, quote_via=quote)


def resource_sparql_href(iri: str, incoming: bool = False) -> str:
    """The query page with what the graph says about `iri` (or, `incoming`, what links to it)."""
    text = LINKS_TO_RESOURCE if incoming else RESOURCE_IN_SPARQL
    return sparql_page_href(with_values(text, ["resource"], [(ox.NamedNode(iri),)]))


def canned_sparql_href(name: str) -> str:
    """The query page with the canned question `name` (server/query/canned_queries/NAME.rq), in
    the view its #defaultView asks for."""
    query = canned(name)
    if query is None:
        raise KeyError(f"no canned query server/query/canned_queries/{name}.rq")
    return sparql_page_href(query.text, query.default_view)
