"""What the UI's pickers need from the roster: villages, cadres with their published hotline
numbers (村官热线) and whereabouts, and the category catalogue. Only published facts."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from models import posts as P
from models.roster import Roster

HOTLINE_POSTS = frozenset({P.PARTY_SECRETARY, P.DEPUTY_SECRETARY, P.DIRECTOR, P.DEPUTY_DIRECTOR})


def directory(roster: Roster, now: datetime) -> dict[str, Any]:
    township = roster.township()
    villages = [{"code": v.code, "name": v.name,
                 "leader_cadre_id": dict(roster.in_charge).get(v.code)} for v in roster.villages()]
    cadres = []
    for cadre in roster.cadres:
        hotline = bool(HOTLINE_POSTS & set(cadre.posts)) and roster.unit(cadre.unit_code).kind == P.VILLAGE
        cadres.append({"cadre_id": cadre.cadre_id, "name": cadre.name, "posts": list(cadre.posts),
                       "unit_code": cadre.unit_code, "hotline": cadre.phone if hotline else None,
                       "whereabouts": roster.whereabouts_of(cadre.cadre_id, now)})
    categories = [{"code": c.code, "label": c.label} for c in roster.catalogue.categories]
    return {"township": {"code": township.code, "name": township.name}, "villages": villages,
            "cadres": cadres, "categories": categories}
