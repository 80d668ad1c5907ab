"""`minqing roster import FILE`: read, validate with the domain, store a snapshot."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from infra.db import roster_repo
from models.roster import Roster


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


async def import_roster(engine: AsyncEngine, document: dict[str, Any], source: str, now: datetime) -> Roster:
    """Validate (RosterError lists every problem) and store; workers pick it up within seconds."""
    roster = Roster.from_contract(document)
    canonical = roster.to_contract()
    canonical.pop("whereabouts", None)  # whereabouts live in their own table
    async with engine.begin() as conn:
        await roster_repo.save_snapshot(conn, canonical, source, now)
    return roster
