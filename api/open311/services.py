"""Services are Minqing's categories; each takes three attributes: the village (required),
the kind of matter and its urgency. Requests are cases; their id is the case id."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from infra.db.case_repo import CLOSED_STATUSES
from models.categories import Catalogue, Category
from models.deadlines import KINDS
from models.roster import Roster

KIND_NAMES = {"consult": "咨询 consultation", "help": "求助 request for help", "suggestion": "建议 suggestion",
              "complaint": "投诉 complaint", "report": "举报 report"}
CONFIDENTIAL_KINDS = ("complaint", "report")  # never listed publicly (Arts. 28, 30, 46)


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


def request_view(row: dict[str, Any], roster: Roster, catalogue: Catalogue, *, full: bool,
                 notes: str | None = None) -> dict[str, Any]:
    """`full` (a caller with an api_key, within their scope) adds the description and notes."""
    category = _category(catalogue, row["category"])
    village = next((v.name for v in roster.villages() if v.code == row["village_code"]), row["village_code"])
    return {"service_request_id": row["case_id"],
            "status": "closed" if row["status"] in CLOSED_STATUSES else "open",
            "status_notes": notes if full else None, "service_name": category.label if category else row["category"],
            "service_code": row["category"], "description": row["summary"] if full else None,
            "agency_responsible": _agency(roster, row["owner_cadre_id"]), "service_notice": None,
            "requested_datetime": row["occurred_at"], "updated_datetime": row["updated_at"],
            "expected_datetime": row["next_due_at"], "address": village, "address_id": row["village_code"],
            "zipcode": None, "lat": None, "long": None, "media_url": None}


def _category(catalogue: Catalogue, code: str) -> Category | None:
    return next((c for c in catalogue.categories if c.code == code), None)


def _agency(roster: Roster, cadre_id: str) -> str | None:
    if not cadre_id or not roster.has_cadre(cadre_id):
        return None
    unit = roster.unit(roster.cadre(cadre_id).unit_code)
    return unit.name


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
