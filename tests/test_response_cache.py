"""A repeated request for one of the build's immutable responses is answered before Flask, with
the first response's bytes, and never with the response to another request: another format,
language, encoding, host, body or build. Errors, conditional requests and per-request
responses always go to the app."""

from __future__ import annotations

import json
import uuid

import pytest
from builds import switch_to, two_builds

from server.core.settings import load_settings
from server.web.app import create_app

JSON = "application/sparql-results+json"
COUNTY = "/page/organisation/etela-savo"


def count_views(app) -> dict[str, int]:
    """How often each of the app's views runs from now on, by endpoint name."""
    calls: dict[str, int] = {}
    for name, view in list(app.view_functions.items()):

        def counting(*args, _name=name, _view=view, **kwargs):
            calls[_name] = calls.get(_name, 0) + 1
            return _view(*args, **kwargs)

        app.view_functions[name] = counting
    return calls


@pytest.fixture()
def counted(real_settings):
    """A fresh app (an empty response cache) and how often each of its views ran."""
    app = create_app(real_settings)
    calls = count_views(app)
    # Each request stands alone, as a crawler's or a shared cache's do: no cookie goes back (the
    # language switch's cookie would make every later request pass the replay by, as it should).
    yield app.test_client(use_cookies=False), calls
    app.extensions["strategiaverkko.pool"].close()


def without_request_id(response) -> list[tuple[str, str]]:
    """The headers a replay repeats: not the request's id, date or time (Server-Timing)."""
    return sorted((k, v) for k, v in response.headers.items() if k not in ("X-Request-Id", "Date", "Server-Timing"))


def test_a_repeated_page_is_the_first_response_without_running_the_view(counted):
    client, calls = counted
    first = client.get(COUNTY, headers={"Accept": "text/html"})
    again = client.get(COUNTY, headers={"Accept": "text/html"})
    assert first.status_code == again.status_code == 200
    assert again.data == first.data
    assert without_request_id(again) == without_request_id(first)
    assert calls == {"pages.page": 1}


def test_a_repeated_query_says_it_was_cached(counted):
    client, calls = counted
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} # {uuid.uuid4().hex}"
    first = client.post("/sparql", data={"query": query}, headers={"Accept": JSON})
    again = client.post("/sparql", data={"query": query}, headers={"Accept": JSON})
    assert "(cached)" not in first.headers["X-Query-Time"]
    assert again.headers["X-Query-Time"] == "0.0 ms (cached)"
    assert again.data == first.data and calls == {"sparql.endpoint": 1}


DATA = "/data/organisation/etela-savo"
HTML = {"Accept": "text/html"}


@pytest.mark.parametrize(
    "path, base, other",
    [
        (DATA, {"headers": {"Accept": "text/turtle"}}, {"headers": {"Accept": "application/ld+json"}}),
        (COUNTY, {"headers": HTML}, {"headers": {**HTML, "Accept-Language": "en"}}),
        (COUNTY, {"headers": HTML}, {"headers": {**HTML, "Accept-Encoding": "gzip"}}),
        (COUNTY, {"headers": HTML}, {"headers": {**HTML, "Accept-Language": "sv"}}),
        (
            "/catalog",
            {"headers": {"Accept": "text/turtle"}},
            {"headers": {"Accept": "text/turtle", "Host": "other.example"}},
        ),
    ],
)
def test_each_variant_of_a_resource_gets_its_own_response(counted, path, base, other):
    client, calls = counted
    first = client.get(path, **base)
    variant = client.get(path, **other)
    assert first.status_code == variant.status_code == 200
    assert (variant.data, variant.headers.get("Content-Encoding")) != (
        first.data,
        first.headers.get("Content-Encoding"),
    )
    assert client.get(path, **other).data == variant.data
    assert client.get(path, **base).data == first.data
    assert sum(calls.values()) == 2  # one run for each variant; their repeats were replayed


def test_an_answer_that_sets_the_language_cookie_is_never_replayed(counted):
    # ?lang= sets the reader's cookie; replaying that answer would hand the cookie to the next
    # reader, so it goes through the view each time (its body still comes from the build's cache).
    client, calls = counted
    first = client.get(COUNTY, headers=HTML, query_string={"lang": "sv"})
    again = client.get(COUNTY, headers=HTML, query_string={"lang": "sv"})
    assert first.headers["Set-Cookie"].startswith("lang=sv;") and again.headers["Set-Cookie"].startswith("lang=sv;")
    assert again.data == first.data and calls == {"pages.page": 2}


def test_two_posted_queries_are_told_apart_by_their_body(counted):
    client, _ = counted
    one = client.post("/sparql", data={"query": "SELECT (1 AS ?x) {}"}, headers={"Accept": JSON})
    two = client.post("/sparql", data={"query": "SELECT (2 AS ?x) {}"}, headers={"Accept": JSON})
    values = [json.loads(r.data)["results"]["bindings"][0]["x"]["value"] for r in (one, two)]
    assert values == ["1", "2"]


def test_every_replay_has_a_request_id_of_its_own(counted):
    client, _ = counted
    ids = [client.get(COUNTY).headers["X-Request-Id"] for _ in range(3)]
    assert len(set(ids)) == 3
    assert client.get(COUNTY, headers={"X-Request-Id": "trace-42"}).headers["X-Request-Id"] == "trace-42"
    assert client.get(COUNTY, headers={"X-Request-Id": "bad id; forged"}).headers["X-Request-Id"] != "bad id; forged"


def test_errors_are_never_replayed(counted):
    client, calls = counted
    for _ in range(2):
        assert client.post("/sparql", data={"query": "SELECT WHERE {"}, headers={"Accept": JSON}).status_code == 400
        assert client.get("/page/organisation/no-such-thing").status_code == 404
    assert calls == {"sparql.endpoint": 2, "pages.page": 2}


def test_conditional_requests_still_get_304(counted):
    client, calls = counted
    etag = client.get(COUNTY).headers["ETag"]
    client.get(COUNTY)
    revalidated = client.get(COUNTY, headers={"If-None-Match": etag})
    assert revalidated.status_code == 304 and calls["pages.page"] == 2


def test_responses_not_made_from_the_build_are_not_replayed(counted):
    client, calls = counted
    client.get("/healthz")
    client.get("/healthz")
    assert calls == {"health.healthz": 2}


def test_a_new_build_is_not_answered_with_the_old_builds_response(real_settings, tmp_path):
    var = tmp_path / "var"
    two_builds(real_settings, var)
    app = create_app(load_settings({"var_dir": str(var)}))
    try:
        client = app.test_client()
        before = client.get(COUNTY)
        assert client.get(COUNTY).headers["ETag"] == before.headers["ETag"]
        switch_to(var, "new")
        after = client.get(COUNTY)
        assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    finally:
        app.extensions["strategiaverkko.pool"].close()


def test_no_cache_bytes_no_replay(real_settings):
    app = create_app({**real_settings, "cache_bytes": 0})
    try:
        client, calls = app.test_client(), count_views(app)
        client.get(COUNTY)
        client.get(COUNTY)
        assert calls == {"pages.page": 2}
    finally:
        app.extensions["strategiaverkko.pool"].close()
