"""Checks of an entered event against the roster, so the person entering it hears at once
about a village or cadre that does not exist, instead of the event dying in a dead-letter topic."""
from __future__ import annotations

from api.problems import unprocessable
from models.categories import DEFAULT_CATALOGUE
from models.roster import Roster


def check_against_roster(roster: Roster, village_code: str, category: str, cadres: dict[str, str | None]) -> None:
    """`cadres`: field name → cadre id (None: not given)."""
    if not any(v.code == village_code for v in roster.villages()):
        raise unprocessable("village_code", f"{village_code} is not a village of this township")
    if category not in DEFAULT_CATALOGUE.codes() | roster.catalogue.codes():
        raise unprocessable("category", f"unknown category {category}; known: {', '.join(sorted(DEFAULT_CATALOGUE.codes()))}")
    for field, cadre_id in cadres.items():
        if cadre_id is not None and not roster.has_cadre(cadre_id):
            raise unprocessable(field, f"no cadre {cadre_id} in the roster")
