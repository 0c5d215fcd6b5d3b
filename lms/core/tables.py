"""The tables a report shows, and the same tables as CSV and XLSX.

A report builds its tables once; the page, the CSV and the spreadsheet are three renderings of
those objects, so an export always says what the screen says. Cells hold plain values (whole
numbers, text, dates, or None for "not applicable"); only the rendering formats them.
"""

import html
from dataclasses import dataclass, field
from datetime import date

from django.utils.safestring import mark_safe

from . import exports


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
        return mark_safe(
            "\n".join(
                _html_row(row, links[i] if i < len(links) else None)
                for i, row in enumerate(self.rows)
            )
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
        f'<td class="figures-number">{cell_text(v)}</td>'
        if _is_number(v)
        else f"<td>{html.escape(cell_text(v))}</td>"
        for v in row[1:]
    )
    return mark_safe(f'<tr{attributes}><th scope="row">{first}</th>{cells}</tr>')


def csv_response(tables, filename):
    """One CSV file: each table under its title, a blank line between tables. Written (and
    made safe: formula-like text, control characters) by `lms.core.exports`."""

    def rows():
        for i, table in enumerate(tables):
            if i:
                yield []
            yield [table.title]
            yield [c.label for c in table.columns]
            yield from table.all_rows()
            if table.note:
                yield [table.note]

    return exports.csv_response(rows(), filename)


def xlsx_response(tables, filename):
    """One workbook, a sheet per table: title in A1, header row, rows, total in bold, note.
    Written (and made safe) by `lms.core.exports`."""
    book = exports.Spreadsheet()
    for table in tables:
        sheet = book.add_sheet(table.title, widths=_widths(table))
        book.append(sheet, [table.title], bold=True)
        book.append(sheet, [c.label for c in table.columns], bold=True)
        for row in table.rows:
            book.append(sheet, row)
        if table.total:
            book.append(sheet, table.total, bold=True)
        if table.note:
            book.append(sheet, [table.note])
    return book.response(filename)


def _widths(table):
    for i, column in enumerate(table.columns):
        longest = max(
            [len(column.label)] + [len(str(exports.plain_value(r[i]))) for r in table.all_rows()]
        )
        yield min(max(longest + 2, 8), 60)
