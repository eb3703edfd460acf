"""Fuzzing: random and mutated input never gets a 5xx or a traceback, only a clear 4xx (or an answer).

Hypothesis generates SPARQL strings (random, and canned queries with characters inserted,
deleted or swapped), request parameters, Accept headers and paths under /id/, /page/,
/data/ and /sparql.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.query.canned import canned_queries
from server.web.app import create_app

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
LEAKS = ("Traceback", 'File "/', "site-packages", "/work/", "/tmp/")


@pytest.fixture(scope="module")
def fuzz_client(real_settings):
    # A short timeout: some mutated queries are legal and expensive, and a 503 for them is fine.
    app = create_app({**real_settings, "query_timeout": 2.0})
    app.config["TESTING"] = False  # errors go through the real handlers, as in production
    yield app.test_client()
    app.extensions["strategiaverkko.pool"].close()


def assert_clean(response, *, allow=(503,)):
    body = response.get_data(as_text=True)
    assert response.status_code < 500 or response.status_code in allow, (response.status_code, body[:500])
    for leak in LEAKS:
        assert leak not in body, f"response leaks {leak!r}: {body[:500]}"


@st.composite
def mutated_queries(draw):
    """A canned query with a few characters inserted, deleted or replaced."""
    text = draw(st.sampled_from([q.text for q in canned_queries()]))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.text(alphabet="{}()<>?\"'.;,*@#^\\|!=+- \nabcxyzSELECTWHERE€ä0", min_size=1, max_size=3))
        if edit == "insert":
            text = text[:at] + piece + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + len(piece) :]
        else:
            text = text[:at] + piece + text[at + len(piece) :]
    return text


SPARQL_WORDS = st.sampled_from(
    [
        "SELECT",
        "ASK",
        "CONSTRUCT",
        "DESCRIBE",
        "WHERE",
        "{",
        "}",
        "?s",
        "?p",
        "?o",
        "FILTER",
        "OPTIONAL",
        "UNION",
        "GRAPH",
        "SERVICE",
        "FROM",
        "NAMED",
        "LIMIT",
        "<http://example.org/x>",
        '"x"@fi',
        "a",
        ".",
        "*",
        "(",
        ")",
        "COUNT",
        "PREFIX",
        "stv:Strategy",
        "BIND",
        "AS",
        "VALUES",
        "INSERT",
        "DATA",
        "LOAD",
        "1e999",
    ]
)
word_salad = st.lists(SPARQL_WORDS, min_size=1, max_size=25).map(" ".join)


@FUZZ
@given(query=st.one_of(st.text(max_size=300), word_salad, mutated_queries()))
def test_any_query_text_gets_an_answer_or_a_clear_4xx(fuzz_client, query):
    response = fuzz_client.post("/sparql", data={"query": query}, headers={"Accept": "application/json"})
    assert_clean(response)
    if 400 <= response.status_code < 500 and response.status_code != 406:
        assert response.get_json()["message"], "a 4xx must say what was wrong"


media = st.sampled_from(
    [
        "text/html",
        "application/json",
        "application/sparql-results+json",
        "text/csv",
        "text/turtle",
        "application/ld+json",
        "application/rdf+xml",
        "*/*",
        "text/*",
        "image/png",
        "application/n-triples",
        "application/sparql-results+xml",
        "x/y;z",
        "",
    ]
)
accept_headers = st.one_of(
    st.lists(
        st.tuples(media, st.one_of(st.none(), st.floats(-1, 2), st.text(alphabet="0123456789.;=,ab -", max_size=4))),
        max_size=4,
    ).map(lambda parts: ", ".join(m + ("" if q is None else f";q={q}") for m, q in parts)),
    # Any printable header text (HTTP forbids line breaks in a header value).
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60),
)


@FUZZ
@given(
    accept=accept_headers,
    form=st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["json", "xml", "csv", "tsv", "turtle", "jsonld"])),
    path=st.sampled_from(
        [
            "/sparql?query=ASK%7B%7D",
            "/sparql?query=CONSTRUCT%7B?s?p?o%7DWHERE%7B?s?p?o%7DLIMIT%201",
            "/sparql",
            "/page/strategy/etela-savo",
            "/data/strategy/etela-savo",
            "/id/strategy/etela-savo",
            "/catalog",
            "/ontology",
            "/",
        ]
    ),
)
def test_any_accept_header_and_format_is_answered_cleanly(fuzz_client, accept, form, path):
    if form is not None:
        path += ("&" if "?" in path else "?") + "format=" + form
    response = fuzz_client.get(path, headers={"Accept": accept})
    assert_clean(response, allow=())


path_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@FUZZ
@given(
    prefix=st.sampled_from(["/id/", "/page/", "/data/", "/sparql/", "/page/?iri=", "/data/?iri=", "/search?q="]),
    rest=st.one_of(
        path_text,
        st.sampled_from(
            [
                "..",
                "../../etc/passwd",
                "%2e%2e/",
                "strategy/etela-savo.ttl.ttl",
                "strategy/",
                "//",
                "%00",
                "strategy/etela-savo%0A<script>",
                "strategy/etela-savo.exe",
            ]
        ),
    ),
)
def test_any_path_is_answered_cleanly(fuzz_client, prefix, rest):
    from urllib.parse import quote

    response = fuzz_client.get(prefix + quote(rest, safe="/%"), headers={"Accept": "text/html"})
    assert_clean(response, allow=())
    # Our templates only have <script src=…> and <script type=…>: a bare <script> came from the input.
    assert "<script>" not in response.get_data(as_text=True)


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            ["query", "default-graph-uri", "named-graph-uri", "format", "update", "lang", "timeout", "output"]
        ),
        st.one_of(
            st.text(max_size=40), st.sampled_from(["file:///etc/passwd", "http://127.0.0.1:1/", "ASK {}", "not an iri"])
        ),
        max_size=4,
    ),
    method=st.sampled_from(["GET", "POST"]),
)
def test_any_protocol_parameters_are_answered_cleanly(fuzz_client, params, method):
    if method == "GET":
        response = fuzz_client.get("/sparql", query_string=params, headers={"Accept": "*/*"})
    else:
        response = fuzz_client.post("/sparql", data=params, headers={"Accept": "*/*"})
    assert_clean(response)
