"""Early warning (超前信访): many residents of one village raising one issue in a short
window is the sign of a collective petition, and goes to the village's leader in charge.

A cluster alerts once, when its count of distinct petitioners reaches the threshold, so a
busy afternoon raises one alert rather than one per call.

A cluster containing cases that accuse someone alerts the first leader above all of the
accused (the leader in charge, else the party secretary; nobody in the township: the county)
and carries `hidden_from`: everyone those cases are hidden from (the accused, their units,
those below them). A reader-side filter drops the whole alert for them (`visible_to`): its
count and its case ids would otherwise reveal the hidden cases.
"""
from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from models.chain import LEVEL_NAMES, Recusal, first_eligible, recusal_for
from models.reasons import Reason
from models.roster import Cadre, Roster
from models.standing import TOWNSHIP_STANDING


@dataclass(frozen=True)
class Sighting:
    """One petitioner raising one matter. `petitioner_key`: phone or ID (see Petitioner.keys);
    for an anonymous caller use something unique to the call so each one counts once."""
    petitioner_key: str
    village_code: str
    category: str
    at: datetime
    case_id: str | None = None
    accused_cadre_ids: frozenset[str] = frozenset()
    accused_unit_codes: frozenset[str] = frozenset()

    @property
    def accuses_anyone(self) -> bool:
        return bool(self.accused_cadre_ids or self.accused_unit_codes)


@dataclass(frozen=True)
class WarningPolicy:
    threshold: int = 5  # Art. 20 caps group visits at 5 representatives: 5 is already a group
    window: timedelta = timedelta(hours=24)


@dataclass(frozen=True)
class EarlyWarning:
    alert_id: str  # stable: the same crossing always yields the same id
    village_code: str
    category: str
    petitioner_count: int
    first_at: datetime
    last_at: datetime
    leader_cadre_id: str | None  # None: nobody in the township stands above the accused (the county)
    case_ids: tuple[str, ...]
    message: str
    hidden_from: frozenset[str] = frozenset()  # cadres who must not see this alert at all
    accusing_case_ids: tuple[str, ...] = ()
    reason: Reason | None = None

    @property
    def to_county(self) -> bool:
        return self.leader_cadre_id is None

    def visible_to(self, cadre_id: str | None) -> bool:
        return cadre_id not in self.hidden_from


class Timeline:
    """One matter's sightings in time order, so a check walks only the stretch of time it needs:
    a busy matter (thousands of calls in a day) is answered from the few sightings nearest the
    new one, not by comparing it with the whole window (that made a burst quadratic)."""

    def __init__(self, sightings: Iterable[Sighting] = ()) -> None:
        self._items = sorted(sightings, key=lambda s: s.at)
        self._times = [s.at for s in self._items]

    def add(self, sighting: Sighting) -> None:
        i = bisect_right(self._times, sighting.at)
        self._items.insert(i, sighting)
        self._times.insert(i, sighting.at)

    def __iter__(self) -> Iterator[Sighting]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def between(self, start: datetime, end: datetime) -> list[Sighting]:
        """The sightings with start < at < end."""
        return self._items[bisect_right(self._times, start):bisect_left(self._times, end)]

    def backwards_from(self, at: datetime) -> Iterator[Sighting]:
        """Sightings at or before `at`, latest first."""
        return (self._items[i] for i in range(bisect_right(self._times, at) - 1, -1, -1))

    def forwards_from(self, at: datetime) -> Iterator[Sighting]:
        """Sightings at or after `at`, earliest first."""
        return (self._items[i] for i in range(bisect_left(self._times, at), len(self._items)))


def check_cluster(new: Sighting, history: Iterable[Sighting], roster: Roster,
                  policy: WarningPolicy = WarningPolicy()) -> EarlyWarning | None:
    """The warning `new` raises, if it is the sighting that brings a cluster around it to the
    threshold: some window of the policy's length holding `new` counts `threshold` distinct
    petitioners with it, and none holding it did without it (that cluster has alerted).

    Sightings may arrive out of order (four partitions, a cadre's diary entered days later):
    every window holding `new` is looked at, not only the one ending at it, so the order of
    arrival never decides whether a cluster alerts. Pass a `Timeline` of the matter to keep
    each check short; any other iterable is sorted first."""
    timeline = history if isinstance(history, Timeline) else Timeline(history)
    earlier = _same_matter(new, timeline.backwards_from(new.at), lambda s: new.at - s.at < policy.window)
    later = _same_matter(new, timeline.forwards_from(new.at), lambda s: s.at - new.at < policy.window)
    if _reaches(earlier, policy.threshold) or _reaches(later, policy.threshold):
        return None  # a window holding `new` had the cluster already (the busy matter's usual answer)
    near = [s for s in timeline.between(new.at - policy.window, new.at + policy.window)
            if _matter(s) == _matter(new) and s != new]
    windows = [(members, {s.petitioner_key for s in members})
               for members in _windows_holding(new, near, policy.window)]
    if any(len(keys) >= policy.threshold for _, keys in windows):
        return None
    for members, keys in windows:
        if new.petitioner_key not in keys and len(keys) + 1 == policy.threshold:
            return _warning(new, sorted(members + [new], key=lambda s: s.at), policy.threshold, roster, policy)
    return None


