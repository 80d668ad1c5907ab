"""The roster: units (township → villages → groups), cadres, backups (AB角), leaders in charge
(包村领导) and the whereabouts sign (去向牌). Immutable; validated once when built."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from models import posts as P
from models import roster_checks as checks
from models.categories import DEFAULT_CATALOGUE, Catalogue
from models.errors import RosterError, UnknownCadre, UnknownUnit
from models.organisation import Cadre, Unit, Whereabouts
from models.roster_io import cadre_from, cadre_to, unit_from, unit_to, whereabouts_from, whereabouts_to

__all__ = ["Cadre", "Roster", "Unit", "Whereabouts"]


@dataclass(frozen=True)
class Roster:
    units: tuple[Unit, ...]
    cadres: tuple[Cadre, ...]
    in_charge: tuple[tuple[str, str], ...]  # (village_code, cadre_id)
    whereabouts: tuple[tuple[str, Whereabouts], ...] = ()
    catalogue: Catalogue = DEFAULT_CATALOGUE
    _unit: dict[str, Unit] = field(init=False, repr=False, compare=False)
    _cadre: dict[str, Cadre] = field(init=False, repr=False, compare=False)
    # Look-ups every routing and escalation makes, built once: a district's roster has
    # thousands of cadres, and a scan of them per case cost milliseconds.
    _index: "_Index" = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_unit", {u.code: u for u in self.units})
        object.__setattr__(self, "_cadre", {c.cadre_id: c for c in self.cadres})
        object.__setattr__(self, "_index", _Index.of(self))
        problems = (checks.duplicates([u.code for u in self.units], "unit code")
                    + checks.duplicates([c.cadre_id for c in self.cadres], "cadre id")
                    + checks.unit_problems(self._unit)
                    + checks.cadre_problems(self._cadre, self._unit, self.catalogue)
                    + checks.post_problems(self._cadre, self._unit)
                    + checks.in_charge_problems(self.in_charge, self._cadre, self._unit)
                    + checks.whereabouts_problems(dict(self.whereabouts), self._cadre))
        if problems:
            raise RosterError(problems)

    @classmethod
    def from_contract(cls, data: Mapping[str, Any], catalogue: Catalogue = DEFAULT_CATALOGUE) -> "Roster":
        problems: list[str] = []
        units = _parse(data.get("units", ()), unit_from, "unit", problems)
        cadres = _parse(data.get("cadres", ()), cadre_from, "cadre", problems)
        in_charge = _parse(data.get("in_charge", ()), lambda r: (str(r["village_code"]), str(r["cadre_id"])),
                           "in_charge entry", problems)
        whereabouts = _parse(data.get("whereabouts", ()), whereabouts_from, "whereabouts entry", problems)
        if problems:
            raise RosterError(problems)
        return cls(tuple(Unit(**u) for u in units), tuple(Cadre(**c) for c in cadres),
                   tuple(in_charge), tuple((cid, Whereabouts(**w)) for cid, w in whereabouts), catalogue)

    def to_contract(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "units": [unit_to(u) for u in self.units],
            "cadres": [cadre_to(c) for c in self.cadres],
            "in_charge": [{"village_code": v, "cadre_id": c} for v, c in self.in_charge],
        }
        if self.whereabouts:
            out["whereabouts"] = [whereabouts_to(cid, w) for cid, w in self.whereabouts]
        return out

    def with_whereabouts(self, cadre_id: str, whereabouts: Whereabouts) -> "Roster":
        self.cadre(cadre_id)
        rest = tuple((c, w) for c, w in self.whereabouts if c != cadre_id)
        return replace(self, whereabouts=rest + ((cadre_id, whereabouts),))

    # --- look-ups -------------------------------------------------------------------------
    def cadre(self, cadre_id: str) -> Cadre:
        if cadre_id not in self._cadre:
            raise UnknownCadre(cadre_id)
        return self._cadre[cadre_id]

    def has_cadre(self, cadre_id: str) -> bool:
        return cadre_id in self._cadre

    def unit(self, code: str) -> Unit:
        if code not in self._unit:
            raise UnknownUnit("unit", code)
        return self._unit[code]

    def village(self, code: str) -> Unit:
        unit = self._unit.get(code)
        if unit is None or unit.kind != P.VILLAGE:
            raise UnknownUnit("village", code)
        return unit

    def villages(self) -> tuple[Unit, ...]:
        return self._index.villages

    def township(self) -> Unit:
        return self._index.township  # type: ignore[return-value]  # validated: exactly one

    def village_of(self, unit_code: str) -> Unit | None:
        """The village a village or group belongs to; None for the township."""
        unit = self.unit(unit_code)
        if unit.kind == P.GROUP:
            return self.village(unit.parent_code or "")
        return unit if unit.kind == P.VILLAGE else None

    def cadres_of(self, unit_code: str) -> tuple[Cadre, ...]:
        return self._index.by_unit.get(unit_code, ())

    def holder(self, unit_code: str, post: str) -> Cadre | None:
        return next((c for c in self.cadres_of(unit_code) if post in c.posts), None)

    def branch_secretary(self, village_code: str) -> Cadre:
        self.village(village_code)
        return self.holder(village_code, P.PARTY_SECRETARY)  # type: ignore[return-value]  # validated

    def leader_in_charge(self, village_code: str) -> Cadre:
        self.village(village_code)
        return self.cadre(self._index.in_charge[village_code])

    def party_secretary(self) -> Cadre:
        return self.holder(self.township().code, P.PARTY_SECRETARY)  # type: ignore[return-value]

    def is_leader(self, cadre_id: str) -> bool:
        """Township leaders may approve extensions: secretaries and leaders in charge."""
        cadre = self.cadre(cadre_id)
        township = self.unit(cadre.unit_code).kind == P.TOWNSHIP
        return township and (bool(P.LEADER_POSTS & set(cadre.posts)) or cadre_id in self._index.leaders)

    def responsible_for(self, village_code: str, category: str) -> Cadre | None:
        """The responsibility matrix (village × category → cadre): the most senior member
        of the village's two committees whose published 分工 includes the category."""
        holders = [c for c in self.cadres_of(village_code) if category in c.responsibilities]
        return min(holders, key=_seniority, default=None)

    def whereabouts_of(self, cadre_id: str, at: datetime) -> str:
        sign = self._index.whereabouts.get(cadre_id)
        return P.ON_DUTY if sign is None else sign.effective(at)

    def is_absent(self, cadre_id: str, at: datetime) -> bool:
        return self.whereabouts_of(cadre_id, at) in P.ABSENT

    def members_of(self, unit_codes: Iterable[str]) -> frozenset[str]:
        """Cadres of the units and of their groups: accusing a village covers its liaisons too.
        Unknown codes cover nobody (an accused unit outside this township has no cadres here)."""
        codes = set(unit_codes)
        codes |= {group for code in list(codes) for group in self._index.groups.get(code, ())}
        return frozenset(c.cadre_id for code in codes for c in self.cadres_of(code))


