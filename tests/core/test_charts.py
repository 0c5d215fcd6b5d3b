"""Report charts: an SVG that names itself, bars in proportion, a table with the same numbers."""

import math
import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string

from lms.core.charts import BAR_COLOUR, CHAR_WIDTH, WIDTH, bar_chart
from lms.core.numbers import per_cent

SVG = "{http://www.w3.org/2000/svg}"

SATISFACTION = [
    ("Very satisfied", 34),
    ("Satisfied", 6),
    ("Neither satisfied nor dissatisfied", 2),
    ("Dissatisfied", 1),
    ("Very dissatisfied", 0),
]
MONTHS = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]
ATTENDANCE = [(f"{m} {2019 if i < 9 else 2020}", 10 + 7 * i) for i, m in enumerate(MONTHS)]


def satisfaction(**kwargs):
    fields = {
        "title": "Satisfaction, 2019/20: data and digital transformation",
        "description": "43 respondents. Very satisfied 34, satisfied 6, neither 2, dissatisfied 1.",
        "rows": SATISFACTION,
        "unit": "respondents",
        "total": 43,
    }
    return bar_chart(**{**fields, **kwargs})


def parse(chart):
    return ET.fromstring(str(chart.svg))


def texts(svg, kind):
    return ["".join(t.itertext()) for t in svg.iter(f"{SVG}text") if t.get("class") == kind]


def bars(svg):
    return [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "bar"]


def test_the_svg_is_an_image_named_by_its_title_and_description():
    chart = satisfaction()
    svg = parse(chart)
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.text == "Satisfaction, 2019/20: data and digital transformation"
    assert desc.text.startswith("43 respondents.")
    assert svg.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert title.get("id").startswith(chart.id) and desc.get("id").startswith(chart.id)
    # It scales with the page rather than having a fixed size.
    assert svg.get("width") == "100%" and svg.get("height") is None
    assert len(svg.get("viewBox").split()) == 4


def test_one_bar_per_non_zero_row_with_lengths_in_proportion():
    svg = parse(satisfaction())
    widths = [float(r.get("width")) for r in bars(svg)]
    non_zero = [value for _, value in SATISFACTION if value]
    assert len(widths) == len(non_zero) == 4
    for width, value in zip(widths, non_zero, strict=True):
        assert width / value == pytest.approx(widths[0] / non_zero[0], rel=1e-3)
    assert texts(svg, "label") == [label for label, _ in SATISFACTION]


def test_vertical_columns_have_heights_in_proportion_and_share_a_baseline():
    svg = parse(
        bar_chart(
            title="Attendance",
            description="By month.",
            rows=ATTENDANCE,
            unit="attendances",
            orientation="vertical",
        )
    )
    columns = bars(svg)
    assert len(columns) == 12
    heights = [float(r.get("height")) for r in columns]
    for height, (_, value) in zip(heights, ATTENDANCE, strict=True):
        assert height / value == pytest.approx(heights[-1] / ATTENDANCE[-1][1], rel=1e-3)
    bottoms = {round(float(r.get("y")) + float(r.get("height")), 1) for r in columns}
    assert len(bottoms) == 1
    assert texts(svg, "value") == [str(value) for _, value in ATTENDANCE]


def test_each_value_is_labelled_with_its_share_as_the_report_rounds_it():
    # 1 of 8 is 12.5 per cent: the report rounds half up, to 13, where round() would say 12.
    rows = [("Very satisfied", 5), ("Satisfied", 1), ("Neither", 2), ("Dissatisfied", 0)]
    svg = parse(satisfaction(rows=rows, total=8))
    assert texts(svg, "value") == [f"{value} ({per_cent(value, 8)}%)" for _, value in rows]
    assert texts(svg, "value") == ["5 (63%)", "1 (13%)", "2 (25%)", "0 (0%)"]


def test_without_a_total_values_carry_no_per_cent():
    svg = parse(satisfaction(total=None))
    assert texts(svg, "value") == ["34", "6", "2", "1", "0"]


