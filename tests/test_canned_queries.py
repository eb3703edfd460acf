"""Every canned researcher query runs through /sparql and answers what the data says.

Expected answers are worked out from the parsed Turtle sources with plain rdflib triple
lookups, not with SPARQL, so a wrong query (or a wrong engine) cannot agree with itself.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, ORG, PROV, RDF, RDFS, SKOS

from server.core.settings import PROJECT_ROOT, load_settings
from server.core.words import analyser, words
from server.pipeline.load import load_sources
from server.query.canned import canned, canned_queries

BASE = load_settings()["base_iri"]
STV = Namespace(BASE + "ontology#")
CV = Namespace("http://data.europa.eu/m8g/")


@pytest.fixture(scope="module")
def sources():
    return load_sources(PROJECT_ROOT, BASE)


@pytest.fixture(scope="module")
def asserted(sources) -> Graph:
    return sources.data["asserted"]


def run(client, name: str) -> list[dict[str, str]]:
    query = canned(name)
    assert query is not None, f"server/query/canned_queries/{name}.rq is missing"
    response = client.post("/sparql", data={"query": query.text}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    answer = response.get_json()
    return [{k: v["value"] for k, v in b.items()} for b in answer["results"]["bindings"]]


def fi(graph: Graph, node, prop=SKOS.prefLabel) -> str | None:
    return next((str(o) for o in graph.objects(node, prop) if isinstance(o, Literal) and o.language == "fi"), None)


def strategies_of(g: Graph) -> set:
    return set(g.subjects(RDF.type, STV.Strategy))


# --- Every query ------------------------------------------------------------------


def test_every_canned_query_speaks_fi_sv_and_en_and_has_a_topic():
    """The query page lists the questions in the reader's language, grouped by topic, each with a
    short note on what its answer shows."""
    from server.query.canned import TOPICS, VIEWS

    queries = canned_queries()
    for q in queries:
        for lang in ("fi", "sv", "en"):
            title, description, note = q.in_language(lang)
            assert title and description and note, (q.name, lang)
            assert q.titles[lang] and q.descriptions[lang] and q.notes[lang], (q.name, lang)
            assert len(note) < 120, f"{q.name}: the {lang} note is a short sentence, not a second description"
        assert q.titles["fi"] != q.titles["en"] and q.titles["sv"] != q.titles["en"], q.name
        assert q.topic in TOPICS, q.name
        assert q.default_view is None or q.default_view in VIEWS, q.name
    for lang in ("fi", "sv", "en"):
        titles = [q.in_language(lang)[0] for q in queries]
        assert len(set(titles)) == len(titles), f"two questions share a title in {lang}"
    # Every topic has questions, and every topic has a name in every language.
    assert {q.topic for q in queries} == set(TOPICS)
    assert all(set(names) == {"fi", "sv", "en"} for names in TOPICS.values())


def test_there_are_at_least_ten_canned_queries_with_titles_and_descriptions():
    queries = canned_queries()
    assert len(queries) >= 10
    for q in queries:
        assert q.title and q.description, q.name
        # Researchers copy these into their own tools: prefixes must be declared, not implied.
        assert "PREFIX" in q.text, f"{q.name} relies on the endpoint's predeclared prefixes"


@pytest.mark.parametrize("query", canned_queries(), ids=lambda q: q.name)
def test_each_canned_query_runs_and_answers_rows(client, query):
    response = client.post("/sparql", data={"query": query.text}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["results"]["bindings"], f"{query.name} found nothing in the real data"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_query_page_lists_every_canned_query_in_the_readers_language(client, lang):
    html = client.get("/sparql", query_string={"lang": lang}, headers={"Accept": "text/html"}).get_data(as_text=True)
    listed = {
        a["data-name"]: a.get_text(strip=True) for a in BeautifulSoup(html, "html.parser").select("a.canned-query")
    }
    assert listed == {q.name: q.titles[lang] for q in canned_queries()}


# --- Each question against the data ------------------------------------------------


def test_values_side_by_side(client, asserted):
    rows = run(client, "01_values_side_by_side")
    expected = {
        (
            str(asserted.value(v, STV.organisation)),
            fi(asserted, v) or fi(asserted, v, RDFS.label),
            int(asserted.value(v, STV.order)),
        )
        for v in asserted.subjects(RDF.type, STV.Value)
    }
    assert {(r["organisation"], r["value"], int(r["order"])) for r in rows} == expected
    assert len(expected) >= 9


def _last_day(bound) -> str:
    """The last day a year, month or date bound covers, as YYYY-MM-DD (months as day 31: only compared)."""
    text = str(bound)
    return {4: text + "-12-31", 7: text + "-31"}.get(len(text), text[:10])


def _first_day(bound) -> str:
    text = str(bound)
    return {4: text + "-01-01", 7: text + "-01"}.get(len(text), text[:10])


def _final_approval(g: Graph, strategy) -> str | None:
    days = [
        _first_day(g.value(d, STV.date))
        for d in g.subjects(STV.approves, strategy)
        if g.value(d, STV.documentStatus) == STV.Final and g.value(d, STV.date) is not None
    ]
    return min(days) if days else None


def _carried_over(g: Graph, strategy, aspect) -> bool:
    return any(
        g.value(r, STV.aspect) == aspect and g.value(r, STV.recordingStatus) == STV.CarriedOver
        for r in g.objects(strategy, STV.recording)
    )


def in_force(g: Graph, on: str) -> set[str]:
    """The versions in force on a day, worked out with triple lookups (see the query's description)."""
    found = set()
    for strategy in strategies_of(g):
        period = g.value(strategy, DCTERMS.temporal)
        older = g.value(strategy, DCTERMS.replaces)
        if period is None and older is not None and _carried_over(g, strategy, DCTERMS.PeriodOfTime):
            period = g.value(older, DCTERMS.temporal)
        if period is None:
            continue
        start, end = g.value(period, DCAT.startDate), g.value(period, DCAT.endDate)
        if start is not None and _first_day(start) > on or end is not None and _last_day(end) < on:
            continue
        adopted = _final_approval(g, strategy)
        if adopted is not None and adopted > on:
            continue
        newer = [n for n in g.subjects(DCTERMS.replaces, strategy) if (_final_approval(g, n) or "9999") <= on]
        if not newer:
            found.add(str(strategy))
    return found


def test_strategies_in_force_on_the_date_in_the_query(client, asserted):
    text = canned("02_strategies_in_force").text
    assert '"2024-06-01"' in text, "the test reads the date the query asks about"
    expected = in_force(asserted, "2024-06-01")
    assert expected and {r["strategy"] for r in run(client, "02_strategies_in_force")} == expected


def test_a_replaced_version_is_not_in_force_once_its_update_is_adopted(client, asserted):
    query = canned("02_strategies_in_force").text.replace('"2024-06-01"', '"2026-06-01"')
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    rows = {b["strategy"]["value"] for b in response.get_json()["results"]["bindings"]}
    assert rows == in_force(asserted, "2026-06-01")
    # Keski-Suomi's 2030 strategy was updated (council 9.9.2025): the old version is no longer in force.
    assert BASE + "id/strategy/keski-suomi-2030" not in rows


def test_decisions_that_shaped_each_strategy_in_date_order(client, asserted):
    rows = run(client, "03_decisions_shaping_strategies")
    plans_of_strategies = set(strategies_of(asserted))
    changed = True
    while changed:  # close over refines / implements / basedOn, as the query does
        before = len(plans_of_strategies)
        for prop in (STV.refines, STV.implements, STV.basedOn):
            for plan, parent in asserted.subject_objects(prop):
                if parent in plans_of_strategies:
                    plans_of_strategies.add(plan)
        changed = len(plans_of_strategies) != before
    expected = {
        str(d)
        for d in asserted.subjects(RDF.type, STV.Decision)
        if asserted.value(d, STV.approves) in plans_of_strategies
    }
    assert {r["decision"] for r in rows} == expected and expected
    for strategy in {r["strategy"] for r in rows}:
        dates = [r.get("date", "") for r in rows if r["strategy"] == strategy]
        assert dates == sorted(dates)


def test_priorities_and_goals_mentioning_a_word_in_any_form(client, asserted):
    text = canned("04_priorities_and_goals_mentioning_a_word").text
    assert 'VALUES ?word { "talous" }' in text
    using = analyser()
    kinds = {STV.StrategicPriority, STV.Goal, STV.QualitativeGoal}

    def mentions(literal: str) -> bool:
        lowered = literal.lower()
        return "talous" in lowered or any("talous" in using.bases(w) for w in words(literal))

    expected = {
        str(s)
        for k in kinds
        for s in asserted.subjects(RDF.type, k)
        if fi(asserted, s) is not None
        and any(mentions(v) for v in (fi(asserted, s), fi(asserted, s, STV.text), fi(asserted, s, STV.summary)) if v)
    }
    rows = run(client, "04_priorities_and_goals_mentioning_a_word")
    assert {r["element"] for r in rows} == expected
    labels = {r["label"] for r in rows}
    if using.name == "voikko":  # the forms the issue names; Snowball stems miss derived words
        assert "Talouden tasapaino" in labels and any("taloudellinen" in v.lower() for v in labels)


def test_areas_without_strategy(client, asserted, sources):
    areas = set(asserted.subjects(RDF.type, STV.WellbeingServicesCounty)) | {
        o for o in asserted.subjects(RDF.type, CV.PublicOrganisation) if asserted.value(o, STV.areaCode)
    }
    with_strategy = {asserted.value(s, STV.organisation) for s in strategies_of(asserted)}
    expected = {str(a) for a in areas - with_strategy}
    rows = run(client, "05_areas_without_strategy")
    assert {r["area"] for r in rows} == expected
    assert len(areas) == 23, "Statistics Finland's classification has 21 counties, Helsinki and Åland"


ASPECTS = (STV.Vision, STV.Mission, STV.Value, STV.StrategicPriority, STV.Goal)
OTHER_KINDS = (STV.EmployerPromise, STV.ServicePromise, STV.SuccessFactor)


def _counts(g: Graph, strategy) -> dict:
    counts = dict.fromkeys(ASPECTS + OTHER_KINDS, 0)
    for statement in g.subjects(STV.partOfPlan, strategy):
        kinds = set(g.objects(statement, RDF.type))
        for cls in counts:
            if cls in kinds or (cls == STV.Goal and STV.QualitativeGoal in kinds):
                counts[cls] += 1
    return {cls: n for cls, n in counts.items() if n or cls in ASPECTS}


def test_statements_per_strategy_and_kind_count_current_versions_only(client, asserted):
    replaced = set(asserted.objects(None, DCTERMS.replaces))
    expected = {
        (str(strategy), str(cls)): n
        for strategy in strategies_of(asserted) - replaced
        for cls, n in _counts(asserted, strategy).items()
    }
    rows = run(client, "06_statements_per_organisation_and_kind")
    assert {(r["strategy"], r["class"]): int(r["statements"]) for r in rows} == expected
    for r in rows:
        if int(r["statements"]):
            assert r["recording"] == "recorded"
        else:
            assert r["recording"] in {
                "not recorded",
                "not given by the sources",
                "carried over from the version it updates",
            }


def test_statements_per_kind_every_version_when_asked(client, asserted):
    query = canned("06_statements_per_organisation_and_kind").text.replace(
        "VALUES ?allVersions { false }", "VALUES ?allVersions { true }"
    )
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    rows = [{k: v["value"] for k, v in b.items()} for b in response.get_json()["results"]["bindings"]]
    assert {r["strategy"] for r in rows} == {str(s) for s in strategies_of(asserted)}
    statuses = {r["strategy"]: r["versionStatus"] for r in rows}
    for old in asserted.objects(None, DCTERMS.replaces):
        assert statuses[str(old)] == "replaced version"


def test_two_versions_compared_part_by_part(client, asserted):
    rows = run(client, "22_compare_two_versions")
    older, newer = BASE + "id/strategy/varsinais-suomi-2022", BASE + "id/strategy/varsinais-suomi-paivitys-2026"
    values = {
        version: sorted(
            fi(asserted, s)
            for s in asserted.subjects(STV.partOfPlan, URIRef(strategy))
            if (s, RDF.type, STV.Value) in asserted
        )
        for version, strategy in (("older", older), ("newer", newer))
    }
    for version in ("older", "newer"):
        listed = sorted(r["label"] for r in rows if r["version"] == version and r["aspect"] == str(STV.Value))
        assert listed == values[version] and listed
    for r in rows:
        if r.get("statement") and r["aspect"] == str(STV.Value):
            other = values["newer" if r["version"] == "older" else "older"]
            assert r["change"] == (
                "in both" if r["label"] in other else ("dropped" if r["version"] == "older" else "added")
            )
    # A part one version does not record is never reported as dropped or added.
    unrecorded = {(r["aspect"], r["version"]) for r in rows if r["recording"] != "recorded"}
    for r in rows:
        counterpart = (r["aspect"], "newer" if r["version"] == "older" else "older")
        if r.get("statement") and counterpart in unrecorded:
            assert r["change"].startswith("cannot tell") or r["change"] == "in both"


def test_inferred_about_an_organisation_is_not_asserted(client, asserted):
    rows = run(client, "07_inferred_about_an_organisation")
    organisation = URIRef(BASE + "id/organisation/etela-savo")
    assert {r["organisation"] for r in rows} == {str(organisation)}
    values = {r["value"] for r in rows}
    # The alignments make a county a CPOV public organisation, and its plans follow from stv:organisation.
    assert str(CV.PublicOrganisation) in values
    assert BASE + "id/strategy/etela-savo" in values
    for r in rows:
        if r["direction"].startswith("out"):
            assert (organisation, URIRef(r["property"]), URIRef(r["value"])) not in asserted


def test_plans_around_each_strategy(client, asserted):
    relations = {
        STV.refines: "refines",
        STV.implements: "implements",
        STV.basedOn: "is based on",
        STV.complements: "complements",
    }
    expected = {
        (str(plan), name, str(parent))
        for prop, name in relations.items()
        for plan, parent in asserted.subject_objects(prop)
    }
    rows = run(client, "08_plans_around_each_strategy")
    assert {(r["plan"], r["relation"], r["parent"]) for r in rows} == expected
    # A plan no source has decided yet shows a blank decision, not a missing row.
    for r in rows:
        decided = any(asserted.subjects(STV.approves, URIRef(r["plan"])))
        assert ("decisionDate" in r) == decided, r["plan"]


def test_member_municipalities_in_a_year(client, asserted):
    from rdflib.namespace import XSD

    year = Literal("2025", datatype=XSD.gYear)
    expected = {
        (str(asserted.value(m, ORG.organization)), str(asserted.value(m, ORG.member)))
        for m in asserted.subjects(STV.validInYear, year)
    }
    rows = run(client, "09_member_municipalities_in_a_year")
    assert {(r["county"], r["municipality"]) for r in rows} == expected and expected
    with_strategy = {str(asserted.value(s, STV.organisation)) for s in strategies_of(asserted)}
    for r in rows:
        assert (r["countyHasStrategy"] == "true") == (r["county"] in with_strategy)


def test_vision_and_mission_side_by_side(client, asserted):
    rows = run(client, "10_vision_and_mission_side_by_side")
    assert {r["strategy"] for r in rows} == {str(s) for s in strategies_of(asserted)}
    for r in rows:
        strategy = URIRef(r["strategy"])
        for cls, column in ((STV.Vision, "vision"), (STV.Mission, "mission")):
            stated = {
                fi(asserted, s) for s in asserted.subjects(STV.partOfPlan, strategy) if (s, RDF.type, cls) in asserted
            }
            stated.discard(None)  # a vision known only from a summary has no verbatim name to show
            assert ({r[column]} if column in r else set()) == stated


def test_sources_behind_each_organisation(client, asserted):
    rows = run(client, "11_sources_behind_each_organisation")
    by_pair = {(r["organisation"], r["source"]): int(r["resources"]) for r in rows}
    source = URIRef(BASE + "id/source/etela-savo-strategia")
    # Everything derived from the Etelä-Savo page is about Etelä-Savo's strategy.
    derived = set(asserted.subjects(PROV.wasDerivedFrom, source))
    assert by_pair[(BASE + "id/organisation/etela-savo", str(source))] == len(derived) > 0
    assert all(int(r["resources"]) > 0 for r in rows)


def test_consultations_and_reports(client, asserted):
    rows = run(client, "12_consultations_and_reports")
    expected = {str(e) for cls in (STV.Consultation, STV.Report) for e in asserted.subjects(RDF.type, cls)}
    assert {r["event"] for r in rows} == expected and expected
    report = next(r for r in rows if r["kind"] == "report to authorities")
    authorities = {fi(asserted, a) for a in asserted.objects(URIRef(report["event"]), STV.submittedTo)}
    assert set(report["with"].split(", ")) == authorities
