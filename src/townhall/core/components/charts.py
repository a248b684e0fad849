"""Charts drawn on the server as SVG, always shown with a table of the same numbers.

The public API is three functions and one template tag::

    from townhall.core.components.charts import bar_chart, line_chart, radar_chart

    chart = bar_chart(
        title=_("Responses by ward"),
        points=[("Northbridge Central", 120), ("Riverside", 84)],
        value_label=_("Responses"),
        category_label=_("Ward"),
    )
    # in a template: {% load components %}{% chart chart %}

A bar chart draws one horizontal bar per category, with its label above it, wrapped
onto as many lines as it needs (never shortened: "Black, Black British, Caribbean or
African" and "Black, Black British, Caribbean or African: Caribbean" must stay apart), so
long labels and narrow phones both fit. A line chart joins the points in order. Both work
without JavaScript, take the brand colour through the th-chart__* CSS classes, carry
role="img" with a <title> and <desc>, and are followed by a GOV.UK table of the data.

A radar chart draws one or more series (at most three: ours and two to compare) on
spokes from a centre, one spoke per category, all on the same scale from 0 to
`maximum`. The spokes are numbered, and the numbered categories are listed under the
drawing, so labels never crowd a phone's width; the series differ by line (solid,
dashed, dotted) as well as fill, and the table that follows has a column per series.

Given `percent_of` (the base, such as the people who answered), a bar chart shows each
value's percentage of it beside the value, in the drawing and in the table, whose extra
column is headed `percent_label` ("Per cent of the 412 who answered").
"""

import math
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import count
from typing import Literal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

Number = int | float | Decimal

#: Width of the drawing in SVG units: one unit is one CSS pixel on a 320px-wide phone.
WIDTH = 320
LABEL_CHARACTERS = 38
#: Generous width of one character of a 14px label, to keep a label clear of its value.
CHARACTER_WIDTH = 8
#: Distance between the baselines of a wrapped label's lines.
LINE_HEIGHT = 16
_ids = count(1)


@dataclass(frozen=True)
class Chart:
    """A chart ready to render. Build it with bar_chart() or line_chart()."""

    kind: Literal["bar", "line", "radar"]
    title: str
    points: tuple[tuple[str, Number], ...]
    value_label: str
    category_label: str
    description: str
    decimal_places: int
    html_id: str
    currency: str = ""
    percent_of: int | None = None
    percent_label: str = ""
    #: A radar chart's series: (name, one value per category), the first also `points`.
    series: tuple[tuple[str, tuple[Number, ...]], ...] = ()
    maximum: Number = 100

    @property
    def series_rows(self) -> list[tuple[str, list[str]]]:
        """A radar chart's table rows: (category, the formatted value of each series)."""
        return [
            (label, [self.format(values[index]) for _name, values in self.series])
            for index, (label, _value) in enumerate(self.points)
        ]

    @property
    def rows(self) -> list[tuple[str, str, str]]:
        """The table's rows: (category, formatted value, percentage of the base or "")."""
        return [(label, self.format(value), self.percent(value)) for label, value in self.points]

    @property
    def is_empty(self) -> bool:
        return not self.points

    def percent(self, value: Number) -> str:
        """The value as a whole percentage of `percent_of` ("40%"), or "" without a base."""
        if not self.percent_of:
            return ""
        return f"{round(100 * float(value) / self.percent_of)}%"

    def format(self, value: Number, decimal_places: int | None = None) -> str:
        """A value with thousands separators in the current language, after the currency
        symbol when there is one (-£120.00, as people write a refund), with the chart's
        decimal places unless given."""
        text = number_format(
            abs(value) if self.currency else value,
            decimal_pos=self.decimal_places if decimal_places is None else decimal_places,
            use_l10n=True,
            force_grouping=True,
        )
        if not self.currency:
            return text
        return f"-{self.currency}{text}" if value < 0 else f"{self.currency}{text}"

    @property
    def svg(self) -> SafeString:
        """The chart as an inline SVG element (escaped, so labels cannot inject markup)."""
        if self.is_empty:
            return mark_safe("")
        drawers = {"bar": _draw_bars, "line": _draw_line, "radar": _draw_radar}
        return mark_safe(drawers[self.kind](self))


