"""A day at the desk (issue 16) through the use cases: what the caller said is kept and
shown, who entered it is named, staff find any case they may see, and the owner and handler
who must call back see the number (audited)."""
from __future__ import annotations

from infra.memory.store import MemoryStore
from infra.services.app import Minqing
from infra.services.ports import CaseFilter
from infra.services.reads import GetCase, ListCases
from tests.unit.services.conftest import LEAD1, OPERATOR, V1DIR, V1SEC, Actor, Role, call, take_in


async def test_the_details_and_who_entered_them_are_kept_and_shown(app: Minqing) -> None:
    (case_id,) = await take_in(app, call(details="自来水停了三天，老人家里没水做饭"))
    seen = await app.handle(GetCase(V1DIR, case_id))
    assert seen["details"] == "自来水停了三天，老人家里没水做饭"
    assert seen["registered_by"] == "t-op1" and seen["occurred_at"] is not None


async def test_staff_find_a_case_by_code_phone_name_or_words_within_their_scope(app: Minqing,
                                                                              store: MemoryStore) -> None:
    caller = {"name": "钱秀兰", "phone": "13912345678", "id_number": None, "anonymous": False}
    (case_id,) = await take_in(app, call(caller=caller, summary="村口桥面塌陷", details="雨后桥面开裂"))
    await take_in(app, call(village_code="330782101205", dialed_cadre_id="v5-dir", summary="桥面塌陷"))
    code = store.tables.cases[case_id]["tracking_code"]

    async def found(actor: Actor, **f: str) -> list[str]:
        return [c["case_id"] for c in (await app.handle(ListCases(actor, CaseFilter(**f)))).items]

    assert await found(OPERATOR, q=f"{code[:5].lower()} {code[5:]}") == [case_id]
    assert await found(OPERATOR, q="139-1234-5678") == [case_id]
    assert await found(OPERATOR, q="钱秀兰") == [case_id]
    assert await found(OPERATOR, q="雨后 开裂") == [case_id]
    assert len(await found(OPERATOR, q="桥面")) == 2
    assert await found(LEAD1, q="桥面") == [case_id], "the other village is not in his reach"
    assert await found(OPERATOR, tracking_code=code.lower()) == [case_id]
    assert await found(OPERATOR, q="没有这种事") == []


async def test_the_owner_sees_the_number_to_call_back_audited_and_nobody_else_in_the_village(
        app: Minqing, store: MemoryStore) -> None:
    (case_id,) = await take_in(app, call())
    owner_view = await app.handle(GetCase(V1DIR, case_id))
    assert owner_view["petitioner"]["masked"] is False
    assert [a["cadre_id"] for a in store.tables.audit if a["action"] == "unmasked_view"] == ["v1-dir"]
    secretary_view = await app.handle(GetCase(V1SEC, case_id))
    assert secretary_view["petitioner"]["masked"] is True
    leader_view = await app.handle(GetCase(Actor(Role.LEADER, "t-sec"), case_id))
    assert leader_view["petitioner"]["masked"] is True


async def test_cases_sent_back_by_an_unsatisfied_callback_can_be_listed(app: Minqing) -> None:
    from infra.services.casework import AcceptCase, RecordCallback, ReplyToPetitioner
    from infra.services.reads import Inbox

    sent_back, untouched = await take_in(app, call(), call())
    await app.handle(AcceptCase(V1DIR, sent_back))
    await app.handle(ReplyToPetitioner(V1DIR, sent_back, "已处理"))
    await app.handle(RecordCallback(OPERATOR, sent_back, "unsatisfied", False, "没修好"))
    listed = await app.handle(ListCases(OPERATOR, CaseFilter(sent_back=True)))
    assert [c["case_id"] for c in listed.items] == [sent_back] and listed.items[0]["unsatisfied_count"] == 1
    mine = await app.handle(Inbox(V1DIR, sent_back=False))
    assert [c["case_id"] for c in mine.items] == [untouched]


async def test_a_search_is_audited_with_its_terms_masked(app: Minqing, store: MemoryStore) -> None:
    await take_in(app, call(caller={"name": "钱秀兰", "phone": "13912345678", "id_number": None, "anonymous": False}))
    await app.handle(ListCases(OPERATOR, CaseFilter(q="13912345678 钱秀兰")))
    (entry,) = [a for a in store.tables.audit if a["action"] == "search"]
    assert entry["detail"]["terms"] == "139******78 钱**" and entry["detail"]["matches"] == 1
    await app.handle(ListCases(OPERATOR, CaseFilter(village_code="330782101201")))
    assert len([a for a in store.tables.audit if a["action"] == "search"]) == 1, "no search, nothing to audit"
