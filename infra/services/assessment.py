"""Village assessment (考核) over a quarter or a year: each village in reach scored from its
cases (the three rates, on time, not escalated), its members' visiting days, its diary
summaries, its zero-petition months and its proactive work, with 1–5 stars and a rank,
every score explained by its parts. The weights are deployment data an admin sets.

Cases are read within the caller's scope: a case that accuses the caller counts for nothing
in the scores they see."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from infra.exports.report_documents import assessment_document
from infra.services.acting import allowed, scope_of
from infra.services.report_common import Report, diary_lines, names_for, refuse
from infra.services.ports import CaseFilter, UnitOfWork
from models.access import Actor, Capability
from models.errors import DomainError
from models.reports import diary_summary as ds
from models.reports import periods
from models.reports.assessment import DEFAULT_WEIGHTS, AssessmentWeights, assess, village_facts
from models.reports.contract import assessment_items
from models.reports.periods import Period
from models.reports.reach import report_villages
from models.reports.visiting import VisitingDays, two_committee_members, visiting_days


@dataclass(frozen=True)
class AssessmentReport:
    actor: Actor
    period: str | None = None  # YYYY-Qn or YYYY; default: this quarter


@dataclass(frozen=True)
class ReadWeights:
    actor: Actor


@dataclass(frozen=True)
class SetWeights:
    """Weights as a deployment writes them; unnamed ones keep their default."""
    actor: Actor
    weights: Mapping[str, Any]


def _period(key: str | None, uow: UnitOfWork) -> Period:
    try:
        if key:
            return periods.assessment_period(key)
        today = periods.month_of(uow.now).first_day
        return periods.quarter(f"{today.year:04d}-Q{(today.month - 1) // 3 + 1}")
    except DomainError as error:
        refuse(error)


async def assessment_report(cmd: AssessmentReport, uow: UnitOfWork) -> Report:
    allowed(lambda: cmd.actor.require(Capability.READ_CASES))
    scope, roster, now, period = scope_of(uow, cmd.actor), uow.roster, uow.now, _period(cmd.period, uow)
    villages = report_villages(scope, roster)
    end = min(period.end, now)
    cases = await uow.reads.aggregates(scope, CaseFilter(occurred_until=end, touched_since=period.start))
    members = [m for m in two_committee_members(roster) if m.village_code in villages]
    entries = await diary_lines(uow, scope, CaseFilter(occurred_from=period.start, occurred_until=end))
    visiting: list[VisitingDays] = [row for month in period.months() if month.start < end
                                    for row in visiting_days(month, members, entries)]
    due = periods.diary_periods_ending_in(period)
    stored = {(s.village_code, s.period): s for s in await uow.diary_summaries.of_periods([p.key for p in due],
                                                                                          villages)}
    upward = await uow.upward_petitions.between(villages, period.start, end)
    weights, _ = await uow.assessment_weights.current()
    facts = [village_facts(v, period, now, cases=cases.values(), visiting=visiting, upward=upward,
                           summaries=[ds.submission_status(stored.get((v, p.key)), p, now) for p in due])
             for v in villages]
    result = assess(period, facts, weights)
    names = await names_for(uow)
    body = {**assessment_items(result), "generated_at": now.isoformat(), "until": end.isoformat()}
    return Report(f"assessment-{period.key}", body, lambda lang: assessment_document(result, names(lang), now, lang))


async def read_weights(cmd: ReadWeights, uow: UnitOfWork) -> dict[str, Any]:
    allowed(lambda: cmd.actor.require(Capability.ADMINISTER))
    weights, who = await uow.assessment_weights.current()
    return _weights(weights, who)


async def set_weights(cmd: SetWeights, uow: UnitOfWork) -> dict[str, Any]:
    allowed(lambda: cmd.actor.require(Capability.ADMINISTER))
    try:
        weights = AssessmentWeights.from_mapping(cmd.weights)
    except DomainError as error:
        refuse(error)
    who = cmd.actor.username or cmd.actor.cadre_id or cmd.actor.role.value
    await uow.assessment_weights.put(weights, set_by=who, at=uow.now)
    await uow.commit()
    return _weights(weights, {"set_by": who, "set_at": uow.now})


def _weights(weights: AssessmentWeights, who: Mapping[str, Any] | None) -> dict[str, Any]:
    return {"weights": weights.to_mapping(), "defaults": DEFAULT_WEIGHTS.to_mapping(),
            "set_by": who["set_by"] if who else None, "set_at": who["set_at"].isoformat() if who else None}
