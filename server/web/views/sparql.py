"""The SPARQL 1.1 Protocol endpoint at /sparql, its service description and query page."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, g, redirect, render_template, request
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from ...core.errors import BadRequest, StrategiaverkkoError
from ...core.formats import DOCUMENT_FORMATS, RDF_BY_KEY, RESULT_FORMATS
from ...core.iris import is_absolute_iri
from ...core.namespaces import prefixes
from ...query.canned import DEFAULT_VIEW, TOPICS, VIEWS, by_topic
from ...query.diagnose import WELL_KNOWN, Problem, lint, syntax_problem
from ...query.sandbox import EndpointBusy, QueryTimeout, ResultTooLarge, ShuttingDown
from ...query.service import QueryResult
from ...store.base import QuerySyntaxError, to_rdflib
from ...store.guard import ForbiddenQuery, QueryTooDeep, QueryTooLong, UpdateRefused, inspect
from ...store.oxigraph import parse_error
from ..context import NotFound, current_build, iris, languages, query_service, settings, short_links, statistics, ui
from ..http import server_timing
from ..http.conditional import build_response, conditional
from ..http.negotiate import ALIASES, GRAPH_NAMES, NotAcceptable, canonical_accept, choose, media_of, prefers_html
from ..i18n import pick_label
from ..presenters import queries

bp = Blueprint("sparql", __name__)
# The longest query string a GET can carry through the HTTP server (a request line < 64 KiB).
MAX_GET_QUERY_BYTES = 65_534 - len("GET /sparql? HTTP/1.1")

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
VOID = Namespace("http://rdfs.org/ns/void#")

RESULT_MEDIA = {f.media_type: f.key for f in RESULT_FORMATS}
GRAPH_MEDIA = {f.media_type: f.key for f in DOCUMENT_FORMATS}

# What the service description lists: every result format, then the graph formats, in that order.
SD_FORMAT_IRIS = [URIRef(f.w3c) for f in RESULT_FORMATS] + [URIRef(f.w3c) for f in DOCUMENT_FORMATS]


def read_protocol_request() -> tuple[str | None, list[str], list[str]]:
    """(query, default-graph-uri list, named-graph-uri list) from GET, POST form or POST direct."""
    query: str | None
    if request.method == "POST":
        mimetype = request.mimetype
        if mimetype == "application/sparql-update":
            raise UpdateRefused("SPARQL Update is not accepted here.")
        if mimetype == "application/sparql-query":
            params = request.args
            query = request.get_data(as_text=True)
        elif mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            params = request.form
            query = params.get("query")
            if len(params.getlist("query")) > 1:
                raise BadRequest("Give exactly one 'query' parameter.")
        else:
            raise StrategiaverkkoError(
                f"POST a query as application/x-www-form-urlencoded (query=…) or as application/sparql-query, "
                f"not {mimetype or 'without a Content-Type'}.",
                status=415,
                title="Unsupported Media Type",
            )
        graphs_from = request.args if mimetype == "application/sparql-query" else request.form
    else:
        # A request target is at most 65,534 bytes in Granian's HTTP parser (hyper's limit, not a
        # setting), so GET carries queries up to that, whatever max_request_bytes says; POST takes
        # more. The same bound here keeps the development server and the message alike.
        limit = min(settings()["max_request_bytes"], MAX_GET_QUERY_BYTES)
        if len(request.query_string) > limit:
            raise StrategiaverkkoError(
                f"The query string has {len(request.query_string):,} bytes; GET takes at most {limit:,}. "
                "POST the query (application/x-www-form-urlencoded or application/sparql-query) instead.",
                status=414,
                title="URI Too Long",
            )
        params = graphs_from = request.args
        query = params.get("query")
        if len(params.getlist("query")) > 1:
            raise BadRequest("Give exactly one 'query' parameter.")
    if "update" in request.args or "update" in request.form:
        raise UpdateRefused("SPARQL Update is not accepted here.")
    default_graphs = graphs_from.getlist("default-graph-uri")
    named_graphs = graphs_from.getlist("named-graph-uri")
    for name, values in (("default-graph-uri", default_graphs), ("named-graph-uri", named_graphs)):
        for value in values:
            if not is_absolute_iri(value):
                raise BadRequest(f"{name} must be an absolute IRI, not {value!r}.")
    return query, default_graphs, named_graphs


def requested_timeout() -> float | None:
    """?timeout= in seconds (as Fuseki takes it): it may lower the limit for this query, never raise it."""
    raw = request.values.get("timeout")
    if raw is None or raw.strip() == "":
        return None
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise BadRequest(f"timeout must be a number of seconds above 0, not {raw!r}.")
    return seconds if seconds < settings()["query_timeout"] else None


def pick_format(form: str) -> tuple[str, str]:
    """(format key, media type) for a query form, from ?format= (or ?output=, as SPARQLWrapper and
    Fuseki also write it) or Accept."""
    results = form in ("SELECT", "ASK")
    override = (request.values.get("format") or request.values.get("output") or "").strip().lower()
    accept = request.headers.get("Accept")
    if accept is not None and len(accept) > 1000:
        return _negotiate.__wrapped__(results, override, accept)  # not worth remembering
    return _negotiate(results, override, accept)


@lru_cache(maxsize=256)
def _negotiate(results: bool, override: str, accept: str | None) -> tuple[str, str]:
    """pick_format's answer for these inputs. Clients send the same few Accept headers again and
    again, so each is worked out once (a NotAcceptable is raised each time, never remembered)."""
    table = RESULT_MEDIA if results else GRAPH_MEDIA
    offered = list(table)
    natural = {} if results else GRAPH_NAMES
    if override:
        key = table.get(override) or natural.get(override) or ALIASES.get(override) or override
        media = media_of(key, table)
        if media is None:
            raise NotAcceptable(offered)
        return key, media
    media = choose(canonical_accept(accept, table, natural), offered)
    return table[media], media


def query_timing(result: QueryResult) -> str:
    """The query's part of Server-Timing: the query service's time and, of it, the query process's."""
    if result.cached:
        return server_timing.metric("query", description="cached")
    if result.joined:  # it waited for a run another request had started: no engine time of its own
        return server_timing.metric("query", result.seconds, "joined")
    return ", ".join(
        (server_timing.metric("query", result.seconds), server_timing.metric("engine", result.engine_seconds))
    )


