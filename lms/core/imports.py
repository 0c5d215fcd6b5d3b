"""One CSV import flow, for every file an organiser uploads (attendance, completions): read the
file (`read_csv`), plan every row with nothing written (a `FilePlan`: all-or-nothing, with
row-level errors naming the line), preview the plan, then apply it in one transaction through the
app's services. `CsvImportView` is that flow as a view; an import supplies only what differs."""

import csv
import io
from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views import View


class UnreadableFile(Exception):
    """The text cannot be read as a CSV file; the message says why, in words for the organiser."""


SAVE_AS_CSV = "Save it from your spreadsheet as “CSV UTF-8” and upload it again."


def read_csv(
    text: str, column: Callable[[str], str] = lambda name: name
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header's column names (each passed through ``column``) and the rows, as
    ``(line, {column: cell})``, of an uploaded file's text: what both imports read.

    Raises ``UnreadableFile`` for what no spreadsheet saves as CSV: a NUL character (which the
    database would refuse as a reference or email) or a cell longer than Python's csv module
    reads (131,072 characters), naming the line.
    """
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise UnreadableFile(
            f"The file cannot be read as CSV (line {line} holds a NUL character, so it is not text). {SAVE_AS_CSV}"
        )
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        names = [column(name) for name in (reader.fieldnames or [])]
        reader.fieldnames = names
        rows = [(reader.line_num, raw) for raw in reader]
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            error = f"a cell is longer than {csv.field_size_limit():,} characters: is it the right file?"
        # The underlying reader's count: the DictReader's stops at the last row it gave out.
        raise UnreadableFile(
            f"The file cannot be read as CSV (line {reader.reader.line_num}: {error})."
        ) from None
    return names, rows


class FilePlan:
    """What both CSV imports share: a file imports only when neither it nor any row has an error."""

    @property
    def ok(self):
        return not self.errors and all(not row.errors for row in self.rows)

    @property
    def row_errors(self):
        return [(row.line, message) for row in self.rows for message in row.errors]


class CsvImportView(View):
    """Upload → preview (nothing saved) → confirm (the whole file, or nothing).

    A subclass sets `form_class` (the upload form, whose cleaned `file` is the text),
    `upload_template`, `preview_template` and `row_template` (one row's cells in the preview,
    inside the shared templates includes/csv_import*.html), `refused` (the services' refusal), and defines
    `setup_import()` (check the permission and load what is imported into, or return a response
    that refuses), `plan(text)`, `apply(text, by)`, `context(**extra)`, `done_message(plan)` and
    `done_url()`."""

    form_class = None
    upload_template = preview_template = row_template = ""
    refused = Exception

    def dispatch(self, request, *args, **kwargs):
        refusal = self.setup_import()
        if refusal is not None:
            return refusal
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.upload_page(self.form_class())

    def post(self, request, *args, **kwargs):
        if "confirm" in request.POST:
            text = request.POST.get("csv", "")
            try:
                plan = self.apply(text, by=request.user)
            except self.refused as refusal:
                messages.error(request, str(refusal))
                return self.preview_page(self.plan(text), text, status=400)
            messages.success(request, self.done_message(plan))
            return redirect(self.done_url())
        form = self.form_class(request.POST, request.FILES)
        if not form.is_valid():
            return self.upload_page(form)
        text = form.cleaned_data["file"]
        plan = self.plan(text)
        return self.preview_page(plan, text, status=200 if plan.ok else 400)

    def upload_page(self, form):
        return TemplateResponse(
            self.request,
            self.upload_template,
            self.context(form=form),
            status=400 if form.errors else 200,
        )

    def preview_page(self, plan, text, status):
        return TemplateResponse(
            self.request,
            self.preview_template,
            self.context(plan=plan, csv=text, row_template=self.row_template),
            status=status,
        )
