"""SVG charts drawn on the server: pure functions from numbers to markup, so the dashboard
needs no chart library and the charts can be tested without a browser."""
from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = ("#1f6feb", "#2da44e", "#d4a72c", "#cf222e", "#8250df", "#1b7c83", "#bc4c00", "#57606a")
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 36, 70


def _frame(title: str, description: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-label="{escape(title)}" class="chart">'
            f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
            f'<text x="{LEFT}" y="20" class="chart-title">{escape(title)}</text>{"".join(body)}</svg>')


def _legend(names: Sequence[str], no_data: str | None = None) -> list[str]:
    parts, x = [], LEFT
    for i, name in enumerate(names):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="{HEIGHT - 20}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{x + 16}" y="{HEIGHT - 9}" class="chart-legend">{escape(name)}</text>')
        x += 28 + 15 * len(name)
    if no_data is not None:
        parts.append(f'<rect x="{x}" y="{HEIGHT - 20}" width="12" height="12" class="chart-no-data"/>'
                     f'<text x="{x + 16}" y="{HEIGHT - 9}" class="chart-legend">{escape(no_data)}</text>')
    return parts


def _y_axis(ticks: Sequence[tuple[float, str]], plot_h: float) -> list[str]:
    parts = []
    for fraction, label in ticks:
        y = TOP + plot_h * (1 - fraction)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="chart-grid"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="chart-axis">{escape(label)}</text>')
    return parts


def rate_bars(title: str, groups: Sequence[tuple[str, Sequence[float | None]]], series: Sequence[str],
              empty: str, no_data: str = "n/a") -> str:
    """Grouped bars of rates (0..1) per group. A rate of 0 % is a bar on the axis labelled "0%";
    a missing rate (nothing to count) is a dashed empty frame, explained in the legend."""
    plot_h = HEIGHT - TOP - BOTTOM
    body = _y_axis([(f, f"{int(f * 100)}%") for f in (0, 0.25, 0.5, 0.75, 1)], plot_h)
    description = "; ".join(f"{g}: " + ", ".join(f"{s} {no_data if v is None else f'{v:.0%}'}" for s, v in zip(series, vs))
                            for g, vs in groups) or empty
    if not groups:
        body.append(f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" class="chart-empty">{escape(empty)}</text>')
        return _frame(title, description, body)
    slot = (WIDTH - LEFT - RIGHT) / len(groups)
    bar = min(18.0, slot * 0.8 / max(1, len(series)))
    for gi, (group, values) in enumerate(groups):
        x0 = LEFT + gi * slot + (slot - bar * len(series)) / 2
        for si, value in enumerate(values):
            x = x0 + si * bar
            if value is None:
                body.append(f'<rect x="{x:.1f}" y="{TOP:.1f}" width="{bar - 1:.1f}" height="{plot_h:.1f}" '
                            f'class="chart-no-data"><title>{escape(group)} {escape(series[si])} '
                            f'{escape(no_data)}</title></rect>')
                continue
            h = max(2.0, plot_h * max(0.0, min(1.0, value)))
            body.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar - 1:.1f}" '
                        f'height="{h:.1f}" fill="{PALETTE[si % len(PALETTE)]}"><title>{escape(group)} '
                        f'{escape(series[si])} {value:.0%}</title></rect>')
            if value == 0 and bar >= 16:  # room for the label; a thinner zero bar still shows on the axis
                body.append(f'<text x="{x + bar / 2:.1f}" y="{TOP + plot_h - 5:.1f}" text-anchor="middle" '
                            f'class="chart-zero">0%</text>')
        body.append(f'<text x="{LEFT + gi * slot + slot / 2:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" '
                    f'class="chart-axis">{escape(group)}</text>')
    missing = any(v is None for _, vs in groups for v in vs)
    return _frame(title, description, body + _legend(series, no_data if missing else None))


def lines(title: str, days: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], empty: str) -> str:
    """One line per series over the days (counts, starting at zero)."""
    plot_h = HEIGHT - TOP - BOTTOM
    top = max([max(values, default=0) for _, values in series] + [1])
    step = max(1, -(-top // 4))
    ceiling = step * 4
    body = _y_axis([(i / 4, str(step * i)) for i in range(5)], plot_h)
    description = "; ".join(f"{name}: " + ", ".join(f"{d} {v}" for d, v in zip(days, values))
                            for name, values in series) or empty
    if not series or not days:
        body.append(f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" class="chart-empty">{escape(empty)}</text>')
        return _frame(title, description, body)
    dx = (WIDTH - LEFT - RIGHT) / max(1, len(days) - 1)
    every = max(1, len(days) // 7)
    last = len(days) - 1
    for i, day in enumerate(days):
        # every few days and the last one, never two labels on top of each other
        if (i % every == 0 and (i == last or last - i >= max(2, every // 2 + 1))) or i == last:
            anchor = "end" if i == len(days) - 1 and i else "start" if i == 0 and len(days) > 1 else "middle"
            body.append(f'<text x="{LEFT + i * dx:.1f}" y="{TOP + plot_h + 16}" text-anchor="{anchor}" '
                        f'class="chart-axis">{escape(day)}</text>')
    for si, (name, values) in enumerate(series):
        colour = PALETTE[si % len(PALETTE)]
        points = " ".join(f"{LEFT + i * dx:.1f},{TOP + plot_h * (1 - v / ceiling):.1f}" for i, v in enumerate(values))
        body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2">'
                    f"<title>{escape(name)}</title></polyline>")
    return _frame(title, description, body + _legend([name for name, _ in series]))
