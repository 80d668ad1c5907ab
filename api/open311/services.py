"""Services are Minqing's categories; each takes three attributes: the village (required),
the kind of matter and its urgency. Requests are cases; their id is the case id (see
`infra.services.open311` for the request view)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from models.categories import Category
from models.deadlines import KINDS
from models.roster import Roster

KIND_NAMES = {"consult": "咨询 consultation", "help": "求助 request for help", "suggestion": "建议 suggestion",
              "complaint": "投诉 complaint", "report": "举报 report"}


def service(category: Category) -> dict[str, Any]:
    return {"service_code": category.code, "service_name": category.label,
            "description": f"{category.label}: handled within {category.handling_working_days} working days",
            "metadata": True, "type": "batch", "keywords": category.code.replace("_", " "), "group": "民情"}


def definition(category: Category, roster: Roster) -> dict[str, Any]:
    villages = [{"key": v.code, "name": v.name} for v in roster.villages()]
    return {"service_code": category.code, "attributes": [
        _attribute("village_code", "Village (村/社区) where the matter is", villages, 1, required=True),
        _attribute("kind", "Kind of matter", [{"key": k, "name": KIND_NAMES[k]} for k in KINDS], 2),
        _attribute("urgency", "Urgency", [{"key": "normal", "name": "normal"}, {"key": "urgent", "name": "urgent"}], 3),
    ]}


def _attribute(code: str, description: str, values: list[dict[str, str]], order: int, *,
               required: bool = False) -> dict[str, Any]:
    return {"variable": True, "code": code, "datatype": "singlevaluelist", "required": required,
            "datatype_description": None, "order": order, "description": description, "values": values}


def parse_date(value: str | None, name: str) -> datetime | None:
    if value is None or value == "":
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{name}: not a W3C date-time (e.g. 2026-11-29T08:00:00+08:00)") from None
    if moment.tzinfo is None:
        raise ValueError(f"{name}: needs a time zone (Z or an offset)")
    if not 1900 <= moment.year <= 2200:
        raise ValueError(f"{name}: the year must be between 1900 and 2200")
    return moment
