"""What the UI's pickers need from the roster: villages, cadres with their published hotline
numbers (村官热线) and whereabouts, and the category catalogue in force (an admin's new
categories included). Only published facts; and who the caller is, with what they may do.

Every name carries its pinyin initials (吴志刚 → "wzg") so pickers and searches can be typed on
any keyboard: computed here by pypinyin (pinned), because a correct table of readings is far
too large for the browser and would drift from the names the roster actually holds."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from pypinyin import Style, lazy_pinyin

from infra.services.ports import UnitOfWork
from models import posts as P
from models.access import CAPABILITIES, Actor, is_leader, published_policy
from models.categories import Catalogue
from models.roster import Roster

HOTLINE_POSTS = frozenset({P.PARTY_SECRETARY, P.DEPUTY_SECRETARY, P.DIRECTOR, P.DEPUTY_DIRECTOR})


@dataclass(frozen=True)
class Directory:
    actor: Actor


@dataclass(frozen=True)
class WhoAmI:
    actor: Actor


@lru_cache(maxsize=4096)
def initials(name: str) -> str:
    """Lower-case pinyin initials of the Chinese characters; other letters and digits kept."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return "".join(ch.lower() for ch in "".join(letters) if ch.isascii() and ch.isalnum())


def directory(roster: Roster, now: datetime, catalogue: Catalogue | None = None) -> dict[str, Any]:
    township = roster.township()
    villages = [{"code": v.code, "name": v.name, "initials": initials(v.name),
                 "leader_cadre_id": dict(roster.in_charge).get(v.code)} for v in roster.villages()]
    cadres = []
    for cadre in roster.cadres:
        hotline = bool(HOTLINE_POSTS & set(cadre.posts)) and roster.unit(cadre.unit_code).kind == P.VILLAGE
        cadres.append({"cadre_id": cadre.cadre_id, "name": cadre.name, "initials": initials(cadre.name),
                       "posts": list(cadre.posts), "unit_code": cadre.unit_code,
                       "hotline": cadre.phone if hotline else None,
                       "whereabouts": roster.whereabouts_of(cadre.cadre_id, now)})
    categories = [{"code": c.code, "label": c.label, "initials": initials(c.label)}
                  for c in (catalogue or roster.catalogue).categories]
    return {"township": {"code": township.code, "name": township.name}, "villages": villages,
            "cadres": cadres, "categories": categories}


async def read_directory(cmd: Directory, uow: UnitOfWork) -> dict[str, Any]:
    catalogue, _ = await uow.catalogues.current()
    return directory(uow.roster, uow.now, catalogue)


async def who_am_i(cmd: WhoAmI, uow: UnitOfWork) -> dict[str, Any]:
    actor, roster = cmd.actor, uow.roster
    cadre = roster.cadre(actor.cadre_id) if actor.cadre_id and roster.has_cadre(actor.cadre_id) else None
    return {"role": actor.role.value, "cadre_id": actor.cadre_id, "name": cadre.name if cadre else None,
            "posts": list(cadre.posts) if cadre else [], "is_leader": is_leader(actor, roster),
            "capabilities": sorted(c.value for c in CAPABILITIES[actor.role]), "policy": published_policy()}
