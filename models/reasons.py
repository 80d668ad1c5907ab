"""Every reason the domain gives — a refusal, a routing step, a timeline note — has a code,
parameters and an English template here. The message catalogues of the web UI translate by
code (`reason.<code>`), so a Chinese screen never shows an English sentence or a raw code.
A unit test checks that both catalogues cover every code listed here."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

TEMPLATES: dict[str, str] = {
    "domain.refused": "{message}",
    # access (models/access)
    "access.denied": "role {role!r} cannot do this; allowed: {allowed}",
    "access.unknown_role": "unknown role {role!r}",
    "access.not_party": "only the case's {who} can do this",
    "access.not_closer": "only the owner, the handler, operators or petition staff close a case",
    # roster
    "roster.invalid": "roster has {count} problem(s): {problems}",
    "roster.unknown_cadre": "unknown cadre {cadre_id}",
    "roster.unknown_unit": "unknown {kind} {unit_code}",
    # lifecycle and action guards
    "case.illegal_transition": "cannot '{action}' a case in state '{state}': allowed actions are {allowed}",
    "action.text_required": "{what} must not be empty",
    "action.needs_roster": "{what} needs the roster to check who may decide it",
    "case.not_a_diary_entry": "only a diary entry can be resolved on the spot, not a {source} case",
    "case.close_without_reply": "case {case_id} has no reply to the petitioner and cannot close",
    "case.close_without_callback": "case {case_id} has no callback result (nor a reason none was possible) "
                                   "and cannot close",
    "extension.refusal_reason": "a refusal needs its reason in `note`",
    "extension.days_out_of_range": "an extension is 1 to {limit} days, not {days}",
    # petitioners' numbers as typed (models/petitioners)
    "petitioner.phone_format": "a phone number is a mainland mobile (11 digits from 13-19) or a landline with "
                               "its area code",
    "petitioner.id_format": "a resident ID number has 18 characters: 17 digits and a digit or X",
    "petitioner.id_birth_date": "the birth date in this resident ID number does not exist",
    "petitioner.id_checksum": "the check character of this resident ID number is wrong",
    "extension.limit_reached": "case {case_id} was already extended {extensions} time(s); the limit is {limit}",
    "extension.no_handling_deadline": "case {case_id} has no handling deadline to extend",
    "objection.window_closed": "the objection window of case {case_id} closed at {until}",
    "escalation.must_climb": "case {case_id} is at escalation level {current}; it can only climb, to at most "
                             "{top}, not to {level}",
    "warning.no_deadline": "case {case_id} has no {stage} deadline to warn about",
    "warning.already_warned": "stage {stage} of case {case_id} was already warned",
    # nobody decides their own request
    "decision.not_a_leader": "{what} must be approved by a township leader; {cadre_id} is not one",
    "decision.own_request": "{cadre_id} is party to {what} and cannot decide it",
    "decision.not_above_requester": "{what} must be decided by a leader above {requester_cadre_id} (level "
                                    "{requester_level}); {cadre_id} stands at level {level}",
    "review.not_above": "{what} must be decided above {below_cadre_id} (level {below_level}); {cadre_id} "
                        "stands at level {level}",
    "review.nothing_to_review": "case {case_id} has no decision to request {what} of",
    "review.request_too_late": "a {what} of case {case_id} had to be requested by {until}",
    "callback.own_case": "{cadre_id} owns or handles this case and cannot record its callback",
    # conflict of interest
    "conflict.accused": "cadre {cadre_id} is accused in this case",
    "conflict.accused_unit": "cadre {cadre_id} belongs to accused unit {unit_code}",
    "conflict.below_accused": "cadre {cadre_id} stands below accused cadre {accused_cadre_id} in the chain of "
                              "village {village_code}",
    "conflict.accused_may_not": "cadre {cadre_id} is accused in this case and cannot {role} it",
    "conflict.accused_unit_may_not": "cadre {cadre_id} belongs to accused unit {unit_code} and cannot {role} it",
    "conflict.below_accused_may_not": "cadre {cadre_id} stands below accused cadre {accused_cadre_id} and "
                                      "cannot {role} it",
    "conflict.below_count": "{count} cadre(s) standing below {accused_cadre_id} are excluded too",
    "conflict.floor": "the case belongs at chain level {level} or above",
    "chain.already_holds": "cadre {cadre_id} already holds the case",
    # routing and backups
    "routing.unknown_source": "unknown source {source!r}: expected one of {expected}",
    "routing.visited": "{role} {cadre_id} ({name}) was visited and owns the case",
    "routing.matrix": "nobody was visited; {cadre_id} ({name}) is responsible for {category} in village "
                      "{village_code}",
    "routing.branch_secretary": "nobody was visited and nobody in village {village_code} is responsible for "
                                "{category}; branch secretary {cadre_id} ({name}) owns it",
    "routing.conflict_owner": "conflict of interest: level {level} ({level_name}) {cadre_id} ({name}) owns it",
    "routing.resolved_on_spot": "a diary entry resolved on the spot by its author",
    "routing.county": "nobody in township above the accused may own this case: {reasons}; it must go to the county",
    "backup.absent": "{cadre_id} is {absence}",
    "backup.cannot_handle_now": "{absence}: cannot handle it now",
    "backup.passed_over": "backup {cadre_id} is excluded from this case and is passed over",
    "backup.handles": "backup {cadre_id} ({name}) handles; owner of record is {owner_cadre_id}",
    "backup.none": "no backup available; owner {owner_cadre_id} stays the handler",
    # escalation
    "escalation.nobody_above": "overdue since {due}, but nobody eligible remains above level {level}; "
                               "the county must be told",
    "escalation.overdue": "stage overdue since {due}: level {level} ({level_name}) {cadre_id} ({name}) "
                          "supervises it now",
    # deadlines and the calendar
    "time.naive": "time {time} has no UTC offset; statutory clocks need one",
    "deadline.unknown_unit": "unknown time-limit unit {unit!r}: expected one of {expected}",
    "deadline.unknown_kind": "unknown kind {kind!r}: expected one of {expected}",
    "deadline.unknown_urgency": "unknown urgency {urgency!r}: expected one of {expected}",
    "deadline.unknown_source": "unknown source {source!r}: expected one of {expected}",
    "category.unknown": "unknown category {category}: known are {known}",
    "calendar.unknown_kind": "unknown calendar kind {kind!r}: expected one of {expected}",
    "calendar.year_out_of_range": "year {year} is outside {first}-{last}",
    "calendar.day_outside_year": "day {day} does not belong to the {kind} schedule of {year}",
    "calendar.day_twice": "day {day} is listed both as a holiday and as a working day of {year}",
    "calendar.malformed": "a calendar import needs year, kind and source: {error}",
    "calendar.bad_date": "{field}: {value!r} is not a date (YYYY-MM-DD)",
    "calendar.no_working_day": "no working day after {day}",
    "calendar.negative_working_days": "cannot add {days} working days",
    "deadlines.recomputed": "deadlines recomputed ({reason})",
    # intake: accused and the event time
    "accused.unknown_cadre": "{field}: {value!r} names no cadre of the roster",
    "accused.unknown_unit": "{field}: {value!r} names no unit of the roster",
    "accused.ambiguous": "{field}: {value!r} matches several roster entries: {matches}",
    "event.occurred_in_future": "occurred_at {occurred_at} is more than {tolerance_minutes} minutes ahead of "
                                "the server clock ({now})",
    # repeats
    "repeat.anonymous": "anonymous or unidentified petitioner: treated as a new matter",
    "repeat.new": "no open case of this petitioner on this matter",
    "repeat.linked": "the same petitioner raised {category} in village {village_code} in case {case_id}, "
                     "still {status}: linked, not counted as a new case",
    "repeat.re_reviewed": "the same matter ({category} in village {village_code}) concluded its re-review in "
                          "case {case_id}{when}; under Art. 36 it is not accepted again on the same facts",
    "repeat.new_accusation": "the petitioner of case {case_id} now accuses {accused}: a new accusation opens "
                             "its own case above the accused",
    # early warning
    "early_warning.cluster": "{count} residents of village {village_code} raised {category} within {hours} "
                             "hours: possible collective petition; {recipient} alerted",
    # notification preferences (models/notification_channels)
    "notification.unknown_channel": "unknown notification channel(s) {channels}: choose from {choices}",
    "notification.not_an_email": "{email!r} is not an e-mail address",
    "notification.email_required": "the e-mail channel needs an e-mail address",
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


@dataclass(frozen=True)
class Reason:
    """One reason as data: a registered code and its parameters (JSON-friendly values)."""
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return render(self.code, self.params)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}

    def __str__(self) -> str:
        return self.text


def reason(code: str, **params: Any) -> Reason:
    return Reason(code, params)
