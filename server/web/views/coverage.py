"""/coverage: per area of the classification, whether a strategy is in the graph (see
presenters.coverage)."""

from __future__ import annotations

from flask import Blueprint, render_template

from ...query.canned import canned
from ..context import current_build, iris, languages
from ..http.conditional import build_response
from ..i18n import UI
from ..presenters.coverage import coverage

bp = Blueprint("coverage", __name__)


@bp.route("/coverage")
def coverage_page():
    langs = languages()
    build = current_build()

    def make() -> bytes:
        areas = coverage(build, iris(), langs)
        return render_template(
            "coverage.html",
            lang=langs[0],
            ui=UI[langs[0]],
            areas=areas,
            with_strategy=sum(1 for a in areas if a["strategies"]),
            without=[a for a in areas if not a["strategies"]],
            query=canned("30_counties_strategy_coverage"),
        ).encode("utf-8")

    return build_response(("coverage", tuple(langs)), make, "text/html; charset=utf-8", language=langs[0])
