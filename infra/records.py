"""Stored records shared by the PostgreSQL and in-memory repositories, so both keep the same
shape: an early warning's row, and the accused of a stored case as sets."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from models.early_warning import EarlyWarning


def alert_row(warning: EarlyWarning, at: datetime) -> dict[str, Any]:
    """`hidden_from`: cadres who must not see the alert at all (its count would reveal the
    cases accusing them); `accusing_case_ids`: the cases that accuse someone."""
    return {"alert_id": warning.alert_id, "kind": "collective_petition", "village_code": warning.village_code,
            "category": warning.category, "leader_cadre_id": warning.leader_cadre_id,
            "petitioners": warning.petitioner_count, "window_start": warning.first_at,
            "window_end": warning.last_at, "raised_at": at,
            "data": {"case_ids": list(warning.case_ids), "message": warning.message,
                     "hidden_from": sorted(warning.hidden_from),
                     "accusing_case_ids": list(warning.accusing_case_ids),
                     "reason": None if warning.reason is None else {"code": warning.reason.code,
                                                                    "params": dict(warning.reason.params)}}}


def accused_sets(accused: Mapping[str, Any] | None) -> tuple[frozenset[str], frozenset[str]]:
    """(cadre ids, unit codes) of a stored `accused` column."""
    if not accused:
        return frozenset(), frozenset()
    return frozenset(accused.get("cadre_ids") or ()), frozenset(accused.get("unit_codes") or ())
