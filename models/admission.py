"""What an input event must satisfy, beyond its schema, before it may become a case
(CONTRACT "Rules at the edge"): the accused it names are roster entries, and it did not
happen in the future. Both the API (422) and the stream (dead letter) call these.

An accusation is never silently dropped: an accused id that names nobody would accuse
nobody and let the case reach the very cadre it accuses. Ids are matched after folding
letter case, full-width forms and common look-alike letters, so `V1-DIR`, `ｖ１－ｄｉｒ` and
a Cyrillic `v1-dіr` all name `v1-dir`; an id matching nobody, or several, is refused with the
field it came from.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from models.errors import DomainError
from models.roster import Roster

MAX_AHEAD = timedelta(minutes=10)  # clocks of phones and field apps drift; a future petition does not exist

# Letters of other scripts drawn like Latin ones, and dash-like marks NFKC leaves alone.
_LOOK_ALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ӏ": "l", "ɡ": "g",
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "﹘": "-", "ー": "-",
})


class AccusedUnknown(DomainError):
    """An accused cadre id or unit code names no roster entry (or several)."""


def fold(value: str) -> str:
    """The form ids are compared in: NFKC, no invisible characters, look-alikes and case folded."""
    text = unicodedata.normalize("NFKC", value)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc"))
    text = text.casefold().translate(_LOOK_ALIKES)
    return "".join(text.split())


@dataclass(frozen=True)
class Accusation:
    """Whom a petition accuses, in the roster's own spelling."""
    cadre_ids: tuple[str, ...] = ()
    unit_codes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.cadre_ids or self.unit_codes)


def resolve_accused(roster: Roster, cadre_ids: Sequence[str] = (), unit_codes: Sequence[str] = (),
                    field: str = "accused") -> Accusation:
    """Canonical roster ids for the accused, or `AccusedUnknown` naming the first bad field
    (`accused.cadre_ids[1]`) and listing all of them in `params["fields"]`."""
    cadres = _index(c.cadre_id for c in roster.cadres)
    units = _index(u.code for u in roster.units)
    problems: list[tuple[str, str, str, tuple[str, ...]]] = []
    found_cadres = _resolve(cadre_ids, cadres, f"{field}.cadre_ids", "accused.unknown_cadre", problems)
    found_units = _resolve(unit_codes, units, f"{field}.unit_codes", "accused.unknown_unit", problems)
    if problems:
        code, where, value, matches = problems[0]
        if matches:
            code = "accused.ambiguous"
        raise AccusedUnknown.of(code, field=where, value=value, matches=", ".join(matches),
                                fields=[p[1] for p in problems])
    return Accusation(found_cadres, found_units)


def _index(ids: Iterable[str]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for canonical in ids:
        index.setdefault(fold(canonical), []).append(canonical)
    return index


def _resolve(values: Sequence[str], index: dict[str, list[str]], field: str, code: str,
             problems: list[tuple[str, str, str, tuple[str, ...]]]) -> tuple[str, ...]:
    found: list[str] = []
    for position, raw in enumerate(values):
        matches = index.get(fold(str(raw)), [])
        if len(matches) == 1:
            if matches[0] not in found:
                found.append(matches[0])
        else:
            problems.append((code, f"{field}[{position}]", str(raw), tuple(matches)))
    return tuple(found)


def check_occurred_at(occurred_at: datetime, now: datetime, tolerance: timedelta = MAX_AHEAD) -> None:
    """Refuse an `occurred_at` more than `tolerance` ahead of `now` (2199 would never fall due)."""
    if occurred_at - now > tolerance:
        raise DomainError.of("event.occurred_in_future", field="occurred_at", occurred_at=occurred_at.isoformat(),
                             now=now.isoformat(), tolerance_minutes=int(tolerance.total_seconds() // 60))
