"""Every state of the lifecycle reachable through the use cases (issue 11): not accepting a
matter, pause and resume, review and re-review — and nobody deciding their own request."""
from __future__ import annotations

import pytest

from infra.memory.store import MemoryStore
from infra.services.app import Minqing
from infra.services.casework import AcceptCase, CloseCase, RecordCallback, ReplyToPetitioner
from infra.services.errors import Conflict, Forbidden
from infra.services.lifecycle import DecideReviewOf, DeclineMatter, PauseCase, RequestReviewOf, ResumeCase
from infra.services.oversight import DecideExtension, RequestExtension
from tests.unit.services.conftest import LEAD1, OPERATOR, SECRETARY, V1DIR, Actor, MovableClock, Role, call, take_in


async def _closed_case(app: Minqing) -> str:
    (case_id,) = await take_in(app, call())
    await app.handle(AcceptCase(V1DIR, case_id))
    await app.handle(ReplyToPetitioner(V1DIR, case_id, "已处理"))
    await app.handle(RecordCallback(OPERATOR, case_id, "satisfied", True, ""))
    await app.handle(CloseCase(OPERATOR, case_id))
    return case_id


async def test_a_matter_not_accepted_is_final_with_its_reason_and_notice(app: Minqing, store: MemoryStore) -> None:
    (case_id,) = await take_in(app, call())
    declined = await app.handle(DeclineMatter(V1DIR, case_id, "属于司法程序", "书面告知书第12号"))
    assert declined["status"] == "not_accepted" and declined["allowed_actions"] == []
    assert store.tables.cases[case_id]["is_open"] is False


async def test_a_pause_stops_the_clock_and_a_resume_moves_the_deadline(app: Minqing, store: MemoryStore,
                                                                       clock: MovableClock) -> None:
    (case_id,) = await take_in(app, call())
    await app.handle(AcceptCase(V1DIR, case_id))
    due = store.tables.cases[case_id]["next_due_at"]
    with pytest.raises(Forbidden):
        await app.handle(PauseCase(V1DIR, case_id, "等鉴定"))
    paused = await app.handle(PauseCase(LEAD1, case_id, "等待水质鉴定"))
    assert paused["status"] == "paused" and paused["due_at"] is None
    clock.advance(days=3)
    resumed = await app.handle(ResumeCase(LEAD1, case_id))
    assert resumed["status"] == "in_progress"
    assert (store.tables.cases[case_id]["next_due_at"] - due).days == 3


async def test_review_then_re_review_each_decided_above_and_final(app: Minqing) -> None:
    case_id = await _closed_case(app)
    with pytest.raises(Forbidden):  # the petitioner asks through the desk, not a cadre
        await app.handle(RequestReviewOf(V1DIR, case_id, "不服"))
    asked = await app.handle(RequestReviewOf(OPERATOR, case_id, "对答复不满意，申请复查"))
    assert asked["status"] == "under_review" and asked["due_stage"] == "review_decision"
    with pytest.raises(Forbidden):
        await app.handle(DecideReviewOf(V1DIR, case_id, "维持"))
    reviewed = await app.handle(DecideReviewOf(LEAD1, case_id, "维持原答复"))
    assert reviewed["status"] == "reviewed"
    await app.handle(RequestReviewOf(OPERATOR, case_id, "申请复核", re_review=True))
    with pytest.raises(Conflict):  # the re-review is decided above the reviewer
        await app.handle(DecideReviewOf(LEAD1, case_id, "维持", re_review=True))
    final = await app.handle(DecideReviewOf(SECRETARY, case_id, "复核维持", re_review=True))
    assert final["status"] == "re_reviewed" and final["allowed_actions"] == []


