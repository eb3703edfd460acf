"""Facts the build derives by rule from the asserted data, beside OWL RL: which version of a
strategy is current, and which parts of each strategy the graph records.

They go into the inferred graph, so a researcher can ask for them (`stv:versionStatus`,
`stv:recording`) and still tell them from what the sources state.
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import Node

from ..core.iris import Iris

# The parts of a strategy a recording can be about, and the fragment that names each.
ASPECTS = {
    "Vision": "vision",
    "Mission": "mission",
    "Value": "value",
    "StrategicPriority": "priority",
    "Goal": "goal",
}


def derive(asserted: Graph, iris: Iris) -> Graph:
    stv = Namespace(iris.vocab)
    derived = Graph()
    strategies = set(asserted.subjects(RDF.type, stv.Strategy))
    replaced = {old for new in strategies for old in asserted.objects(new, DCTERMS.replaces) if old in strategies}
    for strategy in strategies:
        status = stv.ReplacedVersion if strategy in replaced else stv.CurrentVersion
        derived.add((strategy, stv.versionStatus, status))

    # An aspect is recorded where the strategy has statements of the kind (a qualitative goal is a
    # goal) or a validity period, unless the data already says how it stands.
    present: dict[Node, set[URIRef]] = {s: set() for s in strategies}
    kinds = {stv[name]: stv[name] for name in ASPECTS} | {stv.QualitativeGoal: stv.Goal}
    for kind, aspect in kinds.items():
        for statement in asserted.subjects(RDF.type, kind):
            plan = asserted.value(statement, stv.partOfPlan)
            if plan is not None and plan in present:
                present[plan].add(aspect)
    for strategy in strategies:
        if asserted.value(strategy, DCTERMS.temporal) is not None:
            present[strategy].add(DCTERMS.PeriodOfTime)
    stated: dict[Node, set] = {}
    for strategy, recording in asserted.subject_objects(stv.recording):
        stated.setdefault(strategy, set()).add(asserted.value(recording, stv.aspect))
    for strategy, aspects in present.items():
        for aspect in aspects - stated.get(strategy, set()):
            name = ASPECTS.get(str(aspect).rsplit("#", 1)[-1], "period")
            recording = _recording_iri(iris, strategy, name)
            derived.add((strategy, stv.recording, recording))
            derived.add((recording, RDF.type, stv.Recording))
            derived.add((recording, stv.aspect, aspect))
            derived.add((recording, stv.recordingStatus, stv.Recorded))
    return derived


def _recording_iri(iris: Iris, strategy: Node, aspect: str) -> URIRef:
    """`…/id/recording/{strategy slug}-{aspect}`, beside the strategy's own IRI (so it dereferences
    like any thing of ours); a strategy IRI outside our pattern gets a fragment of its own instead."""
    local = iris.local_path(str(strategy)) or ""
    head, sep, slug = local.rpartition("/strategy/")
    if sep and head.startswith("id") and "/" not in slug:
        return URIRef(f"{iris.base}{head}/recording/{slug}-{aspect}")
    return URIRef(f"{strategy}#recording-{aspect}")
