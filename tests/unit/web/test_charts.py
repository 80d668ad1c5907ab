"""Server-drawn SVG: well-formed, accessible, escaped, and honest about missing data."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from api.web.charts import lines, rate_bars

SVG = "{http://www.w3.org/2000/svg}"


def test_rate_bars_draw_one_bar_per_known_rate_with_a_title_and_description() -> None:
    svg = rate_bars("三率", [("上溪村", [0.5, 1.0, None]), ("柳塘村", [0.0, 0.25, 0.75])],
                    ["响应率", "解决率", "满意率"], "暂无数据", "无数据")
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "三率"  # type: ignore[union-attr]
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None and r.get("class") != "chart-no-data"]
    assert len(bars) == 5  # the missing satisfaction rate has no bar
    assert "上溪村: 响应率 50%, 解决率 100%, 满意率 无数据" in root.find(f"{SVG}desc").text  # type: ignore[union-attr,operator]


def test_zero_percent_and_no_data_look_different() -> None:
    root = ET.fromstring(rate_bars("三率", [("上溪村", [0.0, None, 0.5])], ["响应率", "解决率", "满意率"], "暂无数据", "无数据"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "0%" in texts  # a zero rate is labelled on the axis
    frames = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "chart-no-data"]
    assert len(frames) == 2  # the missing rate's dashed frame, and its legend entry
    assert "无数据" in texts
    zero = next(r for r in root.iter(f"{SVG}rect") if (r.findtext(f"{SVG}title") or "").endswith("响应率 0%"))
    assert float(zero.get("height", "0")) > 0


def test_rate_bars_without_groups_say_so() -> None:
    root = ET.fromstring(rate_bars("三率", [], ["a"], "暂无数据"))
    assert any(t.text == "暂无数据" for t in root.iter(f"{SVG}text"))


def test_lines_scale_to_the_largest_count_and_escape_names() -> None:
    svg = lines("超期", ["11/1", "11/2", "11/3"], [("<村>", [0, 3, 7]), ("b", [1, 1, 1])], "none")
    root = ET.fromstring(svg)
    polylines = list(root.iter(f"{SVG}polyline"))
    assert len(polylines) == 2
    assert "&lt;村&gt;" in svg and "<村>" not in svg
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "8" in labels  # ticks step 2 up to 8 for a maximum of 7
