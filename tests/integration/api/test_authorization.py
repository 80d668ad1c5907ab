"""The authorization matrix: every kind of caller × cases inside and outside their reach,
including cases that accuse them. Out of reach is 404 everywhere — details, lists, counts,
actions, Open311 — and leaks nothing."""
from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.integration

V1, V2, V5 = "330782101201", "330782101202", "330782101205"
CASES: dict[str, dict[str, Any]] = {
    "v1": {"village_code": V1, "dialed_cadre_id": "v1-dir"},
    "v2": {"village_code": V2, "dialed_cadre_id": "v2-dsec"},
    "v5": {"village_code": V5, "dialed_cadre_id": "v5-dir"},
    # a complaint about v1-dir: routed by the matrix (water: v1-ddir), never to v1-dir
    "accuses_v1dir": {"village_code": V1, "dialed_cadre_id": None, "kind": "complaint",
                      "accused": {"cadre_ids": ["v1-dir"], "unit_codes": []}},
    # a report about the whole of village 1: routed to its leader in charge
    "accuses_v1": {"village_code": V1, "dialed_cadre_id": None, "kind": "report",
                   "accused": {"cadre_ids": [], "unit_codes": [V1]}},
}
SEES: dict[str, set[str]] = {
    "admin": set(CASES), "operator": set(CASES), "staff": set(CASES), "secretary": set(CASES),
    "lead1": {"v1", "v2", "accuses_v1dir", "accuses_v1"},
    "lead3": {"v5"},
    "v1sec": {"v1", "accuses_v1dir"},  # village 1, but not the case accusing village 1
    "v1dir": {"v1"},                    # their own case; never the one accusing them
    "v1m1": set(),
    "v2dsec": {"v2"},
}


@pytest.fixture(scope="module")
async def matrix_cases(open_case: Any) -> dict[str, dict[str, Any]]:
    return {name: await open_case(**spec) for name, spec in CASES.items()}


def test_routing_put_the_accusing_cases_above_the_accused(matrix_cases: dict[str, Any]) -> None:
    assert matrix_cases["accuses_v1dir"]["owner_cadre_id"] == "v1-ddir"  # the water matrix, not v1-dir
    assert matrix_cases["accuses_v1"]["owner_cadre_id"] == "t-lead1"


@pytest.mark.parametrize("who", sorted(SEES))
@pytest.mark.parametrize("case", sorted(CASES))
async def test_detail_list_and_open311_agree_on_who_sees_what(who: str, case: str, matrix_cases: Any, client: Any,
                                                              as_: Any, tokens: Any) -> None:
    row = matrix_cases[case]
    visible = case in SEES[who]
    detail = await client.get(f"/api/v1/cases/{row['case_id']}", headers=as_(who))
    listed = await client.get("/api/v1/cases", params={"source_event_id": row["source_event_id"]}, headers=as_(who))
    open311 = await client.get(f"/open311/v2/requests/{row['case_id']}.json", params={"api_key": tokens[who]})

    assert detail.status_code == (200 if visible else 404), detail.text
    assert listed.status_code == 200 and listed.json()["total"] == (1 if visible else 0)
    assert open311.status_code == (200 if visible else 404), open311.text
    exported = await client.get("/api/v1/cases/export.csv", params={"village_code": row["village_code"]},
                                headers=as_(who))
    assert exported.status_code == 200 and (row["case_id"] in exported.text) == visible
    if not visible:  # the same answer as for a case that does not exist
        assert detail.json() == {"detail": f"no case {row['case_id']}", "code": "not_found",
                                 "params": {"case_id": row["case_id"]}}
        assert row["summary"] not in open311.text


@pytest.mark.parametrize("who", ["v1dir", "v1sec", "lead3", "v1m1"])
async def test_an_action_on_a_case_out_of_reach_is_404(who: str, matrix_cases: Any, client: Any, as_: Any) -> None:
    for case in set(CASES) - SEES[who]:
        case_id = matrix_cases[case]["case_id"]
        for path, body in (("accept", {}), ("progress", {"note": "x"}), ("reply", {"text": "x"}),
                           ("objection", {"reason": "x"})):
            response = await client.post(f"/api/v1/cases/{case_id}/{path}", json=body, headers=as_(who))
            assert response.status_code == 404, (who, case, path, response.text)


