"""Early warning (超前信访): many residents of one village raising one issue in a short
window is the sign of a collective petition, and goes to the village's leader in charge.

A cluster alerts once, when its count of distinct petitioners reaches the threshold, so a
busy afternoon raises one alert rather than one per call.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from models.roster import Roster


@dataclass(frozen=True)
class Sighting:
    """One petitioner raising one matter. `petitioner_key`: phone or ID (see Petitioner.keys);
    for an anonymous caller use something unique to the call so each one counts once."""
    petitioner_key: str
    village_code: str
    category: str
    at: datetime
    case_id: str | None = None


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
    leader_cadre_id: str
    case_ids: tuple[str, ...]
    message: str


def check_cluster(new: Sighting, history: Iterable[Sighting], roster: Roster,
                  policy: WarningPolicy = WarningPolicy()) -> EarlyWarning | None:
    window = [s for s in history if (s.village_code, s.category) == (new.village_code, new.category)
              and new.at - policy.window < s.at <= new.at and s != new]
    earlier = {s.petitioner_key for s in window}
    if new.petitioner_key in earlier or len(earlier) + 1 != policy.threshold:
        return None
    cluster = sorted(window + [new], key=lambda s: s.at)
    return _warning(new, cluster, len(earlier) + 1, roster, policy)


def check_group_visit(village_code: str, category: str, visitor_count: int, at: datetime, visit_id: str,
                      roster: Roster, policy: WarningPolicy = WarningPolicy()) -> EarlyWarning | None:
    """A single reception visit by a group at least as large as the threshold is itself the sign."""
    if visitor_count < policy.threshold:
        return None
    sighting = Sighting(f"visit:{visit_id}", village_code, category, at, None)
    return _warning(sighting, [sighting], visitor_count, roster, policy)


def _warning(new: Sighting, cluster: list[Sighting], count: int, roster: Roster,
             policy: WarningPolicy) -> EarlyWarning:
    leader = roster.leader_in_charge(new.village_code)
    hours = policy.window.total_seconds() / 3600
    message = (f"{count} residents of village {new.village_code} raised {new.category} within {hours:g} hours: "
               f"possible collective petition; leader in charge {leader.cadre_id} ({leader.name}) alerted")
    # the petitioner key is personal data: only a digest of it goes into the id
    digest = hashlib.sha256(new.petitioner_key.encode()).hexdigest()[:12]
    return EarlyWarning(f"early-warning:{new.village_code}:{new.category}:{new.at.isoformat()}:{digest}",
                        new.village_code, new.category, count, cluster[0].at, new.at, leader.cadre_id,
                        tuple(s.case_id for s in cluster if s.case_id), message)
