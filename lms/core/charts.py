"""Bar charts for the reports, drawn on the server as SVG.

Why server-side SVG: Wagtail has no chart component, and the reports are plain Django templates.
An SVG written here needs no JavaScript, no third-party service and no new dependency; it prints,
it scales with the page (a viewBox and width 100%), its text follows the admin's light and dark
themes (currentColor), and it names itself to screen readers with its <title> and <desc>. The
include reports/includes/chart.html puts the same numbers in a table beneath it.

Every share is lms.surveys.figures.per_cent, so a chart never disagrees with the report's text.
Text widths are estimated (no fonts on the server) generously, so labels fit rather than touch.
"""

from dataclasses import dataclass, replace
from itertools import count
from math import sqrt

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .numbers import per_cent

WIDTH = 720  # viewBox width: drawn at this many pixels wide, text is FONT_SIZE px
FONT_SIZE = 14
CHAR_WIDTH = 0.6 * FONT_SIZE  # a generous average for a sans-serif
PAD = 8
BAR_COLOUR = "#007d7e"  # Wagtail's teal: 4.97:1 against white, 3.39:1 against #1d1d1d
BAR_HEIGHT, ROW_HEIGHT = 24, 34  # horizontal charts
PLOT_HEIGHT = 200  # vertical charts
# "Neither satisfied nor dissatisfied" fits whole; longer labels end "…" (the table has them all).
MAX_LABEL_CHARS = 40

_ids = count(1)


@dataclass(frozen=True)
class Chart:
    title: str
    description: str  # what the chart shows and its base
    rows: list[tuple[str, int]]  # label, value, in display order
    unit: str  # what a value counts, plural: "respondents"
    total: int | None  # when given, each value is also shown as a whole per cent of it
    svg: SafeString
    id: str  # unique, for aria ids
    label_heading: str = "Category"  # the table's heading over the labels: "Answer", "Month"

    @property
    def table(self):
        """(label, value, per cent or None) for each row: the numbers the bars show."""
        return [(label, value, self.share(value)) for label, value in self.rows]

    def share(self, value):
        return None if self.total is None else per_cent(value, self.total)


def bar_chart(
    *,
    title,
    description,
    rows,
    unit,
    total=None,
    orientation="horizontal",
    label_heading="Category",
):
    rows = [(str(label), value) for label, value in rows]
    if any(not isinstance(value, int) or value < 0 for _, value in rows):
        raise ValueError("A bar chart counts things: each value must be a whole number, 0 or more.")
    if orientation not in ("horizontal", "vertical"):
        raise ValueError(f"orientation must be 'horizontal' or 'vertical', not {orientation!r}")
    chart_id = f"chart-{next(_ids)}"
    chart = Chart(title, description, rows, unit, total, SafeString(""), chart_id, label_heading)
    if not any(value for _, value in rows):
        height = 3 * FONT_SIZE  # nothing to divide by: say so
        body = [_text(WIDTH / 2, height / 2, "No data", "middle", "empty", True)]
    elif orientation == "horizontal":
        height, body = _horizontal(chart)
    else:
        height, body = _vertical(chart)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {_n(height)}" '
        f'width="100%"><title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>{"".join(body)}</svg>'
    )
    return replace(chart, svg=mark_safe(svg))


def _horizontal(chart):
    labels = [_shorten(label) for label, _ in chart.rows]
    values = [_value_label(chart, value) for _, value in chart.rows]
    label_width = max(_width(label) for label in labels)
    x0 = PAD + label_width + PAD  # where the bars start
    bar_space = WIDTH - x0 - PAD - max(_width(v) for v in values) - PAD
    top = max(value for _, value in chart.rows)
    height = 2 * PAD + len(chart.rows) * ROW_HEIGHT
    body = []
    for i, ((_, value), label, value_label) in enumerate(
        zip(chart.rows, labels, values, strict=True)
    ):
        y = PAD + i * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        middle = y + BAR_HEIGHT / 2
        length = bar_space * value / top
        body.append(_text(x0 - PAD, middle, label, "end", "label", True))
        if value:
            body.append(_bar(x0, y, length, BAR_HEIGHT))
        body.append(_text(x0 + length + PAD, middle, value_label, "start", "value", True))
    body.append(_line(x0, PAD, x0, height - PAD))  # the zero line
    return height, body


def _vertical(chart):
    n = len(chart.rows)
    labels = [_shorten(label) for label, _ in chart.rows]
    longest = max(_width(label) for label in labels)
    slot = (WIDTH - 2 * PAD) / n
    rotate = longest > slot - PAD  # too wide to sit side by side: turn them 45 degrees
    x0 = PAD + (longest / sqrt(2) if rotate else 0)
    slot = (WIDTH - PAD - x0) / n
    lines = 2 if chart.total is not None else 1  # the value, then its per cent beneath
    plot_top = PAD + lines * 1.2 * FONT_SIZE
    baseline = plot_top + PLOT_HEIGHT
    label_depth = (longest / sqrt(2) + FONT_SIZE) if rotate else 1.2 * FONT_SIZE
    height = baseline + PAD + label_depth + PAD
    top = max(value for _, value in chart.rows)
    body = []
    for i, ((_, value), label) in enumerate(zip(chart.rows, labels, strict=True)):
        middle = x0 + (i + 0.5) * slot
        length = PLOT_HEIGHT * value / top
        if value:
            body.append(_bar(middle - 0.3 * slot, baseline - length, 0.6 * slot, length))
        value_lines = [str(value)]
        if chart.total is not None:
            value_lines.append(_per_cent_label(chart.share(value)))
        body.append(_text(middle, baseline - length - 4, value_lines, "middle", "value"))
        if rotate:
            y = baseline + PAD + FONT_SIZE / 2
            turn = f' transform="rotate(-45 {_n(middle)} {_n(y)})"'
            body.append(_text(middle, y, label, "end", "label", True, turn))
        else:
            body.append(_text(middle, baseline + PAD + FONT_SIZE, label, "middle", "label"))
    body.append(_line(x0, baseline, WIDTH - PAD, baseline))  # the zero line
    return height, body


def _value_label(chart, value):
    if chart.total is None:
        return str(value)
    return f"{value} ({_per_cent_label(chart.share(value))})"


def _per_cent_label(share):
    return "–" if share is None else f"{share}%"


def _shorten(label):
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1].rstrip() + "…"


def _width(text):
    return len(text) * CHAR_WIDTH


def _n(number):
    """A coordinate, to two places and no more digits than it needs."""
    return f"{number:.2f}".rstrip("0").rstrip(".")


def _bar(x, y, width, height):
    return (
        f'<rect class="bar" x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" '
        f'fill="{BAR_COLOUR}"/>'
    )


def _line(x1, y1, x2, y2):
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
        f'stroke="currentColor" stroke-width="1"/>'
    )


def _text(x, y, text, anchor, kind, centred=False, extra=""):
    """Text at (x, y), escaped: centred on y, or sitting on it; lines of a list stack upwards."""
    lines = [text] if isinstance(text, str) else text
    if len(lines) == 1:
        content = escape(lines[0])
    else:
        step = 1.2 * FONT_SIZE
        content = "".join(
            f'<tspan x="{_n(x)}" y="{_n(y - (len(lines) - 1 - i) * step)}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
    dy = ' dy="0.35em"' if centred else ""
    return (
        f'<text class="{kind}" x="{_n(x)}" y="{_n(y)}"{dy} '
        f'text-anchor="{anchor}" font-size="{FONT_SIZE}" fill="currentColor"{extra}>'
        f"{content}</text>"
    )
