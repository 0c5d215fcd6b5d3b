"""The one exporter's cells, as a spreadsheet reads them."""

import csv
import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from lms.core import exports

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


def test_csv_puts_an_apostrophe_before_text_a_spreadsheet_would_run():
    response = exports.csv_response(
        [["Name", "Count"], *[[name, -2] for name in HOSTILE], ["Ann", 3]], "x"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert [row[0] for row in rows[1:]] == ["'" + name for name in HOSTILE] + ["Ann"]
    assert {row[1] for row in rows[1:]} == {"-2", "3"}  # numbers stay numbers


def test_xlsx_keeps_formula_like_text_as_text_cells():
    book = exports.Spreadsheet()
    sheet = book.add_sheet("=Sheet")
    for name in HOSTILE:
        book.append(sheet, [name, -2])
    read = load_workbook(io.BytesIO(book.response("x").content)).worksheets[0]
    assert [c.value for c in read["A"]] == HOSTILE
    assert {c.data_type for c in read["A"]} == {"s"}
    assert read["B1"].value == -2


def test_control_characters_become_spaces_and_times_london_times():
    summer = datetime(2020, 7, 1, 9, 30, tzinfo=UTC)
    assert exports.csv_value("Great day.\x0bWould come again") == "Great day. Would come again"
    assert exports.csv_value(summer) == "2020-07-01 10:30"
    assert exports.csv_value(datetime(2020, 1, 1, 9, 30, tzinfo=UTC)) == "2020-01-01 09:30"
    assert exports.csv_value(date(2020, 1, 24)) == "2020-01-24"
    assert exports.csv_value(None) == "" and exports.csv_value(True) == "Yes"
    book = exports.Spreadsheet()
    sheet = book.add_sheet("Times")
    book.append(sheet, [summer, "a\x00b"])
    read = load_workbook(io.BytesIO(book.response("x").content)).worksheets[0]
    assert read["A1"].value == datetime(2020, 7, 1, 10, 30) and read["B1"].value == "a b"


def test_a_missing_link_in_a_dotted_path_is_an_empty_cell():
    class Person:
        council = None
        full_name = "Pat"

    assert exports.lookup({"person": Person()}, "person.council.official_name") is None
    assert exports.lookup({"person": Person()}, "person.full_name") == "Pat"
