"""An SVG heat map of themes by organisation, made on the server so it reads without JavaScript.

Rows are themes (narrower ones indented under their broader theme), columns organisations,
and each cell shows how many statements of the organisation address the theme, as a number
and as a shade; every cell links to the matching cell of the comparison table.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from markupsafe import Markup, escape

LABEL_W, CELL_W, CELL_H, HEAD_LINE_H, PAD, INDENT = 330, 132, 30, 15, 8, 16
# Light to dark blue; white text on the darker half.
LOW, HIGH = (0xF2, 0xF6, 0xFB), (0x0B, 0x4F, 0x8C)
EMPTY = "#ffffff"


@dataclass(frozen=True)
class HeatRow:
    label: str
    lang: str | None
    depth: int  # 0 for a top theme, 1 for a narrower one …
    counts: list[int]  # one per column
    anchors: list[str]  # link target of each cell


@dataclass(frozen=True)
class HeatColumn:
    label: str
    lang: str | None


def shade(count: int, highest: int) -> str:
    if count <= 0 or highest <= 0:
        return EMPTY
    # Even one statement gets a visible tint; the most-addressed cell gets the full colour.
    share = 0.2 + 0.8 * (count / highest)
    return "#" + "".join(f"{round(lo + (hi - lo) * share):02x}" for lo, hi in zip(LOW, HIGH))


def heatmap_svg(
    rows: list[HeatRow], columns: list[HeatColumn], title: str, cell_title: str, corner: str = ""
) -> Markup:
    """`cell_title` is a format string with {theme}, {organisation} and {count}."""
    head_lines = [textwrap.wrap(c.label, 17)[:4] or [""] for c in columns]
    head_h = PAD * 2 + HEAD_LINE_H * max([len(lines) for lines in head_lines] + [1])
    width = LABEL_W + CELL_W * max(len(columns), 1) + PAD
    height = head_h + CELL_H * len(rows) + PAD
    highest = max([n for r in rows for n in r.counts] + [0])
    parts = []
    if corner:
        parts.append(f'<text x="{PAD}" y="{head_h - PAD}" font-size="12" fill="#5b6775">{escape(corner)}</text>')
    for j, (column, lines) in enumerate(zip(columns, head_lines)):
        x = LABEL_W + j * CELL_W + CELL_W / 2
        lang = f' lang="{escape(column.lang)}"' if column.lang else ""
        spans = "".join(
            f'<tspan x="{x}" dy="{HEAD_LINE_H if i else 0}">{escape(line)}</tspan>' for i, line in enumerate(lines)
        )
        top = head_h - PAD - HEAD_LINE_H * (len(lines) - 1)
        parts.append(
            f'<text x="{x}" y="{top}" font-size="12" font-weight="bold" text-anchor="middle"{lang}>{spans}</text>'
        )
    for i, row in enumerate(rows):
        y = head_h + i * CELL_H
        lang = f' lang="{escape(row.lang)}"' if row.lang else ""
        label = row.label if len(row.label) <= 46 else row.label[:45].rstrip() + "…"
        weight = ' font-weight="bold"' if row.depth == 0 else ""
        parts.append(
            f'<text x="{PAD + INDENT * row.depth}" y="{y + CELL_H / 2 + 4}" font-size="13"{weight}{lang}>'
            f"{escape(label)}</text>"
        )
        for j, (count, anchor) in enumerate(zip(row.counts, row.anchors)):
            x = LABEL_W + j * CELL_W
            fill = shade(count, highest)
            ink = "#ffffff" if count and count / max(highest, 1) > 0.5 else "#1d2733"
            tip = cell_title.format(theme=row.label, organisation=columns[j].label, count=count)
            cell = (
                f'<rect x="{x + 1}" y="{y + 1}" width="{CELL_W - 2}" height="{CELL_H - 2}" fill="{fill}" '
                f'stroke="#d9dee4"><title>{escape(tip)}</title></rect>'
                f'<text x="{x + CELL_W / 2}" y="{y + CELL_H / 2 + 5}" font-size="14" text-anchor="middle" '
                f'fill="{ink}">{count if count else "·"}</text>'
            )
            parts.append(f'<a href="{escape(anchor)}" class="heat-cell" data-count="{count}">{cell}</a>')
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="system-ui, sans-serif">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )
    return Markup(svg)
