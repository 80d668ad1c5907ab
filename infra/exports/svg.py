"""Bar charts as plain SVG: horizontal bars, because Chinese category and village names read
better beside a bar than slanted under it. The same SVG goes into the PDF and a web page."""
from __future__ import annotations

import unicodedata
from xml.sax.saxutils import escape

from infra.exports.document import BarChart

PALETTE = ("#b03a2e", "#2e6f9e", "#d68910", "#1e8449", "#7d3c98")
FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', sans-serif"
FONT_SIZE = 12
BAR, GAP = 14, 8
MAX_LABEL = 14  # characters; longer labels end in "…"


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """Wide (CJK) characters take a full em, others about half."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def bar_chart_svg(chart: BarChart, width: int = 640) -> str:
    labels = [_short(c) for c in chart.categories]
    label_w = min(width * 0.4, max((text_width(t) for t in labels), default=0) + 12)
    legend_h = 20 if len(chart.series) > 1 else 0
    top = 26 + legend_h
    group = len(chart.series) * BAR + GAP
    height = top + max(1, len(labels)) * group + 8
    plot = width - label_w - 56
    scale = plot / chart.largest if chart.largest > 0 else 0.0
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(chart.title, _QUOTE)}" '
           f'font-family="{FONT}" font-size="{FONT_SIZE}">',
           f'<title>{escape(chart.title)}</title>',
           f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(chart.title)}</text>']
    out += _legend(chart, 26) if legend_h else []
    for i, label in enumerate(labels):
        y0 = top + i * group
        out.append(f'<text x="{label_w - 8:.1f}" y="{y0 + len(chart.series) * BAR / 2 + 4:.1f}" '
                   f'text-anchor="end">{escape(label)}</text>')
        for j, series in enumerate(chart.series):
            value = series.values[i] if i < len(series.values) else 0
            y, w = y0 + j * BAR, max(0.0, value * scale)
            out.append(f'<rect x="{label_w:.1f}" y="{y:.1f}" width="{w:.1f}" height="{BAR - 2}" '
                       f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(series.name)}: {_num(value)}</title></rect>')
            out.append(f'<text x="{label_w + w + 4:.1f}" y="{y + BAR - 4:.1f}" font-size="11">'
                       f'{_num(value)}{escape(chart.unit)}</text>')
    out.append(f'<line x1="{label_w:.1f}" y1="{top - 2}" x2="{label_w:.1f}" y2="{height - 6}" stroke="#555"/>')
    out.append("</svg>")
    return "".join(out)


def _legend(chart: BarChart, y: int) -> list[str]:
    parts, x = [], 0.0
    for j, series in enumerate(chart.series):
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="10" height="10" fill="{PALETTE[j % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + 14:.1f}" y="{y + 9}" font-size="11">{escape(series.name)}</text>')
        x += 24 + text_width(series.name, 11)
    return parts


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1] + "…"


def _num(value: float) -> str:
    return f"{round(value, 2):g}" if isinstance(value, float) else str(value)


_QUOTE = {'"': "&quot;"}
