"""`minqing roster import FILE`: read the file (JSON, CSV or XLSX) into the CONTRACT document;
the `ImportRoster` use case validates and stores it."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class RosterFileError(ValueError):
    pass


def read_roster_file(path: Path) -> dict[str, Any]:
    if path.suffix.lower() in (".csv", ".xlsx"):
        from infra.roster_files import RosterFileProblem, read_roster_bytes

        try:
            return read_roster_bytes(path.read_bytes(), str(path))
        except OSError as error:
            raise RosterFileError(f"{path}: cannot read: {error}") from None
        except RosterFileProblem as error:
            raise RosterFileError(str(error)) from None
    if path.suffix.lower() != ".json":
        raise RosterFileError(f"{path}: a roster file is .json, .csv or .xlsx (got {path.suffix or 'no suffix'})")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise RosterFileError(f"{path}: cannot read: {error}") from None
    except json.JSONDecodeError as error:
        raise RosterFileError(f"{path}: not valid JSON: {error}") from None
    if not isinstance(document, dict):
        raise RosterFileError(f"{path}: expected an object with units, cadres and in_charge")
    return document
