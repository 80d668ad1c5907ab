"""The repositories of the in-memory unit of work, over one working copy of the tables.
Each mirrors its PostgreSQL twin in `infra.db`; tests/contract runs the same assertions
against both."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from infra.case_opening import CaseOpening, sighting_key
from infra.records import accused_sets, alert_row
from infra.db.case_rows import SCHEDULED, case_columns, event_rows, merge_columns, stored_rate_facts
from infra.db.case_queries import LINE_COLUMNS
from infra.db.case_state import event_from_row, from_state
from infra.memory.store import Tables
from infra.services.paging import comes_after
from infra.services.ports import (CaseChangedMeanwhile, CaseFilter, CaseRow, Matter, PageKey, PendingExists, Row,
                                 SourceKey)
from models.access import CONFIDENTIAL_KINDS, Actor, Scope, accuses_anyone, admits
from models.case import Case
from models.categories import Catalogue
from models.clock import clock_needs_history, overdue_at
from models.early_warning import EarlyWarning, Sighting
from models.escalation import DEFAULT_ESCALATION, EscalationPolicy, Memo
from models.lifecycle import OPEN, CaseStatus
from models.petitioners import Petitioner
from models.rates import RateFacts, ThreeRates, tally
from models.repeats import PriorCase
from models.search import matches as search_matches
from models.search import terms, tracking_code_of


def _aggregate(tables: Tables, case_id: str, history: bool = True) -> Case:
    row = tables.cases[case_id]
    if not history:
        return from_state(row["state"], (), row["version"])
    return from_state(row["state"], tuple(event_from_row(e) for e in tables.events.get(case_id, [])))


class MemoryCases:
    def __init__(self, tables: Tables, policy: EscalationPolicy = DEFAULT_ESCALATION) -> None:
        self._t = tables
        self._policy = policy

    async def get(self, case_id: str) -> Case | None:
        return _aggregate(self._t, case_id) if case_id in self._t.cases else None

    async def get_many(self, case_ids: Sequence[str], *, history: bool = True) -> dict[str, Case]:
        return {cid: _aggregate(self._t, cid, history) for cid in sorted(set(case_ids)) if cid in self._t.cases}

    async def claim_due(self, now: datetime, limit: int) -> list[Case]:
        due = sorted((row["next_check_at"], cid) for cid, row in self._t.cases.items()
                     if row.get("next_check_at") is not None and row["next_check_at"] <= now)
        found = [_aggregate(self._t, cid, history=False) for _, cid in due[:limit]]
        return [_aggregate(self._t, case.case_id) if clock_needs_history(case) else case for case in found]

    async def add_opened(self, openings: Sequence[CaseOpening]) -> None:
        for opening in openings:
            if not await self.add_if_new(opening):
                raise CaseChangedMeanwhile(f"source event of case {opening.case.case_id} is already a case")

    async def add_if_new(self, opening: CaseOpening) -> bool:
        row = opening.row_for(self._policy)
        key = (row["source_topic"], row["source_event_id"])
        if any((r["source_topic"], r["source_event_id"]) == key for r in self._t.cases.values()):
            return False
        self._t.cases[row["case_id"]] = row
        self._add_events(opening.events)
        return True

    async def save(self, before: Case, after: Case, *, checked_at: datetime | None = None) -> None:
        await self.save_many([(before, after)], checked_at=checked_at)

    async def save_many(self, changes: Sequence[tuple[Case, Case]], *, checked_at: datetime | None = None,
                        policy: EscalationPolicy | None = None, memo: Memo | None = None,
                        scheduled: bool = False) -> None:
        lost = [after.case_id for before, after in changes
                if (stored := self._t.cases.get(after.case_id)) is None or stored["version"] != before.version]
        if lost:
            raise CaseChangedMeanwhile(f"case {', '.join(lost)} changed meanwhile; try again")
        for before, after in changes:
            columns = case_columns(after, checked_at=checked_at, policy=policy or self._policy, memo=memo)
            merge_columns(self._t.cases[after.case_id],
                          {name: columns[name] for name in SCHEDULED} if scheduled else columns)
            self._add_events(event_rows(after.events_since(before.version)))

    async def open_ids(self) -> list[str]:
        return sorted(cid for cid, row in self._t.cases.items() if row["is_open"])

    def _add_events(self, events: Iterable[Mapping[str, Any]]) -> None:
        for event in events:
            self._t.events.setdefault(event["case_id"], []).append({"id": self._t.next_id(), **event,
                                                                    "published_at": None})


def matches(row: CaseRow, f: CaseFilter, now: datetime, links: Mapping[tuple[str, str], Mapping[str, Any]]) -> bool:
    """`infra.db.case_queries.conditions`, in Python."""
    if f.source_event_id is not None and row["source_event_id"] != f.source_event_id and not any(
            key[1] == f.source_event_id and link["case_id"] == row["case_id"] for key, link in links.items()):
        return False
    for column, value in (("village_code", f.village_code), ("status", f.status),
                          ("owner_cadre_id", f.owner_cadre_id), ("petitioner_phone", f.phone), ("is_open", f.open)):
        if value is not None and row.get(column) != value:
            return False
    if f.overdue is not None and overdue_at(row.get("next_due_at"), now) != f.overdue:
        return False
    if f.escalated is not None and (row["escalation_level"] > 0) != f.escalated:
        return False
    if f.mine is not None and f.mine not in (row["owner_cadre_id"], row["handler_cadre_id"],
                                             row.get("escalated_to_cadre_id"), row.get("escalation_acting_cadre_id")):
        return False
    return _matches_sets_and_times(row, f)


def _matches_sets_and_times(row: CaseRow, f: CaseFilter) -> bool:
    if f.case_ids is not None and row["case_id"] not in f.case_ids:
        return False
    if f.categories is not None and row["category"] not in f.categories:
        return False
    if f.occurred_from is not None and row["occurred_at"] < f.occurred_from:
        return False
    if f.occurred_until is not None and row["occurred_at"] >= f.occurred_until:
        return False
    if f.touched_since is not None and not (row["occurred_at"] >= f.touched_since
                                            or row["updated_at"] >= f.touched_since):
        return False
    if f.open_or_updated_since is not None and not (row["is_open"] or row["updated_at"] >= f.open_or_updated_since):
        return False
    if f.sources is not None and row["source"] not in f.sources:
        return False
    if f.due_before is not None and not (row.get("next_due_at") is not None and row["next_due_at"] < f.due_before):
        return False
    if f.sent_back is not None and (row.get("unsatisfied_count", 0) > 0) != f.sent_back:
        return False
    if f.tracking_code is not None and row["tracking_code"] != tracking_code_of(f.tracking_code):
        return False
    if f.q and not all(search_matches(term, tracking_code=row["tracking_code"], phone=row.get("petitioner_phone"),
                                      name=(row.get("petitioner") or {}).get("name"), summary=row["summary"],
                                      details=row.get("details")) for term in terms(f.q)):
        return False
    return not (f.public_only and (accuses_anyone(row.get("accused")) or row.get("kind") in CONFIDENTIAL_KINDS))


class MemoryCaseReader:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    def _rows(self, scope: Scope | None, f: CaseFilter, now: datetime) -> list[dict[str, Any]]:
        return [dict(row) for row in self._t.cases.values()
                if (scope is None or admits(scope, row)) and matches(row, f, now, self._t.links)]

    async def visible(self, scope: Scope, case_id: str) -> CaseRow | None:
        row = self._t.cases.get(case_id)
        return dict(row) if row is not None and admits(scope, row) else None

    async def by_tracking_code(self, scope: Scope | None, code: str) -> CaseRow | None:
        return next((dict(r) for r in self._t.cases.values()
                     if r["tracking_code"] == code and (scope is None or admits(scope, r))), None)

    async def by_source_event(self, topic: str, event_id: str) -> CaseRow | None:
        opened = next((r for r in self._t.cases.values()
                       if (r["source_topic"], r["source_event_id"]) == (topic, event_id)), None)
        if opened is None and (topic, event_id) in self._t.links:
            opened = self._t.cases.get(self._t.links[(topic, event_id)]["case_id"])
        return dict(opened) if opened is not None else None

    async def timeline(self, case_id: str) -> list[Row]:
        keys = ("event_id", "seq", "type", "actor", "at", "data")
        return [{k: e[k] for k in keys} for e in sorted(self._t.events.get(case_id, []), key=lambda e: e["seq"])]

    async def page(self, scope: Scope, f: CaseFilter, now: datetime, *, limit: int, offset: int = 0,
                   by_deadline: bool = False, after: PageKey | None = None,
                   columns: Sequence[str] | None = None) -> list[CaseRow]:
        rows = self._rows(scope, f, now)
        if after is not None:
            rows = [r for r in rows if comes_after(r, after, by_deadline)]
        if by_deadline:
            rows.sort(key=lambda r: (r["next_due_at"] is None, r["next_due_at"] or now, r["case_id"]))
        else:
            rows.sort(key=lambda r: r["case_id"])
            rows.sort(key=lambda r: r["created_at"], reverse=True)
        chosen = rows[offset:offset + limit]
        return chosen if columns is None else [{name: r[name] for name in columns} for r in chosen]

    async def count(self, scope: Scope, f: CaseFilter, now: datetime) -> int:
        return len(self._rows(scope, f, now))

    async def counts(self, scope: Scope, now: datetime) -> dict[str, Any]:
        rows = self._rows(scope, CaseFilter(), now)
        by_status: dict[str, int] = defaultdict(int)
        for row in rows:
            by_status[row["status"]] += 1
        return {"by_status": dict(by_status), "overdue": sum(overdue_at(r.get("next_due_at"), now) for r in rows),
                "escalated": sum(r["escalation_level"] > 0 for r in rows)}

    async def counts_by_village(self, scope: Scope, now: datetime) -> dict[str, tuple[int, int, int]]:
        found: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for row in self._rows(scope, CaseFilter(open=True), now):
            counts = found[row["village_code"]]
            counts[0] += 1
            counts[1] += overdue_at(row.get("next_due_at"), now)
            counts[2] += row["escalation_level"] > 0
        return {village: (a, b, c) for village, (a, b, c) in found.items()}

    async def count_by(self, scope: Scope, f: CaseFilter, now: datetime, key: str) -> dict[str, int]:
        found: dict[str, int] = defaultdict(int)
        for row in self._rows(scope, f, now):
            found[row[key]] += 1
        return dict(found)

    async def rates_by(self, scope: Scope, f: CaseFilter, start: datetime, end: datetime,
                       key: str) -> dict[str, tuple[int, ThreeRates]]:
        groups: dict[str, list[RateFacts]] = defaultdict(list)
        for row in self._rows(scope, f, _EPOCH):
            groups[row[key]].append(stored_rate_facts(row))
        return {group: (len(facts), tally(facts, start, end)) for group, facts in groups.items()}

    async def aggregates(self, scope: Scope, f: CaseFilter) -> dict[str, Case]:
        return {row["case_id"]: _aggregate(self._t, row["case_id"]) for row in self._rows(scope, f, _EPOCH)}

    async def events_of(self, scope: Scope, f: CaseFilter, types: Sequence[str],
                        since: datetime | None = None) -> list[Row]:
        found = []
        for row in sorted(self._rows(scope, f, _EPOCH), key=lambda r: r["case_id"]):
            for event in sorted(self._t.events.get(row["case_id"], []), key=lambda e: e["seq"]):
                if event["type"] in types and (since is None or event["at"] >= since):
                    found.append({"case_id": row["case_id"], "village_code": row["village_code"],
                                  "owner_cadre_id": row["owner_cadre_id"], "type": event["type"], "at": event["at"]})
        return found

    async def lines(self, scope: Scope, f: CaseFilter) -> list[CaseRow]:
        rows = sorted(self._rows(scope, f, _EPOCH), key=lambda r: (r["occurred_at"], r["case_id"]))
        return [{name: row.get(name) for name in LINE_COLUMNS} for row in rows]


_EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")


class MemoryExtensionRequests:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    async def add(self, *, case_id: str, requested_by: str, days: int, reason: str, at: datetime) -> Row:
        if any(r["case_id"] == case_id and r["status"] == "pending" for r in self._t.extension_requests.values()):
            raise PendingExists(case_id)
        request_id = self._t.next_id()
        row = {"id": request_id, "case_id": case_id, "requested_by": requested_by, "days": days, "reason": reason,
               "requested_at": at, "status": "pending", "decided_by": None, "decided_at": None, "note": None}
        self._t.extension_requests[request_id] = row
        return dict(row)

    async def get(self, request_id: int) -> Row | None:
        row = self._t.extension_requests.get(request_id)
        return dict(row) if row else None

    async def decide(self, request_id: int, *, status: str, by: str | None, at: datetime, note: str) -> Row:
        row = self._t.extension_requests[request_id]
        row.update(status=status, decided_by=by, decided_at=at, note=note)
        return dict(row)

    async def visible(self, scope: Scope, state: str | None, limit: int) -> list[Row]:
        rows = [dict(r) for _, r in sorted(self._t.extension_requests.items())
                if (state is None or r["status"] == state) and r["case_id"] in self._t.cases
                and admits(scope, self._t.cases[r["case_id"]])]
        return rows[:limit]


class MemoryMatters:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    async def lock(self, matters: Iterable[Matter]) -> None:
        """The store's lock already serialises every unit of work."""

    async def seen(self, keys: Sequence[SourceKey]) -> dict[SourceKey, str]:
        wanted = set(keys)
        found = {(r["source_topic"], r["source_event_id"]): r["case_id"] for r in self._t.cases.values()
                 if (r["source_topic"], r["source_event_id"]) in wanted}
        found.update({key: link["case_id"] for key, link in self._t.links.items() if key in wanted})
        return found

    async def prior_cases(self, matters: Iterable[Matter], people: Iterable[Petitioner]) -> dict[Matter, list[PriorCase]]:
        wanted, people = set(matters), list(people)
        phones = {p.phone for p in people if p.phone}
        ids = {p.id_number for p in people if p.id_number}
        relevant = OPEN | {CaseStatus.RE_REVIEWED}
        found: dict[Matter, list[PriorCase]] = defaultdict(list)
        for row in self._t.cases.values():
            matter = (row["village_code"], row["category"])
            if matter not in wanted or CaseStatus(row["status"]) not in relevant:
                continue
            if row["petitioner_phone"] in phones or row["petitioner_id_number"] in ids:
                case = from_state(row["state"])
                found[matter].append(PriorCase(row["case_id"], Petitioner(row["petitioner_phone"],
                                                                          row["petitioner_id_number"]),
                                               row["village_code"], row["category"], CaseStatus(row["status"]),
                                               row["occurred_at"], case.re_review_decided_at,
                                               *accused_sets(row.get("accused"))))
        return found

    async def sightings(self, matters: Iterable[Matter], since: datetime, until: datetime) -> dict[Matter, list[Sighting]]:
        wanted = set(matters)
        found: dict[Matter, list[Sighting]] = defaultdict(list)
        for row in self._t.cases.values():
            matter = (row["village_code"], row["category"])
            if matter in wanted and since < row["occurred_at"] <= until:
                key = sighting_key(row["petitioner_phone"], row["petitioner_id_number"], row["case_id"])
                found[matter].append(Sighting(key, row["village_code"], row["category"], row["occurred_at"],
                                              row["case_id"], *accused_sets(row.get("accused"))))
        return found

    async def add_links(self, rows: Sequence[Mapping[str, Any]]) -> None:
        for row in rows:
            self._t.links.setdefault((row["source_topic"], row["source_event_id"]), dict(row))

    async def add_alerts(self, warnings: Sequence[EarlyWarning], at: datetime) -> None:
        for w in warnings:
            self._t.alerts.setdefault(w.alert_id, {**alert_row(w, at), "published_at": None})

    async def alerts(self, scope: Scope, cadre_id: str | None, limit: int) -> list[Row]:
        rows = sorted(self._t.alerts.values(), key=lambda a: a["raised_at"], reverse=True)
        return [dict(a) for a in rows if _alert_in_reach(a, scope, cadre_id)][:limit]

    async def alerts_raised(self, scope: Scope, cadre_id: str | None, since: datetime, until: datetime) -> list[Row]:
        rows = sorted(self._t.alerts.values(), key=lambda a: (a["raised_at"], a["alert_id"]))
        return [dict(a) for a in rows if since <= a["raised_at"] < until and _alert_in_reach(a, scope, cadre_id)]