def _with_charset(media: str) -> str:
    return f"{media}; charset=utf-8"


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    query, default_graphs, named_graphs = read_protocol_request()
    html = prefers_html(request.headers.get("Accept"))
    if not query or query.isspace():
        if html:
            return query_page(None, default_graphs, named_graphs)
        return service_description()
    if html and "format" not in request.values and "output" not in request.values:
        return query_page(query, default_graphs, named_graphs)
    result = run_query(query, default_graphs, named_graphs)
    # A spreadsheet opens UTF-8 CSV right only with a byte-order mark: on request (bom=1; the
    # query page's download links ask for it), never by default (a BOM breaks CSV parsers).
    bom = _flag("bom") and result.media in BOM_MEDIA
    response = Response(
        (UTF8_BOM if bom else b"") + result.body, mimetype=None, content_type=_with_charset(result.media)
    )
    response.headers["X-Query-Time"] = f"{result.seconds * 1000:.1f} ms" + (" (cached)" if result.cached else "")
    response.headers[server_timing.HEADER] = query_timing(result)
    download = _flag("download")
    if download:
        response.headers["Content-Disposition"] = f'attachment; filename="{download_name(result.media)}"'
    if result.volatile:  # NOW(), RAND() …: no validator and nothing kept, since the next run differs
        response.headers["Cache-Control"] = "no-store"
        return response
    # A build is immutable, so the same query on it has the same answer: a client (or cache)
    # that has it gets 304 on GET, and the gzip copy is made once (see compression).
    return conditional(response, result.build, *map(str, result.key), f"bom={bom}", f"download={download}")


UTF8_BOM = b"\xef\xbb\xbf"
BOM_MEDIA = ("text/csv", "text/tab-separated-values")
# The file name of a download, by media type (the extension a spreadsheet or RDF tool expects).
DOWNLOAD_EXTENSIONS = {
    "application/sparql-results+json": "srj",
    "application/sparql-results+xml": "srx",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    **{f.media_type: f.extension for f in DOCUMENT_FORMATS},
}


def download_name(media: str) -> str:
    return "query-results." + DOWNLOAD_EXTENSIONS.get(media, "txt")


