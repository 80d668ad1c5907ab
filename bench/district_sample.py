"""A sample of a district's cases made by the domain, as the running system would have made
them over three years: events in time order, each taken in as intake decides (repeat link,
early warning, or a new case registered and routed), then every case worked through its life
by the domain's own actions — accept, progress, delegate, extend, reply, callback, close,
review — while a simulated scheduler warns and escalates exactly when `next_attention` says.
Actions the domain refuses are skipped, as a refused click would be.

Every time in the sample lies on a 10-minute grid (seconds 0, minute ending in 0; the
scheduler polls on that grid). The bulk loader relies on it: a copy shifted by less than ten
minutes is what the domain makes of the same events said that much later (working-day
deadlines keep the clock time; nothing crosses midnight), so a copy is shifted in SQL by
rewriting the minute's last digit and the seconds of every time.
"""
from __future__ import annotations

import heapq
import random
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import orjson

from infra.case_opening import identity_of, opened_case, petitioner_of, sighting_key
from infra.db.case_rows import case_columns, event_rows
from infra.demo import simulate
from infra.services.escalation import judged
from infra.services.intake import parse_event
from models import case_actions as A
from models import oversight as O
from models import reviews as R
from models.attention import next_attention
from models.case import Case, record
from models.early_warning import Sighting, WarningPolicy, check_cluster, check_group_visit
from models.errors import DomainError
from models.intake import ReceptionVisit
from models.lifecycle import OPEN
from models.repeats import LINKED, NEW, PriorCase, check_repeat
from models.roster import Roster

BEIJING = timezone(timedelta(hours=8))
GRID = timedelta(minutes=10)
ID_COPIES = 200  # copies a sample resident's identity can be multiplied into (see identity_number)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def on_grid(moment: datetime) -> datetime:
    """The first grid time at or after `moment`."""
    local = moment.astimezone(BEIJING)
    floor = local.replace(minute=local.minute - local.minute % 10, second=0, microsecond=0)
    return floor if floor == local else floor + GRID


def resident_phone(resident: int, copy: int = 0) -> str:
    """11 digits: the resident, then the copy (the loader rewrites the last three)."""
    return f"1{resident:07d}{copy:03d}"


def identity_number(county: str, resident: int, copy: int = 0) -> str:
    """A valid 18-character resident ID, distinct for every (resident, copy)."""
    n = resident * ID_COPIES + copy
    birth = datetime(1940, 1, 1) + timedelta(days=n % 23_000)
    body = f"{county}{birth:%Y%m%d}{(n // 23_000) % 1000:03d}"
    return body + _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS)) % 11]


@dataclass
class Sample:
    cases: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    residents: dict[str, int] = field(default_factory=dict)  # case id -> resident number (ID owners)
    refused_actions: int = 0
    not_accepted: int = 0


def timed_events(roster_doc: dict[str, Any], count: int, *, seed: int, start: datetime,
                 end: datetime) -> list[tuple[str, dict[str, Any]]]:
    """The simulator's realistic events, spread evenly over [start, end) on the grid and with
    residents renumbered so each has a phone and ID the loader can multiply."""
    events = list(simulate.mixed_events(roster_doc, count, seed=seed, start=start, residents_per_village=2000))
    span = (end - start) / max(1, count)
    phones: dict[str, int] = {}
    ids: dict[str, str] = {}

    def renumber(person: dict[str, Any] | None, village: str) -> None:
        if not person or not person.get("phone"):
            return
        number = phones.setdefault(person["phone"], len(phones))
        if person.get("id_number"):
            ids[person["id_number"]] = person["id_number"] = identity_number(village[:6], number)
        person["phone"] = resident_phone(number)

    for n, (_, event) in enumerate(events):
        event["occurred_at"] = on_grid(start + span * n).isoformat()
        village = event["village_code"]
        for key in ("caller", "resident"):
            renumber(event.get(key), village)
        for rep in event.get("representatives", ()):
            renumber(rep, village)
    return events


