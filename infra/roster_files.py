"""Roster files in CSV and XLSX, with the CONTRACT's columns (issue 5).

XLSX: one sheet per table — `units`, `cadres`, `in_charge` — each with a header row.
CSV (one file holds three tables): a first column `table` naming the table of each row, then
the union of the columns; cells that do not belong to the row's table stay empty.
List cells (`posts`, `responsibilities`) separate items with `;` (or `,` `|` `、`).
Both give the same document as the JSON form; the domain then validates it.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

TABLES = {
    "units": ("code", "name", "kind", "parent_code"),
    "cadres": ("cadre_id", "name", "phone", "unit_code", "posts", "responsibilities", "backup_cadre_id"),
    "in_charge": ("village_code", "cadre_id"),
}
_LISTS = ("posts", "responsibilities")
_OPTIONAL = ("parent_code", "backup_cadre_id")


class RosterFileProblem(ValueError):
    pass


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a division code typed into a spreadsheet comes back as a number
    return str(value).strip()


def _record(table: str, row: dict[str, Any], where: str) -> dict[str, Any]:
    missing = [c for c in TABLES[table] if c not in row and c not in _OPTIONAL + _LISTS]
    if missing:
        raise RosterFileProblem(f"{where}: the {table} table lacks column(s) {', '.join(missing)}")
    record: dict[str, Any] = {}
    for column in TABLES[table]:
        value = _cell(row.get(column))
        if column in _LISTS:
            record[column] = [item.strip() for item in re.split(r"[;,|、]", value) if item.strip()]
        else:
            record[column] = value or None if column in _OPTIONAL else value
    return record


def _document(rows: Iterable[tuple[str, dict[str, Any], str]]) -> dict[str, Any]:
    document: dict[str, Any] = {table: [] for table in TABLES}
    for table, row, where in rows:
        if table not in TABLES:
            raise RosterFileProblem(f"{where}: unknown table {table!r}; expected one of {', '.join(TABLES)}")
        if any(_cell(v) for v in row.values()):
            document[table].append(_record(table, row, where))
    return document


def read_csv(data: bytes, name: str = "roster.csv") -> dict[str, Any]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RosterFileProblem(f"{name}: not UTF-8 text: {error}") from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or reader.fieldnames[0].strip() != "table":
        raise RosterFileProblem(f"{name}: the first column must be `table` (units, cadres or in_charge)")
    return _document((_cell(row.pop("table")), {k.strip(): v for k, v in row.items() if k}, f"{name} line {n + 2}")
                     for n, row in enumerate(reader))


def read_xlsx(data: bytes, name: str = "roster.xlsx") -> dict[str, Any]:
    from openpyxl import load_workbook  # only an import of a spreadsheet pays for it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise RosterFileProblem(f"{name}: not a readable XLSX workbook: {error}") from None
    rows: list[tuple[str, dict[str, Any], str]] = []
    for sheet in book.worksheets:
        table = sheet.title.strip()
        values = list(sheet.iter_rows(values_only=True))
        if not values:
            continue
        header = [_cell(h) for h in values[0]]
        rows += [(table, dict(zip(header, line)), f"{name} sheet {table} row {n + 2}")
                 for n, line in enumerate(values[1:])]
    return _document(rows)


def write_xlsx(document: dict[str, Any]) -> bytes:
    """The inverse of `read_xlsx`, for templates and tests."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table, columns in TABLES.items():
        sheet = book.create_sheet(table)
        sheet.append(list(columns))
        for record in document.get(table, ()):
            sheet.append([";".join(v) if isinstance(v := record.get(c), list) else v for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_csv(document: dict[str, Any]) -> bytes:
    columns = ["table"] + list(dict.fromkeys(c for cs in TABLES.values() for c in cs))
    out = io.StringIO()
    writer = csv.DictWriter(out, columns)
    writer.writeheader()
    for table in TABLES:
        for record in document.get(table, ()):
            writer.writerow({"table": table, **{k: ";".join(v) if isinstance(v, list) else v
                                                for k, v in record.items() if k in columns}})
    return out.getvalue().encode("utf-8")


def read_roster_bytes(data: bytes, name: str) -> dict[str, Any]:
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "csv":
        return read_csv(data, name)
    if suffix == "xlsx":
        return read_xlsx(data, name)
    raise RosterFileProblem(f"{name}: a roster file is .json, .csv or .xlsx")
