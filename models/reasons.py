"""Every reason the domain gives — a refusal, a routing step, a timeline note — has a code,
parameters and an English template here. The message catalogues of the web UI translate by
code (`reason.<code>`), so a Chinese screen never shows an English sentence or a raw code.
A unit test checks that both catalogues cover every code listed here."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TEMPLATES: dict[str, str] = {
    "domain.refused": "{message}",
    # leaders' reports (models/reports)
    "report.bad_period": "period {period} is not valid: expected {expected}",
    "report.no_meeting_day": "no meeting day found near {day}",
    "report.bad_window": "a report window must start before it ends: {since} is not before {until}",
    "supervision.not_leader": "only a township leader may {act} a 督办 item; {cadre} is not one",
    "supervision.unknown_owner": "unknown cadre {owner} cannot answer for a 督办 item",
    "supervision.bad_origin": "unknown origin {origin} of a 督办 item",
    "supervision.due_in_past": "a 督办 item cannot be due on {due_on}, before it is recorded",
    "supervision.not_later": "a new date must be later than {current}, not {due_on}",
    "supervision.illegal_action": "cannot {action} a 督办 item that is {status}: allowed actions are {allowed}",
    "supervision.not_owner": "cadre {cadre} may not {act} 督办 item {item}: it belongs to {owner}",
    "supervision.empty_text": "the {field} must not be empty",
    "diary_summary.not_member": "only a two-committee member of village {village} proposes solutions; {cadre} is not one",
    "diary_summary.empty_proposal": "the proposed solution for {category} must not be empty",
    "diary_summary.wrong_digest": "the digest does not belong to the summary of {village} {period}",
    "diary_summary.not_secretary": "only the party branch secretary of village {village} submits its diary summary; "
                                   "{cadre} is not",
    "diary_summary.too_early": "the summary of {period} can be submitted from {first_day} on",
    "diary_summary.proposals_missing": "propose a solution for {categories} before submitting",
    "diary_summary.already_submitted": "the diary summary of {village} for {period} was already submitted",
    "assessment.bad_weights": "assessment weights refused: {problems}",
    "top_issue.month_not_begun": "the top issue of {month} cannot be picked before the month begins",
    "top_issue.too_many": "{month} already has its top issues: at most {limit} a month",
    "top_issue.already_picked": "{label} is already the top issue of {month}",
}


def render(code: str, params: Mapping[str, Any]) -> str:
    """The English text of a reason (for logs, the CLI and English-only clients)."""
    template = TEMPLATES.get(code)
    if template is None:
        return f"{code} {dict(params)}"
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return f"{code} {dict(params)}"