class _Life:
    """One case's intended life: the next action and when, drawn once from its own rng."""

    def __init__(self, case: Case, roster: Roster, rng: random.Random) -> None:
        self.rng = rng
        self.steps: Iterator[tuple[timedelta, Callable[[Case], Any]]] = self._plan(case, roster)

    def _plan(self, case: Case, roster: Roster) -> Iterator[tuple[timedelta, Callable[[Case], Any]]]:
        rng, hours = self.rng, lambda lo, hi: timedelta(minutes=rng.randint(int(lo * 60), int(hi * 60)))
        village = case.village_code
        leader = roster.leader_in_charge(village).cadre_id
        committee = [c.cadre_id for c in roster.cadres_of(village) if c.posts and "first_secretary" not in c.posts]
        if case.status.value == "resolved":  # a diary entry resolved on the spot
            if rng.random() < 0.9:
                yield hours(1, 30), lambda c: A.Close(actor=c.owner_cadre_id)
            return
        if rng.random() < 0.02:
            yield hours(2, 48), lambda c: O.Object("不属于本人职责范围", actor=c.owner_cadre_id)
            yield hours(4, 30), lambda c: O.Overrule("经核实属于本村职责", actor=leader)
        late = rng.random() < 0.04
        yield (hours(20, 90) if late else hours(0.2, 6)), lambda c: A.Accept(actor=c.handler_cadre_id)
        if rng.random() < 0.1:
            yield hours(1, 24), lambda c: O.Delegate(rng.choice([x for x in committee if x != c.handler_cadre_id]
                                                                or committee), actor=c.owner_cadre_id)
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            yield hours(12, 96), lambda c: A.Progress("已联系相关部门，正在协调处理", actor=c.handler_cadre_id)
        if rng.random() < 0.03:
            yield hours(1, 24), lambda c: O.Extend(rng.randint(10, 30), "需要协调县级部门", actor=leader)
        yield (hours(100, 400) if rng.random() < 0.05 else hours(4, 72)), \
            lambda c: A.Reply("已处理完毕，已向群众说明情况", actor=c.handler_cadre_id)
        verdict = rng.random()
        if verdict < 0.05:
            return  # no callback yet: stays replied
        if verdict < 0.13:
            yield hours(24, 72), lambda c: A.CallbackUnsatisfied("群众对处理结果不满意", actor="system:callback")
            yield hours(24, 120), lambda c: A.Reply("再次处理后已答复群众", actor=c.handler_cadre_id)
        callback = A.CallbackImpossible("多次联系未接通", actor="system:callback") if rng.random() < 0.07 \
            else A.CallbackSatisfied("群众表示满意", problem_solved=rng.random() < 0.92, actor="system:callback")
        yield hours(24, 72), lambda c: callback
        yield hours(1, 48), lambda c: A.Close(actor=c.owner_cadre_id)
        if rng.random() < 0.02:
            yield hours(48, 500), lambda c: R.RequestReview("对处理结果有异议", actor="system:petitioner")
            yield hours(48, 500), lambda c: R.DecideReview("维持原处理意见", actor=leader)
            if rng.random() < 0.3:
                yield hours(48, 500), lambda c: R.RequestReReview("仍有异议", actor="system:petitioner")
                yield hours(48, 500), lambda c: R.DecideReReview("维持复查意见", actor="t-sec")


@dataclass
class _Live:
    case: Case
    row: dict[str, Any]
    life: _Life
    who: Any
    checked_at: datetime | None = None  # the last save was the scheduler's, at this time
    check_token: int = 0


class _Simulation:
    def __init__(self, roster: Roster, until: datetime, seed: int) -> None:
        self.roster, self.until, self.seed = roster, until, seed
        self.live: dict[str, _Live] = {}
        self.by_matter: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.sightings: dict[tuple[str, str], deque[Sighting]] = defaultdict(deque)
        self.heap: list[tuple[datetime, int, str, str, int]] = []
        self.counter = 0
        self.sample = Sample()
        self.warnings = WarningPolicy()
        self.pending: dict[str, tuple[timedelta, Callable[[Case], Any]] | None] = {}

    def push(self, at: datetime, kind: str, case_id: str, token: int = 0) -> None:
        if at <= self.until:
            self.counter += 1
            heapq.heappush(self.heap, (at, self.counter, kind, case_id, token))

    def advance(self, now: datetime) -> None:
        while self.heap and self.heap[0][0] <= now:
            at, _, kind, case_id, token = heapq.heappop(self.heap)
            item = self.live[case_id]
            if kind == "check":
                if token == item.check_token:
                    item.case = judged(item.case, self.roster, at)
                    item.checked_at = at
                    self.schedule_check(item, at, after=at)
            else:
                self.act(item, at)

    def act(self, item: _Live, at: datetime) -> None:
        step = self.pending.get(item.case.case_id)
        if step is None:
            return
        try:
            item.case = item.case.apply(step[1](item.case), at, self.roster)
            item.checked_at = None
            self.schedule_check(item, at, after=None)
        except DomainError:
            self.sample.refused_actions += 1
        self.next_step(item, at)

    def next_step(self, item: _Live, after: datetime) -> None:
        step = next(item.life.steps, None)
        self.pending[item.case.case_id] = step
        if step is not None:
            self.push(on_grid(after + step[0]), "act", item.case.case_id)

    def schedule_check(self, item: _Live, now: datetime, after: datetime | None) -> None:
        """The scheduler's next poll that finds this case owed something (never in the past)."""
        item.check_token += 1
        due = next_attention(item.case, after=after)
        if due is not None:
            self.push(on_grid(max(due, now)), "check", item.case.case_id, item.check_token)