@dataclass(frozen=True)
class _Index:
    villages: tuple[Unit, ...]
    township: Unit | None
    by_unit: dict[str, tuple[Cadre, ...]]
    groups: dict[str, tuple[str, ...]]  # village code -> its group codes
    in_charge: dict[str, str]
    leaders: frozenset[str]
    whereabouts: dict[str, Whereabouts]

    @classmethod
    def of(cls, roster: "Roster") -> "_Index":
        by_unit: dict[str, list[Cadre]] = {}
        for cadre in roster.cadres:
            by_unit.setdefault(cadre.unit_code, []).append(cadre)
        groups: dict[str, list[str]] = {}
        for unit in roster.units:
            if unit.kind == P.GROUP and unit.parent_code is not None:
                groups.setdefault(unit.parent_code, []).append(unit.code)
        in_charge = dict(roster.in_charge)
        return cls(tuple(u for u in roster.units if u.kind == P.VILLAGE),
                   next((u for u in roster.units if u.kind == P.TOWNSHIP), None),
                   {code: tuple(cadres) for code, cadres in by_unit.items()},
                   {code: tuple(codes) for code, codes in groups.items()},
                   in_charge, frozenset(in_charge.values()), dict(roster.whereabouts))


def _seniority(cadre: Cadre) -> tuple[int, str]:
    return (min((P.SENIORITY.get(p, 99) for p in cadre.posts), default=99), cadre.cadre_id)


def _parse(rows: Iterable[Any], convert: Any, what: str, problems: list[str]) -> list[Any]:
    parsed = []
    for index, row in enumerate(rows):
        try:
            parsed.append(convert(row))
        except (KeyError, TypeError, ValueError) as error:
            problems.append(f"{what} #{index + 1} is malformed: {error!r}")
    return parsed
