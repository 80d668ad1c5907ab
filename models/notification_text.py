"""The zh-CN texts of notifications. Only codes, labels, cadre-facing names, times and
scrubbed free text go in; a petitioner's phone or ID number never does, and a petitioner's
message never names a cadre."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from models.errors import DomainError
from models.petitioners import normalise_phone
from models.roster import Roster
from models.workcalendar import to_local

if TYPE_CHECKING:
    from models.case import CaseEvent
    from models.notifications import CaseFacts, Petitioner

PREFIX = "【民情】"
MASK = "***"
_LEVELS_ZH = {1: "村党支部书记", 2: "包村领导", 3: "镇党委书记", 4: "县级"}  # the chain's levels (models.standing)
# Seven or more digits, possibly split by spaces or hyphens (phones, landlines, ID numbers,
# bank cards), with an ID number's final X: whatever it is, no notification repeats it.
_DIGIT_RUN = re.compile(r"(?:\+?86[\s-]?)?\d(?:[\s-]?\d){6,}[\dXx]?")
_SUMMARY_LIMIT = 60


def scrub(free_text: str, petitioner: "Petitioner | None" = None) -> str:
    """Free text (summary, reasons) without anything that looks like a phone or ID number."""
    out = free_text
    if petitioner is not None:
        for secret in (petitioner.phone, petitioner.id_number):
            if secret and secret.strip():
                out = out.replace(secret.strip(), MASK)
    return _DIGIT_RUN.sub(MASK, out)


def when(moment: datetime | None) -> str:
    if moment is None:
        return "（未定）"
    local = to_local(moment)
    return f"{local.month}月{local.day}日{local:%H:%M}"


def village_name(roster: Roster, code: str) -> str:
    try:
        return roster.village(code).name
    except DomainError:
        return code


def category_label(roster: Roster, code: str) -> str:
    try:
        return roster.catalogue.get(code).label
    except DomainError:
        return code


def _about(facts: "CaseFacts", roster: Roster) -> str:
    where = f"{village_name(roster, facts.village_code)}·{category_label(roster, facts.category)}"
    if facts.confidential:  # a complaint accusing someone: details only behind the login
        return f"（{where}，涉及检举控告，详情请登录系统查看）"
    summary = scrub(facts.summary, facts.petitioner)
    summary = summary if len(summary) <= _SUMMARY_LIMIT else summary[:_SUMMARY_LIMIT] + "…"
    return f"（{where}）：{summary}"


def _free(event: "CaseEvent", key: str, facts: "CaseFacts") -> str:
    value = event.data.get(key)
    return scrub(str(value), facts.petitioner) if value else "未说明"


def case_text(kind: str, event: "CaseEvent", facts: "CaseFacts", roster: Roster, due: datetime | None) -> str:
    code, about, data = facts.tracking_code, _about(facts, roster), event.data
    texts: dict[str, Callable[[], str]] = {
        "case_assigned": lambda: _assigned_text(event.type, code, about, due),
        "deadline_warning": lambda: f"案件 {code}{about} 办理时限已用去四分之三，将于{when(due)}到期，请抓紧办理。",
        "case_overdue": lambda: (f"案件 {code}{about} 已超过办理时限，现由{_level(data)}督办，请立即处理。"),
        "case_escalated": lambda: f"案件 {code}{about} 逾期仍未办结，已提级至{_level(data)}督办。",
        "objection_raised": lambda: (f"案件 {code}{about} 的承办人提出异议，认为不属本单位职责："
                                     f"{_free(event, 'reason', facts)}。请裁定转办或驳回。"),
        "objection_decided": lambda: (f"您对案件 {code} 提出的异议已采纳，案件已转交他人办理。"
                                      if event.type == "transferred" else
                                      f"您对案件 {code} 提出的异议未获采纳，请继续办理。"),
        "extension_requested": lambda: (f"案件 {code}{about} 申请延期 {data.get('days')} 天，理由："
                                        f"{_free(event, 'reason', facts)}。请审批。"),
        "extension_decided": lambda: (f"您为案件 {code} 申请的延期 {data.get('days')} 天已"
                                      f"{'批准' if data.get('status') == 'approved' else '驳回'}。"),
        "callback_due": lambda: f"案件 {code}{about} 已答复群众，请安排回访。",
    }
    return PREFIX + texts[kind]()  # a kind without a text is a programming error: KeyError


def _assigned_text(event_type: str, code: str, about: str, due: datetime | None) -> str:
    lead = {"delegated": f"案件 {code} 已委派您办理", "transferred": f"案件 {code} 已转交您办理",
            "reopened": f"案件 {code} 回访群众不满意，已退回重办"}.get(event_type, f"新案件 {code}")
    return f"{lead}{about}，请于{when(due)}前联系群众并办理。"


def _level(data: Any) -> str:
    return _LEVELS_ZH.get(int(data.get("level") or 0), "上级")


def alert_text(village_code: str, category: str, petitioners: int, roster: Roster) -> str:
    return (f"{PREFIX}预警：{village_name(roster, village_code)}已有 {petitioners} 位群众反映"
            f"{category_label(roster, category)}问题，可能形成集体访，请立即关注。")


def callback_overdue_text(tracking_code: str, replied_at: datetime) -> str:
    return f"{PREFIX}案件 {tracking_code} 已于{when(replied_at)}答复群众，至今未回访，请督促回访。"


def digest_text(due_today: Iterable[str], overdue: Iterable[str], limit: int = 10) -> str:
    today, late = list(due_today), list(overdue)
    parts = [f"{PREFIX}今日待办：今日到期 {len(today)} 件，已超期 {len(late)} 件。"]
    for label, codes in (("已超期", late), ("今日到期", today)):
        if codes:
            more = f" 等{len(codes)}件" if len(codes) > limit else ""
            parts.append(f"{label}：{'、'.join(codes[:limit])}{more}。")
    return "".join(parts)


def petitioner_text(kind: str, tracking_code: str, link: str, due: datetime | None) -> str:
    texts = {
        "petitioner_registered": f"您反映的事项已登记，查询码 {tracking_code}，可在 {link} 查看办理进度。",
        "petitioner_replied": f"您反映的事项（查询码 {tracking_code}）已有答复，请在 {link} 查看。",
        "petitioner_extended": (f"您反映的事项（查询码 {tracking_code}）依《信访工作条例》第三十四条经批准延期办理，"
                                f"新的办结期限为{when(due)}，进度请在 {link} 查看。"),
    }
    return PREFIX + texts[kind]


def masked_phone(phone: str | None) -> str:
    digits = normalise_phone(phone)
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else MASK


def masked_address(channel: str, address: str | None) -> str | None:
    """A delivery's address as the delivery log shows it: e-mail and phone half hidden."""
    if address is None:
        return None
    if channel == "email":
        name, _, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    return masked_phone(address)


KIND_LABELS = {
    "case_assigned": "新的承办案件", "deadline_warning": "办理时限提醒", "case_overdue": "案件超期",
    "case_escalated": "案件提级督办", "extension_requested": "延期申请待审批", "extension_decided": "延期申请结果",
    "objection_raised": "异议待裁定", "objection_decided": "异议裁定结果", "callback_due": "待回访",
    "callback_overdue": "回访逾期", "early_warning": "集体访预警", "digest": "今日待办",
    "petitioner_registered": "事项已登记", "petitioner_replied": "事项已答复", "petitioner_extended": "事项延期办理",
}


def subject(kind: str, tracking_code: str | None) -> str:
    label = KIND_LABELS.get(kind, kind)
    return f"{PREFIX}{label}" + (f" {tracking_code}" if tracking_code else "")
