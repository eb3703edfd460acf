"""The heat map of themes by organisation: its shades and legend (shared by the page's HTML table and
the SVG download), and the SVG itself, made on the server so it reads without JavaScript.

Rows are themes (narrower ones indented under their broader theme), columns organisations,
and each cell shows how many statements of the organisation address the theme, as a number
and as one of LEVELS shades (the legend says which numbers each shade stands for); every cell
links to the matching cell of the comparison table. The page's colours are the classes
heat-1 … heat-5 of static/compare.css, which must use PALETTE (a test compares them).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from markupsafe import Markup, escape

LABEL_W, CELL_W, CELL_H, HEAD_LINE_H, PAD, INDENT = 330, 132, 30, 15, 8, 16
# Light to dark blue, one shade a level; dark text on the light ones, white on the dark ones (each
# pair has a contrast of at least 4.5:1, WCAG 2.1 AA).
PALETTE = ("#ffffff", "#dbe8f5", "#a9c9e8", "#6fa3d4", "#2f6fae", "#0b4f8c")
INK = ("#1d2733", "#1d2733", "#1d2733", "#1d2733", "#ffffff", "#ffffff")
LEVELS = len(PALETTE) - 1
EMPTY = PALETTE[0]


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


def level(count: int, highest: int) -> int:
    """0 for no statement; else 1 … LEVELS, the share of the highest count rounded up to a fifth, so
    even one statement gets a visible tint and the most-addressed cells the full colour."""
    if count <= 0 or highest <= 0:
        return 0
    return min(LEVELS, max(1, -(-LEVELS * count // highest)))


def shade(count: int, highest: int) -> str:
    return PALETTE[level(count, highest)]


@dataclass(frozen=True)
class LegendEntry:
    level: int
    low: int  # the fewest and the most statements a cell of this shade has
    high: int

    @property
    def text(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


def legend(highest: int) -> list[LegendEntry]:
    """The shades in use for counts 1 … highest, each with the counts it stands for (level 0: none)."""
    entries = [LegendEntry(0, 0, 0)]
    for k in range(1, LEVELS + 1):
        low, high = (k - 1) * highest // LEVELS + 1, k * highest // LEVELS
        if low <= high:
            entries.append(LegendEntry(k, low, high))
    return entries


def heatmap_svg(
    rows: list[HeatRow],
    columns: list[HeatColumn],
    title: str,
    cell_title: str,
    corner: str = "",
    cell_title_one: str | None = None,
) -> Markup:
    """`cell_title` is a format string with {theme}, {organisation} and {count}; `cell_title_one`
    the same for a count of one (a language's singular), if it differs."""
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
            ink = INK[level(count, highest)]
            tip = (cell_title_one if count == 1 and cell_title_one else cell_title).format(
                theme=row.label, organisation=columns[j].label, count=count
            )
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
