"""Completions from an e-learning provider's file, in the Wagtail admin: upload, preview of every
row with what will change, then "Import" (the whole file, or nothing).

Only for runs whose page takes completion from a provider (`completion_from_provider` on the
page's class, read through `specific_class` so this app never imports the course pages). Every
change is a call to `attendance.apply_completion_import`; this view only reads the request and
says what happened.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

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


def import_completions(request, pk):
    """Upload → preview (nothing saved) → confirm (the whole file, or nothing)."""
    if not request.user.has_perm(PERMISSION):
        return _forbidden(request)
    run = _run(pk)
    if request.method == "POST" and "confirm" in request.POST:
        text = request.POST.get("csv", "")
        try:
            plan = attendance.apply_completion_import(run, text, by=request.user)
        except attendance.AttendanceRefused as refusal:
            messages.error(request, str(refusal))
            return _preview(
                request, run, attendance.plan_completion_import(run, text), text, status=400
            )
        messages.success(request, confirmation(plan))
        return redirect(reverse("bookings_manage_run", args=[run.pk]))
    posted = request.method == "POST"
    form = CompletionImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        text = form.cleaned_data["file"]
        plan = attendance.plan_completion_import(run, text)
        return _preview(request, run, plan, text, status=200 if plan.ok else 400)
    return TemplateResponse(
        request,
        "bookings/admin/completion_import.html",
        _context(run, form=form),
        status=400 if form.errors else 200,
    )


def _preview(request, run, plan, text, status):
    return TemplateResponse(
        request,
        "bookings/admin/completion_import_preview.html",
        _context(run, plan=plan, csv=text),
        status=status,
    )
