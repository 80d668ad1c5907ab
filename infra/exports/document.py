"""The neutral report document every export renders: a title, the period it covers, and
sections made of tables, bar charts and paragraphs. Cells hold values, not formatted text,
so a spreadsheet keeps numbers as numbers and dates as dates."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Union

Cell = Union[str, int, float, date, datetime, None]


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    empty_text: str = "—"  # shown instead of an empty table


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class BarChart:
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""

    @property
    def largest(self) -> float:
        return max((v for s in self.series for v in s.values), default=0.0)


@dataclass(frozen=True)
class Paragraph:
    text: str


Block = Union[Table, BarChart, Paragraph]


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ReportDocument:
    title: str
    period: str
    generated_at: datetime
    sections: tuple[Section, ...]
    subtitle: str = ""          # e.g. the township's name
    lang: str = "zh"
    facts: tuple[tuple[str, str], ...] = field(default=())  # short label/value lines under the title
