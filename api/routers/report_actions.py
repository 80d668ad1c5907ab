"""What the reports lead to: the meetings' 督办 items (recorded by a leader, worked by their
owner, closed by a leader), the month's top issue picked from its candidates, a village's
diary summary (members propose, the branch secretary submits), the villages that have not
submitted, petitions beyond the township (petition staff) and the assessment weights (admin)."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status
from pydantic import AwareDatetime

from api.deps import Admin, App, CurrentActor, FieldCadre, Leader, Reader, Worker
from api.schemas.problems import answers
from api.schemas.reports import (ProposalPut, SupervisionAction, SupervisionItemCreate, SupervisionItemPublic,
                                 SupervisionItemsPublic, TopIssuePickCreate, UpwardPetitionCreate, WeightsPublic,
                                 WeightsPut)
from infra.services import assessment, diary_summaries, supervision, top_issues, upward

router = APIRouter(prefix="/api/v1", tags=["reports"], responses=answers(401, 403, 404, 409, 503))
ItemId = Annotated[str, Path(min_length=1, max_length=36)]
Village = Annotated[str, Path(pattern=r"^\d{12}$")]
DiaryPeriod = Annotated[str, Path(pattern=r"^\d{4}-[Bb][1-6]$")]
Category = Annotated[str, Path(pattern=r"^[a-z_]{1,32}$")]


@router.post("/supervision-items", response_model=SupervisionItemPublic, status_code=status.HTTP_201_CREATED)
async def record_decision(body: SupervisionItemCreate, app: App, actor: Leader) -> dict[str, Any]:
    """A decision of the joint meeting (督办): tracked like a case, escalated when late, listed
    in every meeting report until a leader closes it."""
    return await app.handle(supervision.RecordDecision(  # type: ignore[no-any-return]
        actor, body.title, body.owner_cadre_id, body.due_on, body.village_code, tuple(body.case_ids)))


@router.get("/supervision-items", response_model=SupervisionItemsPublic)
async def list_items(app: App, actor: Reader, include_closed: bool = False) -> SupervisionItemsPublic:
    items = await app.handle(supervision.ListItems(actor, include_closed))
    return SupervisionItemsPublic(items=[SupervisionItemPublic(**i) for i in items])


@router.get("/supervision-items/{item_id}", response_model=SupervisionItemPublic)
async def get_item(item_id: ItemId, app: App, actor: Reader) -> dict[str, Any]:
    return await app.handle(supervision.GetItem(actor, item_id))  # type: ignore[no-any-return]


@router.post("/supervision-items/{item_id}/actions", response_model=SupervisionItemPublic)
async def work_item(item_id: ItemId, body: SupervisionAction, app: App, actor: Worker) -> dict[str, Any]:
    """progress and report_done: the owner (or a leader); close, reopen and extend: a leader."""
    return await app.handle(supervision.WorkItem(  # type: ignore[no-any-return]
        actor, item_id, body.action, body.note, body.due_on))


@router.post("/top-issues", status_code=status.HTTP_201_CREATED)
async def pick_top_issue(body: TopIssuePickCreate, app: App, actor: Leader) -> dict[str, Any]:
    """The month's top issue (每月一题) from its candidates: an owner and a deadline; followed
    up as a 督办 item."""
    return await app.handle(top_issues.PickTopIssue(  # type: ignore[no-any-return]
        actor, body.month, body.label, body.owner_cadre_id, body.due_on))


@router.put("/diary-summaries/{village_code}/{period}/proposals/{category}")
async def propose(village_code: Village, period: DiaryPeriod, category: Category, body: ProposalPut, app: App,
                  actor: FieldCadre) -> dict[str, Any]:
    """A two-committee member proposes (or rewrites) the solution for one category."""
    return await app.handle(diary_summaries.ProposeSolution(  # type: ignore[no-any-return]
        actor, village_code, period.upper(), category, body.solution))


@router.post("/diary-summaries/{village_code}/{period}/submission")
async def submit(village_code: Village, period: DiaryPeriod, app: App, actor: FieldCadre) -> dict[str, Any]:
    """The branch secretary submits the village's summary to the township."""
    return await app.handle(diary_summaries.SubmitDiarySummary(  # type: ignore[no-any-return]
        actor, village_code, period.upper()))


@router.get("/diary-summaries")
async def summary_statuses(app: App, actor: Reader,
                           period: Annotated[str | None, Query(pattern=r"^\d{4}-[Bb][1-6]$")] = None
                           ) -> dict[str, Any]:
    """Where each village in reach stands with its summary of the period (on_time, late,
    missing or pending): who has not submitted."""
    return await app.handle(diary_summaries.SummaryStatuses(  # type: ignore[no-any-return]
        actor, period.upper() if period else None))


@router.post("/upward-petitions", status_code=status.HTTP_201_CREATED)
async def record_upward_petition(body: UpwardPetitionCreate, app: App, actor: CurrentActor) -> dict[str, Any]:
    """A petition of a village that went beyond the township (petition staff)."""
    return await app.handle(upward.RecordUpwardPetition(  # type: ignore[no-any-return]
        actor, body.village_code, body.occurred_at, body.level, body.reference))


@router.get("/upward-petitions")
async def list_upward_petitions(app: App, actor: Reader, since: Annotated[AwareDatetime, Query()],
                                until: Annotated[AwareDatetime, Query()]) -> dict[str, Any]:
    """The petitions beyond the township of the villages in reach, in [since, until)."""
    return {"items": await app.handle(upward.ListUpwardPetitions(actor, since, until))}


@router.get("/admin/assessment-weights", response_model=WeightsPublic)
async def read_weights(app: App, actor: Admin) -> dict[str, Any]:
    return await app.handle(assessment.ReadWeights(actor))  # type: ignore[no-any-return]


@router.put("/admin/assessment-weights", response_model=WeightsPublic)
async def set_weights(body: WeightsPut, app: App, actor: Admin) -> dict[str, Any]:
    """The village assessment's weights and star thresholds; unnamed ones keep their default."""
    return await app.handle(assessment.SetWeights(actor, body.weights))  # type: ignore[no-any-return]
