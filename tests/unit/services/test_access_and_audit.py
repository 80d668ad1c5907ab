"""What the use cases do to access and what they audit: a roster import ends the access of
cadres it removes and of the demo logins once the roster is a real one; look-ups are
audited with who, from where, and the phone masked."""
from __future__ import annotations

from infra.demo.township import demo_roster
from infra.memory.store import MemoryStore
from infra.services.administration import ImportRoster
from infra.services.app import Minqing
from infra.services.reads import CallerCases
from models.access import Actor, Role

ADMIN = Actor(Role.ADMIN, username="root", address="10.0.0.1")
NEWCOMER = {"cadre_id": "v4-new", "name": "新委员", "phone": "13700000001", "unit_code": "330782101204",
            "posts": ["member"], "responsibilities": [], "backup_cadre_id": "v4-dsec"}


async def test_the_demo_roster_again_ends_nobodys_access(app: Minqing, store: MemoryStore) -> None:
    await app.handle(ImportRoster(ADMIN, demo_roster(), "again"))
    assert store.tables.revocations == []
    [entry] = [e for e in store.tables.audit if e["action"] == "roster_import"]
    assert entry["detail"]["demo"] is True and entry["detail"]["removed_cadres"] == []


async def test_a_real_roster_ends_the_demo_logins_and_a_removal_the_cadres_access(app: Minqing,
                                                                                   store: MemoryStore) -> None:
    grown = demo_roster()
    grown["cadres"].append(NEWCOMER)
    await app.handle(ImportRoster(ADMIN, grown, "real"))
    assert [r.get("demo_logins") for r in store.tables.revocations] == [True]

    await app.handle(ImportRoster(ADMIN, demo_roster(), "newcomer gone"))
    assert store.tables.revocations[-1]["cadre_ids"] == ["v4-new"]
    assert store.tables.revocations[-1]["reason"] == "removed from the roster"


async def test_a_caller_look_up_is_audited_with_who_and_where_and_the_phone_masked(app: Minqing,
                                                                                    store: MemoryStore) -> None:
    operator = Actor(Role.OPERATOR, "t-op1", token_id="ab" * 32, username="t-op1", address="10.0.0.9")
    await app.handle(CallerCases(operator, "+86 138-1234-5678"))
    [entry] = [e for e in store.tables.audit if e["action"] == "caller_lookup"]
    assert (entry["role"], entry["token_id"], entry["username"], entry["address"]) == \
        ("operator", "ab" * 32, "t-op1", "10.0.0.9")
    assert entry["detail"]["phone"] == "138******78"


async def test_the_earlier_cases_shown_while_logging_a_call_are_an_audited_look_up(app: Minqing,
                                                                                    store: MemoryStore) -> None:
    from infra.services.submissions import SubmitEvent
    from tests.unit.services.conftest import OPERATOR, call

    fields = call(caller={"name": "王", "phone": "13912345678", "id_number": None, "anonymous": False})
    fields.pop("operator_id")
    await app.submit(SubmitEvent(OPERATOR, "hotline.calls", fields))
    [entry] = [e for e in store.tables.audit if e["action"] == "caller_lookup"]
    assert entry["detail"]["phone"] == "139******78" and entry["detail"]["while_logging_a_call"] is True
