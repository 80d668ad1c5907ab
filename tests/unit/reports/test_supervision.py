"""督办 items: recorded by a leader, tracked through their lifecycle, escalated when late."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from models import workcalendar as wc
from models.errors import DomainError
from models.reports import supervision as sv
from tests.unit.factories import BEIJING, build_roster, village_code

ROSTER = build_roster()
MONDAY = datetime(2025, 3, 10, 9, tzinfo=BEIJING)
V1 = village_code(1)


def decision(owner="t-l1", due=date(2025, 3, 13), village=V1, **kw):
    return sv.record_decision("d1", "修复第1村供水管道", owner, due, assigned_by="t-sec", at=MONDAY, roster=ROSTER,
                              village_code=village, meeting_day=MONDAY.date(), **kw)


def test_a_decision_is_recorded_open_with_its_history():
    item = decision()
    assert item.status == sv.S.OPEN and item.events[0].type == "recorded"
    assert item.due_at.isoformat() == "2025-03-14T00:00:00+08:00"


@pytest.mark.parametrize("kwargs, code", [
    ({"assigned_by": "v1-dir"}, "supervision.not_leader"),
    ({"owner": "nobody"}, "supervision.unknown_owner"),
    ({"due": date(2025, 3, 9)}, "supervision.due_in_past"),
])
def test_refusals_carry_codes(kwargs, code):
    assigned_by = kwargs.pop("assigned_by", "t-sec")
    with pytest.raises(DomainError) as refused:
        sv.record_decision("d1", "x", kwargs.get("owner", "t-l1"), kwargs.get("due", date(2025, 3, 13)),
                           assigned_by=assigned_by, at=MONDAY, roster=ROSTER)
    assert refused.value.code == code


def test_the_lifecycle_from_progress_to_closed_at_a_meeting():
    item = sv.record_progress(decision(), "已联系水务站", actor="t-l1", at=MONDAY + timedelta(hours=5), roster=ROSTER)
    item = sv.report_done(item, "管道已修复", actor="t-l1", at=MONDAY + timedelta(days=2), roster=ROSTER)
    assert item.status == sv.S.REPORTED and not item.is_overdue(MONDAY + timedelta(days=30))
    item = sv.close(item, actor="t-sec", at=MONDAY + timedelta(days=3), roster=ROSTER)
    assert item.is_closed and item.closed_at() == MONDAY + timedelta(days=3)
    assert [e.type for e in item.events] == ["recorded", "progressed", "reported", "closed"]


def test_a_reopened_item_runs_again_and_a_closed_one_refuses_everything():
    item = sv.report_done(decision(), "已修复", actor="t-l1", at=MONDAY, roster=ROSTER)
    item = sv.reopen(item, "回访仍停水", actor="t-sec", at=MONDAY + timedelta(days=1), roster=ROSTER)
    assert item.status == sv.S.IN_PROGRESS and item.latest_note() == "回访仍停水"
    closed = sv.close(sv.report_done(item, "已修复", actor="t-l1", at=MONDAY, roster=ROSTER), actor="t-sec",
                      at=MONDAY, roster=ROSTER)
    with pytest.raises(DomainError) as refused:
        sv.record_progress(closed, "x", actor="t-l1", at=MONDAY, roster=ROSTER)
    assert refused.value.code == "supervision.illegal_action" and refused.value.params["status"] == "closed"


def test_only_the_owner_or_a_leader_reports_progress_and_only_leaders_close():
    with pytest.raises(DomainError) as refused:
        sv.record_progress(decision(), "x", actor="v2-dir", at=MONDAY, roster=ROSTER)
    assert refused.value.code == "supervision.not_owner"
    reported = sv.report_done(decision(), "done", actor="t-l1", at=MONDAY, roster=ROSTER)
    with pytest.raises(DomainError):
        sv.close(reported, actor="v1-sec", at=MONDAY, roster=ROSTER)


def test_a_leader_moves_the_date_only_later():
    item = sv.extend(decision(), date(2025, 3, 20), "需协调水务部门", actor="t-sec", at=MONDAY, roster=ROSTER)
    assert item.due_on == date(2025, 3, 20) and item.events[-1].data["due_on"] == "2025-03-20"
    with pytest.raises(DomainError) as refused:
        sv.extend(item, date(2025, 3, 19), "x", actor="t-sec", at=MONDAY, roster=ROSTER)
    assert refused.value.code == "supervision.not_later"


def test_late_from_the_first_moment_after_the_last_day():
    item = decision()
    assert not item.is_overdue(datetime(2025, 3, 13, 23, 59, tzinfo=BEIJING))
    assert item.is_overdue(datetime(2025, 3, 14, 0, 0, tzinfo=BEIJING))


def test_a_late_village_item_climbs_above_the_leader_in_charge():
    item = decision(owner="t-l1")
    assert not sv.escalation_step(item, ROSTER, item.due_at - timedelta(seconds=1)).escalated
    step = sv.escalation_step(item, ROSTER, item.due_at)
    assert (step.level, step.recipient_cadre_id, step.escalated) == (3, "t-sec", True)
    escalated = sv.escalate(item, step, item.due_at)
    assert (escalated.escalation_level, escalated.escalated_to_cadre_id) == (3, "t-sec")
    assert sv.next_check_at(escalated, ROSTER) is None  # nobody above the party secretary


def test_a_village_secretarys_item_climbs_one_level_per_working_day_of_grace():
    item = decision(owner="v1-sec")
    assert sv.next_check_at(item, ROSTER) == item.due_at
    first = sv.escalation_step(item, ROSTER, item.due_at)
    assert (first.level, first.recipient_cadre_id) == (2, "t-l1")
    item = sv.escalate(item, first, item.due_at)
    # due Thursday 13 March: the leader in charge has Friday 14 March; on Saturday it goes up
    second_due = sv.next_check_at(item, ROSTER)
    assert second_due == datetime(2025, 3, 15, 0, 0, tzinfo=BEIJING)
    assert not sv.escalation_step(item, ROSTER, second_due - timedelta(seconds=1)).escalated
    second = sv.escalation_step(item, ROSTER, second_due)
    assert (second.level, second.recipient_cadre_id) == (3, "t-sec")


def test_a_township_item_goes_to_the_party_secretary_and_the_secretarys_own_item_has_nowhere_to_go():
    item = decision(owner="t-staff", village=None)
    step = sv.escalation_step(item, ROSTER, item.due_at + timedelta(days=1))
    assert (step.level, step.recipient_cadre_id) == (3, "t-sec")
    own = decision(owner="t-sec", village=None)
    stuck = sv.escalation_step(own, ROSTER, own.due_at + timedelta(days=1))
    assert not stuck.escalated and "heads the chain" in (stuck.explanation or "")
    assert sv.next_check_at(own, ROSTER) is None


def test_a_reported_item_is_not_late_and_owes_no_check():
    item = sv.report_done(decision(owner="v1-sec"), "done", actor="v1-sec", at=MONDAY, roster=ROSTER)
    assert not sv.escalation_step(item, ROSTER, item.due_at + timedelta(days=9)).escalated
    assert sv.next_check_at(item, ROSTER) is None


def test_grace_counts_working_days_over_a_holiday():
    # due on the last working day before Spring Festival 2025 (27 January): grace runs to 5 February
    item = sv.record_decision("d2", "春节前走访困难户", "v1-sec", date(2025, 1, 27), assigned_by="t-sec",
                              at=datetime(2025, 1, 20, 9, tzinfo=BEIJING), roster=ROSTER, village_code=V1)
    item = sv.escalate(item, sv.escalation_step(item, ROSTER, item.due_at), item.due_at)
    assert wc.local_date(sv.next_check_at(item, ROSTER)) == date(2025, 2, 6)