def test_a_zero_value_is_labelled_0_and_has_no_bar():
    rows = [("North West", 12), ("Wales", 0), ("London", 3)]
    svg = parse(satisfaction(rows=rows, total=None))
    assert texts(svg, "value") == ["12", "0", "3"]
    assert len(bars(svg)) == 2
    label_ys = [t.get("y") for t in svg.iter(f"{SVG}text") if t.get("class") == "label"]
    bar_middles = {_n(float(r.get("y")) + float(r.get("height")) / 2) for r in bars(svg)}
    assert label_ys[1] not in bar_middles and {label_ys[0], label_ys[2]} == bar_middles


def _n(number):
    return f"{number:.2f}".rstrip("0").rstrip(".")


@pytest.mark.parametrize("orientation", ["horizontal", "vertical"])
def test_hostile_labels_come_out_as_text(orientation):
    hostile = ['<script>alert("x")</script>', "Tom & Jerry's council", "]]><!--"]
    chart = bar_chart(
        title="A <b>bold</b> & daring title",
        description="<desc> & more",
        rows=[(label, 1) for label in hostile],
        unit="councils",
        orientation=orientation,
    )
    assert "<script" not in str(chart.svg) and "<b>" not in str(chart.svg)
    svg = parse(chart)  # still well-formed
    assert texts(svg, "label") == hostile
    assert svg.find(f"{SVG}title").text == "A <b>bold</b> & daring title"
    assert svg.find(f"{SVG}desc").text == "<desc> & more"
    assert not list(svg.iter(f"{SVG}script")) and not list(svg.iter("script"))


@pytest.mark.parametrize("rows", [[], [("Very satisfied", 0), ("Satisfied", 0)]])
@pytest.mark.parametrize("orientation", ["horizontal", "vertical"])
def test_no_data_says_so_instead_of_dividing_by_zero(rows, orientation):
    chart = satisfaction(rows=rows, total=0, orientation=orientation)
    svg = parse(chart)
    assert texts(svg, "empty") == ["No data"]
    assert bars(svg) == []
    assert svg.find(f"{SVG}title").text == chart.title


def test_two_charts_with_the_same_title_have_different_ids():
    first, second = satisfaction(), satisfaction()
    first_ids = {e.get("id") for e in parse(first).iter() if e.get("id")}
    second_ids = {e.get("id") for e in parse(second).iter() if e.get("id")}
    assert first.id != second.id
    assert len(first_ids) == 2 and first_ids.isdisjoint(second_ids)


def test_twelve_months_of_labels_are_all_there_and_do_not_collide():
    total = sum(value for _, value in ATTENDANCE)
    svg = parse(
        bar_chart(
            title="Attendance by month",
            description="Attendances.",
            rows=ATTENDANCE,
            unit="attendances",
            total=total,
            orientation="vertical",
        )
    )
    labels = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "label"]
    assert ["".join(t.itertext()) for t in labels] == [label for label, _ in ATTENDANCE]
    xs = [float(t.get("x")) for t in labels]
    spacing = xs[1] - xs[0]
    turned = [re.fullmatch(r"rotate\((-?\d+)\b.*\)", t.get("transform") or "") for t in labels]
    if all(turned):
        # Rotated labels are parallel lines `spacing` apart sideways: more than a line of text.
        angle = math.radians(abs(int(turned[0].group(1))))
        assert spacing * math.sin(angle) >= 1.2 * float(labels[0].get("font-size"))
        # The first label's far end is still inside the picture, not cut off by the viewBox.
        assert xs[0] - len("Apr 2019") * CHAR_WIDTH * math.cos(angle) >= 0
    else:
        assert spacing >= len("Apr 2019") * CHAR_WIDTH
    # Each value and its share sits over its column, in full.
    values = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "value"]
    assert next([s.text for s in t] for t in values) == ["10", f"{per_cent(10, total)}%"]


