"""One batch of valid input events, decided and written in one transaction.

Per event the outcome is what taking events one at a time would give — opened, linked
to the open case it repeats, a duplicate of an event already taken in, or refused by the
domain — but the database sees a handful of statements per batch instead of per event.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from infra.case_opening import (CaseOpening, accused_of, admit, identity_of, opened_case, petitioner_of,
                                sighting_key)
from infra.services.ports import UnitOfWork
from infra.slices import in_slices
from models.case import Case, record
from models.early_warning import EarlyWarning, Sighting, Timeline, WarningPolicy, check_cluster, check_group_visit
from models.errors import DomainError
from models.intake import InputEvent, ReceptionVisit
from models.repeats import LINKED, NEW_ACCUSATION, NOT_ACCEPTED, PriorCase, PriorCases, check_repeat
from models.roster import Roster


# Events decided, and new cases projected and written, between two yields to the event loop:
# a slice is ~10 ms of work on a core to itself, so a loaded machine still stays under 100 ms.
DECIDE_SLICE = 20
WRITE_SLICE = 50


@dataclass(frozen=True)
class Decision:
    kind: str  # opened | linked | duplicate | rejected
    case_id: str | None = None
    reason: str | None = None


@dataclass
class BatchIntake:
    uow: UnitOfWork
    roster: Roster
    now: datetime
    warnings: WarningPolicy
    openings: dict[str, CaseOpening] = field(default_factory=dict)
    new_cases: dict[str, Case] = field(default_factory=dict)  # as they stand now (maybe linked to since)
    links: list[dict[str, Any]] = field(default_factory=list)
    # repeats of cases stored before this batch: (case_id, topic, event, reason)
    pending_links: list[tuple[str, str, InputEvent, str]] = field(default_factory=list)
    alerts: list[EarlyWarning] = field(default_factory=list)

    async def run(self, events: list[tuple[str, InputEvent]]) -> list[Decision]:
        matters = {(e.village_code, e.category) for _, e in events}
        matter_store = self.uow.matters
        await matter_store.lock(matters)
        seen = await matter_store.seen(sorted({(t, e.event_id) for t, e in events}))
        people = {id(e): identity_of(petitioner_of(e)) for _, e in events}
        found_prior = await matter_store.prior_cases(matters, people.values())
        prior = defaultdict(PriorCases, {matter: PriorCases(cases) for matter, cases in found_prior.items()})
        times = [e.occurred_at for _, e in events]
        # sightings on both sides: one that arrives late may complete a cluster around it
        found = await matter_store.sightings(matters, min(times) - self.warnings.window,
                                             max(times) + self.warnings.window)
        sightings = defaultdict(Timeline, {matter: Timeline(seen_there) for matter, seen_there in found.items()})
        decisions = []
        # a big batch must not hold the worker's event loop for its whole length
        async for some in in_slices(events, DECIDE_SLICE):
            decisions += [self._decide(topic, event, people[id(event)], seen, prior, sightings)
                          for topic, event in some]
        await self._write()
        return decisions

    def _decide(self, topic: str, event: InputEvent, who: Any, seen: dict[tuple[str, str], str],
                prior: dict[Any, PriorCases], sightings: dict[Any, Timeline]) -> Decision:
        key, matter = (topic, event.event_id), (event.village_code, event.category)
        if key in seen:
            return Decision("duplicate", seen[key])
        try:
            event = admit(event, self.roster, self.now)
            cadres, units = accused_of(event)
            # only the matter's prior cases that share a key with the petitioner can be repeats
            verdict = check_repeat(who, event.village_code, event.category, event.occurred_at,
                                   prior[matter].sharing_keys_with(who),
                                   accused_cadre_ids=cadres, accused_unit_codes=units)
            if verdict.outcome == NOT_ACCEPTED:
                return Decision("rejected", verdict.case_id, verdict.reason)
            if verdict.outcome == LINKED and verdict.case_id is not None:
                self._link(topic, event, verdict.case_id, verdict.reason)
                seen[key] = verdict.case_id
                return Decision("linked", verdict.case_id)
            # a new accusation on an open matter opens a case of its own, related to the earlier one
            related = verdict.case_id if verdict.outcome == NEW_ACCUSATION else None
            opening = opened_case(topic, event, self.roster, self.now, self.uow.policy, related_case_id=related)
        except DomainError as refusal:
            return Decision("rejected", None, str(refusal))
        case_id = opening.case.case_id
        self.openings[case_id], self.new_cases[case_id], seen[key] = opening, opening.case, case_id
        prior[matter].add(PriorCase.of(opening.case, who))
        self._watch(event, case_id, opening.record, sightings[matter])
        return Decision("opened", case_id)

    def _link(self, topic: str, event: InputEvent, case_id: str, reason: str) -> None:
        self.links.append({"source_topic": topic, "source_event_id": event.event_id, "case_id": case_id,
                           "linked_at": self.now, "event": event.model_dump(mode="json")})
        target = self.new_cases.get(case_id)
        if target is not None:  # opened earlier in this very batch
            self.new_cases[case_id] = _linked(target, topic, event, reason, self.now)
        else:
            self.pending_links.append((case_id, topic, event, reason))

    def _watch(self, event: InputEvent, case_id: str, record: dict[str, Any], history: Timeline) -> None:
        key = sighting_key(record["petitioner_phone"], record["petitioner_id_number"], case_id)
        cadres, units = accused_of(event)
        new = Sighting(key, event.village_code, event.category, event.occurred_at, case_id, cadres, units)
        warning = check_cluster(new, history, self.roster, self.warnings)
        if warning is None and isinstance(event, ReceptionVisit):
            warning = check_group_visit(event.village_code, event.category, event.visitor_count,
                                        event.occurred_at, event.event_id, self.roster, self.warnings,
                                        case_id=case_id, accused_cadre_ids=cadres, accused_unit_codes=units)
        if warning is not None:
            self.alerts.append(warning)
        history.add(new)

    async def _write(self) -> None:
        # a case opened, then linked to, within this batch is stored as it stands now; projected
        # and written a slice at a time (same transaction), not in one stretch of the event loop
        opened = [replace(opening, case=self.new_cases[case_id]) for case_id, opening in self.openings.items()]
        async for some in in_slices(opened, WRITE_SLICE):
            await self.uow.cases.add_opened(some)
        await self.uow.matters.add_links(self.links)
        await self._extend_linked_cases()
        await self.uow.matters.add_alerts(self.alerts, self.now)

    async def _extend_linked_cases(self) -> None:
        by_case: dict[str, list[tuple[str, InputEvent, str]]] = defaultdict(list)
        for case_id, topic, event, reason in self.pending_links:
            by_case[case_id].append((topic, event, reason))
        if not by_case:
            return
        changes = []
        # a link changes no state, only appends an event: the history need not be loaded
        for case_id, before in (await self.uow.cases.get_many(sorted(by_case), history=False)).items():
            after = before
            for topic, event, reason in by_case[case_id]:
                after = _linked(after, topic, event, reason, self.now)
            changes.append((before, after))
        await self.uow.cases.save_many(changes)


def _linked(case: Case, topic: str, event: InputEvent, reason: str, at: datetime) -> Case:
    return record(case, "repeat_linked", at, None, source_topic=topic, repeat_event_id=event.event_id, reason=reason)
