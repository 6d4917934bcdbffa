"""Charts drawn on the server as SVG: horizontal bars, grouped or stacked, each labelled with its value.

They read in greyscale and in print: series differ by fill *and* pattern (solid, hatched, outlined), stacked
levels by a light-to-dark ramp in ladder order, every bar carries its number, and the SVG is an image named by
its title and described by its text summary. The same numbers are always in a table beside it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

INK = "#0b0c0c"
SERIES_FILLS = (INK, "url(#{id}-hatch)", "#ffffff")
RAMP = ("#ffffff", "#dddcdb", "#b1b4b6", "#7b8185", "#4a4f52", INK)
LABEL_WIDTH, PLOT_WIDTH, VALUE_WIDTH = 190, 400, 90
BAR, GAP = 18, 12


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    summary: str
    series: tuple[str, ...]
    bars: Sequence[Bar]
    show: Callable[[float], str]
    stacked: bool = False
    maximum: float | None = None


def _fill(chart: Chart, index: int) -> str:
    palette = RAMP[-len(chart.series):] if chart.stacked else SERIES_FILLS
    return palette[index % len(palette)].format(id=chart.chart_id)


def _row_height(chart: Chart) -> int:
    return BAR + GAP if chart.stacked else BAR * len(chart.series) + GAP


def _scale(chart: Chart) -> float:
    totals = [sum(bar.values) if chart.stacked else max(bar.values, default=0) for bar in chart.bars]
    return chart.maximum or max(totals, default=0) or 1


def _rect(x: float, y: float, width: float, fill: str) -> str:
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{BAR}" fill="{fill}" '
            f'stroke="{INK}" stroke-width="1"/>')


def _text(x: float, y: float, words: str, anchor: str = "start") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" dominant-baseline="middle">{escape(words)}</text>'


def _row(chart: Chart, bar: Bar, top: float, scale: float) -> list[str]:
    parts = [_text(LABEL_WIDTH - 8, top + _row_height(chart) / 2 - GAP / 2, bar.label, "end")]
    if chart.stacked:
        x = float(LABEL_WIDTH)
        for index, value in enumerate(bar.values):
            width = value / scale * PLOT_WIDTH
            parts.append(_rect(x, top, width, _fill(chart, index)))
            x += width
        return [*parts, _text(x + 6, top + BAR / 2, chart.show(sum(bar.values)))]
    for index, value in enumerate(bar.values):
        y, width = top + index * BAR, value / scale * PLOT_WIDTH
        parts += [_rect(LABEL_WIDTH, y, width, _fill(chart, index)),
                  _text(LABEL_WIDTH + width + 6, y + BAR / 2, chart.show(value))]
    return parts


def _legend(chart: Chart) -> tuple[list[str], int]:
    """The key, wrapped onto as many lines as it needs, and its height."""
    if len(chart.series) < 2:
        return [], 0
    parts, x, y = [], 0.0, 4.0
    for index, name in enumerate(chart.series):
        size = 30 + 8 * len(name)
        if x and x + size > LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH:
            x, y = 0.0, y + 22
        parts += [f'<rect x="{x:.1f}" y="{y:.1f}" width="14" height="14" fill="{_fill(chart, index)}" '
                  f'stroke="{INK}"/>', _text(x + 20, y + 7, name)]
        x += size
    return parts, int(y) + 26


def render(chart: Chart) -> Markup:
    scale, height = _scale(chart), _row_height(chart)
    body, legend_rows = _legend(chart)
    total = legend_rows + height * len(chart.bars) + 10
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    for n, bar in enumerate(chart.bars):
        body += _row(chart, bar, legend_rows + n * height, scale)
    cid = escape(chart.chart_id)
    hatch = (f'<defs><pattern id="{cid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
             f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
             f'<line x1="0" y1="0" x2="0" y2="6" stroke="{INK}" stroke-width="3"/></pattern></defs>')
    return Markup(
        f'<svg class="coprod-chart" role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'viewBox="0 0 {width} {total}" width="{width}" height="{total}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{cid}-title">{escape(chart.title)}</title><desc id="{cid}-desc">{escape(chart.summary)}</desc>'
        f'{hatch}{"".join(body)}</svg>'
    )
