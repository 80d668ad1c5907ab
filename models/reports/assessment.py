"""Village assessment (考核) over a quarter or a year: a score out of 100, 1–5 stars, a rank,
and every score explained by its parts.

The score is the weighted mean of the parts that have something to judge: a part without a
denominator (no callbacks yet, no cases) is left out and the others share its weight, so a
quiet village is neither punished nor rewarded for having no cases. Each part earns
`points` = 100 × weight × fraction / (sum of the weights that apply); the points add up to
the base score. Proactive work (未诉先办: diary entries that became cases, and those resolved
on the spot) is credited separately as a bonus on top, capped, and the total never exceeds 100.

Parts (fraction from 0 to 1):
- response, resolution, satisfaction: the three rates (models.rates) of the village's cases;
- on_time: cases of the period that never missed a deadline;
- not_escalated: cases that never climbed beyond the village (escalation level 2 or more);
- visiting: visiting days of the village's members, each member-month capped at 7 (models.reports.visiting);
- diary_summaries: bi-monthly summaries due in the period, submitted on time (late ones earn partial credit);
- zero_petition: months with no petition beyond the township (零上访).
Weights and thresholds are deployment data (`AssessmentWeights.from_mapping`).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any

from models.case import Case
from models.clock import is_overdue
from models.errors import DomainError
from models.rates import Rate, ThreeRates, three_rates
from models.reports import diary_summary as ds
from models.reports.periods import Period, month_of
from models.reports.records import UpwardPetition
from models.reports.visiting import VisitingDays, fulfilment

PARTS = ("response", "resolution", "satisfaction", "on_time", "not_escalated", "visiting", "diary_summaries",
         "zero_petition")
GRADES = {5: "good", 4: "good", 3: "fairly_good", 2: "average", 1: "poor"}  # 好 / 较好 / 一般 / 差
TOWNSHIP_LEVEL = 2  # escalation at or above this level left the village


@dataclass(frozen=True)
class AssessmentWeights:
    response: float = 15
    resolution: float = 15
    satisfaction: float = 20
    on_time: float = 10
    not_escalated: float = 10
    visiting: float = 10
    diary_summaries: float = 10
    zero_petition: float = 10
    proactive_case_points: float = 0.5  # per diary entry that became a case
    on_spot_points: float = 1.0         # per diary entry resolved on the spot
    proactive_cap: float = 5.0
    late_summary_credit: float = 0.5
    star_thresholds: tuple[float, float, float, float] = (90, 80, 70, 60)  # lowest score for 5, 4, 3, 2 stars

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "AssessmentWeights":
        """Weights as a deployment stores them; every problem is named at once."""
        known = {f.name for f in fields(cls)}
        problems = [f"unknown weight {key!r}" for key in data if key not in known]
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key == "star_thresholds":
                values[key] = _thresholds(value, problems)
            elif key in known:
                values[key] = _number(key, value, problems)
        weights = replace(cls(), **values) if not problems else cls()
        if not problems and sum(getattr(weights, p) for p in PARTS) <= 0:
            problems.append("at least one part must have a positive weight")
        if not problems and not 0 <= weights.late_summary_credit <= 1:
            problems.append("late_summary_credit must lie between 0 and 1")
        if problems:
            raise DomainError("assessment weights refused: " + "; ".join(problems), code="assessment.bad_weights",
                              params={"problems": "; ".join(problems)})
        return weights

    def to_mapping(self) -> dict[str, Any]:
        data = asdict(self)
        data["star_thresholds"] = list(self.star_thresholds)
        return data


DEFAULT_WEIGHTS = AssessmentWeights()


@dataclass(frozen=True)
class VillageFacts:
    """What the assessment judges of one village over the period (see `village_facts`)."""
    village_code: str
    rates: ThreeRates
    cases: int = 0            # cases raised in the period, on-the-spot resolutions not included
    overdue_cases: int = 0    # of them, the ones that missed a deadline
    escalated_cases: int = 0  # of them, the ones escalated beyond the village
    visiting: tuple[VisitingDays, ...] = ()
    summaries: tuple[str, ...] = ()  # per diary period due: on_time | late | missing
    diary_cases: int = 0      # 未诉先办: diary entries that became cases
    on_spot: int = 0          # 未诉先办: diary entries resolved on the spot
    months: tuple[str, ...] = ()                 # months assessed so far
    months_with_upward: tuple[str, ...] = ()     # of them, months with a petition beyond the township


@dataclass(frozen=True)
class Part:
    name: str
    weight: float
    fraction: float | None  # None: nothing to judge, left out
    points: float           # what the part adds to the score
    max_points: float       # what it could have added
    detail: Mapping[str, Any]


@dataclass(frozen=True)
class VillageScore:
    village_code: str
    score: float
    stars: int
    rank: int
    grade: str
    zero_petition: bool  # no petition beyond the township in any month assessed
    parts: tuple[Part, ...]
    bonus: Part

    def parts_dict(self) -> dict[str, Any]:
        return {p.name: {"weight": p.weight, "fraction": _round(p.fraction, 4), "points": round(p.points, 2),
                         "max_points": round(p.max_points, 2), **p.detail} for p in (*self.parts, self.bonus)}


@dataclass(frozen=True)
class Assessment:
    period: str
    items: tuple[VillageScore, ...]
    weights: AssessmentWeights


def assess(period: Period, facts: Iterable[VillageFacts], weights: AssessmentWeights = DEFAULT_WEIGHTS) -> Assessment:
    scored = [_score(f, weights) for f in facts]
    ordered = sorted(scored, key=lambda s: (-s.score, s.village_code))
    ranked = [replace(s, rank=1 + sum(o.score > s.score for o in ordered)) for s in ordered]
    return Assessment(period.key, tuple(ranked), weights)


def stars_for(score: float, weights: AssessmentWeights = DEFAULT_WEIGHTS) -> int:
    return 5 - sum(score < t for t in weights.star_thresholds)


def village_facts(village_code: str, period: Period, now: datetime, *, cases: Iterable[Case],
                  visiting: Iterable[VisitingDays] = (), summaries: Iterable[str] = (),
                  upward: Iterable[UpwardPetition] = ()) -> VillageFacts:
    """The facts from the domain's own objects: the village's cases (with their history), the
    visiting-day rows of its members for the months so far, the status of each diary summary
    due in the period (`diary_summary.submission_status`; pending ones are ignored) and the
    petitions beyond the township."""
    end = min(period.end, now)
    mine = [c for c in cases if c.village_code == village_code]
    raised = [c for c in mine if period.start <= c.occurred_at < period.end]
    on_spot = [c for c in raised if c.callback_result == "on_spot"]
    handled = [c for c in raised if c.callback_result != "on_spot"]
    months = tuple(m.key for m in period.months() if m.start < end)
    upward_months = {month_of(u.occurred_at).key for u in upward
                     if u.village_code == village_code and period.start <= u.occurred_at < end}
    return VillageFacts(
        village_code, three_rates(mine, period.start, end, village_code),
        cases=len(handled), overdue_cases=sum(missed_deadline(c, end) for c in handled),
        escalated_cases=sum(escalated_beyond_village(c, end) for c in handled),
        visiting=tuple(v for v in visiting if v.village_code == village_code and v.month in months),
        summaries=tuple(s for s in summaries if s != ds.PENDING),
        diary_cases=sum(c.source == "diary" for c in handled), on_spot=sum(c.source == "diary" for c in on_spot),
        months=months, months_with_upward=tuple(m for m in months if m in upward_months))


def missed_deadline(case: Case, at: datetime) -> bool:
    """Escalation starts the moment a stage is overdue, so a case missed a deadline when it
    was escalated by `at`, or is overdue at `at`."""
    return any(e.type == "escalated" and e.at <= at for e in case.events) or is_overdue(case, at)


def escalated_beyond_village(case: Case, at: datetime) -> bool:
    return any(e.type == "escalated" and e.at <= at and int(e.data.get("level", 0)) >= TOWNSHIP_LEVEL
               for e in case.events)


def _score(facts: VillageFacts, w: AssessmentWeights) -> VillageScore:
    raw = _fractions(facts, w)
    judged = sum(getattr(w, name) for name, (fraction, _) in raw.items() if fraction is not None)
    parts = tuple(Part(name, getattr(w, name), fraction,
                       0.0 if fraction is None or not judged else 100 * getattr(w, name) * fraction / judged,
                       0.0 if fraction is None or not judged else 100 * getattr(w, name) / judged, detail)
                  for name, (fraction, detail) in raw.items())
    bonus = _bonus(facts, w)
    score = round(min(100.0, sum(p.points for p in parts) + bonus.points), 1)
    stars = stars_for(score, w)
    return VillageScore(facts.village_code, score, stars, 0, GRADES[stars],
                        bool(facts.months) and not facts.months_with_upward, parts, bonus)


def _fractions(f: VillageFacts, w: AssessmentWeights) -> dict[str, tuple[float | None, dict[str, Any]]]:
    on_time = sum({ds.ON_TIME: 1.0, ds.LATE: w.late_summary_credit}.get(s, 0.0) for s in f.summaries)
    return {
        "response": _rate(f.rates.response),
        "resolution": _rate(f.rates.resolution),
        "satisfaction": _rate(f.rates.satisfaction),
        "on_time": _share(f.cases - f.overdue_cases, f.cases, {"cases": f.cases, "overdue": f.overdue_cases}),
        "not_escalated": _share(f.cases - f.escalated_cases, f.cases,
                                {"cases": f.cases, "escalated": f.escalated_cases}),
        "visiting": (fulfilment(f.visiting), {
            "member_months": len(f.visiting), "days": sum(v.days for v in f.visiting),
            "required": sum(v.required for v in f.visiting), "shortfall": sum(v.shortfall for v in f.visiting)}),
        "diary_summaries": (on_time / len(f.summaries) if f.summaries else None, {
            "due": len(f.summaries), "on_time": f.summaries.count(ds.ON_TIME), "late": f.summaries.count(ds.LATE),
            "missing": f.summaries.count(ds.MISSING)}),
        "zero_petition": _share(len(f.months) - len(f.months_with_upward), len(f.months), {
            "months": list(f.months), "months_with_upward_petitions": list(f.months_with_upward)}),
    }


def _bonus(f: VillageFacts, w: AssessmentWeights) -> Part:
    earned = w.proactive_case_points * f.diary_cases + w.on_spot_points * f.on_spot
    points = min(w.proactive_cap, earned)
    return Part("proactive", 0.0, None, points, w.proactive_cap,
                {"diary_cases": f.diary_cases, "resolved_on_spot": f.on_spot, "earned": round(earned, 2)})


def _rate(rate: Rate) -> tuple[float | None, dict[str, Any]]:
    return rate.value, {"numerator": rate.numerator, "denominator": rate.denominator}


def _share(good: int, total: int, detail: dict[str, Any]) -> tuple[float | None, dict[str, Any]]:
    return (None if total <= 0 else max(0, good) / total), detail


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _number(key: str, value: Any, problems: list[str]) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        problems.append(f"{key} must be a number of at least 0, not {value!r}")
        return 0.0
    return float(value)


def _thresholds(value: Any, problems: list[str]) -> tuple[float, float, float, float]:
    try:
        found = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        found = ()
    if len(found) != 4 or list(found) != sorted(found, reverse=True) or not all(0 <= t <= 100 for t in found):
        problems.append("star_thresholds must be four scores from 100 down to 0 (for 5, 4, 3 and 2 stars), "
                        f"not {value!r}")
        return DEFAULT_WEIGHTS.star_thresholds
    return found
