"""SVG bar charts: well-formed, one bar per value, text escaped."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from infra.exports.document import BarChart, Series
from infra.exports.svg import bar_chart_svg, text_width

NS = {"s": "http://www.w3.org/2000/svg"}


def test_one_bar_per_value_scaled_to_the_largest():
    chart = BarChart("各村新增", ("第1村", "第2村 <A&B>"), (Series("新增", (4.0, 2.0)), Series("超期", (1.0, 0.0))))
    svg = ET.fromstring(bar_chart_svg(chart, width=600))
    bars = [r for r in svg.findall("s:rect", NS) if r.find("s:title", NS) is not None]
    assert len(bars) == 4
    widths = [float(r.get("width")) for r in bars]
    assert widths[0] == max(widths) and widths[2] == widths[0] / 2 and widths[3] == 0
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "各村新增" in texts and "第2村 <A&B>" in texts and "4" in texts


def test_an_empty_or_all_zero_chart_still_draws():
    ET.fromstring(bar_chart_svg(BarChart("空", (), (Series("x", ()),))))
    ET.fromstring(bar_chart_svg(BarChart("零", ("a",), (Series("x", (0.0,)),))))


def test_chinese_is_twice_as_wide_as_latin():
    assert text_width("第1村") == 12 + 12 * 0.6 + 12
