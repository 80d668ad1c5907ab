"""The report as a printable PDF: the document becomes an HTML page (charts as inline SVG),
which WeasyPrint lays out on A4 with a CJK font from Debian (fonts-noto-cjk).

WeasyPrint rather than printing from headless Chromium: it runs inside the API process,
needs no browser at run time and gives the same pages on every machine; it needs Pango,
which `.ci/run` installs with the font. It is imported on first use (it takes most of a
second to load), so the API starts as fast as before.
"""
from __future__ import annotations

from datetime import date, datetime
from html import escape

from infra.exports.document import BarChart, Cell, Paragraph, ReportDocument, Table
from infra.exports.svg import FONT, bar_chart_svg
from models import workcalendar as wc

CSS = f"""
@page {{ size: A4; margin: 16mm 14mm 18mm 14mm;
        @bottom-center {{ content: counter(page) " / " counter(pages); font-size: 9pt; color: #555; }} }}
body {{ font-family: {FONT}; font-size: 10pt; color: #111; }}
h1 {{ font-size: 17pt; margin: 0 0 2mm 0; }}
h2 {{ font-size: 13pt; margin: 7mm 0 2mm 0; border-bottom: 1px solid #999; break-after: avoid; }}
h3 {{ font-size: 10.5pt; margin: 4mm 0 1.5mm 0; break-after: avoid; }}
.meta {{ color: #444; margin: 0 0 1mm 0; }}
dl.facts {{ display: grid; grid-template-columns: max-content auto; gap: 1mm 5mm; margin: 3mm 0; }}
dl.facts dt {{ font-weight: bold; }} dl.facts dd {{ margin: 0; }}
table {{ border-collapse: collapse; width: 100%; margin: 0 0 3mm 0; }}
th, td {{ border: 0.5pt solid #999; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }}
th {{ background: #dde4ee; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
tr {{ break-inside: avoid; }}
figure {{ margin: 2mm 0 4mm 0; break-inside: avoid; }}
svg {{ max-width: 100%; height: auto; }}
.empty {{ color: #666; }}
table.wide {{ font-size: 8pt; }} table.wide th, table.wide td {{ padding: 0.6mm 0.8mm; }}
"""


def html_of(doc: ReportDocument) -> str:
    """The printable page, also usable as is in a browser."""
    parts = [f'<!DOCTYPE html><html lang="{"zh-CN" if doc.lang == "zh" else "en"}"><head><meta charset="utf-8">',
             f"<title>{escape(doc.title)}</title><style>{CSS}</style></head><body>",
             f"<h1>{escape(doc.title)}</h1>"]
    meta = (doc.subtitle, doc.period, _text(doc.generated_at))
    parts += [f'<p class="meta">{escape(line)}</p>' for line in meta if line]
    if doc.facts:
        parts.append('<dl class="facts">' + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in doc.facts)
                     + "</dl>")
    for section in doc.sections:
        parts.append(f"<section><h2>{escape(section.heading)}</h2>")
        for block in section.blocks:
            if isinstance(block, Table):
                parts.append(_table(block, repeat_title=block.title != section.heading))
            elif isinstance(block, BarChart):
                parts.append(f"<figure>{bar_chart_svg(block)}</figure>" if block.categories else "")
            elif isinstance(block, Paragraph):
                parts.append(f"<p>{escape(block.text)}</p>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts)


def render_pdf(doc: ReportDocument) -> bytes:
    from weasyprint import HTML  # heavy: loaded on the first PDF

    return HTML(string=html_of(doc)).write_pdf()  # type: ignore[no-any-return]


def _table(table: Table, repeat_title: bool = True) -> str:
    title = f"<h3>{escape(table.title)}</h3>" if repeat_title else ""
    if not table.rows:
        return f'{title}<p class="empty">{escape(table.empty_text)}</p>'
    head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
    body = "".join("<tr>" + "".join(_td(v) for v in row) + "</tr>" for row in table.rows)
    wide = ' class="wide"' if len(table.columns) > 8 else ""
    return f"{title}<table{wide}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _td(value: Cell) -> str:
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    return f'<td class="num">{escape(_text(value))}</td>' if numeric else f"<td>{escape(_text(value))}</td>"


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return wc.to_local(value).strftime("%Y-%m-%d %H:%M") if value.tzinfo else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{round(value, 2):g}"
    return str(value)
