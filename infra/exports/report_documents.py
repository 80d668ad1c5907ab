"""The documents of the leaders' reports (issue 14), built from the domain's report values:
the meeting report, visiting days, the village assessment, the month's top-issue candidates
and a village's diary summary. Names replace ids wherever a person reads them."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from infra.exports.document import BarChart, Cell, Paragraph, ReportDocument, Section, Series, Table
from infra.exports.labels import words
from models import workcalendar as wc
from models.reports.assessment import Assessment
from models.reports.diary_summary import DiaryDigest, DiarySummary, Group, Outstanding
from models.reports.meeting_report import MeetingReport
from models.reports.records import CaseLine, DiaryLine
from models.reports.supervision import Supervision
from models.reports.topics import TopicReport, TopIssuePick
from models.reports.visiting import VisitingDays
from models.roster import Roster

STAR, NO_STAR = "★", "☆"


@dataclass(frozen=True)
class Names:
    villages: Mapping[str, str]
    cadres: Mapping[str, str]
    categories: Mapping[str, str]
    township: str = ""

    def village(self, code: str) -> str:
        return self.villages.get(code, code)

    def cadre(self, cadre_id: str | None) -> str:
        return "" if not cadre_id else self.cadres.get(cadre_id, cadre_id)

    def category(self, code: str) -> str:
        return self.categories.get(code, code)


def names_from(roster: Roster, category_labels: Mapping[str, str] | None = None) -> Names:
    """Catalogue labels are Chinese; an English export passes its own category labels."""
    labels = dict(category_labels) if category_labels else {c.code: c.label for c in roster.catalogue.categories}
    return Names({v.code: v.name for v in roster.villages()}, {c.cadre_id: c.name for c in roster.cadres},
                 labels, roster.township().name)


def meeting_document(report: MeetingReport, names: Names, generated_at: datetime, lang: str = "zh") -> ReportDocument:
    t, w = words(lang), report.window
    period = t["meeting.period"].format(since=_minute(w.since), until=_minute(w.until),
                                        meeting=w.meeting_day.isoformat(), next=w.next_meeting_day.isoformat())
    totals = report.totals
    villages = [names.village(v.village_code) for v in report.villages]
    summary = Section(t["summary"], (
        Table(t["summary"], (t["item"], t["count"]), tuple((t[k], v) for k, v in totals.items())),
        BarChart(t["by_village"], tuple(villages), (
            Series(t["new"], tuple(float(len(v.new_cases)) for v in report.villages)),
            Series(t["overdue"], tuple(float(v.overdue) for v in report.villages)),
            Series(t["escalated"], tuple(float(v.escalated) for v in report.villages)))),
    ))
    by_village = Section(t["by_village"], (Table(t["by_village"], (
        t["village"], t["new"], t["diary_entries"], t["resolved_on_spot"], t["warnings"], t["due_before_next"],
        t["overdue"], t["escalated"]), tuple(
        (names.village(v.village_code), len(v.new_cases), v.diary_entries, v.resolved_on_spot, v.warnings,
         v.due_before_next, v.overdue, v.escalated) for v in report.villages), t["none"]),))
    new = Section(t["new_cases"], (_cases(t["new_cases"], report.new_cases, names, t, with_summary=True),))
    diary = Section(t["diary"], (Table(t["diary"], (
        t["village"], t["author"], t["household"], t["category"], t["content"], t["outcome"]), tuple(
        (names.village(d.village_code), names.cadre(d.author_cadre_id), d.household, names.category(d.category),
         _said(d), _outcome(d, t)) for d in report.diary_entries), t["none"]),))
    warnings = Section(t["warnings"], (Table(t["warnings"], (
        t["village"], t["category"], t["petitioners"], t["raised_at"], t["leader"]), tuple(
        (names.village(a.village_code), names.category(a.category), a.petitioners, a.raised_at,
         names.cadre(a.leader_cadre_id)) for a in report.warnings), t["none"]),))
    attention = Section(t["overdue"], (
        _cases(t["overdue"], report.overdue, names, t, now=w.until),
        _cases(t["due_next"], report.due_before_next, names, t),
        _cases(t["escalated"], report.escalated, names, t)))
    top = Section(t["top_categories"], (
        Table(t["top_categories"], (t["category"], t["count"]),
              tuple((names.category(c), n) for c, n in report.top_categories), t["none"]),
        BarChart(t["top_categories"], tuple(names.category(c) for c, _ in report.top_categories),
                 (Series(t["count"], tuple(float(n) for _, n in report.top_categories)),))))
    supervision = Section(t["supervision"], (Table(t["supervision"], (
        t["title"], t["owner"], t["due_on"], t["status"], t["late"], t["level"], t["escalated_to"], t["latest_note"]),
        tuple((s.item.title, names.cadre(s.item.owner_cadre_id), s.item.due_on, t[f"status.{s.item.status}"],
               t["yes"] if s.overdue else t["no"], s.item.escalation_level or None,
               names.cadre(s.item.escalated_to_cadre_id), s.item.latest_note() or "") for s in report.supervision),
        t["none"]),))
    return ReportDocument(t["meeting.title"], period, generated_at,
                          (summary, supervision, attention, by_village, new, diary, warnings, top),
                          names.township, lang)


def visiting_document(month: str, rows: Iterable[VisitingDays], names: Names, generated_at: datetime,
                      lang: str = "zh") -> ReportDocument:
    t, rows = words(lang), list(rows)
    by_village: dict[str, list[VisitingDays]] = {}
    for row in rows:
        by_village.setdefault(row.village_code, []).append(row)
    codes = sorted(by_village)
    table = Table(t["visiting.title"], (t["village"], t["cadre"], t["days"], t["required"], t["shortfall"], t["dates"]),
                  tuple((names.village(r.village_code), names.cadre(r.cadre_id), r.days, r.required, r.shortfall,
                         " ".join(d.strftime("%m-%d") for d in r.dates)) for r in rows), t["none"])
    chart = BarChart(t["average_days"], tuple(names.village(c) for c in codes), (
        Series(t["average_days"], tuple(round(sum(r.days for r in by_village[c]) / len(by_village[c]), 1)
                                        for c in codes)),
        Series(t["members_short"], tuple(float(sum(r.shortfall > 0 for r in by_village[c])) for c in codes))))
    facts = ((t["members"], str(len(rows))), (t["members_short"], str(sum(r.shortfall > 0 for r in rows))))
    return ReportDocument(t["visiting.title"], t["period"].format(period=month), generated_at,
                          (Section(t["details"], (chart, table)),), names.township, lang, facts)


def assessment_document(assessment: Assessment, names: Names, generated_at: datetime,
                        lang: str = "zh") -> ReportDocument:
    t, items = words(lang), assessment.items
    part_names = [p.name for p in items[0].parts] if items else []
    ranking = Table(t["assessment.title"], (
        t["rank"], t["village"], t["score"], t["stars"], t["grade"], t["zero_petition"],
        *(t[f"part.{n}"] for n in part_names), t["part.proactive"]), tuple(
        (i.rank, names.village(i.village_code), i.score, STAR * i.stars + NO_STAR * (5 - i.stars),
         t[f"grade.{i.grade}"], t["yes"] if i.zero_petition else t["no"], *(round(p.points, 2) for p in i.parts),
         round(i.bonus.points, 2))
        for i in items), t["none"])
    chart = BarChart(t["score_by_village"], tuple(names.village(i.village_code) for i in items),
                     (Series(t["score"], tuple(i.score for i in items)),))
    parts = tuple(Table(f"{names.village(i.village_code)} · {t['parts']}", (
        t["part"], t["weight"], t["fraction"], t["points"], t["max_points"], t["content"]), tuple(
        (t[f"part.{p.name}"], p.weight, None if p.fraction is None else round(100 * p.fraction, 1), round(p.points, 2),
         round(p.max_points, 2), _detail(p.detail, t)) for p in (*i.parts, i.bonus))) for i in items)
    weights = assessment.weights
    facts = tuple((t[f"part.{n}"], f"{t['weight']} {getattr(weights, n):g}") for n in part_names)
    return ReportDocument(t["assessment.title"], t["period"].format(period=assessment.period), generated_at,
                          (Section(t["ranking"], (chart, ranking)), Section(t["parts"], parts)),
                          names.township, lang, facts)


def topics_document(report: TopicReport, names: Names, generated_at: datetime, lang: str = "zh",
                    limit: int = 20, picks: Iterable[tuple[TopIssuePick, Supervision | None]] = ()) -> ReportDocument:
    """The candidates, and the month's picked issue(s) with owner, deadline and progress."""
    t, items = words(lang), report.items[:limit]
    table = Table(t["candidates"], (t["rank"], t["label"], t["keywords"], t["count"], t["villages"], t["village_list"],
                                    t["previous"], t["recurring"]), tuple(
        (n, _topic_label(topic.label, topic.category, names), "、".join(topic.keywords), topic.count,
         len(topic.village_codes), "、".join(names.village(v) for v in topic.village_codes), topic.previous_count,
         " ".join(topic.recurring_months)) for n, topic in enumerate(items, start=1)), t["none"])
    chart = BarChart(t["topic_counts"], tuple(_topic_label(x.label, x.category, names) for x in items[:10]),
                     (Series(t["count"], tuple(float(x.count) for x in items[:10])),))
    picked = Table(t["picked"], (t["label"], t["owner"], t["due_on"], t["status"], t["late"], t["latest_note"]), tuple(
        (_topic_label(p.label, p.category, names), names.cadre(i.owner_cadre_id) if i else "", i.due_on if i else None,
         t[f"status.{i.status}"] if i else "", (t["yes"] if i.is_overdue(generated_at) else t["no"]) if i else "",
         (i.latest_note() or "") if i else "") for p, i in picks), t["none"])
    return ReportDocument(t["topics.title"], t["period"].format(period=report.month), generated_at,
                          (Section(t["picked"], (picked,)), Section(t["candidates"], (chart, table))),
                          names.township, lang)


