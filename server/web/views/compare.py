"""/compare: organisations side by side by strategic theme, as HTML, CSV, JSON and SVG (see
presenters.compare for what is shown and where it comes from)."""

from __future__ import annotations

import functools
import json
from urllib.parse import quote, urlencode

from flask import Blueprint, render_template, request

from ..context import NotFound, current_build, iris, languages
from ..http.conditional import build_response
from ..i18n import UI
from ..presenters.compare import (
    FORMATS,
    MATRIX_QUERY,
    SHARED_QUERY,
    BadCompareRequest,
    classification_activity,
    csv_body,
    heatmap,
    matrix,
    matrix_json,
    pick_pair,
    query_text,
    shared,
    shared_json,
)
from ..presenters.heatmap import legend, level

bp = Blueprint("compare", __name__)


def _params(**overrides) -> str:
    """This request's query string with some parameters replaced (None drops one)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in overrides and k != "format"]
    for k, v in overrides.items():
        if v is None:
            continue
        args += [(k, x) for x in v] if isinstance(v, list) else [(k, v)]
    return ("?" + urlencode(args)) if args else ""


def _download_headers(fmt: str, filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'{FORMATS[fmt][1]}; filename="{filename}.{fmt}"'}


def _request_state():
    lang = languages()[0]
    build = current_build()
    m = matrix(build, iris(), lang, request.args.getlist("kind"), request.args.getlist("org"))
    return lang, build, m


@bp.route("/compare")
@bp.route("/compare.<ext>")
def compare(ext: str | None = None):
    fmt = ext or request.args.get("format") or "html"
    if fmt not in ("html", *FORMATS):
        raise NotFound(f"/compare comes as HTML, .csv, .json or .svg, not {fmt!r}.")
    if fmt == "html":
        # The page is keyed by what was asked, not by the matrix: a worker that finds the page
        # rendered (by itself or another worker) does not compute the matrix for it (1.3 s for a
        # language not yet asked, at 1M triples). A bad ?kind= or ?org= still gets its 400 from make().
        lang = languages()[0]
        asked: tuple = (tuple(request.args.getlist("kind")), tuple(request.args.getlist("org")))
        state = functools.cache(_request_state)
    else:
        lang, build, m = _request_state()
        asked = (tuple(m.selected), tuple(m.chosen))
        state = functools.cache(lambda: (lang, build, m))
    key = ("compare", lang, fmt, *asked, request.args.get("a"), request.args.get("b"), request.args.get("lang"))

    def make() -> bytes:
        _, build, m = state()
        ui = UI[lang]
        if fmt == "csv":
            return csv_body(m.rows)
        if fmt == "json":
            return json.dumps(
                matrix_json(m, query_text(MATRIX_QUERY, iris(), lang), iris()), ensure_ascii=False, indent=1
            ).encode("utf-8")
        if fmt == "svg":
            return heatmap(m, ui, "/compare" + _params()).encode("utf-8")
        pair = pick_pair(m, request.args.get("a"), request.args.get("b"))
        pair_view = shared(build, iris(), m, *pair) if pair else None
        matrix_query = query_text(MATRIX_QUERY, iris(), lang)
        shared_query = query_text(SHARED_QUERY, iris(), lang, (pair[0].iri, pair[1].iri)) if pair else None
        return render_template(
            "compare.html",
            lang=lang,
            ui=ui,
            m=m,
            shared=pair_view,
            highest=m.highest,
            legend=legend(m.highest),
            heat_level=level,
            curated_graph=iris().graph("curated"),
            activity=classification_activity(build, iris()),
            matrix_sparql="/sparql?query=" + quote(matrix_query),
            shared_sparql="/sparql?query=" + quote(shared_query) if shared_query else None,
            params=_params,
            lang_param=request.args.get("lang"),
        ).encode("utf-8")

    if fmt != "html":
        m = state()[2]
        filename = "strategiaverkko-themes-by-organisation" + (f"-{'-'.join(m.selected)}" if m.selected else "")
        return build_response(
            key, make, FORMATS[fmt][0], language=lang, headers=_download_headers(fmt, f"{filename}-{lang}")
        )
    links = ", ".join(
        f'</compare.{f}{_params()}>; rel="alternate"; type="{FORMATS[f][0].split(";")[0]}"' for f in FORMATS
    )
    return build_response(key, make, "text/html; charset=utf-8", language=lang, headers={"Link": links})


@bp.route("/compare/shared.<ext>")
def compare_shared(ext: str):
    if ext not in ("csv", "json"):
        raise NotFound(f"The shared themes come as .csv or .json, not .{ext}.")
    lang, build, m = _request_state()
    pair = pick_pair(m, request.args.get("a"), request.args.get("b"))
    if pair is None:
        raise BadCompareRequest("There are fewer than two organisations with themes to compare.")
    a, b = pair

    def make() -> bytes:
        s = shared(build, iris(), m, a, b)
        if ext == "csv":
            return csv_body(s.rows)
        return json.dumps(
            shared_json(s, m, query_text(SHARED_QUERY, iris(), lang, (a.iri, b.iri)), iris()),
            ensure_ascii=False,
            indent=1,
        ).encode("utf-8")

    filename = f"strategiaverkko-shared-themes-{a.slug}-{b.slug}" + (f"-{'-'.join(m.selected)}" if m.selected else "")
    return build_response(
        ("compare-shared", lang, ext, tuple(m.selected), a.slug, b.slug),
        make,
        FORMATS[ext][0],
        language=lang,
        headers=_download_headers(ext, f"{filename}-{lang}"),
    )