def _matter(sighting: Sighting) -> tuple[str, str]:
    return sighting.village_code, sighting.category


def _same_matter(new: Sighting, walk: Iterator[Sighting], inside: Callable[[Sighting], bool]) -> Iterator[Sighting]:
    """The walk's sightings of `new`'s matter (besides `new`) until one falls outside the window."""
    for sighting in walk:
        if not inside(sighting):
            return
        if _matter(sighting) == _matter(new) and sighting != new:
            yield sighting


def _reaches(sightings: Iterator[Sighting], threshold: int) -> bool:
    """Whether the sightings count `threshold` distinct petitioners; stops as soon as they do."""
    keys: set[str] = set()
    for sighting in sightings:
        keys.add(sighting.petitioner_key)
        if len(keys) >= threshold:
            return True
    return False


def _windows_holding(new: Sighting, near: list[Sighting], length: timedelta) -> Iterable[list[Sighting]]:
    """The sightings besides `new` (`near`, in time order) in each window of `length` that
    holds `new`, anchored at the window's earliest sighting (a window moved to start there
    loses nothing)."""
    for anchor in [s.at for s in near if s.at <= new.at] + [new.at]:
        yield [s for s in near if anchor <= s.at < anchor + length]


def check_group_visit(village_code: str, category: str, visitor_count: int, at: datetime, visit_id: str,
                      roster: Roster, policy: WarningPolicy = WarningPolicy(), *, case_id: str | None = None,
                      accused_cadre_ids: frozenset[str] = frozenset(),
                      accused_unit_codes: frozenset[str] = frozenset()) -> EarlyWarning | None:
    """A single reception visit by a group at least as large as the threshold is itself the sign."""
    if visitor_count < policy.threshold:
        return None
    sighting = Sighting(f"visit:{visit_id}", village_code, category, at, case_id, frozenset(accused_cadre_ids),
                        frozenset(accused_unit_codes))
    return _warning(sighting, [sighting], visitor_count, roster, policy)


def _warning(new: Sighting, cluster: list[Sighting], count: int, roster: Roster,
             policy: WarningPolicy) -> EarlyWarning:
    cadres = frozenset().union(*(s.accused_cadre_ids for s in cluster))
    units = frozenset().union(*(s.accused_unit_codes for s in cluster))
    conflict = recusal_for(roster, cadres, units, new.village_code)
    level, leader = _recipient(roster, new.village_code, conflict)
    hours = policy.window.total_seconds() / 3600
    params = {"count": count, "village_code": new.village_code, "category": new.category, "hours": f"{hours:g}",
              "recipient_cadre_id": leader.cadre_id if leader else None, "recipient_level": level,
              "recipient": (f"{LEVEL_NAMES[level]} {leader.cadre_id} ({leader.name})" if leader
                            else "nobody in the township stands above the accused: the county must be")}
    reason = Reason("early_warning.cluster", params)
    # the petitioner key is personal data: only a digest of it goes into the id
    digest = hashlib.sha256(new.petitioner_key.encode()).hexdigest()[:12]
    return EarlyWarning(f"early-warning:{new.village_code}:{new.category}:{new.at.isoformat()}:{digest}",
                        new.village_code, new.category, count, cluster[0].at, new.at,
                        leader.cadre_id if leader else None, tuple(s.case_id for s in cluster if s.case_id),
                        reason.text, conflict.hidden_from,
                        tuple(s.case_id for s in cluster if s.case_id and s.accuses_anyone), reason)


def _recipient(roster: Roster, village_code: str, conflict: Recusal) -> tuple[int, Cadre | None]:
    """The leader in charge, or the first leader above everyone the cluster's cases accuse."""
    if not conflict.accuses_anyone:
        return TOWNSHIP_STANDING, roster.leader_in_charge(village_code)
    pick = first_eligible(roster, village_code, max(TOWNSHIP_STANDING, conflict.floor), conflict)
    return (pick.level or conflict.floor), pick.cadre
