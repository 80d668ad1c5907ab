"""The pickers' directory publishes only hotline numbers; demo logins get the post's role."""
from __future__ import annotations

from datetime import datetime, timezone

from infra.demo.logins import demo_role
from infra.services.directory import directory
from api.web.live import sse_message
from infra.demo.township import TOWNSHIP_CODE, demo_roster
from models.roster import Roster


def test_only_village_hotline_posts_show_a_phone_number() -> None:
    found = directory(Roster.from_contract(demo_roster()), datetime(2026, 11, 2, tzinfo=timezone.utc))
    cadres = {c["cadre_id"]: c for c in found["cadres"]}
    assert cadres["v1-dir"]["hotline"] and cadres["v1-sec"]["hotline"]
    assert cadres["v1-m1"]["hotline"] is None and cadres["t-sec"]["hotline"] is None
    assert [v["code"] for v in found["villages"]][:1] == ["330782101201"]
    assert cadres["v1-dir"]["whereabouts"] == "on_duty"


def test_demo_roles_follow_the_posts() -> None:
    roles = {c["cadre_id"]: demo_role(c, TOWNSHIP_CODE) for c in demo_roster()["cadres"]}
    assert (roles["t-op1"], roles["t-xf1"], roles["t-sec"], roles["t-lead2"], roles["v1-sec"], roles["v3-fs"]) == (
        "operator", "petition_staff", "leader", "leader", "cadre", "cadre")


def test_server_sent_event_framing() -> None:
    assert sse_message("counts", {"n": 1, "村": "上溪"}) == 'event: counts\ndata: {"n": 1, "村": "上溪"}\n\n'


def test_every_name_in_the_directory_carries_its_pinyin_initials() -> None:
    from infra.services.directory import initials

    assert initials("吴志刚") == "wzg" and initials("饮水用水") == "ysys" and initials("上溪村") == "sxc"
    assert initials("第3组 A区") == "d3zaq"
    found = directory(Roster.from_contract(demo_roster()), datetime(2026, 11, 2, tzinfo=timezone.utc))
    assert all(entry["initials"] for key in ("villages", "cadres", "categories") for entry in found[key])
