"""/search?q=: find resources whose label or text contains the words (the 404 page links here)."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, render_template, request
from rdflib.namespace import SKOS

from ...store.base import to_rdflib
from ..context import current_build, iris, languages
from ..i18n import pick_label
from ..presenters import queries

bp = Blueprint("search", __name__)
MAX_HITS = 100


@bp.route("/search")
def search():
    q = (request.args.get("q") or "").strip()[:200]
    hits = []
    if q:
        # The words reach the query as a literal term, never as query text.
        rows = current_build().store.query(
            queries.SEARCH, bind={"needle": ox.Literal(q.lower()), "idspace": ox.Literal(iris().base + "id/")}
        )
        by_node: dict = {}
        for row in rows:
            by_node.setdefault(row["s"].value, []).append(to_rdflib(row["label"]))
        for iri, labels in by_node.items():
            label = pick_label({SKOS.prefLabel: labels}, languages())
            hits.append({"href": iris().browse_path(iri), "label": str(label), "lang": label.language, "iri": iri})
        hits.sort(key=lambda h: h["label"].lower())
    return render_template("search.html", q=q, hits=hits[:MAX_HITS], more=len(hits) > MAX_HITS)
