"""The report documents carry names, not ids, and say what the reports decided."""
from __future__ import annotations

from datetime import date

from infra.exports import report_documents as R
from infra.exports.document import BarChart, Paragraph, Table
from models.reports import diary_summary as ds
from models.reports.periods import diary_period, month
from models.reports.topics import pick_top_issue
from tests.unit.exports import samples as S


def tables(doc):
    return {b.title: b for s in doc.sections for b in s.blocks if isinstance(b, Table)}


def test_the_meeting_document_names_people_and_villages():
    doc = R.meeting_document(S.meeting_report(), S.NAMES, S.NOW)
    assert doc.subtitle == "城关街道" and "2025-03-13" in doc.period and "2025-03-17" in doc.period
    supervision = tables(doc)["督办事项"]
    assert supervision.rows[0][:5] == ("排查全镇供水管网", "干部t-l2", date(2025, 3, 12), "待办", "是")
    diary = tables(doc)["民情日记与当场解决"]
    assert ("第1村", "干部v1-ddir", "张家", "道路交通", "村口道路坑洼", "当场解决：组织村民填平") in diary.rows
    charts = [b for s in doc.sections for b in s.blocks if isinstance(b, BarChart)]
    assert charts[0].categories == ("第1村", "第2村", "第3村")


def test_english_documents_use_the_english_words_and_given_category_labels():
    names = R.Names(S.NAMES.villages, S.NAMES.cadres, {"water": "Water supply", "roads": "Roads"}, "Chengguan")
    doc = R.topics_document(S.topics(), names, S.NOW, "en")
    assert doc.title == "Candidates for the month's top issue"
    table = tables(doc)["Candidates"]
    assert table.rows[0][1].startswith("Water supply：") and table.rows[0][3] == 3
    assert tables(doc)["This month's chosen issue"].rows == ()


def test_the_topics_document_follows_the_months_pick():
    topic = S.topics().items[0]
    pick, item = pick_top_issue("p1", "i1", month(S.topics().month), topic, owner_cadre_id="t-l2",
                                due_on=date(2025, 4, 30), picked_by="t-sec", at=S.NOW, roster=S.ROSTER)
    doc = R.topics_document(S.topics(), S.NAMES, S.NOW, picks=[(pick, item)])
    (row,) = tables(doc)["本月选定的问题"].rows
    assert row[1:5] == ("干部t-l2", date(2025, 4, 30), "待办", "否")


def test_the_diary_summary_document_shows_proposals_and_who_has_not_submitted():
    period = diary_period("2025-B2")
    summary = ds.DiarySummary(S.V1, period.key, proposals={"elderly": "结对帮扶独居老人"})
    outstanding = ds.not_submitted([S.V1, S.V2], [], period, S.NOW.replace(month=5, day=20))
    doc = R.diary_summary_document(S.diary_digest(), summary, S.NAMES, S.NOW, outstanding=outstanding)
    by_category = tables(doc)["按类别"]
    elderly = next(r for r in by_category.rows if r[0] == "养老助老")
    assert elderly[-1] == "结对帮扶独居老人" and elderly[-2] == "MQCD2"
    assert [r[:2] for r in tables(doc)["未报送的村"].rows] == [("第1村", "逾期未报"), ("第2村", "逾期未报")]
    assert any(isinstance(b, Paragraph) and "未报送" in b.text for s in doc.sections for b in s.blocks)


def test_assessment_parts_are_explained_in_words():
    doc = R.assessment_document(S.assessment(), S.NAMES, S.NOW)
    parts = tables(doc)["第1村 · 得分构成"]
    response = next(r for r in parts.rows if r[0] == "响应率")
    assert response[1:3] == (15, 90.0) and response[-1] == "9 / 10"
    bonus = next(r for r in parts.rows if r[0] == "未诉先办")
    assert "日记转案件 2" in bonus[-1] and "当场解决 3" in bonus[-1]
