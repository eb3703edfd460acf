"""The home page: what the dataset is, every area and whether its strategy is in the graph."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..context import current_build, iris, languages
from ..http.conditional import build_response
from ..i18n import UI
from ..presenters.coverage import coverage
from ..presenters.home import dataset_jsonld, organisations

bp = Blueprint("home", __name__)


@bp.route("/")
def home():
    langs = languages()
    build = current_build()

    def make() -> bytes:
        orgs = organisations(build, iris(), langs)
        covered = {a["iri"]: a for a in coverage(build, iris(), langs)}
        for o in orgs:
            o["coverage"] = covered.get(o["iri"])
        return render_template(
            "home.html",
            lang=langs[0],
            ui=UI[langs[0]],
            orgs=orgs,
            manifest=build.manifest,
            with_strategy=sum(1 for o in orgs if o["strategies"]),
            jsonld=dataset_jsonld(build.manifest, iris().base),
        ).encode("utf-8")

    return build_response(("home", tuple(langs)), make, "text/html; charset=utf-8", language=langs[0])
