"""Roster validation: every problem at once, so an import is fixed in one pass."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from models import posts as P
from models.categories import Catalogue
from models.organisation import Cadre, Unit, Whereabouts

_DIVISION_CODE = re.compile(r"^\d{12}$")


def duplicates(values: Sequence[str], what: str) -> list[str]:
    return [f"duplicate {what} {v} (appears {n} times)" for v, n in Counter(values).items() if n > 1]


def unit_problems(units: Mapping[str, Unit]) -> list[str]:
    found: list[str] = []
    townships = [u for u in units.values() if u.kind == P.TOWNSHIP]
    if len(townships) != 1:
        found.append(f"a roster describes exactly one township or street, found {len(townships)}")
    for unit in units.values():
        found += _one_unit_problems(unit, units)
    return found


def _one_unit_problems(unit: Unit, units: Mapping[str, Unit]) -> list[str]:
    if unit.kind not in P.UNIT_KINDS:
        return [f"unit {unit.code} has unknown kind {unit.kind!r}: expected one of {', '.join(P.UNIT_KINDS)}"]
    if unit.kind == P.GROUP:
        return _parent_problems(unit, units, P.VILLAGE)
    if not _DIVISION_CODE.match(unit.code):
        return [f"{unit.kind} {unit.code} ({unit.name}) needs a 12-digit division code"]
    if unit.kind == P.TOWNSHIP:
        return [] if unit.code.endswith("000") else [
            f"township {unit.code} ({unit.name}): a township code ends in 000"]
    found = _parent_problems(unit, units, P.TOWNSHIP)
    if unit.code.endswith("000"):
        found.append(f"village {unit.code} ({unit.name}): village digits 000 denote the township itself")
    parent = units.get(unit.parent_code or "")
    if parent is not None and not found and unit.code[:9] != parent.code[:9]:
        found.append(f"village {unit.code} ({unit.name}) does not lie in township {parent.code}: first 9 digits differ")
    return found


def _parent_problems(unit: Unit, units: Mapping[str, Unit], parent_kind: str) -> list[str]:
    parent = units.get(unit.parent_code or "")
    if parent is None:
        return [f"{unit.kind} {unit.code} ({unit.name}) has unknown parent unit {unit.parent_code}"]
    if parent.kind != parent_kind:
        return [f"{unit.kind} {unit.code} ({unit.name}) must lie in a {parent_kind}, not {parent.kind} {parent.code}"]
    return []


def cadre_problems(cadres: Mapping[str, Cadre], units: Mapping[str, Unit], catalogue: Catalogue) -> list[str]:
    found: list[str] = []
    for c in cadres.values():
        if c.unit_code not in units:
            found.append(f"cadre {c.cadre_id} belongs to unknown unit_code {c.unit_code}")
        found += [f"cadre {c.cadre_id} holds unknown post {p!r}" for p in c.posts if p not in P.POSTS]
        found += [f"cadre {c.cadre_id} is responsible for unknown category {r!r}"
                  for r in c.responsibilities if r not in catalogue.codes()]
        if c.backup_cadre_id is not None and c.backup_cadre_id not in cadres:
            found.append(f"cadre {c.cadre_id} names backup {c.backup_cadre_id}, who does not exist")
        if c.backup_cadre_id == c.cadre_id:
            found.append(f"cadre {c.cadre_id} names themselves as their own backup")
    # Mutual backups (互为AB角) and longer rings are legal: resolving a backup walks the ring
    # and stops where it began (models.backups).
    return found


def post_problems(cadres: Mapping[str, Cadre], units: Mapping[str, Unit]) -> list[str]:
    found = []
    secretaries: dict[str, list[str]] = {}
    for c in cadres.values():
        if P.PARTY_SECRETARY in c.posts:
            secretaries.setdefault(c.unit_code, []).append(c.cadre_id)
    for unit in units.values():
        if unit.kind not in (P.TOWNSHIP, P.VILLAGE):
            continue
        holders = secretaries.get(unit.code, [])
        if not holders:
            found.append(f"{unit.kind} {unit.code} ({unit.name}) has no party_secretary")
        elif len(holders) > 1:
            found.append(f"{unit.kind} {unit.code} ({unit.name}) has {len(holders)} party secretaries: {', '.join(holders)}")
    return found


def in_charge_problems(in_charge: Sequence[tuple[str, str]], cadres: Mapping[str, Cadre],
                       units: Mapping[str, Unit]) -> list[str]:
    found = duplicates([v for v, _ in in_charge], "leader in charge for village")
    for village, cadre_id in in_charge:
        unit = units.get(village)
        if unit is None or unit.kind != P.VILLAGE:
            found.append(f"in_charge names unknown village {village}")
        if cadre_id not in cadres:
            found.append(f"in_charge names unknown cadre {cadre_id} for village {village}")
        elif (home := units.get(cadres[cadre_id].unit_code)) is not None and home.kind != P.TOWNSHIP:
            found.append(f"leader in charge {cadre_id} of village {village} must be a township cadre")
    covered = {v for v, _ in in_charge}
    found += [f"village {u.code} ({u.name}) has no leader in charge"
              for u in units.values() if u.kind == P.VILLAGE and u.code not in covered]
    return found


def whereabouts_problems(whereabouts: Mapping[str, Whereabouts], cadres: Mapping[str, Cadre]) -> list[str]:
    found = []
    for cadre_id, w in whereabouts.items():
        if cadre_id not in cadres:
            found.append(f"whereabouts given for unknown cadre {cadre_id}")
        if w.status not in P.WHEREABOUTS:
            found.append(f"cadre {cadre_id} has unknown whereabouts {w.status!r}: expected one of {', '.join(P.WHEREABOUTS)}")
        if w.until is not None and w.until.utcoffset() is None:
            found.append(f"whereabouts of cadre {cadre_id}: 'until' needs a UTC offset")
    return found