def _alert_in_reach(alert: Mapping[str, Any], scope: Scope, cadre_id: str | None) -> bool:
    """In the scope's villages (or the reader leads the village), and not hidden from the reader
    because its cluster accuses them."""
    if cadre_id is not None and cadre_id in alert["data"].get("hidden_from", ()):
        return False
    return scope.township or alert["village_code"] in scope.village_codes or alert["leader_cadre_id"] == cadre_id


class MemoryOutbox:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    async def enqueue(self, topic: str, key: bytes, value: bytes, at: datetime) -> None:
        self._t.outbox.append({"id": self._t.next_id(), "topic": topic, "key": key, "value": value,
                               "created_at": at, "sent_at": None})


class MemoryDeadLetters:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    async def record(self, *, topic: str, partition: int, offset: int, key: bytes | None, value: bytes | None,
                     error: str, at: datetime) -> None:
        digest = hashlib.sha256(value or b"").hexdigest()
        existing = next((r for r in self._t.dead_letters.values()
                         if (r["topic"], r["value_sha256"]) == (topic, digest)), None)
        if existing is not None:
            existing.update(error=error, recorded_at=at, partition=partition, offset=offset, replayed_at=None)
            return
        letter_id = self._t.next_id()
        self._t.dead_letters[letter_id] = {"id": letter_id, "topic": topic, "partition": partition, "offset": offset,
                                           "key": key, "value": value, "error": error, "recorded_at": at,
                                           "replayed_at": None, "value_sha256": digest}

    async def pending(self, *, topic: str | None = None, ids: Sequence[int] = (), include_replayed: bool = False,
                      limit: int = 1000) -> list[Row]:
        rows = [dict(r) for _, r in sorted(self._t.dead_letters.items())
                if (topic is None or r["topic"] == topic) and (not ids or r["id"] in ids)
                and (include_replayed or r["replayed_at"] is None)]
        return rows[:limit]

    async def mark_replayed(self, ids: Sequence[int], at: datetime | None) -> None:
        for letter_id in ids:
            self._t.dead_letters[letter_id]["replayed_at"] = at


