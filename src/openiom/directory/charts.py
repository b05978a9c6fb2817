"""The gaps chart, drawn on the server as SVG (no script, CSP-safe); the page shows its data table too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .gaps import PathwayGap

WIDTH = 640
BAR_AREA = 480
LEFT = 4
BAR = 16
ROW = 2 * (BAR + 4) + 26


@dataclass(frozen=True)
class Bar:
    y: int
    width: int
    value: int
    text: str
    fill: str

    @property
    def text_x(self) -> int:
        return LEFT + self.width + 6

    @property
    def text_y(self) -> int:
        return self.y + BAR - 4


@dataclass(frozen=True)
class Group:
    label: str
    label_y: int
    bars: tuple[Bar, ...]


SERIES = (
    ("waiting", "waiting for a service", "#1d70b8"),
    ("free", "free places", "#00703c"),
)


def gaps_chart(rows: Sequence[PathwayGap]) -> dict[str, object]:
    """Coordinates for `directory/_gaps_chart.html`: per pathway, cases waiting against free places."""
    largest = max([1, *(max(r.waiting, r.free) for r in rows)])
    groups = []
    y = 48
    for row in rows:
        bars = []
        for i, (attr, words, fill) in enumerate(SERIES):
            value = int(getattr(row, attr))
            width = round(BAR_AREA * value / largest)
            bars.append(Bar(y + 6 + i * (BAR + 4), width, value, f"{value} {words}", fill))
        groups.append(Group(row.label, y, tuple(bars)))
        y += ROW
    return {
        "width": WIDTH,
        "height": y,
        "left": LEFT,
        "bar_height": BAR,
        "groups": groups,
        "legend": [
            {"text": words.capitalize(), "fill": fill, "x": LEFT + i * 220} for i, (_, words, fill) in enumerate(SERIES)
        ],
    }
