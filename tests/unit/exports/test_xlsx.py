"""The XLSX export opens with openpyxl and holds the report's numbers, times and charts."""
from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from infra.exports import report_documents as R
from infra.exports.document import BarChart, Paragraph, ReportDocument, Section, Series, Table
from infra.exports.xlsx import render_xlsx
from tests.unit.exports import samples as S


def workbook(doc):
    return load_workbook(io.BytesIO(render_xlsx(doc)))


def rows(sheet):
    return [tuple(c for c in r) for r in sheet.iter_rows(values_only=True)]


def test_the_meeting_report_workbook_holds_its_numbers():
    book = workbook(R.meeting_document(S.meeting_report(), S.NAMES, S.NOW))
    assert book.sheetnames[:3] == ["联席会议报告", "概况", "督办事项"]
    summary = rows(book["概况"])
    assert any(r[:2] == ("新增", 3) for r in summary)
    assert any(r[:2] == ("超期案件", 2) for r in summary)
    assert len(book["概况"]._charts) == 1
    overdue = rows(book["超期案件"])
    first = next(r for r in overdue if r[0] == "MQO1")
    # due at Beijing wall-clock time, three days late
    assert first[1] == "第1村" and first[3] == datetime(2025, 3, 10, 8, 0) and first[4] == 3.0
    new = rows(book["新增案件"])
    assert any("村里自来水停水三天了，老人喝不上水" in r for r in new)


def test_assessment_scores_are_numbers():
    assessment = S.assessment()
    book = workbook(R.assessment_document(assessment, S.NAMES, S.NOW))
    table = rows(book["考核排名"])
    ranked = [r for r in table if r[0] in (1, 2)]
    assert [(r[0], r[1], r[2]) for r in ranked] == [(i.rank, S.NAMES.village(i.village_code), i.score)
                                                     for i in assessment.items]
    assert isinstance(ranked[0][2], float) and ranked[0][3].count("★") == assessment.items[0].stars


def test_sheet_names_are_legal_and_unique():
    doc = ReportDocument("a/b", "p", S.NOW, (
        Section("x" * 40, (Table("t", ("a",), ((1,),)),)), Section("x" * 40, (Paragraph("hi"),)),
        Section("c[1]:?", (BarChart("c", ("a", "b"), (Series("s", (1.0, 2.0)),)),))))
    names = workbook(doc).sheetnames
    assert len(set(names)) == 4 and all(len(n) <= 31 and not set("[]:*?/\\") & set(n) for n in names)


@pytest.mark.parametrize("build", [
    lambda: R.visiting_document("2025-03", S.visiting_rows(), S.NAMES, S.NOW),
    lambda: R.topics_document(S.topics(), S.NAMES, S.NOW, "en"),
    lambda: R.diary_summary_document(S.diary_digest(), None, S.NAMES, S.NOW),
])
def test_every_report_renders_a_workbook(build):
    book = workbook(build())
    assert len(book.sheetnames) >= 2 and book[book.sheetnames[0]]["A1"].value
