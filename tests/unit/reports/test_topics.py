"""每月一题: clustering a month's cases on fixed Chinese texts, priorities, and the pick."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.categories import DEFAULT_CATALOGUE
from models.errors import DomainError
from models.reports import supervision as sv
from models.reports.periods import month
from models.reports.records import CaseLine
from models.reports.topics import month_topics, pick_top_issue
from tests.unit.factories import BEIJING, build_roster, village_code

ROSTER = build_roster()
MARCH = month("2025-03")
LABELS = {c.code: c.label for c in DEFAULT_CATALOGUE.categories}
TEXTS = [  # village, category, summary
    (1, "water", "村里自来水停水三天了，老人喝不上水"),
    (2, "water", "自来水停水，家里没水做饭"),
    (3, "water", "停水好几天了，希望尽快恢复供水"),
    (2, "water", "自来水管漏水严重，浪费很大"),
    (1, "roads", "路灯坏了晚上出行不安全"),
    (2, "roads", "道路坑洼不平，下雨天积水严重"),
    (1, "environment", "垃圾堆放在路边没人清运，臭气熏天"),
    (3, "environment", "垃圾清运不及时，气味难闻"),
    (2, "other", "停水两天了，没人管"),
    (1, "social_security", "低保申请一直没有批下来"),
    (2, "land", "张三反映征地补偿款没有发放到位"),
    (3, "land", "征地补偿款迟迟没有发放"),
]


def line(cid, village, category, summary, at):
    return CaseLine(cid, f"T{cid}", village_code(village), category, "hotline", summary, "assigned", at, "v1-dir")


CASES = [line(f"c{i}", v, cat, text, datetime(2025, 3, 3 + i, 10, tzinfo=BEIJING))
         for i, (v, cat, text) in enumerate(TEXTS)]
EARLIER = [line("e1", 1, "water", "又停水了", datetime(2025, 2, 10, tzinfo=BEIJING)),
           line("e2", 1, "environment", "垃圾没人清运", datetime(2025, 1, 10, tzinfo=BEIJING))]


@lru_cache(maxsize=1)
def topics():
    return month_topics(MARCH, CASES, EARLIER, labels=LABELS).items


def test_the_same_matter_in_several_villages_is_one_topic_with_its_words():
    water = next(t for t in topics() if t.category == "water" and "停水" in t.keywords)
    assert set(water.case_ids) == {"c0", "c1", "c2", "c8"}  # the uncategorised "停水两天" joins it; the leak does not
    assert water.village_codes == tuple(village_code(n) for n in (1, 2, 3))
    assert water.label.startswith("饮水用水：") and "停水" in water.label
    land = next(t for t in topics() if t.category == "land")
    assert set(land.case_ids) == {"c10", "c11"} and {"征地", "补偿款"} <= set(land.keywords)
    assert "张三" not in land.keywords  # a petitioner's name is never a keyword


def test_recurring_and_rising_problems_across_villages_come_first():
    items = topics()
    assert [(t.category, t.count) for t in items[:3]] == [("water", 4), ("environment", 2), ("land", 2)]
    water, garbage, land = items[:3]
    assert (water.previous_count, water.recurring_months, water.rising) == (1, ("2025-02",), True)
    assert garbage.recurring_months == ("2025-01",) and not land.recurring
    assert all(not t.across_villages for t in items[3:])


def test_every_case_of_the_month_is_in_exactly_one_topic():
    stray = line("x", 1, "water", "停水", datetime(2025, 4, 1, 0, 30, tzinfo=BEIJING))
    items = month_topics(MARCH, CASES + [stray], labels=LABELS).items
    ids = [cid for t in items for cid in t.case_ids]
    assert sorted(ids) == sorted(c.case_id for c in CASES)


class SpaceSegmenter:
    """Words are what spaces separate; every word a noun."""

    def tag(self, text, hmm=True):
        return [(w, "n") for w in text.split()]

    def cut_for_search(self, text, hmm=True):
        return [text]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3), st.sampled_from(["water", "roads", "other"]),
                          st.lists(st.sampled_from(["停水", "路灯", "垃圾", "补偿款", "噪音"]), max_size=4)),
                max_size=25))
def test_topics_partition_the_month_whatever_the_texts(rows):
    cases = [line(f"c{i}", v, cat, " ".join(ws), MARCH.start + timedelta(hours=i))
             for i, (v, cat, ws) in enumerate(rows)]
    items = month_topics(MARCH, cases, segmenter=SpaceSegmenter()).items
    assert sorted(cid for t in items for cid in t.case_ids) == sorted(c.case_id for c in cases)
    assert all(t.count >= 1 and t.village_codes for t in items)
    ranks = [(not t.across_villages, not t.recurring) for t in items]
    assert ranks == sorted(ranks)


def test_a_leader_picks_the_issue_and_it_is_followed_up_as_a_supervision_item():
    water = topics()[0]
    at = datetime(2025, 4, 2, 9, tzinfo=BEIJING)
    pick, item = pick_top_issue("p1", "s1", MARCH, water, owner_cadre_id="t-l2", due_on=date(2025, 4, 30),
                                picked_by="t-sec", at=at, roster=ROSTER)
    assert (pick.month, pick.label, pick.item_id, pick.case_ids) == ("2025-03", water.label, "s1", water.case_ids)
    assert (item.origin, item.owner_cadre_id, item.due_on) == (sv.TOP_ISSUE, "t-l2", date(2025, 4, 30))
    assert item.village_code is None  # the issue spans villages
    assert water.label in item.title
    progressed = sv.record_progress(item, "已协调水务公司更换主管道", actor="t-l2", at=at + timedelta(days=3),
                                    roster=ROSTER)
    assert progressed.status == sv.S.IN_PROGRESS


def test_pick_refusals():
    water, garbage, land = topics()[:3]
    at = datetime(2025, 4, 2, 9, tzinfo=BEIJING)
    kw = dict(owner_cadre_id="t-l2", due_on=date(2025, 4, 30), picked_by="t-sec", at=at, roster=ROSTER)
    first, _ = pick_top_issue("p1", "s1", MARCH, water, **kw)
    with pytest.raises(DomainError) as again:
        pick_top_issue("p2", "s2", MARCH, water, earlier_picks=[first], **kw)
    assert again.value.code == "top_issue.already_picked"
    second, _ = pick_top_issue("p2", "s2", MARCH, garbage, earlier_picks=[first], **kw)
    with pytest.raises(DomainError) as third:
        pick_top_issue("p3", "s3", MARCH, land, earlier_picks=[first, second], **kw)
    assert third.value.code == "top_issue.too_many"
    with pytest.raises(DomainError) as early:
        pick_top_issue("p4", "s4", month("2025-05"), land, **kw)
    assert early.value.code == "top_issue.month_not_begun"
    with pytest.raises(DomainError) as not_leader:
        pick_top_issue("p5", "s5", MARCH, land, **{**kw, "picked_by": "v1-dir"})
    assert not_leader.value.code == "supervision.not_leader"
