"""A realistic little township for tests: 城关街道 (330102001000) and its villages.

Each village has the full two committees with published responsibilities, a strictly
descending backup chain (no cycles), a group with a liaison, and a township leader in charge.
"""
from __future__ import annotations

import zlib
from datetime import datetime, timedelta, timezone
from typing import Any

from models.roster import Roster, Whereabouts

TOWNSHIP = "330102001000"
BEIJING = timezone(timedelta(hours=8))
# A Tuesday in an ordinary working week (no holidays near).
TUESDAY_10AM = datetime(2025, 3, 11, 10, 0, tzinfo=BEIJING)

_VILLAGE_POSTS = (  # suffix, posts, responsibilities, backup suffix
    ("sec", ["party_secretary"], [], "dsec"),
    ("dsec", ["deputy_secretary"], ["village_affairs"], "dir"),
    ("dir", ["director"], ["land"], "ddir"),
    ("ddir", ["deputy_director"], ["roads", "water"], "m1"),
    ("m1", ["member"], ["social_security", "elderly", "medical"], "m2"),
    ("m2", ["member"], ["dispute", "environment", "safety"], None),
)


def village_code(n: int) -> str:
    return f"{TOWNSHIP[:9]}{n:03d}"


def roster_data(villages: int = 3) -> dict[str, Any]:
    units = [{"code": TOWNSHIP, "name": "城关街道", "kind": "township", "parent_code": "330102000000"}]
    cadres = _township_cadres(villages)
    in_charge = []
    for n in range(1, villages + 1):
        code = village_code(n)
        units.append({"code": code, "name": f"第{n}村", "kind": "village", "parent_code": TOWNSHIP})
        units.append({"code": f"{code}-g1", "name": f"第{n}村一组", "kind": "group", "parent_code": code})
        cadres += _village_cadres(n, code)
        in_charge.append({"village_code": code, "cadre_id": f"t-l{n}"})
    return {"units": units, "cadres": cadres, "in_charge": in_charge}


def _cadre(cadre_id: str, unit: str, posts: list[str], resp: list[str], backup: str | None) -> dict[str, Any]:
    return {"cadre_id": cadre_id, "name": f"干部{cadre_id}", "phone": f"138{zlib.crc32(cadre_id.encode()) % 10**8:08d}",
            "unit_code": unit, "posts": posts, "responsibilities": resp, "backup_cadre_id": backup}


def _village_cadres(n: int, code: str) -> list[dict[str, Any]]:
    rows = [_cadre(f"v{n}-{s}", code, p, r, b and f"v{n}-{b}") for s, p, r, b in _VILLAGE_POSTS]
    rows.append(_cadre(f"v{n}-liaison", f"{code}-g1", [], [], None))
    return rows


def _township_cadres(villages: int) -> list[dict[str, Any]]:
    rows = [_cadre("t-sec", TOWNSHIP, ["party_secretary"], [], "t-dsec"),
            _cadre("t-dsec", TOWNSHIP, ["deputy_secretary"], [], None),
            _cadre("t-staff", TOWNSHIP, ["petition_staff"], [], None),
            _cadre("t-op", TOWNSHIP, ["operator"], [], None)]
    rows += [_cadre(f"t-l{n}", TOWNSHIP, ["leader_in_charge"], [], "t-dsec") for n in range(1, villages + 1)]
    return rows


def build_roster(villages: int = 3) -> Roster:
    return Roster.from_contract(roster_data(villages))


def away(roster: Roster, cadre_id: str, until: datetime | None = None, status: str = "away") -> Roster:
    return roster.with_whereabouts(cadre_id, Whereabouts(status, until))
