"""Issue 15's protections seen through the API: who did what is audited, a reset or a roster
removal ends the cadre's tokens, demo logins go with the demo roster, throttling never lets
strangers lock a leader out, personal data stays out of URLs and caches."""
from __future__ import annotations

import asyncio
import json
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, text

from infra.auth.logins import LoginRefused, add_demo_password, log_in
from infra.db.tables import audit_log, logins
from infra.demo.township import demo_roster
from infra.bootstrap import bootstrap
from infra.services.administration import ImportRoster
from infra.tokens import CONSOLE, create_token
from models.login_throttle import ThrottlePolicy

pytestmark = pytest.mark.integration
PASSWORD = "correct horse battery"
QUIET_VILLAGE = "330782101205"  # cases of its own, out of the inboxes other tests count


async def _audit_since(engine: Any, seq: int) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        rows = await conn.execute(select(audit_log).where(audit_log.c.seq > seq).order_by(audit_log.c.seq))
        return [dict(row._mapping) for row in rows]


async def _head(engine: Any) -> int:
    async with engine.connect() as conn:
        rows = (await conn.execute(select(audit_log.c.seq).order_by(audit_log.c.seq.desc()).limit(1))).scalars()
        return next(iter(rows), 0)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def own_address(app: FastAPI) -> Any:
    """A client with an address of its own: other tests' failed logins (the fuzzer's) are
    throttled by address, and must not throttle these."""
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}"
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://minqing",
                                 headers={"X-Test-Address": address}) as client:
        yield client


async def test_a_caller_look_up_takes_the_phone_in_the_body_and_audits_who_masked(
        client: Any, as_: Any, tokens: Any, engine: Any) -> None:
    start = await _head(engine)
    phone = f"139{uuid.uuid4().int % 10**8:08d}"
    found = await client.post("/api/v1/callers/cases", json={"phone": phone}, headers=as_("operator"))
    assert found.status_code == 200 and found.headers["cache-control"] == "no-store"
    assert (await client.get("/api/v1/callers/cases", params={"phone": phone},
                             headers=as_("operator"))).status_code == 405  # never in a URL again
    [entry] = [e for e in await _audit_since(engine, start) if e["action"] == "caller_lookup"]
    assert entry["role"] == "operator" and entry["cadre_id"] == "t-op1"
    assert entry["token_id"] is not None and len(entry["token_id"]) == 64 and entry["address"]
    assert phone not in json.dumps(entry["detail"]) and entry["detail"]["phone"].startswith(phone[:3])


async def test_a_password_reset_revokes_the_cadres_tokens(client: Any, as_: Any, own_address: Any) -> None:
    username = f"v2m2-{uuid.uuid4().hex[:6]}"
    login = {"username": username, "password": PASSWORD, "role": "cadre", "cadre_id": "v2-m2"}
    assert (await client.post("/api/v1/admin/logins", json=login, headers=as_("admin"))).status_code == 204
    session = (await own_address.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})).json()
    issued = (await client.post("/api/v1/admin/tokens", json={"role": "cadre", "cadre_id": "v2-m2", "days": 5},
                                headers=as_("admin"))).json()
    for token in (session["access_token"], issued["token"]):
        assert (await client.get("/api/v1/inbox", headers=_bearer(token))).status_code == 200

    reset = {**login, "password": "a brand new secret"}
    assert (await client.post("/api/v1/admin/logins", json=reset, headers=as_("admin"))).status_code == 204

    for token in (session["access_token"], issued["token"]):
        assert (await client.get("/api/v1/inbox", headers=_bearer(token))).status_code == 401
    again = await own_address.post("/api/v1/auth/login", json={"username": username, "password": "a brand new secret"})
    assert again.status_code == 200


async def test_no_token_lives_forever(client: Any, as_: Any, engine: Any) -> None:
    for days in (0, -1, 366):
        refused = await client.post("/api/v1/admin/tokens", json={"role": "admin", "days": days}, headers=as_("admin"))
        assert refused.status_code == 422, days
        async with engine.begin() as conn:
            with pytest.raises(ValueError, match="lifetime|at most"):
                await create_token(conn, role="admin", cadre_id=None, now=datetime.now(timezone.utc),
                                   ttl=timedelta(days=days))


