"""Repeat petitions: the same person on the same matter links to the case already open.

"Same person": a shared phone or ID number. "Same matter": same village and category,
with the existing case opened within a configurable window. Art. 19: a matter already being
handled below is not accepted again above, so a reception visit on it links too. Art. 36:
after a concluded re-review the same matter on the same facts is not accepted again.

A repeat that brings a *new accusation* — it accuses someone the earlier case does not, e.g.
the owner of that very case — is not linked: it opens its own case (`NEW_ACCUSATION`),
which routing sends above the accused, while the earlier case stays as it is. Linking the
two for readers allowed to see both is the service's concern: the verdict names the earlier
case (`case_id`). A new accusation is also new facts, so a matter re-reviewed without it is
accepted again.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from models.case import Case
from models.errors import RepeatRejected
from models.lifecycle import OPEN, CaseStatus
from models.petitioners import Petitioner
from models.reasons import render

NEW, LINKED, NOT_ACCEPTED, NEW_ACCUSATION = "new", "linked", "not_accepted", "new_accusation"


@dataclass(frozen=True)
class PriorCase:
    """What repeat detection needs to know of an existing case."""
    case_id: str
    petitioner: Petitioner
    village_code: str
    category: str
    status: CaseStatus
    opened_at: datetime
    re_reviewed_at: datetime | None = None
    accused_cadre_ids: frozenset[str] = frozenset()
    accused_unit_codes: frozenset[str] = frozenset()

    @classmethod
    def of(cls, case: Case, petitioner: Petitioner) -> PriorCase:
        return cls(case.case_id, petitioner, case.village_code, case.category, case.status, case.occurred_at,
                   case.re_review_decided_at, case.recusal.accused_cadre_ids, case.recusal.accused_unit_codes)

    def newly_accused(self, cadre_ids: Iterable[str], unit_codes: Iterable[str]) -> tuple[str, ...]:
        """Whom a new petition accuses that this case does not."""
        return tuple(sorted((set(cadre_ids) - self.accused_cadre_ids) | (set(unit_codes) - self.accused_unit_codes)))


class PriorCases:
    """A matter's prior cases, by the keys of their petitioners (phone, ID number). A repeat
    check compares a new petition with the prior cases of the same person only, so handing
    it those that share a key gives the verdict the whole list gives — without comparing a
    burst of distinct callers with every case opened before them (quadratic in a batch)."""

    def __init__(self, prior: Iterable[PriorCase] = ()) -> None:
        self._by_key: dict[str, list[tuple[int, PriorCase]]] = defaultdict(list)
        self._added = 0
        for case in prior:
            self.add(case)

    def add(self, case: PriorCase) -> None:
        identities = case.petitioner.keys()  # none for an anonymous petitioner: nobody's repeat
        for identity in identities:
            self._by_key[identity].append((self._added, case))
        self._added += 1

    def sharing_keys_with(self, petitioner: Petitioner) -> list[PriorCase]:
        """The prior cases whose petitioner shares a key with `petitioner`, in the order added."""
        identities = petitioner.keys()
        found = {n: case for identity in identities for n, case in self._by_key.get(identity, ())}
        return [found[n] for n in sorted(found)]


@dataclass(frozen=True)
class RepeatPolicy:
    window: timedelta = timedelta(days=90)


@dataclass(frozen=True)
class RepeatVerdict:
    outcome: str  # new | linked | not_accepted | new_accusation
    case_id: str | None  # the earlier case (linked to, final, or related by a new accusation)
    reason: str
    code: str = "repeat.new"
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def opens_case(self) -> bool:
        return self.outcome in (NEW, NEW_ACCUSATION)

    def raise_if_not_accepted(self) -> RepeatVerdict:
        if self.outcome == NOT_ACCEPTED:
            raise RepeatRejected(self.reason, code=self.code, params=self.params)
        return self


def _verdict(outcome: str, earlier: str | None, code: str, **params: Any) -> RepeatVerdict:
    return RepeatVerdict(outcome, earlier, render(code, params), code, params)


def check_repeat(petitioner: Petitioner, village_code: str, category: str, at: datetime,
                 prior: Iterable[PriorCase], policy: RepeatPolicy = RepeatPolicy(), *,
                 accused_cadre_ids: Iterable[str] = (), accused_unit_codes: Iterable[str] = ()) -> RepeatVerdict:
    if not petitioner.keys():
        return _verdict(NEW, None, "repeat.anonymous")
    cadres, units = frozenset(accused_cadre_ids), frozenset(accused_unit_codes)
    same = [p for p in prior if p.petitioner.same_person(petitioner)
            and (p.village_code, p.category) == (village_code, category)]
    final = [p for p in same if p.status is CaseStatus.RE_REVIEWED and not p.newly_accused(cadres, units)]
    if final:
        done = max(final, key=lambda p: p.re_reviewed_at or p.opened_at)
        when = f" on {done.re_reviewed_at.date().isoformat()}" if done.re_reviewed_at else ""
        return _verdict(NOT_ACCEPTED, done.case_id, "repeat.re_reviewed", category=category,
                        village_code=village_code, case_id=done.case_id, when=when)
    open_now = [p for p in same if p.status in OPEN and timedelta(0) <= at - p.opened_at <= policy.window]
    if open_now:
        latest = max(open_now, key=lambda p: p.opened_at)
        accused = latest.newly_accused(cadres, units)
        if accused:
            return _verdict(NEW_ACCUSATION, latest.case_id, "repeat.new_accusation", case_id=latest.case_id,
                            accused=", ".join(accused), accused_ids=list(accused))
        return _verdict(LINKED, latest.case_id, "repeat.linked", category=category, village_code=village_code,
                        case_id=latest.case_id, status=str(latest.status))
    return _verdict(NEW, None, "repeat.new")
