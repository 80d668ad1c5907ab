"""Time-driven notifications (08:00 digest, overdue callbacks) and delivery timing
(preferences, quiet hours, group chats, retries)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from infra.demo.township import demo_roster
from models.case import Case
from models.chain import recusal_for
from models.errors import DomainError
from models.lifecycle import CaseStatus
from models.notification_channels import (DINGTALK, EMAIL, SMS, WEBHOOK, WECOM, Preferences, RetryPolicy, plan,
                                          plan_petitioner)
from models.notifications import Notification, PetitionerMessage
from models.reminders import callback_reminders, digest_day, digests, workloads
from models.roster import Roster

SHANGHAI = timezone(timedelta(hours=8))
ROSTER = Roster.from_contract(demo_roster())
V1 = "330782101201"
ALL = (WEBHOOK, DINGTALK, WECOM, EMAIL, SMS)


def at(hour: int, minute: int = 0, day: int = 11) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=SHANGHAI)  # 2025-03-11 is a Tuesday


def case(case_id: str, due: datetime, owner: str = "v1-dir", handler: str = "v1-ddir", **kw: object) -> Case:
    base = Case(case_id, "hotline", f"e-{case_id}", V1, "water", "help", "normal", at(8, day=3),
                {"handling": due}, status=CaseStatus.ACCEPTED, owner_cadre_id=owner, handler_cadre_id=handler)
    return replace(base, **kw)  # type: ignore[arg-type]


# --- the 08:00 digest -------------------------------------------------------------------------------

def test_the_digest_is_owed_from_8_am_shanghai_once_a_day() -> None:
    assert digest_day(at(7, 59), None) is None
    assert digest_day(at(8, 0), None) == date(2025, 3, 11)
    assert digest_day(at(8, 0).astimezone(timezone.utc), date(2025, 3, 10)) == date(2025, 3, 11)
    assert digest_day(at(15), date(2025, 3, 11)) is None
    assert digest_day(at(0, 30, day=12), date(2025, 3, 11)) is None  # past midnight, before 08:00


def test_each_cadre_hears_what_is_due_today_and_what_is_overdue() -> None:
    now = at(8)
    cases = [case("late", at(17, day=10)), case("today", at(17)), case("later", at(17, day=14)),
             case("other", at(9), owner="v2-dir", handler="v2-dir"),
             case("up", at(9, day=7), escalated_to_cadre_id="v1-sec")]
    codes = {"late": "LATE", "today": "TODAY", "up": "UP", "other": "OTHER"}
    loads = workloads(cases, codes, now)
    assert loads["v1-ddir"].due_today == ("TODAY",) and loads["v1-ddir"].overdue == ("UP", "LATE")
    assert loads["v1-sec"].overdue == ("UP",) and "later" not in str(loads)
    notes = digests(loads, ROSTER, date(2025, 3, 11), now)
    assert {n.recipient_cadre_id for n in notes} == {"v1-dir", "v1-ddir", "v1-sec", "v2-dir"}
    text = next(n.text for n in notes if n.recipient_cadre_id == "v1-ddir")
    assert "今日到期 1 件，已超期 2 件" in text and "UP、LATE" in text
    assert len({n.notification_id for n in notes}) == 4
    again = digests(loads, ROSTER, date(2025, 3, 11), at(9))
    assert [n.notification_id for n in again] == [n.notification_id for n in notes]


def test_the_digest_leaves_out_anyone_recused_from_a_case() -> None:
    accused = case("x", at(17), escalated_to_cadre_id="v1-sec", recusal=recusal_for(ROSTER, ["v1-sec"], [], V1))
    assert "v1-sec" not in workloads([accused], {}, at(8))


# --- callbacks ----------------------------------------------------------------------------------------

def test_an_overdue_callback_goes_to_the_petition_office() -> None:
    replied = case("r", at(17), status=CaseStatus.REPLIED, replied_at=at(10))
    assert callback_reminders(replied, "CODE", ROSTER, at(10, day=13)) == ()  # 2 working days later
    notes = callback_reminders(replied, "CODE", ROSTER, at(11, day=14))
    assert {(n.recipient_cadre_id, n.kind) for n in notes} == {("t-xf1", "callback_overdue"),
                                                               ("t-xf2", "callback_overdue")}
    assert callback_reminders(replace(replied, status=CaseStatus.RESOLVED), "CODE", ROSTER, at(11, day=20)) == ()


# --- channels, preferences and quiet hours -----------------------------------------------------------

def note(urgent: bool = False, confidential: bool = False) -> Notification:
    return Notification("n1", "case_assigned", "v1-dir", "【民情】…", at(9), "e1", urgent=urgent,
                        confidential=confidential)


def test_the_webhook_always_and_personal_channels_as_the_cadre_chose() -> None:
    prefs = Preferences(frozenset({DINGTALK, SMS, EMAIL}), email="dir@example.org")
    deliveries = plan(note(), prefs, ALL, "13800000001", at(9))
    assert [(d.channel, d.address) for d in deliveries] == [
        (WEBHOOK, None), (DINGTALK, "13800000001"), (EMAIL, "dir@example.org"), (SMS, "13800000001")]
    assert [d.channel for d in plan(note(), prefs, (WEBHOOK, SMS), "1", at(9))] == [WEBHOOK, SMS]


def test_quiet_hours_hold_phone_channels_until_7_unless_urgent() -> None:
    prefs = Preferences(frozenset({DINGTALK, EMAIL}), email="a@b.cn")
    late = {d.channel: d.not_before for d in plan(note(), prefs, ALL, "1", at(23))}
    assert late == {WEBHOOK: at(23), DINGTALK: at(7, day=12), EMAIL: at(23)}
    early = {d.channel: d.not_before for d in plan(note(), prefs, ALL, "1", at(6, 59))}
    assert early[DINGTALK] == at(7)
    assert all(d.not_before == at(23) for d in plan(note(urgent=True), prefs, ALL, "1", at(23)))
    off = replace(prefs, quiet_hours=False)
    assert all(d.not_before == at(23) for d in plan(note(), off, ALL, "1", at(23)))


def test_a_case_accusing_someone_never_goes_to_a_group_chat() -> None:
    prefs = Preferences(frozenset({DINGTALK, WECOM, SMS}))
    assert [d.channel for d in plan(note(confidential=True), prefs, ALL, "1", at(9))] == [WEBHOOK, SMS]


def test_an_event_seen_more_than_a_day_late_is_kept_in_app_but_pushed_to_nobody() -> None:
    prefs = Preferences(frozenset({DINGTALK, SMS}))
    assert len(plan(replace(note(), event_at=at(10, day=10)), prefs, ALL, "1", at(9))) == 3
    assert plan(replace(note(), event_at=at(8, day=10)), prefs, ALL, "1", at(9)) == ()
    sms = PetitionerMessage("m", "petitioner_replied", "13900000000", "…", at(9), "e", "c", "CODE", at(8, day=10))
    assert plan_petitioner(sms, ALL, at(9)) == ()


def test_petitioner_sms_tracking_code_at_once_later_notices_in_the_morning() -> None:
    def message(kind: str) -> PetitionerMessage:
        return PetitionerMessage("m", kind, "13900000000", "…", at(23), "e", "c", "CODE")
    assert plan_petitioner(message("petitioner_registered"), ALL, at(23))[0].not_before == at(23)
    assert plan_petitioner(message("petitioner_replied"), ALL, at(23))[0].not_before == at(7, day=12)
    assert plan_petitioner(message("petitioner_replied"), (WEBHOOK,), at(9)) == ()


def test_preferences_refuse_unknown_channels_and_email_without_address() -> None:
    assert Preferences.parse({"channels": ["sms"], "quiet_hours": False}).to_dict() == {
        "channels": ["sms"], "quiet_hours": False, "email": None}
    with pytest.raises(DomainError, match="unknown notification channel") as unknown:
        Preferences.parse({"channels": ["pager"]})
    assert (unknown.value.code, unknown.value.params["channels"]) == ("notification.unknown_channel", "pager")
    with pytest.raises(DomainError, match="needs an e-mail address") as no_address:
        Preferences.parse({"channels": ["email"]})
    assert no_address.value.code == "notification.email_required"
    with pytest.raises(DomainError, match="not an e-mail address") as bad_address:
        Preferences.parse({"channels": [], "email": "no at sign"})
    assert (bad_address.value.code, bad_address.value.params) == ("notification.not_an_email", {"email": "no at sign"})


def test_retries_back_off_and_give_up() -> None:
    policy = RetryPolicy(max_attempts=4, first_delay=timedelta(seconds=2), max_delay=timedelta(seconds=5))
    now = at(9)
    assert [policy.next_try(n, now) for n in (1, 2, 3, 4)] == [
        now + timedelta(seconds=2), now + timedelta(seconds=4), now + timedelta(seconds=5), None]
