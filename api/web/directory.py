"""What the UI's pickers need from the roster: villages, cadres with their published hotline
numbers (村官热线) and whereabouts, and the category catalogue. Only published facts.

Every name carries its pinyin initials (吴志刚 → "wzg") so pickers and searches can be typed on
any keyboard: computed here by pypinyin (pinned), because a correct table of readings is far
too large for the browser and would drift from the names the roster actually holds."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from pypinyin import Style, lazy_pinyin

from models import posts as P
from models.roster import Roster

HOTLINE_POSTS = frozenset({P.PARTY_SECRETARY, P.DEPUTY_SECRETARY, P.DIRECTOR, P.DEPUTY_DIRECTOR})


@lru_cache(maxsize=4096)
def initials(name: str) -> str:
    """Lower-case pinyin initials of the Chinese characters; other letters and digits kept."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda rest: list(rest))
    return "".join(ch.lower() for ch in "".join(letters) if ch.isascii() and ch.isalnum())


def directory(roster: Roster, now: datetime) -> dict[str, Any]:
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
    categories = [{"code": c.code, "label": c.label, "initials": initials(c.label)} for c in roster.catalogue.categories]
    return {"township": {"code": township.code, "name": township.name}, "villages": villages,
            "cadres": cadres, "categories": categories}
