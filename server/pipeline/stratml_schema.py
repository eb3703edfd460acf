"""What StratML (ISO 17469-1) export and import share: namespaces, the XSDs, the safe parser,
and how our statement kinds ride in StratML's elements.

Part 1 (`StrategicPlan`) and Part 2 (`PerformancePlanOrReport`) share their core elements by
local name, so the importer reads both with one walk; each part is validated against its own XSD.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

XSD_DIR = Path(__file__).parent / "stratml_xsd"
PART1_NS = "urn:ISO:std:iso:17469:tech:xsd:stratml_core"
PART2_NS = "urn:ISO:std:iso:17469:tech:xsd:PerformancePlanOrReport"
ROOTS = {
    (PART1_NS, "StrategicPlan"): ("Part 1", "StrategicPlanISOVersion20140401.xsd"),
    (PART2_NS, "PerformancePlanOrReport"): ("Part 2", "PerformancePlanOrReport20160216.xsd"),
}

# StratML has one Goal element; our kinds of goal-like statements travel in it, and the kind
# in the goal's OtherInformation as this line (so an import gives each statement its kind back).
GOAL_KINDS = ("StrategicPriority", "Goal", "QualitativeGoal")
KIND_LINE = "Strategiaverkko kind: "
# Our own summaries (stv:summary) are marked where StratML has only a description, so no reader
# (and no import) takes them for the source's words.
SUMMARY_MARK = "[Strategiaverkon tiivistelmä, ei lähteen sanamuoto] "


@lru_cache(maxsize=2)
def schema(xsd_name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_DIR / xsd_name)))


def safe_parser() -> etree.XMLParser:
    """A parser for untrusted files: no entities expanded, no DTD or network fetched, no huge trees."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True)
class SchemaProblem:
    line: int
    message: str


def schema_problems(document: etree._ElementTree, xsd_name: str) -> list[SchemaProblem]:
    """Every way `document` breaks the XSD, each with its line."""
    xsd = schema(xsd_name)
    if xsd.validate(document):
        return []
    return [SchemaProblem(error.line, error.message) for error in xsd.error_log]
