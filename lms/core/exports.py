"""Every CSV and XLSX file the product writes, written here and only here.

The Figures and podcast pages (through `lms/core/tables.py`), every Wagtail listing with
`list_export` (through `ExportingModelViewSet`) and Wagtail's own reports and redirects
(through `through_the_exporter`, mounted in lms/urls.py) hand their rows to this
module, which makes each cell safe the same way:

- text a spreadsheet would run as a formula (starting =, +, -, @, tab or carriage return) stays
  text: in CSV behind an apostrophe, the convention spreadsheets read as "this is text"; in XLSX
  as a string cell, which Excel never evaluates. Names and comments come from the public, and a
  name such as =HYPERLINK(...) must reach the organiser's spreadsheet as the words it was;
- control characters a spreadsheet cannot store (Word's Shift+Enter line break) become a space;
- datetimes (stored in UTC) are written in London time;
- a value missing along a dotted path (a person with no council) is an empty cell, never an
  error half way through the file.
"""

import csv
from datetime import date, datetime
from decimal import Decimal
from functools import update_wrapper
from io import BytesIO

from django.core.exceptions import ObjectDoesNotExist, SuspiciousOperation
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.urls import URLPattern
from django.utils import timezone
from django.utils.encoding import force_str
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.viewsets.model import ModelViewSet

from .time import LONDON

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
BOLD = Font(bold=True)


def plain_value(value):
    """A cell's value before it is written: None empty, text without control characters,
    Yes/No for booleans, datetimes in London time (without a zone, as spreadsheets hold them),
    numbers and dates as they are; anything else as its text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, LONDON)
        return value.replace(tzinfo=None)
    if isinstance(value, (date, int, float, Decimal)):
        return value
    if isinstance(value, (list, tuple, set)):
        value = ", ".join(force_str(v) for v in value)
    # Control characters (a line break typed with Shift+Enter in Word) cannot be stored in a
    # spreadsheet; a space reads the same.
    return ILLEGAL_CHARACTERS_RE.sub(" ", force_str(value))


def csv_value(value):
    """A CSV cell: the plain value, formula-like text behind an apostrophe."""
    value = plain_value(value)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


class _Line:
    """A file-like object csv.writer writes one line into, for streaming."""

    def write(self, text):
        return text


def csv_lines(rows):
    """The CSV text of `rows` (iterables of raw values), line by line, after a byte order mark
    so that Excel reads the file as UTF-8."""
    writer = csv.writer(_Line())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([csv_value(v) for v in row])


def csv_response(rows, filename, *, streaming=False):
    """A CSV download of `rows`; streamed (for a listing of any length) or whole."""
    if streaming:
        response = StreamingHttpResponse(csv_lines(rows), content_type=CSV_CONTENT_TYPE)
    else:
        response = HttpResponse("".join(csv_lines(rows)), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_cell(sheet, value, *, bold=False):
    """One XLSX cell: text always a string cell (openpyxl would store text starting "=" as a
    formula), dates and datetimes as dates, numbers as numbers."""
    value = plain_value(value)
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = BOLD
    return cell


class Spreadsheet:
    """An XLSX workbook built sheet by sheet and row by row."""

    def __init__(self):
        self.workbook = Workbook(write_only=True)
        self._titles = set()

    def add_sheet(self, title, widths=()):
        sheet = self.workbook.create_sheet(self._sheet_title(title))
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        return sheet

    def append(self, sheet, values, *, bold=False):
        sheet.append([xlsx_cell(sheet, v, bold=bold) for v in values])

    def _sheet_title(self, title):
        base = (
            "".join(" " if c in "[]:*?/\\" else c for c in plain_value(title))[:31].strip()
            or "Sheet"
        )
        name, n = base, 2
        while name.lower() in self._titles:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        self._titles.add(name.lower())
        return name

    def content(self):
        buffer = BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()

    def response(self, filename, *, streaming=False):
        if streaming:
            return FileResponse(
                BytesIO(self.content()),
                as_attachment=True,
                filename=f"{filename}.xlsx",
                content_type=XLSX_CONTENT_TYPE,
            )
        response = HttpResponse(self.content(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response


def lookup(item, path):
    """The value at a dotted path ("person.council.official_name"), calling what is callable
    on the way; None when anything along it is missing (a person with no council)."""
    current = item
    for name in path.split("."):
        if current is None:
            return None
        try:
            current = current[name] if isinstance(current, dict) else getattr(current, name)
        except ObjectDoesNotExist:
            return None
        if callable(current):
            if getattr(current, "alters_data", False):
                raise SuspiciousOperation(f"{path} changes data: it cannot be exported")
            current = current()
    return current


class ExportWriterMixin:
    """For any view with Wagtail's ``SpreadsheetExportMixin`` (placed before it): the view's own
    rows (``to_row_dict``) and per-field functions (``custom_field_preprocess``) are kept, and
    its CSV and XLSX are written by this module instead of Wagtail's own writers, so nothing is
    written that has not been made safe above."""

    def preprocess_field_value(self, field, value, export_format):
        # A view's own per-field function still applies; the cleaning is the writer's.
        function = self.custom_field_preprocess.get(field, {}).get(export_format)
        return function(value) if function else value

    def export_rows(self, queryset, export_format):
        yield [self.get_heading(queryset, field) for field in self.list_export]
        for item in queryset:
            row = self.to_row_dict(item)
            yield [self.preprocess_field_value(f, v, export_format) for f, v in row.items()]

    def write_csv_response(self, queryset):
        return csv_response(
            self.export_rows(queryset, self.FORMAT_CSV), self.get_filename(), streaming=True
        )

    def write_xlsx_response(self, queryset):
        book = Spreadsheet()
        sheet = book.add_sheet(self.get_filename())
        for i, row in enumerate(self.export_rows(queryset, self.FORMAT_XLSX)):
            book.append(sheet, row, bold=i == 0)
        return book.response(self.get_filename(), streaming=True)


class ExportingIndexView(ExportWriterMixin, IndexView):
    """A Wagtail listing whose `list_export` CSV and XLSX go through this module; a value
    missing along a dotted path is an empty cell."""

    def to_row_dict(self, item):
        return {field: lookup(item, field) for field in self.list_export}


def through_the_exporter(urlpatterns):
    """Wagtail's own URL patterns with a spreadsheet export (its reports: locked pages,
    workflows, site history, ageing pages, page types; redirects), each view
    rebuilt with ``ExportWriterMixin`` and guarded as the admin guards its own. lms/urls.py mounts
    them ahead of Wagtail's admin at the same addresses, so Wagtail's links (by URL name) reach
    these; the patterns without an export are left to Wagtail. Unnamed, so that no name is
    defined twice."""
    found = []
    for pattern in urlpatterns:
        view_class = getattr(pattern.callback, "view_class", None)
        if not isinstance(pattern, URLPattern) or not (
            view_class and issubclass(view_class, SpreadsheetExportMixin)
        ):
            continue
        exporting = type(
            view_class.__name__, (ExportWriterMixin, view_class), {"__module__": __name__}
        )
        view = exporting.as_view(**pattern.callback.view_initkwargs)
        # LogContext and the organiser's language and time zone, as for the admin's own views.
        view = update_wrapper(require_admin_access(view), view)
        found.append(URLPattern(pattern.pattern, view, pattern.default_args))
    return found


class ExportingModelViewSet(ModelViewSet):
    """A ModelViewSet whose listing exports through this module. Every viewset with
    `list_export` is one of these (a test walks the admin's URLs to hold us to it)."""

    index_view_class = ExportingIndexView
