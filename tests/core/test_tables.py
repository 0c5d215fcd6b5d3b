"""Exports keep organisers' and respondents' text as text: nothing runs as a formula."""

import csv
import io

from openpyxl import load_workbook

from lms.core.tables import Column, Table, csv_response, xlsx_response

HOSTILE = ['=HYPERLINK("http://example.com","click")', "+1+2", "@SUM(A1)", "-3+4"]


def table():
    return Table(
        "Comments",
        [Column("Comment", numeric=False), Column("Count")],
        [[text, 1] for text in HOSTILE] + [["Ordinary words", -2]],
    )


def test_csv_prefixes_formula_like_text_but_not_numbers():
    rows = list(csv.reader(io.StringIO(csv_response([table()], "x").content.decode("utf-8-sig"))))
    cells = [row[0] for row in rows[2:]]
    assert cells == ["'" + text for text in HOSTILE] + ["Ordinary words"]
    assert rows[-1][1] == "-2"  # a negative number stays a number


def test_xlsx_stores_formula_like_text_as_text():
    book = load_workbook(io.BytesIO(xlsx_response([table()], "x").content))
    sheet = book.worksheets[0]
    cells = [sheet.cell(row=r, column=1) for r in range(3, 3 + len(HOSTILE))]
    assert [c.value for c in cells] == HOSTILE
    assert {c.data_type for c in cells} == {"s"}
    assert sheet.cell(row=7, column=2).value == -2


def test_control_characters_do_not_break_the_spreadsheet():
    typed = Table(
        "Comments", [Column("Comment", numeric=False)], [["Great day.\x0bWould come again"]]
    )
    book = load_workbook(io.BytesIO(xlsx_response([typed], "x").content))
    assert book.worksheets[0].cell(row=3, column=1).value == "Great day. Would come again"
