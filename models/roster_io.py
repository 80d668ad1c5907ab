"""Conversions between the contract's roster JSON rows and keyword dicts for the roster types."""
from __future__ import annotations

from datetime import datetime
from typing import Any


def unit_from(row: dict[str, Any]) -> dict[str, Any]:
    parent = row.get("parent_code")
    return {"code": str(row["code"]), "name": str(row["name"]), "kind": str(row["kind"]),
            "parent_code": None if parent in (None, "") else str(parent)}


def unit_to(unit: Any) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind, "parent_code": unit.parent_code}


def cadre_from(row: dict[str, Any]) -> dict[str, Any]:
    backup = row.get("backup_cadre_id")
    return {"cadre_id": str(row["cadre_id"]), "name": str(row["name"]), "phone": str(row.get("phone") or ""),
            "unit_code": str(row["unit_code"]), "posts": tuple(_as_list(row.get("posts"))),
            "responsibilities": tuple(_as_list(row.get("responsibilities"))),
            "backup_cadre_id": None if backup in (None, "") else str(backup)}


def cadre_to(cadre: Any) -> dict[str, Any]:
    return {"cadre_id": cadre.cadre_id, "name": cadre.name, "phone": cadre.phone, "unit_code": cadre.unit_code,
            "posts": list(cadre.posts), "responsibilities": list(cadre.responsibilities),
            "backup_cadre_id": cadre.backup_cadre_id}


def whereabouts_from(row: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    until = row.get("until")
    parsed = until if isinstance(until, datetime) or until is None else datetime.fromisoformat(str(until))
    return str(row["cadre_id"]), {"status": str(row["status"]), "until": parsed}


def whereabouts_to(cadre_id: str, w: Any) -> dict[str, Any]:
    return {"cadre_id": cadre_id, "status": w.status, "until": None if w.until is None else w.until.isoformat()}


def _as_list(value: Any) -> list[str]:
    """CSV/XLSX carry lists as 'a;b' or 'a,b' strings; JSON carries real lists."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
    return [str(v) for v in value]
