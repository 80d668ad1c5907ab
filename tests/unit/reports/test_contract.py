"""The report JSON carries every field CONTRACT "Reports" promises, and serialises."""
from __future__ import annotations

import json

from models.reports.contract import assessment_items, meeting_json, topic_items, visiting_items
from tests.unit.exports import samples as S


def test_visiting_days_items():
    [first, *_] = visiting_items(S.visiting_rows())["items"]
    assert {"cadre_id", "village_code", "days", "shortfall"} <= set(first)
    json.dumps(visiting_items(S.visiting_rows()))


def test_assessment_items_explain_every_score():
    body = assessment_items(S.assessment())
    item = body["items"][0]
    assert {"village_code", "score", "stars", "rank", "parts"} <= set(item)
    assert 1 <= item["stars"] <= 5 and item["rank"] == 1
    assert abs(sum(p["points"] for p in item["parts"].values()) - item["score"]) < 0.1
    json.dumps(body)


def test_topic_items():
    body = topic_items(S.topics())
    assert {"label", "keywords", "count", "village_codes"} <= set(body["items"][0])
    assert body["items"][0]["count"] == len(body["items"][0]["case_ids"])
    json.dumps(body, ensure_ascii=False)


def test_the_meeting_report_json():
    body = meeting_json(S.meeting_report())
    assert body["meeting_day"] == "2025-03-13" and body["totals"]["new"] == 3
    assert body["supervision"][0]["title"] == "排查全镇供水管网" and body["supervision"][0]["overdue"]
    assert [c["tracking_code"] for c in body["overdue"]] == ["MQO1", "MQO2"]
    json.dumps(body, ensure_ascii=False)
