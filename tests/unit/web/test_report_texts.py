"""The report pages say everything in both languages: every reason the report rules and
their use cases give, and every name the pages build from the domain's values."""
from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from api.web.i18n import catalogue
from models.reports import diary_summary as ds
from models.reports.assessment import GRADES, PARTS, AssessmentWeights
from models.reports.supervision import TRANSITIONS, SupervisionStatus

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [*(ROOT / "models" / "reports").glob("*.py"),
           *(ROOT / "infra" / "services" / f"{name}.py" for name in (
               "reports", "report_common", "supervision", "top_issues", "diary_summaries", "assessment", "upward"))]
CODE = re.compile(r'"((?:report|supervision|diary_summary|assessment|top_issue|upward)\.[a-z_]+)"')
TOTALS = ("new", "diary_entries", "resolved_on_spot", "warnings", "due_before_next", "overdue", "escalated",
          "supervision_open", "supervision_overdue")


def codes() -> set[str]:
    return {code for path in SOURCES for code in CODE.findall(path.read_text(encoding="utf-8"))}


def test_the_sources_raise_the_codes_this_test_looks_for() -> None:
    assert {"report.bad_period", "supervision.not_found", "upward.in_future", "top_issue.no_candidate"} <= codes()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_report_reason_has_its_words(lang: str) -> None:
    texts = catalogue(lang)
    assert sorted(c for c in codes() if f"reason.{c}" not in texts) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_name_the_pages_build_exists(lang: str) -> None:
    texts = catalogue(lang)
    wanted = ([f"reports.part.{p}" for p in (*PARTS, "proactive")]
              + [f"reports.weight.{f.name}" for f in fields(AssessmentWeights)]
              + [f"reports.item_status.{s.value}" for s in SupervisionStatus]
              + [f"reports.item.do.{a}" for _, a in TRANSITIONS if a != "escalate"]
              + [f"reports.grade.{g}" for g in GRADES.values()]
              + [f"reports.diary.status.{s}" for s in (ds.ON_TIME, ds.LATE, ds.MISSING, ds.PENDING)]
              + [f"reports.total.{k}" for k in TOTALS])
    assert sorted(k for k in wanted if k not in texts) == []
