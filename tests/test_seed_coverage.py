"""Every fact of the two source pages is in the graph, verbatim, and the page chrome is not.

The seed pages are kept in tests/fixtures/seeds (copies of ../shared/seeds). Each line
of a page is either page chrome (listed below, must not be in the graph), a heading
(listed below with the kind of resource it introduces, which must exist), or content,
whose every fragment must appear verbatim in a Finnish literal of the asserted graph.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from server.core.settings import PROJECT_ROOT, load_settings
from server.pipeline.load import load_sources

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
STV = "https://w3id.org/strategiaverkko/ontology#"

CHROME = {
    "Kiirehdi varaamaan influessarokotusaika",
    "Hengitystie-infektiota sairastaville",
    "Etusivu » Hyvinvointialue » Tietoa meistä » Hallinto » Strategia",
    "Customer service",
    "Siirry sisältöön",
    "Sivun sisältö:",
    "Etelä-Karjalan henkilöstöohjelmaan pääset tutustumaan alla olevasta tiedostosta.",
}
# Headings -> the class of the resource they introduce (at least one must exist for the page's county).
HEADINGS = {
    "Strategiavideo": "StrategyVideo",
    "Visio, missio ja arvot": "Vision",
    "Strategian kärjet": "StrategicPriority",
    "Palvelustrategia": "ServiceStrategy",
    "Strategian toimeenpano-ohjelma": "ImplementationProgramme",
    "Visiomme": "Vision",
    "Missiomme": "Mission",
    "Toimintaamme ohjaavat arvot": "Value",
    "Strategiamme kärjet": "StrategicPriority",
    "Taustaselvitys": "Report",
    "Henkilöstöohjelma": "PersonnelProgramme",
    "Missio": "Mission",
    "Arvot": "Value",
    "Visio": "Vision",
    "Laadulliset tavoitteet": "QualitativeGoal",
}
# Sentences that only lead in to the next line ("…missio on:"): the statement follows them.
LEAD_INS = ("Etelä-Savon hyvinvointialueen missio on:", "Etelä-Savon hyvinvointialueen visio on:")
# Page text we keep as a fact in a structured form rather than as a literal.
STRUCTURED = {
    "Sivua muokattu 10.3.2023": ("modified", "2023-03-10"),
}


@pytest.fixture(scope="module")
def graph():
    sources = load_sources(PROJECT_ROOT, load_settings()["base_iri"])
    # The ontology is included: the Etelä-Savo page's explanations are its Finnish definitions.
    return sources.all_data() + sources.ontology


@pytest.fixture(scope="module")
def finnish_texts(graph) -> list[str]:
    return [str(o) for o in graph.objects() if isinstance(o, Literal) and o.language == "fi"]


def fragments(line: str) -> list[str]:
    """The verbatim pieces of a content line: bullets and numbers off, 'Title: text' and 'NAME – text' split."""
    line = re.sub(r"^(•|\d+\.)\s*", "", line.strip())
    line = line.removesuffix(" Read more")
    for lead_in in LEAD_INS:
        if line.endswith(" " + lead_in):
            return [line.removesuffix(" " + lead_in)]
    if re.match(r"^[A-ZÄÖÅ]{4,} – ", line):
        return line.split(" – ", 1)
    m = re.match(r"^([^:]{3,60}): (.+)$", line)
    if m and not line.startswith(("Työnantajalupauksemme", "Laki")):
        return [m.group(1), m.group(2)]
    if line.startswith("Työnantajalupauksemme on: "):
        return [line.removeprefix("Työnantajalupauksemme on: ")]
    return [line]


def seed_lines(name: str) -> list[str]:
    return [line.strip() for line in (SEEDS / name).read_text("utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("seed", ["000_1ea51d137e0ea09d.txt", "002_41775dcdc78ca3ea.txt"])
def test_every_content_line_is_in_the_graph(seed, graph, finnish_texts):
    missing = []
    for line in seed_lines(seed):
        bare = re.sub(r"^(•|\d+\.)\s*", "", line)
        if any(bare.startswith(c) for c in CHROME) or bare in STRUCTURED:
            continue
        if bare in HEADINGS:
            cls = URIRef(STV + HEADINGS[bare])
            assert (None, RDF.type, cls) in graph, f"{seed}: heading {bare!r}: no {cls} in the graph"
            continue
        for piece in fragments(line):
            if not any(piece in text for text in finnish_texts):
                missing.append(piece)
    assert not missing, f"{seed}: not in the graph verbatim:\n" + "\n".join(missing)


def test_page_chrome_is_not_in_the_graph(finnish_texts):
    for chrome in ["influessarokotus", "maskin käyttöä", "Customer service", "Siirry sisältöön", "Etusivu »"]:
        assert not any(chrome in text for text in finnish_texts), chrome


def test_structured_facts(graph):
    from rdflib.namespace import DCTERMS

    modified = {str(o) for o in graph.objects(None, DCTERMS.modified)}
    assert "2023-03-10" in modified


def test_seed_copies_match_shared():
    shared = PROJECT_ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    for path in SEEDS.glob("*.txt"):
        assert path.read_bytes() == (shared / path.name).read_bytes(), path.name


def test_areas_file_matches_the_reference_tables():
    from server.pipeline.reference import render

    reference = PROJECT_ROOT.parent / "shared" / "reference"
    if not reference.is_dir():
        pytest.skip("../shared/reference is not beside this checkout")
    assert render(reference) == (PROJECT_ROOT / "data" / "areas.ttl").read_text("utf-8")