def bar_chart(
    *,
    title: str,
    points: Iterable[tuple[str, Number]],
    value_label: str,
    category_label: str,
    description: str = "",
    decimal_places: int = 0,
    currency: str = "",
    percent_of: int | None = None,
    percent_label: str = "",
) -> Chart:
    """A horizontal bar chart of (category, value) pairs, in the order given. `currency`
    ("£") is written before each value; each value has its percentage of `percent_of`
    when that is given."""
    chart = _chart(
        "bar", title, points, value_label, category_label, description, decimal_places, currency
    )
    return replace(chart, percent_of=percent_of, percent_label=str(percent_label))


def line_chart(
    *,
    title: str,
    points: Iterable[tuple[str, Number]],
    value_label: str,
    category_label: str,
    description: str = "",
    decimal_places: int = 0,
    currency: str = "",
) -> Chart:
    """A line through (category, value) pairs in order, such as values by year."""
    return _chart(
        "line", title, points, value_label, category_label, description, decimal_places, currency
    )


#: The most series a radar chart draws: more cannot be told apart.
RADAR_SERIES = 3


def radar_chart(
    *,
    title: str,
    categories: Iterable[str],
    series: Iterable[tuple[str, Iterable[Number]]],
    value_label: str,
    category_label: str,
    maximum: Number = 100,
    description: str = "",
    decimal_places: int = 0,
) -> Chart:
    """A radar chart of one to three named series over the same categories (at least
    three), each value from 0 to `maximum`, such as a scorecard's areas in percent."""
    labels = tuple(str(label) for label in categories)
    drawn = tuple((str(name), tuple(values)) for name, values in series)
    if len(labels) < 3 or not 1 <= len(drawn) <= RADAR_SERIES:
        raise ValueError("A radar chart has at least three categories and one to three series.")
    for name, values in drawn:
        if len(values) != len(labels):
            raise ValueError(f"The series {name!r} needs one value per category.")
        if any(not 0 <= value <= maximum for value in values):
            raise ValueError(f"The series {name!r} has a value outside 0 to {maximum}.")
    chart = _chart(
        "radar",
        title,
        zip(labels, drawn[0][1], strict=True),
        value_label,
        category_label,
        description,
        decimal_places,
        "",
    )
    return replace(chart, series=drawn, maximum=maximum)


def _chart(kind, title, points, value_label, category_label, description, decimal_places, currency):
    cleaned = tuple((str(label), value) for label, value in points)
    for _label, value in cleaned:
        if not isinstance(value, (int, float, Decimal)) or not math.isfinite(value):
            raise ValueError(f"Chart values must be finite numbers, not {value!r}.")
    return Chart(
        kind=kind,
        title=str(title),
        points=cleaned,
        value_label=str(value_label),
        category_label=str(category_label),
        description=str(description),
        decimal_places=decimal_places,
        html_id=f"th-chart-{next(_ids)}",
        currency=currency,
    )


