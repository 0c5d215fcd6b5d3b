"""Completions from an e-learning provider's file, in the Wagtail admin: upload, preview of every
row with what will change, then "Import" (the whole file, or nothing).

Only for runs whose page takes completion from a provider (`completion_from_provider` on the
page's class, read through `specific_class` so this app never imports the course pages). Every
change is a call to `attendance.apply_completion_import`; this view only reads the request and
says what happened.
"""

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from lms.core.imports import CsvImportView

from . import attendance
from .forms import CsvUploadForm
from .models import Run

# The attendance import's permission: recording completion is taking attendance by other means.
PERMISSION = "bookings.change_attendance"


class CompletionImportForm(CsvUploadForm):
    file = forms.FileField(
        label="Completion CSV file from the provider",
        help_text="A header row “email,status”, then one row per person (other columns are ignored). "
        "Status is completed, in progress or not started; complete, passed, yes and no are understood too.",
    )


def _run(pk):
    run = get_object_or_404(Run.objects.select_related("page"), pk=pk)
    if not getattr(run.page.specific_class, "completion_from_provider", False):
        raise Http404("Completion of this run comes from its registers.")
    return run


def _context(run, **extra):
    title = f"Import completions: {run}"
    return {"run": run, "page_title": title, "header_title": title, **extra}


def _forbidden(request):
    # Wagtail turns a raised PermissionDenied into a redirect to the dashboard; say 403 plainly.
    return TemplateResponse(
        request,
        "bookings/admin/completion_forbidden.html",
        {"page_title": "Not allowed", "header_title": "Not allowed"},
        status=403,
    )


def _count(n, one, many):
    return f"{n} {one if n == 1 else many}"


def confirmation(plan):
    """ "612 completions recorded; 3 people marked not completed" (and what was already so)."""
    said = [
        f"{_count(len(plan.newly_completed), 'completion', 'completions')} recorded",
        f"{_count(len(plan.newly_not_completed), 'person', 'people')} marked not completed",
    ]
    if plan.unchanged:
        said.append(f"{_count(len(plan.unchanged), 'row was', 'rows were')} already so")
    return "; ".join(said) + "."


class ImportCompletions(CsvImportView):
    """An e-learning intake's completions from the provider's file, through the one import flow."""

    form_class = CompletionImportForm
    upload_template = "bookings/admin/completion_import.html"
    preview_template = "bookings/admin/completion_import_preview.html"
    row_template = "bookings/admin/completion_import_row.html"
    refused = attendance.AttendanceRefused

    def setup_import(self):
        if not self.request.user.has_perm(PERMISSION):
            return _forbidden(self.request)
        self.run = _run(self.kwargs["pk"])
        return None

    def plan(self, text):
        return attendance.plan_completion_import(self.run, text)

    def apply(self, text, by):
        return attendance.apply_completion_import(self.run, text, by=by)

    def context(self, **extra):
        return _context(self.run, **extra)

    def done_message(self, plan):
        return confirmation(plan)

    def done_url(self):
        return reverse("bookings_manage_run", args=[self.run.pk])


import_completions = ImportCompletions.as_view()