async def test_a_visible_case_of_someone_else_is_403_for_actions(matrix_cases: Any, client: Any, as_: Any) -> None:
    # the branch secretary sees village 1's case but does not own or handle it
    response = await client.post(f"/api/v1/cases/{matrix_cases['v1']['case_id']}/accept", json={},
                                 headers=as_("v1sec"))
    assert response.status_code == 403


async def test_counts_do_not_move_for_the_accused(open_case: Any, client: Any, as_: Any) -> None:
    async def counts(who: str) -> dict[str, Any]:
        response = await client.get("/api/v1/cases/counts", headers=as_(who))
        assert response.status_code == 200
        return response.json()  # type: ignore[no-any-return]

    before = {who: await counts(who) for who in ("v1sec", "v1dir", "lead1")}
    await open_case(village_code=V1, dialed_cadre_id=None, kind="complaint",
                    accused={"cadre_ids": ["v1-sec"], "unit_codes": []})
    after = {who: await counts(who) for who in ("v1sec", "v1dir", "lead1")}

    assert after["v1sec"] == before["v1sec"]
    assert after["v1dir"] == before["v1dir"]
    assert after["lead1"]["total"] == before["lead1"]["total"] + 1


async def test_the_public_sees_nothing_but_tracking(matrix_cases: Any, client: Any) -> None:
    row = matrix_cases["v1"]
    assert (await client.get(f"/api/v1/cases/{row['case_id']}")).status_code == 401
    assert (await client.get("/api/v1/cases")).status_code == 401
    assert (await client.get("/api/v1/inbox")).status_code == 401
    tracked = await client.get(f"/api/v1/track/{row['tracking_code']}")
    assert tracked.status_code == 200
    body = tracked.text
    for private in ("v1-dir", row["petitioner_phone"], row["summary"], "王秀英", row["case_id"]):
        assert private not in body.replace(row["tracking_code"], ""), private


async def test_open311_without_an_api_key_hides_descriptions_and_confidential_cases(matrix_cases: Any,
                                                                                   client: Any) -> None:
    plain = await client.get(f"/open311/v2/requests/{matrix_cases['v1']['case_id']}.json")
    assert plain.status_code == 200 and plain.json()[0]["description"] is None
    for case in ("accuses_v1dir", "accuses_v1"):
        hidden = await client.get(f"/open311/v2/requests/{matrix_cases[case]['case_id']}.json")
        assert hidden.status_code == 404


ROLE_ONLY = [  # (method, path, body, roles allowed)
    ("post", "/api/v1/calls", {}, {"operator", "staff"}),
    ("post", "/api/v1/callers/cases", {"phone": "13900000001"}, {"operator", "staff"}),
    ("get", "/api/v1/inbox", None, {"secretary", "lead1", "lead3", "v1sec", "v1dir", "v1m1", "v2dsec", "staff"}),
    ("get", "/api/v1/extension-requests", None, {"secretary", "lead1", "lead3"}),
    ("get", "/api/v1/alerts", None, {"secretary", "lead1", "lead3"}),
    ("get", "/api/v1/admin/audit", None, {"admin"}),
    ("get", "/api/v1/admin/tokens", None, {"admin"}),
]


@pytest.mark.parametrize("method,path,body,allowed", ROLE_ONLY)
async def test_endpoints_refuse_other_roles(method: str, path: str, body: Any, allowed: set[str], client: Any,
                                            as_: Any) -> None:
    for who in SEES:
        response = await client.request(method.upper(), path, json=body, headers=as_(who))
        if who in allowed:
            assert response.status_code not in (401, 403), (who, path, response.text)
        else:
            assert response.status_code == 403, (who, path, response.text)
