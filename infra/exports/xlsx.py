"""The report as an Excel workbook: a cover sheet with the title and period, then one sheet
per section. Tables keep numbers as numbers and times as Beijing times; each bar chart is
written as its small data table with a native Excel bar chart over it, so the figures stay
editable and the chart follows them."""
from __future__ import annotations

import io
import re
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.chart import BarChart as XlBarChart
from openpyxl.chart import Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from infra.exports.document import BarChart, Cell, Paragraph, ReportDocument, Section, Table
from models import workcalendar as wc

HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
CHART_ROWS = 16  # rows a chart covers below its data


def render_xlsx(doc: ReportDocument) -> bytes:
    book = Workbook()
    cover = book.active
    cover.title = _sheet_name(doc.title, set())
    _cover(cover, doc)
    names = {cover.title}
    for section in doc.sections:
        sheet = book.create_sheet(_sheet_name(section.heading, names))
        names.add(sheet.title)
        _section(sheet, section)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cover(sheet: Worksheet, doc: ReportDocument) -> None:
    sheet["A1"] = doc.title
    sheet["A1"].font = TITLE
    lines = [line for line in (doc.subtitle, doc.period, _local(doc.generated_at)) if line]
    for row, text in enumerate(lines, start=2):
        sheet.cell(row=row, column=1, value=text)
    for row, (label, value) in enumerate(doc.facts, start=len(lines) + 3):
        sheet.cell(row=row, column=1, value=label).font = BOLD
        sheet.cell(row=row, column=2, value=_cell(value))
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 40


def _section(sheet: Worksheet, section: Section) -> None:
    sheet["A1"] = section.heading
    sheet["A1"].font = TITLE
    row, widths = 3, dict[int, float]()
    for block in section.blocks:
        if isinstance(block, Table):
            row = _table(sheet, block, row, widths)
        elif isinstance(block, BarChart):
            row = _chart(sheet, block, row, widths)
        elif isinstance(block, Paragraph):
            sheet.cell(row=row, column=1, value=block.text).alignment = Alignment(wrap_text=False)
            row += 2
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(60, max(8, width + 2))


def _table(sheet: Worksheet, table: Table, row: int, widths: dict[int, float]) -> int:
    sheet.cell(row=row, column=1, value=table.title).font = BOLD
    row += 1
    for col, name in enumerate(table.columns, start=1):
        cell = sheet.cell(row=row, column=col, value=name)
        cell.font, cell.fill = BOLD, HEADER_FILL
        _widen(widths, col, name)
    if not table.rows:
        sheet.cell(row=row + 1, column=1, value=table.empty_text)
        return row + 3
    for values in table.rows:
        row += 1
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col, value=_cell(value))
            if isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            _widen(widths, col, value)
    return row + 2


def _chart(sheet: Worksheet, chart: BarChart, row: int, widths: dict[int, float]) -> int:
    data = Table(chart.title, ("", *(s.name for s in chart.series)),
                 tuple((c, *(s.values[i] for s in chart.series)) for i, c in enumerate(chart.categories)))
    first = row + 1
    end = _table(sheet, data, row, widths)
    if not chart.categories:
        return end
    bars = XlBarChart()
    bars.type, bars.title, bars.style = "bar", chart.title, 10
    bars.y_axis.title = chart.unit or None
    last = first + len(chart.categories)
    bars.add_data(Reference(sheet, min_col=2, max_col=1 + len(chart.series), min_row=first, max_row=last),
                  titles_from_data=True)
    bars.set_categories(Reference(sheet, min_col=1, min_row=first + 1, max_row=last))
    bars.height, bars.width = max(6.0, 0.6 * len(chart.categories) * len(chart.series) + 3), 18.0
    sheet.add_chart(bars, f"{get_column_letter(len(chart.series) + 3)}{first}")
    return max(end, first + CHART_ROWS)


def _cell(value: Cell) -> Cell:
    """Excel has no time zones: times are written as Beijing wall-clock times."""
    if isinstance(value, datetime):
        return wc.to_local(value).replace(tzinfo=None) if value.tzinfo else value
    return value


def _local(moment: datetime) -> str:
    return wc.to_local(moment).strftime("%Y-%m-%d %H:%M")


def _widen(widths: dict[int, float], column: int, value: Cell) -> None:
    text = "" if value is None else (value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else str(value))
    wide = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
    widths[column] = max(widths.get(column, 0), wide)


def _sheet_name(title: str, taken: set[str]) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name, each name once."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:28] or "Sheet"
    name, n = base, 2
    while name in taken:
        name, n = f"{base[:26]}-{n}", n + 1
    return name
