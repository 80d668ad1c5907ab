"""What the in-memory unit of work keeps: the same tables as PostgreSQL, as plain rows.
A unit of work works on a copy and swaps it in on commit; one lock serialises units of
work, which is what row locks and advisory locks achieve in PostgreSQL for these tests."""
from __future__ import annotations

import asyncio
import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from models.categories import DEFAULT_CATALOGUE, Catalogue
from models.roster import Roster


@dataclass
class Tables:
    cases: dict[str, dict[str, Any]] = field(default_factory=dict)
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)   # case_id → its events
    links: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    alerts: dict[str, dict[str, Any]] = field(default_factory=dict)
    extension_requests: dict[int, dict[str, Any]] = field(default_factory=dict)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    dead_letters: dict[int, dict[str, Any]] = field(default_factory=dict)
    category_limits: dict[str, dict[str, Any]] = field(default_factory=dict)
    calendar_schedules: dict[tuple[int, str], dict[str, Any]] = field(default_factory=dict)
    roster_snapshots: list[dict[str, Any]] = field(default_factory=list)
    whereabouts: dict[str, dict[str, Any]] = field(default_factory=dict)
    audit: list[dict[str, Any]] = field(default_factory=list)
    revocations: list[dict[str, Any]] = field(default_factory=list)  # what MemoryCredentials was asked
    # the notifier's tables (issue 13): rows shaped like PostgreSQL's
    notifications: dict[str, dict[str, Any]] = field(default_factory=dict)
    notification_deliveries: dict[int, dict[str, Any]] = field(default_factory=dict)
    notification_attempts: list[dict[str, Any]] = field(default_factory=list)
    notification_dead_letters: dict[int, dict[str, Any]] = field(default_factory=dict)
    notification_preferences: dict[str, dict[str, Any]] = field(default_factory=dict)
    supervision_items: dict[str, dict[str, Any]] = field(default_factory=dict)
    diary_summaries: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (village, period)
    top_issue_picks: dict[str, Any] = field(default_factory=dict)      # pick_id → TopIssuePick
    assessment_weights: list[dict[str, Any]] = field(default_factory=list)
    upward_petitions: list[dict[str, Any]] = field(default_factory=list)
    sequence: int = 0

    def next_id(self) -> int:
        self.sequence += 1
        return self.sequence


@dataclass
class MemoryStore:
    tables: Tables = field(default_factory=Tables)
    base_catalogue: Catalogue = DEFAULT_CATALOGUE
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @classmethod
    def with_roster(cls, roster: Roster, at: datetime) -> "MemoryStore":
        store = cls()
        document = roster.to_contract()
        whereabouts = document.pop("whereabouts", [])
        store.tables.roster_snapshots.append({"id": 1, "imported_at": at, "source": "test", "document": document})
        for sign in whereabouts:
            store.tables.whereabouts[sign["cadre_id"]] = {"status": sign["status"], "until": sign.get("until")}
        return store

    def snapshot(self) -> Tables:
        return copy.deepcopy(self.tables)

    def latest_roster(self) -> Roster | None:
        """The last imported roster with the whereabouts signs, as the roster cache builds it."""
        if not self.tables.roster_snapshots:
            return None
        document = dict(self.tables.roster_snapshots[-1]["document"])
        known = {cadre["cadre_id"] for cadre in document.get("cadres", ())}
        document["whereabouts"] = [
            {"cadre_id": cadre_id, "status": sign["status"],
             "until": sign["until"].isoformat() if isinstance(sign["until"], datetime) else sign["until"]}
            for cadre_id, sign in self.tables.whereabouts.items() if cadre_id in known]
        return Roster.from_contract(document)