def test_text_is_legible_and_follows_the_admin_theme():
    for chart in (
        satisfaction(),
        bar_chart(
            title="A", description="B", rows=ATTENDANCE, unit="attendances", orientation="vertical"
        ),
    ):
        svg = parse(chart)
        assert float(svg.get("viewBox").split()[2]) == WIDTH
        for text in svg.iter(f"{SVG}text"):
            assert text.get("fill") == "currentColor"
            # Drawn at its default width (the viewBox's), a user unit is a CSS pixel.
            assert float(text.get("font-size")) >= 12
        # The public site's CSP (style-src 'self') would block inline styles.
        assert all(e.get("style") is None for e in svg.iter())


def _luminance(colour):
    def channel(c):
        c = int(c, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a, b):
    lighter, darker = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("background", ["#ffffff", "#1d1d1d"])
def test_bars_stand_out_against_the_light_and_dark_admin_themes(background):
    assert _contrast("#ffffff", "#000000") == pytest.approx(21)  # the formula itself
    assert {r.get("fill") for r in bars(parse(satisfaction()))} == {BAR_COLOUR}
    assert _contrast(BAR_COLOUR, background) >= 3


def _numbers_from_bars(chart):
    svg = parse(chart)
    labels, values = texts(svg, "label"), texts(svg, "value")
    return [
        (label, *re.fullmatch(r"(\d+)(?: \((\d+)%\))?", value).groups())
        for label, value in zip(labels, values, strict=True)
    ]


def render(chart):
    return BeautifulSoup(
        render_to_string("reports/includes/chart.html", {"chart": chart}), "html.parser"
    )


def cells(table):
    return [
        tuple(cell.get_text(strip=True) for cell in tr.find_all(["th", "td"]))
        for tr in table.tbody.find_all("tr")
    ]


def test_the_table_carries_exactly_the_numbers_the_bars_show():
    chart = satisfaction(label_heading="Answer")
    page = render(chart)
    figure = page.find("figure")
    assert figure.find("svg")["aria-labelledby"] == f"{chart.id}-title {chart.id}-desc"
    assert figure.find("figcaption").get_text(strip=True) == chart.title
    table = page.find("table", class_="listing")
    assert chart.title in table.caption.get_text()
    assert [th.get_text(strip=True) for th in table.thead.find_all("th")] == [
        "Answer",
        "Respondents",
        "Per cent of 43",
    ]
    rows = cells(table)
    assert rows == _numbers_from_bars(chart)
    assert rows[0] == ("Very satisfied", "34", "79")


def test_the_table_has_no_per_cent_column_without_a_total():
    chart = satisfaction(total=None, rows=[("Tom & Jerry <council>", 4), ("Wales", 0)])
    html = render_to_string("reports/includes/chart.html", {"chart": chart})
    table = BeautifulSoup(html, "html.parser").find("table")
    headings = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    assert headings == ["Category", "Respondents"]
    rows = cells(table)
    assert rows == [("Tom & Jerry <council>", "4"), ("Wales", "0")]
    assert rows == [(label, value) for label, value, _ in _numbers_from_bars(chart)]
    assert "<council>" not in html and "<script" not in html


def test_the_template_says_no_data_without_rows():
    chart = satisfaction(rows=[], total=None)
    page = render(chart)
    assert page.find("table") is None
    assert "No data" in page.get_text()


def test_nonsense_is_refused():
    with pytest.raises(ValueError):
        satisfaction(rows=[("Satisfied", -1)])
    with pytest.raises(ValueError):
        satisfaction(rows=[("Satisfied", 2.7)])  # not silently drawn as 2
    with pytest.raises(ValueError):
        satisfaction(orientation="diagonal")


def test_a_very_long_label_is_shortened_in_the_picture_and_whole_in_the_table():
    long = "Data and digital transformation for district and county councils (pilot)"
    chart = satisfaction(rows=[(long, 3), ("Short", 1)], total=None)
    (shown, _) = texts(parse(chart), "label")
    assert shown.endswith("…") and long.startswith(shown[:-1]) and len(shown) < len(long)
    table = render(chart).find("table")
    assert table.tbody.th.get_text(strip=True) == long