async def test_token_changes_and_logins_are_audited(client: Any, as_: Any, engine: Any, own_address: Any) -> None:
    start = await _head(engine)
    issued = (await client.post("/api/v1/admin/tokens", json={"role": "operator", "days": 1},
                                headers=as_("admin"))).json()
    assert (await client.delete(f"/api/v1/admin/tokens/{issued['token_id']}", headers=as_("admin"))).status_code == 204
    assert (await own_address.post("/api/v1/auth/login", json={"username": "nobody-" + uuid.uuid4().hex[:6],
                                                               "password": "not it at all"})).status_code == 401
    entries = await _audit_since(engine, start)
    created = [e for e in entries if e["action"] == "token_created" and e["detail"]["token"] == issued["token_id"]]
    assert len(created) == 1 and created[0]["role"] == "admin" and created[0]["token_id"]
    revoked = [e for e in entries if e["action"] == "token_revoked" and issued["token_id"] in e["detail"]["tokens"]]
    assert len(revoked) == 1 and revoked[0]["role"] == "admin"
    refused = [e for e in entries if e["action"] == "login_refused"
               and e["address"] == own_address.headers["X-Test-Address"]]
    assert len(refused) == 1 and refused[0]["username"].startswith("n") and "*" in refused[0]["username"]


async def test_a_roster_removal_and_a_real_roster_end_tokens_logins_and_demo_logins(engine: Any, client: Any,
                                                                                     own_address: Any) -> None:
    newcomer = f"v4-tmp-{uuid.uuid4().hex[:6]}"
    roster = demo_roster()
    roster["cadres"].append({"cadre_id": newcomer, "name": "临时委员", "phone": "13700000001",
                             "unit_code": "330782101204", "posts": ["member"], "responsibilities": [],
                             "backup_cadre_id": "v4-dsec"})
    now = datetime.now(timezone.utc)
    demo_user = f"demo-{uuid.uuid4().hex[:6]}"
    await add_demo_password(engine, username=demo_user, password="minqing-demo", role="cadre", cadre_id="v4-m1",
                            now=now, by=CONSOLE)
    assert (await own_address.post("/api/v1/auth/login", json={"username": demo_user, "password": "minqing-demo"})
            ).status_code == 200
    start = await _head(engine)
    app = bootstrap("", engine=engine).app
    try:
        await app.handle(ImportRoster(CONSOLE, roster, "test: a newcomer"))  # not the demo's
        async with engine.begin() as conn:
            token = await create_token(conn, role="cadre", cadre_id=newcomer, now=now)
        assert (await own_address.post("/api/v1/auth/login", json={"username": demo_user, "password": "minqing-demo"})
                ).status_code == 401  # the demo logins went with the demo roster
        assert (await client.get("/api/v1/inbox", headers=_bearer(token))).status_code == 200
    finally:
        await app.handle(ImportRoster(CONSOLE, demo_roster(), "test: the demo again"))
    assert (await client.get("/api/v1/inbox", headers=_bearer(token))).status_code == 401
    actions = [(e["action"], e["detail"].get("reason")) for e in await _audit_since(engine, start)]
    assert ("roster_import", None) in actions
    assert ("token_revoked", "removed from the roster") in actions
    assert ("login_removed", "a roster other than the demo township's") in actions
    async with engine.connect() as conn:
        disabled = (await conn.execute(select(logins.c.disabled_at).where(logins.c.username == demo_user))).scalar()
    assert disabled is not None