async def test_a_leader_who_owns_a_case_cannot_approve_his_own_extension(app: Minqing) -> None:
    (case_id,) = await take_in(app, call(dialed_cadre_id=None, village_code="330782101201", category="other"))
    owned = await take_in(app, call(dialed_cadre_id="t-lead1"))
    lead_case = owned[0]
    await app.handle(AcceptCase(LEAD1, lead_case))
    request = await app.handle(RequestExtension(LEAD1, lead_case, 10, "需要时间"))
    with pytest.raises(Conflict) as refused:
        await app.handle(DecideExtension(LEAD1, request["id"], True))
    assert refused.value.code.startswith("decision.")
    approved = await app.handle(DecideExtension(SECRETARY, request["id"], True))
    assert approved["status"] == "approved" and case_id != lead_case


async def test_the_petition_staff_handler_does_not_record_the_callback_of_their_own_case(app: Minqing) -> None:
    staff = Actor(Role.PETITION_STAFF, "t-xf1")
    (case_id,) = await take_in(app, call(dialed_cadre_id="t-xf1"))
    await app.handle(AcceptCase(staff, case_id))
    await app.handle(ReplyToPetitioner(staff, case_id, "已答复"))
    with pytest.raises(Conflict):
        await app.handle(RecordCallback(staff, case_id, "satisfied", True, ""))
    assert (await app.handle(RecordCallback(OPERATOR, case_id, "satisfied", True, "")))["status"] == "resolved"


async def test_after_a_concluded_re_review_the_desk_hears_the_matter_is_not_accepted_again(
        app: Minqing, store: MemoryStore) -> None:
    from infra.services.submissions import SubmitEvent

    caller = {"name": "郑", "phone": "13900000321", "id_number": None, "anonymous": False}
    (case_id,) = await take_in(app, call(caller=caller))
    await app.handle(AcceptCase(V1DIR, case_id))
    await app.handle(ReplyToPetitioner(V1DIR, case_id, "已处理"))
    await app.handle(RecordCallback(OPERATOR, case_id, "unsatisfied", False, "不满意"))
    await app.handle(ReplyToPetitioner(V1DIR, case_id, "再次答复"))
    await app.handle(RecordCallback(OPERATOR, case_id, "satisfied", False, ""))
    await app.handle(CloseCase(OPERATOR, case_id))
    await app.handle(RequestReviewOf(OPERATOR, case_id, "复查"))
    await app.handle(DecideReviewOf(LEAD1, case_id, "维持"))
    await app.handle(RequestReviewOf(OPERATOR, case_id, "复核", re_review=True))
    await app.handle(DecideReviewOf(SECRETARY, case_id, "维持", re_review=True))
    fields = {k: v for k, v in call(caller=caller).items() if k not in ("event_id", "operator_id")}
    with pytest.raises(Conflict) as refused:
        await app.submit(SubmitEvent(OPERATOR, "hotline.calls", fields))
    assert refused.value.code == "repeat.re_reviewed" and case_id in refused.value.message
    assert not store.tables.outbox


async def test_the_scheduler_loads_a_history_only_where_the_clock_is_read_from_it(
        app: Minqing, store: MemoryStore, clock: MovableClock) -> None:
    """A review stored before its request time was kept in the deadline basis starts its
    clock at the `review_requested` event: the claim loads that case's events, and only it."""
    legacy, plain = await _closed_case(app), (await take_in(app, call()))[0]
    await app.handle(RequestReviewOf(OPERATOR, legacy, "申请复查"))
    state = store.tables.cases[legacy]["state"]
    store.tables.cases[legacy]["state"] = {**state, "deadline_basis": {
        stage: basis for stage, basis in state["deadline_basis"].items() if stage != "review_decision"}}
    for case_id in (legacy, plain):
        store.tables.cases[case_id]["next_check_at"] = clock()
    async with app.uows() as uow:
        claimed = {case.case_id: case for case in await uow.cases.claim_due(clock(), 10)}
    assert claimed[legacy].base_version == 0 and claimed[legacy].events[-1].type == "review_requested"
    assert claimed[plain].events == () and claimed[plain].base_version == store.tables.cases[plain]["version"]