class MemoryCatalogues:
    def __init__(self, tables: Tables, base: Catalogue) -> None:
        self._t = tables
        self._base = base

    async def current(self) -> tuple[Catalogue, set[str]]:
        overrides = {code: {"label": r["label"], "handling_working_days": r["handling_working_days"]}
                     for code, r in self._t.category_limits.items()}
        return self._base.with_overrides(overrides), set(overrides)

    async def put(self, code: str, label: str, handling_working_days: int, at: datetime) -> None:
        self._t.category_limits[code] = {"label": label, "handling_working_days": handling_working_days,
                                         "updated_at": at}


class MemoryCalendars:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    async def all(self) -> list[Mapping[str, Any]]:
        return [dict(d) for _, d in sorted(self._t.calendar_schedules.items())]

    async def put(self, document: Mapping[str, Any], at: datetime) -> None:
        self._t.calendar_schedules[(int(document["year"]), str(document["kind"]))] = dict(document)


class MemoryRosters:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    async def save_snapshot(self, document: Mapping[str, Any], source: str, at: datetime) -> int:
        snapshot_id = self._t.next_id()
        self._t.roster_snapshots.append({"id": snapshot_id, "imported_at": at, "source": source,
                                         "document": dict(document)})
        return snapshot_id

    async def set_whereabouts(self, cadre_id: str, status: str, until: datetime | None, at: datetime) -> None:
        self._t.whereabouts[cadre_id] = {"status": status, "until": until, "updated_at": at}

    async def cadre_ids(self) -> frozenset[str]:
        if not self._t.roster_snapshots:
            return frozenset()
        return frozenset(c["cadre_id"] for c in self._t.roster_snapshots[-1]["document"].get("cadres", ()))


