"""Charts drawn on the server as SVG (no script, no inline style: CSP-safe), each with a title
and a description for screen readers; every page shows the chart's data table beside it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 170
PLOT = WIDTH - LABEL_WIDTH - 80
COLOURS = ("#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c")


@dataclass(frozen=True)
class Bar:
    series: str
    value: float | None  # None: suppressed or not measurable (drawn as a note, never as zero)
    lower: float | None = None
    upper: float | None = None


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 14) -> SafeString:
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" font-size="{}" font-family="Arial, Liberation Sans, sans-serif" '
        'fill="#0b0c0c">{}</text>',
        f"{x:.1f}",
        f"{y:.1f}",
        anchor,
        size,
        text,
    )


def bar_chart(
    ident: str,
    title: str,
    description: str,
    groups: Sequence[tuple[str, Sequence[Bar]]],
    fmt: Callable[[float], str],
    maximum: float | None = None,
) -> SafeString:
    """Horizontal bars, grouped, with 95% intervals drawn as whiskers where given."""
    series = list(dict.fromkeys(bar.series for _label, bars in groups for bar in bars))
    colour = {name: COLOURS[i % len(COLOURS)] for i, name in enumerate(series)}
    top = max([0.0, *(max(b.upper or 0.0, b.value or 0.0) for _l, bars in groups for b in bars)])
    scale = maximum or (top * 1.1 if top > 0 else 1.0)
    bar_h, gap = 18, 4
    parts = []
    y = 34.0
    legend = []
    for i, name in enumerate(series):
        x = 4 + i * 200
        legend.append(
            format_html('<rect x="{}" y="6" width="14" height="14" fill="{}"></rect>', x, colour[name])
            + _text(x + 20, 18, name, size=13)
        )
    for label, bars in groups:
        group_top = y
        for bar in bars:
            if bar.value is None:
                parts.append(_text(LABEL_WIDTH + 4, y + bar_h - 4, f"{bar.series}: not shown", size=13))
            else:
                width = max(0.0, PLOT * bar.value / scale)
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>',
                        LABEL_WIDTH,
                        f"{y:.1f}",
                        f"{width:.1f}",
                        bar_h,
                        colour[bar.series],
                    )
                )
                end = width
                if bar.lower is not None and bar.upper is not None:
                    x1 = LABEL_WIDTH + PLOT * bar.lower / scale
                    x2 = LABEL_WIDTH + PLOT * min(bar.upper, scale) / scale
                    mid = y + bar_h / 2
                    parts.append(
                        format_html(
                            '<path d="M{} {}H{}M{} {}V{}M{} {}V{}" stroke="#0b0c0c" stroke-width="2"></path>',
                            f"{x1:.1f}",
                            f"{mid:.1f}",
                            f"{x2:.1f}",
                            f"{x1:.1f}",
                            f"{mid - 5:.1f}",
                            f"{mid + 5:.1f}",
                            f"{x2:.1f}",
                            f"{mid - 5:.1f}",
                            f"{mid + 5:.1f}",
                        )
                    )
                    end = max(end, x2 - LABEL_WIDTH)
                parts.append(_text(LABEL_WIDTH + end + 6, y + bar_h - 4, fmt(bar.value), size=13))
            y += bar_h + gap
        parts.append(_text(4, group_top + (y - group_top) / 2 + 4, label))
        y += 12
    height = int(y + 4)
    body = mark_safe("".join([*legend, *parts]))  # noqa: S308 - every part built with format_html
    return _svg(ident, title, description, height, body)


def step_chart(
    ident: str,
    title: str,
    description: str,
    points: Sequence[tuple[int, float]],
    max_day: int,
    marks: Sequence[int] = (),
    y_label: str = "Reoffended",
) -> SafeString:
    """A Kaplan-Meier curve drawn as the share reoffended (rising steps), 0 to 100%."""
    left, right, top, bottom = 56, WIDTH - 16, 16, 236
    height = 276

    def x(day: float) -> float:
        return left + (right - left) * min(day, max_day) / max_day

    def y(share: float) -> float:
        return bottom - (bottom - top) * share

    path = [f"M{x(0):.1f} {y(0):.1f}"]
    for day, share in points:
        if day > max_day:
            break
        path.append(f"H{x(day):.1f}V{y(share):.1f}")
    path.append(f"H{x(max_day):.1f}")
    parts: list[SafeString] = [
        format_html('<path d="M{} {}V{}H{}" stroke="#505a5f" fill="none"></path>', left, top, bottom, right),
    ]
    for share in (0.25, 0.5, 0.75, 1.0):
        parts.append(
            format_html(
                '<path d="M{} {}H{}" stroke="#b1b4b6" stroke-dasharray="4 4"></path>', left, f"{y(share):.1f}", right
            )
        )
        parts.append(_text(left - 6, y(share) + 5, f"{share:.0%}", anchor="end", size=12))
    parts.append(_text(left - 6, y(0) + 5, "0%", anchor="end", size=12))
    for day in marks:
        parts.append(
            format_html('<path d="M{} {}V{}" stroke="#f47738" stroke-width="2"></path>', f"{x(day):.1f}", top, bottom)
        )
        parts.append(_text(x(day), bottom + 18, f"day {day}", anchor="end" if day >= max_day else "middle", size=12))
    parts.append(format_html('<path d="{}" stroke="#1d70b8" stroke-width="3" fill="none"></path>', "".join(path)))
    parts.append(_text(right, bottom + 36, f"Days after the index date (to {max_day})", anchor="end", size=12))
    parts.append(_text(left, top - 2, y_label, size=12))
    return _svg(ident, title, description, height, mark_safe("".join(parts)))  # noqa: S308


def _svg(ident: str, title: str, description: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg id="{i}" class="app-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="{i}-title {i}-desc" focusable="false">'
        '<title id="{i}-title">{t}</title><desc id="{i}-desc">{d}</desc>{b}</svg>',
        w=WIDTH,
        h=height,
        i=escape(ident),
        t=title,
        d=description,
        b=body,
    )