def diary_summary_document(digest: DiaryDigest, summary: DiarySummary | None, names: Names, generated_at: datetime,
                           lang: str = "zh", outstanding: Iterable[Outstanding] = ()) -> ReportDocument:
    t = words(lang)
    proposals = dict(summary.proposals) if summary else {}
    by_category = Table(t["by_category"], (
        t["category"], t["entries"], t["households"], t["problems"], t["difficulties"], t["hopes"], t["on_spot"],
        t["became_case"], t["proposal"]), tuple(
        (names.category(g.key), len(g.entries), len(g.households), "；".join(g.problems), "；".join(g.difficulties),
         "；".join(g.hopes), len(g.resolved_on_spot), _tracking(g), proposals.get(g.key, ""))
        for g in digest.by_category),
        t["none"])
    by_household = Table(t["by_household"], (
        t["household"], t["entries"], t["category"], t["problems"], t["difficulties"], t["hopes"], t["on_spot"],
        t["became_case"]), tuple(
        (g.key, len(g.entries), "、".join(names.category(c) for c in g.categories), "；".join(g.problems),
         "；".join(g.difficulties), "；".join(g.hopes), len(g.resolved_on_spot), _tracking(g))
        for g in digest.by_household),
        t["none"])
    if summary is not None and summary.submitted_at is not None:
        state = (f"{t['submitted_by']}：{names.cadre(summary.submitted_by)}　"
                 f"{t['submitted_at']}：{_minute(summary.submitted_at)}")
    else:
        state = f"{t['submission']}：{t['not_yet_submitted']}"
    blocks = [Section(names.village(digest.village_code), (by_category, by_household)),
              Section(t["submission"], (Paragraph(state),))]
    rows = tuple(outstanding)
    if rows:
        missing = Table(t["not_submitted"], (t["village"], t["status"], t["due"]),
                        tuple((names.village(o.village_code), t[o.status], o.due) for o in rows))
        blocks.append(Section(t["not_submitted"], (missing,)))
    return ReportDocument(t["diary.title"], t["period"].format(period=digest.period), generated_at, tuple(blocks),
                          names.township, lang, ((t["entries"], str(digest.entries)),))


