"""Horizontal bar charts as SVG drawn on the server: a title and a description for screen
readers, the numbers written beside the bars, and no script or inline style (CSP allows neither).

A small template rather than pygal: pygal's SVG carries an inline <style> and a script for its
tooltips, which the Content-Security-Policy (no 'unsafe-inline') would block.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from insights.amounts import Kronor


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal | Kronor) and not isinstance(value, bool)


BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 220
BAR_WIDTH = 300
VALUE_WIDTH = 110


@dataclass
class Bar:
    label: str
    value: object
    y: int
    width: int
    text_y: int

    @property
    def drawn(self) -> bool:
        return self.width > 0


@dataclass
class Chart:
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    value_x: int = LABEL_WIDTH + BAR_WIDTH + 8


def bar_chart(title: str, points: list[tuple[str, object]]) -> Chart:
    numbers = [float(v) for _label, v in points if is_number(v)]
    top = max(numbers, default=0)
    top = top if top > 0 else 1  # nothing positive to scale by (all zero, or only reversals)
    bars = []
    for i, (label, value) in enumerate(points):
        y = i * (BAR_HEIGHT + GAP)
        width = round(BAR_WIDTH * float(value) / top) if is_number(value) else 0
        short = label if len(label) <= 32 else label[:31] + "…"
        bars.append(Bar(label=short, value=value, y=y, width=width, text_y=y + BAR_HEIGHT - 6))
    description = _("Stapeldiagram. Siffrorna finns i tabellen under diagrammet.")
    return Chart(
        title=title,
        description=description,
        bars=bars,
        width=LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        height=max(1, len(points)) * (BAR_HEIGHT + GAP),
    )
