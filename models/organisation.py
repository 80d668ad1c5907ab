"""The people and places of a roster: units, cadres and the whereabouts sign (去向牌)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models import posts as P


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str  # township | village | group
    parent_code: str | None


@dataclass(frozen=True)
class Cadre:
    cadre_id: str
    name: str
    phone: str
    unit_code: str
    posts: tuple[str, ...] = ()
    responsibilities: tuple[str, ...] = ()
    backup_cadre_id: str | None = None


@dataclass(frozen=True)
class Whereabouts:
    status: str  # on_duty | visiting | meeting | away | leave
    until: datetime | None = None

    def effective(self, at: datetime) -> str:
        """A sign left up after its `until` no longer counts: the cadre is back on duty."""
        return P.ON_DUTY if self.until is not None and at >= self.until else self.status
