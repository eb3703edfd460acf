"""/search?q=: find resources whose label or text contains the words (the 404 page links here)."""
from __future__ import annotations

import json

from flask import Blueprint, render_template, request

from .i18n import pick_label
from .pages import iris, languages, state
from .store import to_rdflib

bp = Blueprint("search", __name__)
MAX_HITS = 100


@bp.route("/search")
def search():
    q = (request.args.get("q") or "").strip()[:200]
    hits = []
    if q:
        # The words go into the query as a JSON string literal: quotes and backslashes are escaped.
        needle = json.dumps(q.lower(), ensure_ascii=False)
        rows = state().current().store.query(f"""
            SELECT DISTINCT ?s ?label WHERE {{
              ?s <http://www.w3.org/2004/02/skos/core#prefLabel>|<http://www.w3.org/2000/01/rdf-schema#label> ?label .
              {{ ?s ?p ?text FILTER(isLiteral(?text) && CONTAINS(LCASE(STR(?text)), {needle})) }}
              FILTER(STRSTARTS(STR(?s), "{iris().base}id/"))
            }} LIMIT 1000""")
        by_node: dict = {}
        for row in rows:
            by_node.setdefault(row["s"].value, []).append(to_rdflib(row["label"]))
        from rdflib.namespace import SKOS
        for iri, labels in by_node.items():
            label = pick_label({SKOS.prefLabel: labels}, languages())
            hits.append({"href": iris().browse_path(iri), "label": str(label), "lang": label.language, "iri": iri})
        hits.sort(key=lambda h: h["label"].lower())
    return render_template("search.html", q=q, hits=hits[:MAX_HITS], more=len(hits) > MAX_HITS)
