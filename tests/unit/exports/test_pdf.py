"""The PDF export has pages, embeds a CJK font and its text reads back in Chinese."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from infra.exports import report_documents as R
from infra.exports.pdf import html_of, render_pdf
from tests.unit.exports import samples as S


@pytest.fixture(scope="module")
def meeting_pdf():
    return PdfReader(io.BytesIO(render_pdf(R.meeting_document(S.meeting_report(), S.NAMES, S.NOW))))


def text_of(reader):
    return "".join(page.extract_text() for page in reader.pages)


def fonts_of(reader):
    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_the_meeting_report_prints_in_chinese(meeting_pdf):
    assert len(meeting_pdf.pages) >= 2
    text = text_of(meeting_pdf)
    for expected in ("联席会议报告", "城关街道", "督办事项", "排查全镇供水管网", "村里自来水停水三天了", "第1村",
                     "各村情况"):
        assert expected in text
    assert any("Noto" in name and "CJK" in name for name in fonts_of(meeting_pdf))


def test_an_english_export_prints_english_headings():
    reader = PdfReader(io.BytesIO(render_pdf(R.assessment_document(S.assessment(), S.NAMES, S.NOW, "en"))))
    text = text_of(reader)
    assert "Village assessment" in text and "How the score is made" in text and "第1村" in text


def test_the_printable_page_carries_the_charts_and_escapes_text():
    html = html_of(R.topics_document(S.topics(), S.NAMES, S.NOW))
    assert html.count("<svg") == 1 and "每月一题候选" in html and "<script" not in html
