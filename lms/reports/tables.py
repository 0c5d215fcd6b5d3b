"""The tables a report shows, and the same tables as CSV and XLSX.

A report builds its tables once; the page, the CSV and the spreadsheet are three renderings of
those objects, so an export always says what the screen says. Cells hold plain values (whole
numbers, text, dates, or None for "not applicable"); only the rendering formats them.
"""

import csv
import html
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.http import HttpResponse
from django.utils.safestring import mark_safe
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = True


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    total: list | None = None  # shown last, in bold; totals are aggregated, not summed
    note: str = ""  # the base or definition a reader needs
    links: list | None = None  # per row: a URL for the first cell, or None (screen only)

    def all_rows(self):
        return self.rows + ([self.total] if self.total else [])

    def html_body(self):
        """The body rows as the screen shows them, one `<tr>` a line, as one string: built here
        rather than cell by cell (or row by row) in the template, which on a page of hundreds of
        runs cost more than the figures."""
        links = self.links or []
        return mark_safe(  # noqa: S308 (each row escapes its cells)
            "\n".join(_html_row(row, links[i] if i < len(links) else None) for i, row in enumerate(self.rows))
        )

    def html_total(self):
        return _html_row(self.total, None, ' class="figures-total"') if self.total else ""

    def __bool__(self):
        return bool(self.rows)


def cell_text(value):
    """How a cell reads on screen (and in CSV, apart from thousands separators)."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def _is_number(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _html_row(row, link, attributes=""):
    # html.escape is what django.utils.html.escape applies, without its lazy-string wrapper,
    # which on a table of hundreds of rows cost more than the rest of the row.
    first = html.escape(cell_text(row[0]))
    if link:
        first = f'<a href="{html.escape(link)}">{first}</a>'
    cells = "".join(
        f'<td class="figures-number">{cell_text(v)}</td>' if _is_number(v) else f"<td>{html.escape(cell_text(v))}</td>"
        for v in row[1:]
    )
    return mark_safe(f'<tr{attributes}><th scope="row">{first}</th>{cells}</tr>')  # noqa: S308 (escaped above)


# Text a spreadsheet would run as a formula. Survey comments come from the public, and a comment
# such as =HYPERLINK(...) must reach the organiser's spreadsheet as the words it was.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value):
    value = _export_value(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value  # the convention spreadsheets read as "this is text"
    return value


def _export_value(value):
    if value is None:
        return ""
    if isinstance(value, str):
        # Control characters (a line break typed with Shift+Enter in Word) cannot be stored in
        # a spreadsheet; a space reads the same.
        return ILLEGAL_CHARACTERS_RE.sub(" ", value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_response(tables, filename):
    """One CSV file: each table under its title, a blank line between tables."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for i, table in enumerate(tables):
        if i:
            writer.writerow([])
        writer.writerow([_csv_value(table.title)])
        writer.writerow([c.label for c in table.columns])
        for row in table.all_rows():
            writer.writerow([_csv_value(v) for v in row])
        if table.note:
            writer.writerow([_csv_value(table.note)])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _sheet_title(title, used):
    base = re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def xlsx_response(tables, filename):
    """One workbook, a sheet per table: title in A1, header row, rows, total in bold, note."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        sheet.append([table.title])
        sheet["A1"].font = bold
        sheet.append([c.label for c in table.columns])
        for cell in sheet[2]:
            cell.font = bold
        for row in table.rows:
            sheet.append([_export_value(v) for v in row])
        if table.total:
            sheet.append([_export_value(v) for v in table.total])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        if table.note:
            sheet.append([table.note])
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":  # openpyxl reads any text starting "=" as a formula
                    cell.data_type = "s"
        for column, width in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", _widths(table)):
            sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _widths(table):
    for i, column in enumerate(table.columns):
        longest = max([len(column.label)] + [len(str(_export_value(r[i]))) for r in table.all_rows()])
        yield min(max(longest + 2, 8), 60)