async def test_throttling_slows_guessers_but_never_locks_the_leader_out(engine: Any) -> None:
    policy = ThrottlePolicy(per_address=6, per_user_at_address=3, per_user=8)
    username = f"leader-{uuid.uuid4().hex[:6]}"
    from infra.auth.logins import set_password

    now = datetime.now(timezone.utc)
    await set_password(engine, username=username, password=PASSWORD, role="leader", cadre_id="t-lead1", now=now,
                       by=CONSOLE)
    await log_in(engine, username, PASSWORD, now, address="10.1.0.1", policy=policy)  # the leader's desk

    async def attempt(password: str, address: str) -> str:
        try:
            await log_in(engine, username, password, now, address=address, policy=policy)
            return "in"
        except LoginRefused as refusal:
            return "throttled" if refusal.retry_after else "wrong"

    # one stranger's address: three wrong guesses for the leader, then that address waits for that name
    assert [await attempt("guess", "10.2.0.1") for _ in range(4)] == ["wrong"] * 3 + ["throttled"]
    assert await attempt(PASSWORD, "10.2.0.1") == "throttled"  # even the right password: no oracle
    # ... and after six failures with any names, the address waits for every name
    for n in range(3):
        with pytest.raises(LoginRefused):
            await log_in(engine, f"someone-{n}", "guess", now, address="10.2.0.1", policy=policy)
    with pytest.raises(LoginRefused) as throttled:
        await log_in(engine, f"someone-else-{uuid.uuid4().hex[:4]}", "guess", now, address="10.2.0.1", policy=policy)
    assert throttled.value.retry_after and throttled.value.retry_after > 0
    # many strangers, one guess each: new addresses wait, the leader's own desk does not
    for n in range(8):
        await attempt("guess", f"10.3.0.{n}")
    assert await attempt(PASSWORD, "10.4.0.1") == "throttled"
    assert await attempt(PASSWORD, "10.1.0.1") == "in"
    later = now + policy.window + timedelta(seconds=1)
    await log_in(engine, username, PASSWORD, later, address="10.4.0.1", policy=policy)  # the window passes


async def test_open311_takes_the_api_key_from_a_header(client: Any, tokens: Any, open_case: Any) -> None:
    row = await open_case(category="roads", summary="村口路灯不亮", village_code=QUIET_VILLAGE, dialed_cadre_id="v5-dir")
    path = f"/open311/v2/requests/{row['case_id']}.json"
    public = (await client.get(path)).json()[0]
    by_header = await client.get(path, headers={"X-Api-Key": tokens["operator"]})
    assert by_header.status_code == 200 and by_header.headers["cache-control"] == "no-store"
    assert public["description"] is None and by_header.json()[0]["description"] is not None
    bad = await client.get(path, headers={"X-Api-Key": "mq_not-a-token"})
    assert bad.status_code == 403


async def test_a_case_with_personal_data_is_never_cached(client: Any, as_: Any, open_case: Any) -> None:
    row = await open_case(village_code=QUIET_VILLAGE, dialed_cadre_id="v5-dir")
    answer = await client.get(f"/api/v1/cases/{row['case_id']}", headers=as_("staff"))
    assert answer.status_code == 200 and answer.json()["petitioner"]["masked"] is False
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


async def test_an_anonymous_callers_phone_is_not_stored(client: Any, as_: Any, engine: Any, worker: Any) -> None:
    phone = f"135{uuid.uuid4().int % 10**8:08d}"
    logged = await client.post("/api/v1/calls", headers=as_("operator"), json={
        "occurred_at": datetime.now(timezone(timedelta(hours=8))).isoformat(), "village_code": QUIET_VILLAGE,
        "summary": "匿名反映村干部问题", "kind": "report", "dialed_cadre_id": None,
        "caller": {"name": "不愿透露", "phone": phone, "id_number": None, "anonymous": True}})
    assert logged.status_code == 202, logged.text
    event_id = logged.json()["event_id"]
    for _ in range(300):
        if (await client.get("/api/v1/cases", params={"source_event_id": event_id}, headers=as_("staff"))
                ).json()["items"]:
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the anonymous call never became a case")
    rows = {"outgoing_events": "convert_from(value, 'UTF8')", "cases": "t::text", "case_links": "t::text",
            "dead_letters": "convert_from(coalesce(value, ''), 'UTF8')"}
    async with engine.connect() as conn:
        for table, content in rows.items():
            found = (await conn.execute(text(f"select count(*) from {table} t where {content} like :p"),
                                        {"p": f"%{phone}%"})).scalar()
            assert found == 0, table