class MemoryAudit:
    def __init__(self, tables: Tables) -> None:
        self._t = tables

    async def record(self, *, at: datetime, who: Actor, action: str, case_id: str | None = None,
                     **detail: Any) -> None:
        entry_id = self._t.next_id()
        self._t.audit.append({"id": entry_id, "seq": len(self._t.audit) + 1, "at": at, "role": str(who.role),
                              "cadre_id": who.cadre_id, "token_id": who.token_id, "username": who.username,
                              "address": who.address, "action": action, "case_id": case_id, "detail": detail})

    async def recent(self, *, limit: int, offset: int, case_id: str | None = None,
                     cadre_id: str | None = None) -> list[Row]:
        rows = [dict(r) for r in reversed(self._t.audit)
                if (case_id is None or r["case_id"] == case_id) and (cadre_id is None or r["cadre_id"] == cadre_id)]
        return rows[offset:offset + limit]


class MemoryCredentials:
    """No tokens or logins live in memory: what the use cases asked for is kept for tests."""

    def __init__(self, tables: Tables) -> None:
        self._t = tables

    async def revoke_cadres(self, cadre_ids: Sequence[str], *, by: Actor, at: datetime, reason: str) -> None:
        self._t.revocations.append({"cadre_ids": sorted(cadre_ids), "at": at, "reason": reason})

    async def remove_demo_logins(self, *, by: Actor, at: datetime, reason: str) -> None:
        self._t.revocations.append({"demo_logins": True, "at": at, "reason": reason})
