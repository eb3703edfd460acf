"""The research record (research/counties.md, research/areas/*.md) and the data agree:
our summaries are our own words, and every web source is in the record."""

from __future__ import annotations

import re

import pytest
from rdflib import Namespace, URIRef

from server.core.settings import PROJECT_ROOT, load_settings
from server.pipeline.load import load_sources

BASE = load_settings()["base_iri"]
STV = Namespace(BASE + "ontology#")
SCHEMA_URL = URIRef("https://schema.org/url")
RECORDS = [PROJECT_ROOT / "research" / "counties.md", *sorted((PROJECT_ROOT / "research" / "areas").glob("*.md"))]
RUN = 6  # words in a row that make a summary a near-copy


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def runs(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def record_text() -> str:
    return "\n".join(path.read_text("utf-8") for path in RECORDS if path.exists())


def locating_quotes() -> list[str]:
    """The quoted fragments in the record's tables: what the sources say, word for word."""
    return [q for line in record_text().splitlines() if line.startswith("|") for q in re.findall(r'"([^"]+)"', line)]


@pytest.fixture(scope="module")
def asserted():
    return load_sources(PROJECT_ROOT, BASE).data["asserted"]


def test_the_record_has_locating_quotes():
    assert len(locating_quotes()) > 80


def test_no_summary_repeats_six_words_of_a_source(asserted):
    quoted = set().union(*(runs(q) for q in locating_quotes()))
    copies = {
        (str(subject), " ".join(run))
        for subject, summary in asserted.subject_objects(STV.summary)
        for run in runs(str(summary)) & quoted
    }
    assert not copies, "summaries must be in our own words: " + "; ".join(f"{s}: '{r}'" for s, r in sorted(copies))


def test_the_check_finds_a_near_copy():
    quote = "Lapissa eletään hyvää ja turvallista elämää"
    assert runs("Visio: lapissa eletään hyvää ja turvallista elämää yhdessä.") & runs(quote)
    assert not runs("Visio koskee hyvää elämää ja turvallisuutta Lapissa.") & runs(quote)


def test_every_web_source_is_in_the_research_record(asserted):
    text = record_text()
    missing = sorted(str(url) for url in asserted.objects(None, SCHEMA_URL) if str(url) not in text)
    assert not missing, missing