def _shorten(label: str, limit: int = LABEL_CHARACTERS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _wrap(label: str, width: int) -> list[str]:
    """The label in lines of at most `width` characters, broken between words where it can."""
    return textwrap.wrap(label, width=width, break_on_hyphens=False) or [""]


def _extremes(points: list[tuple[str, Number]]) -> tuple[tuple[str, Number], tuple[str, Number]]:
    return max(points, key=lambda point: point[1]), min(points, key=lambda point: point[1])


def _radar_summary(chart: Chart) -> str:
    parts = [
        _("Radar chart of %(value_label)s by %(category_label)s, %(count)s values each.")
        % {
            "value_label": chart.value_label,
            "category_label": chart.category_label,
            "count": len(chart.points),
        }
    ]
    for name, values in chart.series:
        highest, lowest = _extremes(
            list(zip([label for label, _v in chart.points], values, strict=True))
        )
        parts.append(
            _("%(name)s: highest %(high_label)s, %(high)s; lowest %(low_label)s, %(low)s.")
            % {
                "name": name,
                "high_label": highest[0],
                "high": chart.format(highest[1]),
                "low_label": lowest[0],
                "low": chart.format(lowest[1]),
            }
        )
    parts.append(_("The same figures are in the table that follows."))
    return " ".join(parts)


def _summary(chart: Chart) -> str:
    if chart.description:
        return chart.description
    if chart.kind == "radar":
        return _radar_summary(chart)
    values = [value for _label, value in chart.points]
    highest, lowest = _extremes(list(chart.points))
    return _(
        "%(kind)s of %(value_label)s by %(category_label)s, %(count)s values. "
        "Highest: %(high_label)s, %(high)s. Lowest: %(low_label)s, %(low)s. "
        "The same figures are in the table that follows."
    ) % {
        "kind": _("Bar chart") if chart.kind == "bar" else _("Line chart"),
        "value_label": chart.value_label,
        "category_label": chart.category_label,
        "count": len(values),
        "high_label": highest[0],
        "high": chart.format(highest[1]),
        "low_label": lowest[0],
        "low": chart.format(lowest[1]),
    }


def _open_svg(chart: Chart, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="th-chart__svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" '
        f'aria-labelledby="{chart.html_id}-title {chart.html_id}-desc">'
        f'<title id="{chart.html_id}-title">{escape(chart.title)}</title>'
        f'<desc id="{chart.html_id}-desc">{escape(_summary(chart))}</desc>'
    )


def _scale(low: float, high: float, start: float, end: float):
    span = (high - low) or 1
    return lambda value: start + (float(value) - low) / span * (end - start)


def _draw_bars(chart: Chart) -> str:
    """One row per category: label (wrapped) and value, the bar beneath, zero as a rule."""
    values = [float(value) for _label, value in chart.points]
    low, high = min(0.0, *values), max(0.0, *values)
    x = _scale(low, high, 4, WIDTH - 4)
    bar_height, top = 16, 24
    rows = []
    y = top
    for label, value in chart.points:
        shown_value = chart.format(value)
        if chart.percent_of:
            shown_value = f"{shown_value} ({chart.percent(value)})"
        room = min(LABEL_CHARACTERS, int((WIDTH - 16 - CHARACTER_WIDTH * len(shown_value)) / 7.5))
        lines = _wrap(label, max(room, 8))
        start, end = sorted((x(0), x(value)))
        bar_y = y + 20 + LINE_HEIGHT * (len(lines) - 1)
        spans = "".join(
            f'<tspan x="4" dy="{LINE_HEIGHT if index else 0}">{escape(line)}</tspan>'
            for index, line in enumerate(lines)
        )
        rows.append(
            f'<text class="th-chart__label" x="4" y="{y + 14}">{spans}</text>'
            f'<text class="th-chart__label" x="{WIDTH - 4}" y="{y + 14}" text-anchor="end">'
            f"{escape(shown_value)}</text>"
            f'<rect class="th-chart__bar" x="{start:.1f}" y="{bar_y}" '
            f'width="{max(end - start, 1):.1f}" height="{bar_height}"/>'
        )
        y = bar_y + bar_height + 8
    height = y + 4
    return "".join(
        [
            _open_svg(chart, height),
            f'<text class="th-chart__label" x="4" y="14">{escape(chart.value_label)}</text>',
            *rows,
            f'<line class="th-chart__axis" x1="{x(0):.1f}" y1="{top + 16}" '
            f'x2="{x(0):.1f}" y2="{height - 4}"/></svg>',
        ]
    )


def _ticks(low: float, high: float) -> list[float]:
    """Three or so round values spanning low to high, for gridlines."""
    if low == high:
        return [low]
    step = 10 ** math.floor(math.log10((high - low) / 2))
    for multiple in (1, 2, 5, 10):
        if (high - low) / (step * multiple) <= 4:
            step *= multiple
            break
    first = math.ceil(low / step) * step
    return [first + step * index for index in range(int((high - first) / step) + 1)]


def _draw_line(chart: Chart) -> str:
    """Points joined in order, with gridlines and the first and last categories labelled."""
    values = [float(value) for _label, value in chart.points]
    low, high = min(0.0, *values), max(0.0, *values)
    ticks = _ticks(low, high)
    # Round gridlines read best without decimals (£500,000 rather than £500,000.00).
    places = 0 if all(float(tick).is_integer() for tick in ticks) else chart.decimal_places
    tick_text = [chart.format(tick if places else round(tick), places) for tick in ticks]
    left = 8 + CHARACTER_WIDTH * max(len(text) for text in tick_text)
    top, bottom = 24, 200 - 36
    x = _scale(0, max(len(values) - 1, 1), left + 6, WIDTH - 12)
    y = _scale(low, high, bottom, top)
    parts = [
        _open_svg(chart, 200),
        f'<text class="th-chart__label" x="4" y="14">{escape(chart.value_label)}</text>',
    ]
    for tick, text in zip(ticks, tick_text, strict=True):
        parts.append(
            f'<line class="th-chart__gridline" x1="{left}" y1="{y(tick):.1f}" '
            f'x2="{WIDTH - 4}" y2="{y(tick):.1f}"/>'
            f'<text class="th-chart__label" x="{left - 4}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{escape(text)}</text>'
        )
    coordinates = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    if len(values) > 1:
        parts.append(f'<polyline class="th-chart__line" points="{coordinates}"/>')
    for index, value in enumerate(values):
        parts.append(
            f'<circle class="th-chart__point" cx="{x(index):.1f}" cy="{y(value):.1f}" r="4"/>'
        )
    first, last = chart.points[0][0], chart.points[-1][0]
    parts.append(
        f'<text class="th-chart__label" x="{x(0):.1f}" y="{bottom + 20}">'
        f"{escape(_shorten(first, 18))}</text>"
    )
    if len(values) > 1:
        parts.append(
            f'<text class="th-chart__label" x="{x(len(values) - 1):.1f}" y="{bottom + 20}" '
            f'text-anchor="end">{escape(_shorten(last, 18))}</text>'
        )
    parts.append(
        f'<text class="th-chart__label" x="{WIDTH / 2:.0f}" y="{bottom + 34}" '
        f'text-anchor="middle">{escape(chart.category_label)}</text></svg>'
    )
    return "".join(parts)


def _draw_radar(chart: Chart) -> str:
    """Numbered spokes with rings at quarters of the maximum, a closed shape per series,
    then a key: which line is which series, and the numbered categories."""
    centre, radius = WIDTH / 2, 110
    top = 24
    middle = top + radius + 12
    spokes = len(chart.points)

    def at(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / spokes
        length = radius * float(value) / float(chart.maximum or 1)
        return centre + length * math.cos(angle), middle + length * math.sin(angle)

    def outline(values) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in (at(i, v) for i, v in enumerate(values)))

    parts = [f'<text class="th-chart__label" x="4" y="14">{escape(chart.value_label)}</text>']
    for quarter in (1, 2, 3, 4):
        ring = [chart.maximum * quarter / 4] * spokes
        parts.append(
            f'<polygon class="th-chart__gridline th-chart__ring" points="{outline(ring)}"/>'
        )
    parts.append(
        f'<text class="th-chart__label" x="{centre + 4:.0f}" y="{middle - radius + 12:.0f}">'
        f"{escape(chart.format(chart.maximum))}</text>"
    )
    for index in range(spokes):
        x, y = at(index, chart.maximum)
        parts.append(
            f'<line class="th-chart__axis" x1="{centre}" y1="{middle}" x2="{x:.1f}" y2="{y:.1f}"/>'
        )
        lx, ly = at(index, chart.maximum * 1.1)
        parts.append(
            f'<text class="th-chart__label" x="{lx:.1f}" y="{ly + 5:.1f}" '
            f'text-anchor="middle">{index + 1}</text>'
        )
    for number, (_name, values) in enumerate(chart.series, start=1):
        parts.append(
            f'<polygon class="th-chart__area th-chart__area--{number}" points="{outline(values)}"/>'
        )
    y = middle + radius + 28
    for number, (name, _values) in enumerate(chart.series, start=1):
        lines = _wrap(name, LABEL_CHARACTERS)
        parts.append(
            f'<line class="th-chart__area th-chart__area--{number}" x1="4" y1="{y - 5}" '
            f'x2="28" y2="{y - 5}"/>'
            + "".join(
                f'<text class="th-chart__label" x="36" y="{y + LINE_HEIGHT * index}">'
                f"{escape(line)}</text>"
                for index, line in enumerate(lines)
            )
        )
        y += LINE_HEIGHT * len(lines) + 6
    for index, (label, _value) in enumerate(chart.points, start=1):
        lines = _wrap(f"{index}. {label}", LABEL_CHARACTERS)
        parts.append(
            "".join(
                f'<text class="th-chart__label" x="4" y="{y + LINE_HEIGHT * line_index}">'
                f"{escape(line)}</text>"
                for line_index, line in enumerate(lines)
            )
        )
        y += LINE_HEIGHT * len(lines) + 2
    return "".join([_open_svg(chart, y), *parts, "</svg>"])
