"""An SVG picture of a strategy's structure, made on the server so it reads without JavaScript.

The picture repeats the lists above it, so it is one image to assistive technology (no links
inside: a link in an image is a control nobody can name, and a second tab stop for each
statement). Texts wrap in full: a box grows rather than cutting a goal mid-sentence."""

from __future__ import annotations

import textwrap

from markupsafe import Markup, escape

BOX_W, GAP, PAD, LINE_H = 210, 14, 10, 16
ROW_COLOURS = {
    "vision": "#e3f0fb",
    "mission": "#e3f0fb",
    "value": "#eaf6ea",
    "priority": "#fff3dd",
    "goal": "#fff3dd",
    "programme": "#f1ecf8",
}


def _box(x: int, y: int, w: int, title: str, text: str, kind: str, lang: str | None) -> tuple[str, int]:
    chars = max(12, (w - 2 * PAD) // 8)
    title_lines = textwrap.wrap(title, chars)
    body_lines = textwrap.wrap(text, chars) if text else []
    lines = [(line, bool(text)) for line in title_lines] + [(line, False) for line in body_lines]
    h = PAD * 2 + LINE_H * max(1, len(lines))
    bold = ' font-weight="bold"'
    spans = "".join(
        f'<tspan x="{x + PAD}" dy="{LINE_H if i else 0}"{bold if strong else ""}>{escape(line)}</tspan>'
        for i, (line, strong) in enumerate(lines)
    )
    lang_attr = f' lang="{escape(lang)}"' if lang else ""
    rect = (
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="{ROW_COLOURS.get(kind, "#f4f4f4")}" '
        f'stroke="#8a97a6"/><text x="{x + PAD}" y="{y + PAD + 12}" font-size="13"{lang_attr}>{spans}</text>'
    )
    return rect, h


def strategy_svg(
    title: tuple[str, str | None], rows: list[tuple[str, list[tuple[str, str, str | None]]]], label: str
) -> Markup:
    """title: (text, language); rows: [(row heading, [(title, text, language)])] drawn top to bottom
    under the strategy's title. The language marks verbatim Finnish on a Swedish or English page."""
    columns = max([len(items) for _, items in rows] + [1])
    width = max(columns * (BOX_W + GAP) + GAP, 2 * (BOX_W + GAP) + GAP)
    parts, y = [], GAP
    head, h = _box(GAP, y, width - 2 * GAP, title[0], "", "strategy", title[1])
    parts.append(head)
    y += h + GAP
    for heading, items in rows:
        if not items:
            continue
        parts.append(
            f'<text x="{GAP}" y="{y + 12}" font-size="13" font-weight="bold" fill="#1d2733">{escape(heading)}</text>'
        )
        y += 20
        heights = []
        for i, (item_title, text, lang) in enumerate(items):
            kind = heading_kind(heading)
            box, h = _box(GAP + i * (BOX_W + GAP), y, BOX_W, item_title, text, kind, lang)
            parts.append(box)
            heights.append(h)
        y += max(heights) + GAP
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" '
        f'viewBox="0 0 {width} {y}" width="{width}" height="{y}" font-family="system-ui, sans-serif">'
        f"<title>{escape(label)}</title>{''.join(parts)}</svg>"
    )
    return Markup(svg)


def heading_kind(heading: str) -> str:
    lowered = heading.lower()
    for kind, words in (
        ("vision", ("visio",)),
        ("mission", ("missio",)),
        ("value", ("arvo", "value", "värde")),
        ("priority", ("kärj", "priorit")),
        ("goal", ("tavoit", "goal", "mål")),
        ("programme", ("ohjelm", "programme", "program")),
    ):
        if any(w in lowered for w in words):
            return kind
    return "other"
