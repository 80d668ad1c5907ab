"""Open311 GeoReport v2: services, a service definition, create a request, read it back,
list with filters, in JSON and XML, and the spec's errors."""
from __future__ import annotations

import asyncio
from typing import Any
from xml.etree import ElementTree as ET

import pytest

pytestmark = pytest.mark.integration
V3 = "330782101203"


async def test_services_in_both_formats(client: Any) -> None:
    as_json = await client.get("/open311/v2/services.json")
    assert as_json.status_code == 200
    water = next(s for s in as_json.json() if s["service_code"] == "water")
    assert set(water) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
    as_xml = await client.get("/open311/v2/services.xml")
    assert as_xml.headers["content-type"].startswith("text/xml")
    assert as_xml.text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(as_xml.content)
    assert root.tag == "services" and "water" in [s.findtext("service_code") for s in root.findall("service")]


async def test_a_service_definition_lists_its_attributes(client: Any) -> None:
    definition = (await client.get("/open311/v2/services/roads.json")).json()
    assert definition["service_code"] == "roads"
    village = next(a for a in definition["attributes"] if a["code"] == "village_code")
    assert village["required"] and village["datatype"] == "singlevaluelist" and len(village["values"]) == 5
    root = ET.fromstring((await client.get("/open311/v2/services/roads.xml")).content)
    assert root.tag == "service_definition" and root.find("attributes/attribute/values/value/key") is not None


async def _create(client: Any, tokens: Any, fmt: str = "json", **fields: str) -> Any:
    form = {"api_key": tokens["operator"], "service_code": "roads", "attribute[village_code]": V3,
            "attribute[kind]": "help", "description": "村口道路塌陷", "first_name": "明", "last_name": "王",
            "phone": "13600000003", **fields}
    return await client.post(f"/open311/v2/requests.{fmt}", data=form)


async def _request_id(client: Any, answer: dict[str, Any]) -> str:
    if "service_request_id" in answer:
        return answer["service_request_id"]  # type: ignore[no-any-return]
    for _ in range(300):
        found = await client.get(f"/open311/v2/tokens/{answer['token']}.json")
        if found.status_code == 200:
            return found.json()[0]["service_request_id"]  # type: ignore[no-any-return]
        await asyncio.sleep(0.1)
    raise AssertionError("the request was never routed")


async def test_create_read_back_and_list(client: Any, tokens: Any, worker: Any) -> None:
    created = await _create(client, tokens)
    assert created.status_code == 201, created.text
    request_id = await _request_id(client, created.json()[0])

    full = (await client.get(f"/open311/v2/requests/{request_id}.json", params={"api_key": tokens["operator"]})).json()
    assert len(full) == 1
    request = full[0]
    assert request["status"] == "open" and request["service_code"] == "roads"
    assert request["description"] == "村口道路塌陷" and request["address_id"] == V3
    assert request["agency_responsible"] == "石门村"  # the roads matrix owner is the village director
    assert request["expected_datetime"] is not None
    public = (await client.get(f"/open311/v2/requests/{request_id}.json")).json()[0]
    assert public["description"] is None and "13600000003" not in str(public)

    xml = ET.fromstring((await client.get(f"/open311/v2/requests/{request_id}.xml")).content)
    assert xml.tag == "service_requests" and xml.findtext("request/service_request_id") == request_id
    assert xml.findtext("request/status") == "open"

    listed = (await client.get("/open311/v2/requests.json", params={"service_code": "roads", "status": "open"})).json()
    assert request_id in [r["service_request_id"] for r in listed]
    closed = (await client.get("/open311/v2/requests.json", params={"service_code": "roads", "status": "closed"})).json()
    assert request_id not in [r["service_request_id"] for r in closed]
    by_id = (await client.get("/open311/v2/requests.json", params={"service_request_id": request_id})).json()
    assert [r["service_request_id"] for r in by_id] == [request_id]
    future = (await client.get("/open311/v2/requests.json", params={"start_date": "2099-01-01T00:00:00Z"})).json()
    assert future == []
    listed_xml = ET.fromstring((await client.get("/open311/v2/requests.xml", params={"service_code": "roads"})).content)
    assert request_id in [r.findtext("service_request_id") for r in listed_xml.findall("request")]


@pytest.mark.parametrize("fmt", ["json", "xml"])
async def test_errors_in_the_spec_format(fmt: str, client: Any, tokens: Any) -> None:
    def errors(response: Any) -> list[tuple[int, str]]:
        if fmt == "json":
            return [(e["code"], e["description"]) for e in response.json()]
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        return [(int(e.findtext("code") or 0), e.findtext("description") or "") for e in root.findall("error")]

    no_key = await _create(client, tokens, fmt, api_key="")
    assert no_key.status_code == 403 and errors(no_key)[0][0] == 403
    cadre_key = await _create(client, tokens, fmt, api_key=tokens["v1dir"])
    assert cadre_key.status_code == 403
    unknown = await _create(client, tokens, fmt, service_code="unicorns")
    assert unknown.status_code == 400 and "service_code" in errors(unknown)[0][1]
    nowhere = await _create(client, tokens, fmt, **{"attribute[village_code]": ""})
    assert nowhere.status_code == 400 and "village_code" in errors(nowhere)[0][1]
    bad_kind = await _create(client, tokens, fmt, **{"attribute[kind]": "prayer"})
    assert bad_kind.status_code == 400 and "kind" in errors(bad_kind)[0][1]
    missing = await client.get(f"/open311/v2/requests/no-such-request.{fmt}")
    assert missing.status_code == 404 and errors(missing)[0][0] == 404
    no_service = await client.get(f"/open311/v2/services/unicorns.{fmt}")
    assert no_service.status_code == 404
    bad_date = await client.get(f"/open311/v2/requests.{fmt}", params={"start_date": "yesterday"})
    assert bad_date.status_code == 400 and "start_date" in errors(bad_date)[0][1]
    bad_status = await client.get(f"/open311/v2/requests.{fmt}", params={"status": "pending"})
    assert bad_status.status_code == 400
    bad_key = await client.get(f"/open311/v2/requests.{fmt}", params={"api_key": "nope"})
    assert bad_key.status_code == 403


async def test_an_unknown_format_is_refused(client: Any) -> None:
    response = await client.get("/open311/v2/services.csv")
    assert response.status_code == 404
    assert ET.fromstring(response.content).findtext("error/code") == "404"


async def test_service_discovery_points_at_the_endpoint(client: Any) -> None:
    found = (await client.get("/open311/discovery.json")).json()
    assert found["endpoints"][0]["url"].endswith("/open311/v2")
    root = ET.fromstring((await client.get("/open311/discovery.xml")).content)
    assert root.tag == "discovery" and root.findtext("endpoints/endpoint/specification").endswith("GeoReport_v2")