def make_sample(roster_doc: dict[str, Any], count: int, *, seed: int, start: datetime, until: datetime) -> Sample:
    """`count` input events between `start` and `until`, taken in and lived through to `until`."""
    roster = Roster.from_contract(roster_doc)
    sim = _Simulation(roster, until, seed)
    for topic, raw in timed_events(roster_doc, count, seed=seed, start=start, end=until):
        event = parse_event(topic, orjson.dumps(raw))
        occurred = event.occurred_at
        at = occurred if topic == "hotline.calls" else on_grid(occurred + timedelta(minutes=sim_latency(raw)))
        if at > until:
            break
        sim.advance(at)
        _take_in(sim, topic, event, at)
    sim.advance(until)
    for item in sim.live.values():
        columns = case_columns(item.case, checked_at=item.checked_at)
        sim.sample.cases.append({**item.row, **columns})
        sim.sample.events.extend(event_rows(item.case.events))
    return sim.sample


def sim_latency(raw: dict[str, Any]) -> int:
    """Minutes between speaking and the event being taken in: cards and diaries are entered later."""
    return sum(map(ord, raw["event_id"])) % 4 * 10




def _take_in(sim: _Simulation, topic: str, event: Any, at: datetime) -> None:
    who = identity_of(petitioner_of(event))
    matter = (event.village_code, event.category)
    prior = [PriorCase.of(sim.live[cid].case, sim.live[cid].who) for cid in sim.by_matter[matter]
             if sim.live[cid].case.status in OPEN or sim.live[cid].case.status.value == "re_reviewed"]
    verdict = check_repeat(who, event.village_code, event.category, event.occurred_at, prior)
    if verdict.outcome == LINKED and verdict.case_id:
        item = sim.live[verdict.case_id]
        item.case = record(item.case, "repeat_linked", at, None, source_topic=topic,
                           repeat_event_id=event.event_id, reason=verdict.reason)
        sim.sample.links.append({"source_topic": topic, "source_event_id": event.event_id,
                                 "case_id": verdict.case_id, "linked_at": at,
                                 "event": event.model_dump(mode="json")})
        return
    if verdict.outcome != NEW:
        sim.sample.not_accepted += 1
        return
    try:
        opening = opened_case(topic, event, sim.roster, at)
    except DomainError:
        sim.sample.not_accepted += 1
        return
    case = opening.case
    rng = random.Random(f"{sim.seed}:{case.case_id}")
    item = _Live(case, opening.row, _Life(case, sim.roster, rng), who)
    sim.live[case.case_id] = item
    sim.by_matter[matter].append(case.case_id)
    if who.phone:
        sim.sample.residents[case.case_id] = int(who.phone[1:8])
    sim.schedule_check(item, at, after=None)
    sim.next_step(item, at)
    _watch(sim, event, opening.row, at)


def _watch(sim: _Simulation, event: Any, row: dict[str, Any], at: datetime) -> None:
    matter = (event.village_code, event.category)
    window = sim.sightings[matter]
    while window and window[0].at <= event.occurred_at - sim.warnings.window:
        window.popleft()
    key = sighting_key(row["petitioner_phone"], row["petitioner_id_number"], row["case_id"])
    new = Sighting(key, event.village_code, event.category, event.occurred_at, row["case_id"])
    warning = check_cluster(new, window, sim.roster, sim.warnings)
    if warning is None and isinstance(event, ReceptionVisit):
        warning = check_group_visit(event.village_code, event.category, event.visitor_count, event.occurred_at,
                                    event.event_id, sim.roster, sim.warnings)
    if warning is not None:
        sim.sample.alerts.append({
            "alert_id": warning.alert_id, "kind": "collective_petition", "village_code": warning.village_code,
            "category": warning.category, "leader_cadre_id": warning.leader_cadre_id,
            "petitioners": warning.petitioner_count, "window_start": warning.first_at, "window_end": warning.last_at,
            "raised_at": at, "published_at": at,
            "data": {"case_ids": list(warning.case_ids), "message": warning.message}})
    window.append(new)
