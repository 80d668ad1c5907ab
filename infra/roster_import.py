"""`minqing roster import FILE`: read, validate with the domain, store a snapshot.

An import is audited. Cadres it removes lose their logins and tokens at once, and the first
roster that is not the demo township's removes the demo logins (whose password is public)."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from infra.auth.logins import remove_logins
from infra.db import audit, roster_repo
from infra.tokens import Principal, revoke_tokens_of
from models.audit import ROSTER_IMPORT
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


async def import_roster(engine: AsyncEngine, document: dict[str, Any], source: str, now: datetime, *,
                        by: Principal) -> Roster:
    """Validate (RosterError lists every problem) and store; workers pick it up within seconds."""
    roster = Roster.from_contract(document)
    canonical = _canonical(roster)
    demo = is_demo_roster(canonical)
    async with engine.begin() as conn:
        previous = await roster_repo.latest_snapshot(conn)
        await roster_repo.save_snapshot(conn, canonical, source, now)
        before = {c["cadre_id"] for c in previous[1]["cadres"]} if previous else set()
        removed = sorted(before - {c.cadre_id for c in roster.cadres})
        if removed:
            await revoke_tokens_of(conn, now, cadre_ids=removed, by=by, reason="removed from the roster")
            await remove_logins(conn, now, cadre_ids=removed, by=by, reason="removed from the roster")
        if not demo:
            await remove_logins(conn, now, demo=True, by=by, reason="a roster other than the demo township's")
        await audit.record(conn, at=now, who=by, action=ROSTER_IMPORT, source=source, units=len(roster.units),
                           cadres=len(roster.cadres), removed_cadres=removed, demo=demo)
    return roster


def _canonical(roster: Roster) -> dict[str, Any]:
    canonical = roster.to_contract()
    canonical.pop("whereabouts", None)  # whereabouts live in their own table
    return canonical


async def current_roster_is_demo(engine: AsyncEngine) -> bool:
    async with engine.connect() as conn:
        latest = await roster_repo.latest_snapshot(conn)
    return latest is not None and is_demo_roster(latest[1])


def is_demo_roster(canonical: dict[str, Any]) -> bool:
    from infra.demo.township import demo_roster

    return canonical == _canonical(Roster.from_contract(demo_roster()))
