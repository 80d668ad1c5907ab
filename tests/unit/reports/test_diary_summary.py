"""The bi-monthly diary summary: grouped content, proposals, the secretary's submission and
who has not submitted."""
from __future__ import annotations

from datetime import datetime

import pytest

from models.errors import DomainError
from models.reports import diary_summary as ds
from models.reports.periods import diary_period
from models.reports.records import DiaryLine
from tests.unit.factories import BEIJING, build_roster, village_code

ROSTER = build_roster()
V1, V2, V3 = village_code(1), village_code(2), village_code(3)
B1 = diary_period("2025-B1")  # January–February 2025


def at(m, d, h=10):
    return datetime(2025, m, d, h, tzinfo=BEIJING)


ENTRIES = [
    DiaryLine("e1", "v1-ddir", V1, "water", "张家", at(1, 6), problems="自来水压力小", hopes="希望更换水管",
              case_id="c1", tracking_code="T1", case_status="in_progress"),
    DiaryLine("e2", "v1-ddir", V1, "water", "李家", at(1, 9), problems="自来水压力小", resolved_on_spot=True,
              resolution="已调节阀门", case_id="c2", case_status="resolved"),
    DiaryLine("e3", "v1-m1", V1, "elderly", "张家", at(2, 20), difficulties="老人独居无人照看", resolved_on_spot=True,
              resolution="联系邻居结对", case_id="c3", case_status="resolved"),
    DiaryLine("e4", "v1-m1", V1, "elderly", "王家", at(3, 1), difficulties="不在本期"),
    DiaryLine("e5", "v2-dir", V2, "land", "赵家", at(1, 15), problems="宅基地纠纷"),
]


def test_the_digest_groups_by_category_and_household_within_the_period():
    digest = ds.digest_diaries(V1, B1, ENTRIES)
    assert digest.entries == 3
    water, elderly = digest.by_category
    assert (water.key, water.households) == ("water", ("张家", "李家"))
    assert (water.problems, water.hopes) == (("自来水压力小",), ("希望更换水管",))
    assert [e.entry_id for e in water.resolved_on_spot] == ["e2"]
    assert [e.tracking_code for e in water.became_cases] == ["T1"]
    assert water.needs_proposal and not elderly.needs_proposal
    zhang = next(g for g in digest.by_household if g.key == "张家")
    assert zhang.categories == ("water", "elderly") and zhang.difficulties == ("老人独居无人照看",)


def test_members_propose_and_the_secretary_submits_after_the_period():
    digest = ds.digest_diaries(V1, B1, ENTRIES)
    summary = ds.propose(ds.DiarySummary(V1, B1.key), "water", "申请管网改造资金", actor="v1-ddir", at=at(3, 2),
                         roster=ROSTER)
    done = ds.submit(summary, digest, B1, actor="v1-sec", at=at(3, 3), roster=ROSTER)
    assert (done.status, done.submitted_by, done.digest) == (ds.SUBMITTED, "v1-sec", digest)
    assert ds.submission_status(done, B1, at(4, 1)) == ds.ON_TIME
    with pytest.raises(DomainError) as twice:
        ds.submit(done, digest, B1, actor="v1-sec", at=at(3, 4), roster=ROSTER)
    assert twice.value.code == "diary_summary.already_submitted"


@pytest.mark.parametrize("actor, when, proposals, code", [
    ("v1-dir", at(3, 3), {"water": "x"}, "diary_summary.not_secretary"),
    ("v1-sec", at(2, 27), {"water": "x"}, "diary_summary.too_early"),
    ("v1-sec", at(3, 3), {}, "diary_summary.proposals_missing"),
])
def test_submission_refusals(actor, when, proposals, code):
    summary = ds.DiarySummary(V1, B1.key, proposals=proposals)
    with pytest.raises(DomainError) as refused:
        ds.submit(summary, ds.digest_diaries(V1, B1, ENTRIES), B1, actor=actor, at=when, roster=ROSTER)
    assert refused.value.code == code
    if code == "diary_summary.proposals_missing":
        assert refused.value.params["categories"] == "water"


def test_only_the_villages_own_members_propose():
    with pytest.raises(DomainError) as refused:
        ds.propose(ds.DiarySummary(V1, B1.key), "water", "x", actor="v2-dir", at=at(3, 2), roster=ROSTER)
    assert refused.value.code == "diary_summary.not_member"


def test_due_after_five_working_days_and_who_has_not_submitted():
    assert ds.submission_due(B1).isoformat() == "2025-03-08T00:00:00+08:00"  # 3–7 March are working days
    submitted = ds.DiarySummary(V1, B1.key, status=ds.SUBMITTED, submitted_at=at(3, 9))
    assert ds.submission_status(submitted, B1, at(3, 10)) == ds.LATE
    before_due = ds.not_submitted([V1, V2, V3], [submitted], B1, at(3, 5))
    assert [(o.village_code, o.status) for o in before_due] == [(V2, ds.PENDING), (V3, ds.PENDING)]
    after_due = ds.not_submitted([V1, V2, V3], [submitted], B1, at(3, 10))
    assert [(o.village_code, o.status) for o in after_due] == [(V2, ds.MISSING), (V3, ds.MISSING)]


def test_the_due_date_skips_holidays():
    # 2025-B4 ends on Sunday 31 August: 1–5 September are the five working days
    assert ds.submission_due(diary_period("2025-B4")).isoformat() == "2025-09-06T00:00:00+08:00"
    # 2024-B6 ends 31 December; New Year's Day is off: the five are 2, 3, 6, 7 and 8 January
    assert ds.submission_due(diary_period("2024-B6")).isoformat() == "2025-01-09T00:00:00+08:00"
