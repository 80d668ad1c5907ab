"""Every refusal of the report rules has a registered code whose template takes its params."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from models.errors import DomainError
from models.reasons import TEMPLATES, render
from models.reports import diary_summary as ds
from models.reports import supervision as sv
from models.reports.assessment import AssessmentWeights
from models.reports.periods import month
from tests.unit.reports.test_supervision import MONDAY, ROSTER, decision

SOURCES = Path(__file__).resolve().parents[3] / "models" / "reports"
CODE = re.compile(r'"((?:report|supervision|diary_summary|assessment|top_issue)\.[a-z_]+)"')


def test_every_code_raised_by_the_report_rules_is_registered():
    raised = {code for path in SOURCES.glob("*.py") for code in CODE.findall(path.read_text(encoding="utf-8"))}
    assert len(raised) >= 20
    assert raised <= set(TEMPLATES), sorted(raised - set(TEMPLATES))


@pytest.mark.parametrize("refuse", [
    lambda: month("2025-13"),
    lambda: sv.close(decision(), actor="v1-dir", at=MONDAY, roster=ROSTER),
    lambda: sv.record_progress(decision(), " ", actor="t-l1", at=MONDAY, roster=ROSTER),
    lambda: sv.extend(decision(), MONDAY.date(), "x", actor="t-sec", at=MONDAY, roster=ROSTER),
    lambda: ds.propose(ds.DiarySummary("330102001001", "2025-B1"), "water", "x", actor="v2-dir", at=MONDAY,
                       roster=ROSTER),
    lambda: AssessmentWeights.from_mapping({"speed": 1}),
])
def test_a_refusal_renders_from_its_template(refuse):
    with pytest.raises(DomainError) as refused:
        refuse()
    text = render(refused.value.code, refused.value.params)
    assert refused.value.code in TEMPLATES and not text.startswith(refused.value.code)