def _cases(title: str, cases: Iterable[CaseLine], names: Names, t: Mapping[str, str], *, with_summary: bool = False,
           now: datetime | None = None) -> Table:
    columns: tuple[str, ...] = (t["tracking_code"], t["village"], t["category"])
    columns += (t["summary_text"], t["occurred_at"]) if with_summary else (t["due_at"],)
    columns += (t["days_overdue"],) if now is not None else ()
    columns += (t["owner"], t["level"])
    rows = []
    for c in cases:
        row: tuple[Cell, ...] = (c.tracking_code, names.village(c.village_code), names.category(c.category))
        row += (c.summary, c.occurred_at) if with_summary else (c.due_at,)
        row += (_days_late(c, now),) if now is not None else ()
        rows.append(row + (names.cadre(c.owner_cadre_id), c.escalation_level or None))
    return Table(title, columns, tuple(rows), t["none"])


def _days_late(case: CaseLine, now: datetime | None) -> float | None:
    if now is None or case.due_at is None:
        return None
    return round((now - case.due_at).total_seconds() / 86400, 1)


def _said(entry: DiaryLine) -> str:
    return "；".join(x for x in (entry.problems, entry.difficulties, entry.hopes) if x)


def _outcome(entry: DiaryLine, t: Mapping[str, str]) -> str:
    if entry.resolved_on_spot:
        return f"{t['on_spot']}：{entry.resolution or ''}"
    return f"{t['became_case']} {entry.tracking_code or ''}".strip() if entry.case_id else ""


def _tracking(group: Group) -> str:
    return " ".join(e.tracking_code or e.case_id or "" for e in group.became_cases)


def _topic_label(label: str, category: str, names: Names) -> str:
    """The domain labels a topic with the category label it was given; a translated export
    swaps in its own."""
    _, sep, rest = label.partition("：")
    return f"{names.category(category)}{sep}{rest}" if sep else names.category(category)


def _detail(detail: Mapping[str, object], t: Mapping[str, str]) -> str:
    """A part's figures in words: a rate as "9 / 10", the rest as "label value"."""
    if set(detail) == {"numerator", "denominator"}:
        return f"{detail['numerator']} / {detail['denominator']}"
    return "，".join(f"{t.get(f'detail.{k}', k)} {' '.join(map(str, v)) if isinstance(v, list) else v}"
                    for k, v in detail.items() if v not in ([], None))


def _minute(moment: datetime | None) -> str:
    return "" if moment is None else wc.to_local(moment).strftime("%Y-%m-%d %H:%M")
