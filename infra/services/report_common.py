"""What the report use cases share: the answer they give (the CONTRACT JSON and the same
content as an exportable document), the reads every report makes through the case door
(`uow.reads`, always with the caller's scope), and the translation of the report rules'
refusals into the service layer's errors."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, NoReturn

from infra.exports.document import ReportDocument
from infra.exports.labels import category_labels
from infra.exports.report_documents import Names, names_from
from infra.services.errors import Conflict, Forbidden, Invalid, ServiceError
from infra.services.ports import CaseFilter, UnitOfWork
from models.access import Scope
from models.errors import DomainError
from models.reports.reach import item_in_reach, recusal_only
from models.reports.records import CaseLine, DiaryLine, case_line_of, diary_line_of
from models.reports.supervision import Supervision

DIARY = ("diary",)


@dataclass(frozen=True)
class Report:
    """A report as a use case answers: `body` is the JSON of the API; `document(lang)` the same
    content for the XLSX and PDF exports (built by the edge, outside the transaction)."""
    name: str                                  # the file name's stem, e.g. "meeting-2025-03-10"
    body: dict[str, Any]
    document: Callable[[str], ReportDocument]


async def names_for(uow: UnitOfWork) -> Callable[[str], Names]:
    """Names of villages, cadres and categories (in force now) for a document in a language."""
    catalogue, _ = await uow.catalogues.current()
    labels = {c.code: c.label for c in catalogue.categories}
    roster = uow.roster
    return lambda lang: names_from(roster, category_labels(lang, labels))


async def case_lines(uow: UnitOfWork, scope: Scope, *filters: CaseFilter) -> list[CaseLine]:
    """The cases matching any of the filters, each once, within the scope."""
    found: dict[str, CaseLine] = {}
    for f in filters:
        for row in await uow.reads.lines(scope, f):
            found.setdefault(row["case_id"], case_line_of(row))
    return list(found.values())


async def diary_lines(uow: UnitOfWork, scope: Scope, f: CaseFilter) -> list[DiaryLine]:
    """Diary entries (民情日记) that became cases — resolved on the spot or not — within the scope."""
    return [diary_line_of(row) for row in await uow.reads.lines(scope, replace(f, sources=DIARY))]


async def accusing_the_caller(uow: UnitOfWork, scope: Scope, case_ids: Iterable[str]) -> set[str]:
    """Of these cases, those the caller may not see because they accuse the caller or their unit."""
    wanted = tuple(sorted(set(case_ids)))
    if not wanted or not (scope.recused_cadre_id or scope.recused_unit_codes):
        return set()
    seen = {row["case_id"] for row in await uow.reads.lines(recusal_only(scope), CaseFilter(case_ids=wanted))}
    return set(wanted) - seen


async def items_in_reach(uow: UnitOfWork, scope: Scope, items: Sequence[Supervision]) -> list[Supervision]:
    """督办 items the caller may see: in reach, and tied to no case that accuses the caller."""
    reachable = [i for i in items if item_in_reach(scope, i)]
    hidden = await accusing_the_caller(uow, scope, (c for i in reachable for c in i.case_ids))
    return [i for i in reachable if not hidden & set(i.case_ids)]


# How each refusal of the report rules is heard: (error kind, the field it names).
_FORBIDDEN = frozenset({"supervision.not_leader", "supervision.not_owner", "diary_summary.not_member",
                        "diary_summary.not_secretary"})
_CONFLICT = frozenset({"supervision.illegal_action", "diary_summary.already_submitted", "diary_summary.too_early",
                       "diary_summary.proposals_missing", "top_issue.too_many", "top_issue.already_picked",
                       "top_issue.month_not_begun"})
_FIELDS = {"report.bad_period": "period", "report.bad_window": "since", "supervision.unknown_owner": "owner_cadre_id",
           "supervision.due_in_past": "due_on", "supervision.not_later": "due_on",
           "diary_summary.empty_proposal": "solution", "assessment.bad_weights": "weights"}
_QUERY_CODES = frozenset({"report.bad_period", "report.bad_window", "report.no_meeting_day"})


def refusal(error: DomainError, *, state: str | None = None, allowed: Sequence[str] = ()) -> ServiceError:
    """A refusal of the report rules as the caller hears it: 403, 409 or 422 naming the field."""
    if error.code in _FORBIDDEN:
        return Forbidden(str(error), code=error.code, params=error.params)
    if error.code in _CONFLICT:
        return Conflict(str(error), state=state, allowed_actions=allowed, code=error.code, params=error.params)
    field = str(error.params.get("field") or _FIELDS.get(error.code, "request"))
    params = {k: v for k, v in error.params.items() if k != "field"}
    return Invalid(field, str(error), code=error.code, params=params,
                   where="query" if error.code in _QUERY_CODES else "body")


def refuse(error: DomainError, **context: Any) -> NoReturn:
    raise refusal(error, **context) from None


def iso(value: Any) -> Any:
    return None if value is None else value.isoformat()