def _flag(name: str) -> bool:
    """A yes/no request parameter: 1, true, yes or on (any case) mean yes."""
    return request.values.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def run_query(query: str, default_graphs=(), named_graphs=(), format_key: str | None = None) -> QueryResult:
    """Run a query through the query service, the format negotiated from this request unless given."""
    service = query_service()
    try:
        form = service.form_of(query)  # 403 for updates and SERVICE, before anything else
        if format_key is None:
            format_key, _ = pick_format(form)
        result = service.run(
            query,
            form,
            format_key,
            default_graphs,
            named_graphs,
            request_id=g.get("request_id"),
            timeout=requested_timeout(),
        )
    except StrategiaverkkoError as error:
        if not isinstance(error, NotAcceptable):
            explain(error, query)
        raise
    if not result.cached:
        g.query_ms = round(result.seconds * 1000, 2)
    return result


def service_description() -> Response:
    build = current_build()
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", FORMATS_NS)
    endpoint_iri = URIRef(request.base_url)
    service = URIRef(request.base_url + "#service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, endpoint_iri))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for format_iri in SD_FORMAT_IRIS:
        g.add((service, SD.resultFormat, format_iri))
    dataset = URIRef(request.base_url + "#dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default_graph = BNode("defaultGraph")
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    g.add((default_graph, VOID.triples, Literal(build.manifest["triples"], datatype=XSD.integer)))
    for name, count in sorted(build.manifest["graphs"].items()):
        named = BNode()
        graph_node = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
        g.add((named, SD.graph, graph_node))
        g.add((graph_node, RDF.type, SD.Graph))
        g.add((graph_node, VOID.triples, Literal(count, datatype=XSD.integer)))
    g.add((dataset, URIRef("http://purl.org/dc/terms/source"), URIRef(iris().base)))
    key, media = pick_format("CONSTRUCT")
    return Response(g.serialize(format=RDF_BY_KEY[key].rdflib, encoding="utf-8"), content_type=_with_charset(media))


def query_page(query: str | None = None, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()):
    """The HTML query page; with a query (a permalink), the results are rendered on the server too,
    a page of PAGE_ROWS rows at a time (?page=), so the page works without JavaScript.

    `default_graphs`, `named_graphs`: the request's dataset (default-graph-uri, named-graph-uri).
    The page asks its query of that dataset, says so, and keeps it in its form, links and
    downloads, so a permalink gives the answer the same URL gives a client (not the union's)."""
    words = ui()
    dataset = [("default-graph-uri", g) for g in default_graphs] + [("named-graph-uri", g) for g in named_graphs]
    result, error, seconds, page = None, None, None, None
    problems = []
    if query:
        problems = [reader_problem(p, words) for p in lint(query, _prefixes(), vocabularies())]
        try:
            form = query_service().form_of(query)
            if form in ("SELECT", "ASK"):
                answer = run_query(query, default_graphs, named_graphs, format_key="json")
                result, seconds = json.loads(answer.body), answer.seconds
                if "results" in result:
                    page = table_page(result, request.args.get("page"))
            else:
                answer = run_query(query, default_graphs, named_graphs, format_key="turtle")
                result, seconds = {"turtle": answer.body.decode("utf-8")}, answer.seconds
        except StrategiaverkkoError as e:
            error = e
    status = error.status if error else 200
    langs = languages()
    lang = langs[0]
    text = query or DEFAULT_QUERY
    view = request.args.get("view") or default_view(text)

    def render() -> str:
        return render_template(
            "sparql.html",
            query=text,
            result=result,
            error=error,
            reader_error=error.details.get("reader") if error else None,
            problems=[p for p in problems if not (error and p["severity"] == "error")],
            seconds=seconds,
            page=page,
            dataset=dataset,
            dataset_query="&" + urlencode(dataset) if dataset else "",
            view=view if view in VIEWS else "Table",
            views=VIEWS,
            topics=[
                (topic, TOPICS[topic][lang], [(q, *q.in_language(lang)) for q in questions])
                for topic, questions in by_topic()
            ],
            prefixes=prefixes_text(),
            page_data={
                "completions": completions(),
                "prefixes": {**WELL_KNOWN, **_prefixes()},
                "declared": sorted(_prefixes()),
                "ui": {key: words[key] for key in SCRIPT_WORDS},
                "base": iris().base,
                "pageRows": PAGE_ROWS,
            },
        )

    if not query:
        # The page without a query is the same for every reader of a language: made once per
        # build on the machine, like the other pages (26 ms to render at 1M triples).
        key = ("query-page", tuple(langs), request.args.get("view"), tuple(dataset))
        return build_response(key, lambda: render().encode("utf-8"), "text/html; charset=utf-8", language=lang)
    response = Response(render(), status=status, mimetype="text/html")
    response.vary.add("Accept-Language")  # the page's words follow the reader's language
    return response


PAGE_ROWS = 100
# The words the page's script needs (its messages are in the reader's language too).
SCRIPT_WORDS = (
    "run_query stop running stopped rows filter_rows page_of previous next rows_of rows_match sort_by "
    "results_caption no_rows view needs_numbers needs_dates needs_graph graph_size graph_triples history history_empty "
    "clear_history copy_link link_copied short_link_made note_label error_title at_position err_network err_other "
    "download "
    "no_questions_match view_Table view_BarChart view_LineChart view_Timeline view_Graph timeline_undated"
).split()


def table_page(result: dict, requested: str | None) -> dict:
    """One page of a result table for the server-rendered page: its rows, cells ready to show."""
    bindings = result["results"]["bindings"]
    pages = max(1, -(-len(bindings) // PAGE_ROWS))
    try:
        number = min(max(int(requested or 1), 1), pages)
    except ValueError:
        number = 1
    rows = bindings[(number - 1) * PAGE_ROWS : number * PAGE_ROWS]
    names = labels_of({c["value"] for row in rows for c in row.values() if c["type"] == "uri"})
    variables = result["head"]["vars"]
    return {
        "number": number,
        "pages": pages,
        "total": len(bindings),
        "first": (number - 1) * PAGE_ROWS + 1 if rows else 0,
        "last": (number - 1) * PAGE_ROWS + len(rows),
        "rows": [[cell_view(row.get(v), names) for v in variables] for row in rows],
    }


def cell_view(term: dict | None, names: dict[str, str]) -> dict | None:
    """How a result term shows: an IRI by its label or prefixed name (the IRI on hover), linking to
    our page for it; a literal with its language or datatype apart; numbers marked to align right."""
    if term is None:
        return None
    if term["type"] == "uri":
        iri = term["value"]
        return {
            "kind": "iri",
            "text": names.get(iri) or short_name(iri),
            "title": iri,
            "href": iris().browse_path(iri) or iri,
        }
    if term["type"] == "bnode":
        return {"kind": "bnode", "text": "_:" + term["value"]}
    datatype = term.get("datatype")
    short_type = short_name(datatype) if datatype else None
    return {
        "kind": "literal",
        "text": term["value"],
        "lang": term.get("xml:lang"),
        "datatype": short_type if short_type not in (None, "xsd:string") else None,
        "number": datatype in NUMERIC_TYPES,
    }


XSD_NS = "http://www.w3.org/2001/XMLSchema#"
NUMERIC_TYPES = frozenset(
    XSD_NS + t
    for t in (
        "integer decimal double float int long short byte nonNegativeInteger positiveInteger "
        "negativeInteger nonPositiveInteger unsignedInt unsignedLong unsignedShort unsignedByte"
    ).split()
)


def short_name(iri: str) -> str:
    """stv:Value for an IRI under a declared prefix; our own things by their path (value/…)."""
    for prefix, ns in sorted(_prefixes().items(), key=lambda item: -len(item[1])):
        if iri.startswith(ns) and iri != ns:
            return f"{prefix}:{iri[len(ns) :]}"
    base = iris().base
    if iri.startswith(base + "id/"):
        return iri[len(base) + 3 :]
    return iri


def labels_of(nodes: set[str]) -> dict[str, str]:
    """The label of each IRI in the reader's language (those that have one)."""
    wanted = [n for n in nodes if is_absolute_iri(n)]
    if not wanted:
        return {}
    rows = current_build().store.query(queries.LABELS_OF, values=(("s",), [(ox.NamedNode(n),) for n in wanted]))
    by_node: dict = {}
    for row in rows:
        by_node.setdefault(row["s"].value, {}).setdefault(to_rdflib(row["p"]), []).append(to_rdflib(row["o"]))
    langs = languages()
    picked = {n: pick_label(props, langs) for n, props in by_node.items()}
    return {n: str(label) for n, label in picked.items() if label is not None}


MAX_LABELS = 2000


@bp.route("/sparql/labels", methods=["POST"])
def labels():
    """Labels of the IRIs the page's table shows (a JSON list of IRIs in, {iri: label} out)."""
    asked = request.get_json(silent=True)
    if not isinstance(asked, list) or len(asked) > MAX_LABELS or not all(isinstance(i, str) for i in asked):
        raise BadRequest(f"POST a JSON list of at most {MAX_LABELS} IRIs.")
    response = Response(json.dumps(labels_of(set(asked)), ensure_ascii=False), mimetype="application/json")
    response.vary.add("Accept-Language")
    return response


@bp.route("/sparql/check", methods=["GET", "POST"])
def check():
    """What is wrong with a query before it runs (unknown prefixes, words and terms of our own
    vocabulary), each problem placed and worded in the reader's language."""
    query = request.values.get("query", "")
    limit = settings()["max_request_bytes"]
    if len(query.encode("utf-8")) > limit:
        raise BadRequest(f"The query has more than {limit:,} bytes.")
    words = ui()
    problems = [reader_problem(p, words) for p in lint(query, _prefixes(), vocabularies())]
    if not problems:
        # Nothing our own checks name: the engine's parser, placed and worded as after a run.
        problem = _syntax_problem_before_running(query)
        if problem is not None:
            problems.append(reader_problem(problem, words))
    response = Response(
        json.dumps({"problems": problems, "defaultView": default_view(query)}, ensure_ascii=False),
        mimetype="application/json",
    )
    response.vary.add("Accept-Language")
    return response


def _syntax_problem_before_running(query: str) -> Problem | None:
    if not query.strip():
        return None
    try:
        inspect(query, settings()["max_request_bytes"])  # too deep, an update, SERVICE: the run says so
    except StrategiaverkkoError:
        return None
    message = parse_error(query, _prefixes(), iris().base)
    return None if message is None else syntax_problem(query, message)


def default_view(query: str) -> str | None:
    found = DEFAULT_VIEW.search(query)
    return found.group(1) if found and found.group(1) in VIEWS else None


def vocabularies() -> dict[str, frozenset[str]]:
    """Every local name of our own vocabulary (the ontology's terms)."""
    build = current_build()
    cached = build.cache.get("vocabulary-terms")
    if cached is None:
        vocab = iris().vocab
        cached = frozenset(row["t"].value[len(vocab) :] for row in build.store.query(queries.VOCABULARY_TERMS))
        build.cache.put("vocabulary-terms", cached, sum(map(len, cached)) + 100)
    return {iris().vocab: cached}


def reader_problem(problem: Problem, words: dict) -> dict:
    """A problem as the page shows it: placed, and said in the reader's language."""
    return {**problem.to_dict(), "message": problem_message(problem, words)}


def problem_message(problem: Problem, words: dict) -> str:
    culprit = problem.culprit or "…"
    text = words["err_" + problem.code].format(culprit=culprit)
    joiner = f" {words['or']} "
    if problem.suggestions:
        text += "; " + words["did_you_mean"].format(suggestions=joiner.join(problem.suggestions))
    elif problem.code == "unknown_prefix" and problem.extra.get("namespace"):
        text += "; " + words["add_prefix_line"].format(prefix=culprit, namespace=problem.extra["namespace"])
    elif problem.expected:
        text += "; " + words["expected_one_of"].format(expected=joiner.join(problem.expected))
    where = words["at_position"].format(line=problem.line, column=problem.column)
    return f"{where}: {text}"


def explain(error: StrategiaverkkoError, query: str) -> None:
    """Give an error of this query its place and its words in the reader's language (details.reader),
    so the page can mark it; a syntax error's message becomes short and names the culprit."""
    words = ui()
    reader: dict = {"title": words["error_title"], "problems": [], "hint": None}
    if isinstance(error, QuerySyntaxError):
        problem = syntax_problem(query, error.message)
        if problem is not None:
            error.details.update(problem.to_dict(), parser=error.message)
            error.message = problem.english()
            reader["problems"] = [reader_problem(problem, words)]
            reader["message"] = reader["problems"][0]["message"]
    elif isinstance(error, QueryTimeout):
        limit = error.details.get("limit_seconds", settings()["query_timeout"])
        which = "which_asked" if limit < error.details.get("endpoint_limit_seconds", limit) else "which_endpoint"
        reader["message"] = words["err_timeout"].format(limit=f"{limit:g}", which=words[which])
        reader["hint"] = words["try_timeout"]
        error.details.setdefault("limit", "time")
    elif isinstance(error, ResultTooLarge):
        limit = settings()["max_result_bytes"]
        error.details.update(limit="size", limit_bytes=limit)
        reader["message"] = words["err_too_large"].format(limit=_bytes(limit))
        reader["hint"] = words["try_too_large"]
    elif isinstance(error, QueryTooLong):
        reader["message"] = words["err_query_too_long"].format(
            size=_bytes(error.details["bytes"]), limit=_bytes(error.details["limit"])
        )
        reader["hint"] = words["try_query_too_long"]
    elif isinstance(error, QueryTooDeep):
        reader["message"] = words["err_too_deep"].format(**error.details)
    elif isinstance(error, ForbiddenQuery):
        reader["message"] = words["err_forbidden"]
    elif isinstance(error, (EndpointBusy, ShuttingDown)):
        reader["message"] = words["err_busy"]
    else:
        reader["message"] = words["err_other"].format(status=error.status)
    error.details["reader"] = reader


def _bytes(n: int) -> str:
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} B"


def completions() -> list[str]:
    """Prefixes and the prefixed names of every term the data uses, for the editor's completion."""
    build = current_build()
    cached = build.cache.get("completions")
    if cached is not None:
        return cached
    names = {f"{p}:" for p in _prefixes()} | {f"{p}:" for p in WELL_KNOWN}
    stats = statistics()
    by_length = sorted(_prefixes().items(), key=lambda item: -len(item[1]))
    for iri in [*stats["property_partitions"], *stats["class_partitions"]]:
        for prefix, ns in by_length:
            if iri.startswith(ns) and iri[len(ns) :].replace("_", "a").replace("-", "a").isalnum():
                names.add(prefix + ":" + iri[len(ns) :])
                break
    vocab = iris().vocab
    names |= {"stv:" + t for t in vocabularies()[vocab] if t.replace("_", "a").replace("-", "a").isalnum()}
    result = sorted(names)
    build.cache.put("completions", result, sum(map(len, result)))
    return result


def _prefixes() -> dict[str, str]:
    return prefixes(iris())


def prefixes_text() -> str:
    return "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in _prefixes().items())


DEFAULT_QUERY = """SELECT ?organisation ?label WHERE {
  ?organisation a stv:WellbeingServicesCounty ;
                skos:prefLabel ?label .
  FILTER (LANG(?label) = "fi")
}
ORDER BY ?label"""


@bp.route("/sparql/short", methods=["POST"])
def make_short_link():
    """A short link (/s/{key}) to the query and view POSTed as a form; JSON {"href": …} back."""
    query, view = request.form.get("query", ""), request.form.get("view", "Table")
    if not query.strip():
        raise BadRequest("Give the query to link to.", key="short_link_empty")
    if view not in VIEWS:
        raise BadRequest(f"No view called {view!r}.", details={"view": view}, key="short_link_view")
    # A short link redirects to the permalink: a query whose permalink no GET can carry gets no
    # short link (and this bounds what each stored link may hold).
    if len(queries.sparql_page_href(query, view)) > MAX_GET_QUERY_BYTES:
        raise BadRequest(
            "The query is too long for a link; keep it in a file and POST it instead.",
            details={"limit": MAX_GET_QUERY_BYTES},
            key="short_link_too_long",
        )
    key = short_links().save(query, view)
    response = Response(json.dumps({"href": f"/s/{key}"}), mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/s/<key>")
def follow_short_link(key: str):
    """A short link: 302 to the permalink of its query and view."""
    found = short_links().get(key)
    if found is None:
        raise NotFound(f"No short link {key}.", details={"key": key}, key="no_short_link")
    query, view = found
    return redirect(queries.sparql_page_href(query, view), code=302)
