"""Organisers' pages for copying runs (`copying.py`): copy one run to a new first day, copy a
course's runs or a whole financial year's programme into the next year (a preview first, then
drafts), see the drafts made, and publish them."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Min
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import AdminDateInput
from wagtail.log_actions import LogFormatter

from lms.core.ids import parse_id
from lms.core.years import FinancialYear

from . import copying
from .models import BookablePage, Run, RunStatus


def _require(request, codename):
    if not request.user.has_perm(f"bookings.{codename}"):
        raise PermissionDenied


# --- One run --------------------------------------------------------------------------------


class CopyRunForm(forms.Form):
    first_day = forms.DateField(
        label="First day of the copy",
        widget=AdminDateInput,
        help_text="Every session keeps its times and its distance in days from the first.",
    )

    def clean_first_day(self):
        day = self.cleaned_data["first_day"]
        if day < timezone.localdate():
            raise forms.ValidationError(
                "Choose today or a later day: a copy is for runs still to come."
            )
        return day


def copy_run(request, pk):
    """GET: choose the first day and see the copy's dates; POST: make the copy (a draft)."""
    _require(request, "add_run")
    source = get_object_or_404(Run.objects.select_related("page", "venue"), pk=pk)
    sessions = list(source.sessions.order_by("starts_at", "pk"))
    form = CopyRunForm(request.POST if request.method == "POST" else (request.GET or None))
    if request.method == "POST" and form.is_valid():
        try:
            copy = copying.copy_run(source, form.cleaned_data["first_day"], by=request.user)
        except copying.CopyRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                f"Copied as a draft: {copy} from {timezone.localtime(copy.starts_at):%-d %B %Y}. "
                "Nobody can see or book it until you publish it.",
            )
            return redirect("bookings_manage_run", copy.pk)
    planned = None
    if form.is_bound and form.is_valid() and sessions:
        planned = copying.plan_copy(source, form.cleaned_data["first_day"], sessions)
    return TemplateResponse(
        request,
        "bookings/admin/copy_run.html",
        {
            "source": source,
            "sessions": sessions,
            "form": form,
            "planned": planned,
            "page_title": f"Copy {source}",
            "header_title": f"Copy {source}",
        },
    )


@require_POST
def publish_run(request, pk):
    _require(request, "change_run")
    run = get_object_or_404(Run, pk=pk)
    try:
        copying.publish_run(run, by=request.user)
    except copying.CopyRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"{run} is published: it is on What's on and open for booking.")
    return redirect("bookings_manage_run", run.pk)


# --- A course's runs, or a year's programme ---------------------------------------------------


def _year_choices():
    """Financial years from the first run's to the current one's (or the last run's)."""
    first = Run.objects.filter(status=RunStatus.SCHEDULED, draft=False).aggregate(
        first=Min("starts_at")
    )["first"]
    current = FinancialYear.current()
    start = FinancialYear.containing(first) if first else current
    last = (
        Run.objects.filter(status=RunStatus.SCHEDULED, draft=False)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    end = max(current, FinancialYear.containing(last)) if last else current
    return [
        (str(FinancialYear(y)), str(FinancialYear(y)))
        for y in range(end.start_year, start.start_year - 1, -1)
    ]


class YearForm(forms.Form):
    year = forms.ChoiceField(label="Copy the runs of financial year", choices=())
    page = forms.ModelChoiceField(
        queryset=BookablePage.objects.none(),
        required=False,
        label="Course or event",
        empty_label="Every course and event (the whole programme)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()
        self.fields["year"].initial = str(FinancialYear.current())
        self.fields["page"].queryset = (
            BookablePage.objects.filter(runs__isnull=False).distinct().order_by("title")
        )

    def clean_year(self):
        return FinancialYear.parse(self.cleaned_data["year"])

    @property
    def next_year(self):
        return FinancialYear(self.cleaned_data["year"].start_year + 1)

    def query(self):
        return urlencode(
            {
                "year": str(self.cleaned_data["year"]),
                "page": self.cleaned_data["page"].pk if self.cleaned_data["page"] else "",
            }
        )


def copy_year(request):
    """GET with a year (and a course): the preview, which changes nothing. POST: make the drafts
    and show them."""
    _require(request, "add_run")
    if request.method == "POST":
        form = YearForm(request.POST)
        if form.is_valid():
            result = copying.copy_into_next_year(
                form.cleaned_data["year"], form.cleaned_data["page"], by=request.user
            )
            made = (
                "1 draft run" if len(result.created) == 1 else f"{len(result.created)} draft runs"
            )
            messages.success(
                request,
                f"{made} made in {form.next_year}. Nobody can see or book them until published.",
            )
            return redirect(reverse("copy_programme:done") + "?" + form.query())
    else:
        form = YearForm(request.GET or None)
    valid = form.is_bound and form.is_valid()
    plans = (
        copying.preview_next_year(form.cleaned_data["year"], form.cleaned_data["page"])
        if valid
        else None
    )
    return TemplateResponse(
        request,
        "bookings/admin/copy_year.html",
        {
            "form": form,
            "plans": plans,
            "to_copy": [p for p in plans or [] if p.to_copy],
            "next_year": form.next_year if valid else None,
            "page_title": "Copy into the next year",
            "header_title": "Copy a course's runs or a year's programme into the next year",
        },
    )


def copies_made(request):
    """The copies of a year's runs (or a course's) in the next year: drafts to publish, and
    those already published."""
    _require(request, "view_run")
    form = YearForm(request.GET)
    if not form.is_valid():
        return redirect("copy_programme:year")
    runs = copying.runs_of_year(form.cleaned_data["year"], form.cleaned_data["page"])
    next_year = form.next_year
    copies = (
        Run.objects.filter(
            copied_from__in=runs.values("pk"),
            starts_at__gte=next_year.starts_at,
            starts_at__lt=next_year.ends_before,
        )
        .select_related("page", "venue", "copied_from")
        .prefetch_related("sessions")
        .order_by("starts_at", "pk")
    )
    return TemplateResponse(
        request,
        "bookings/admin/copies_made.html",
        {
            "form": form,
            "drafts": [run for run in copies if run.draft],
            "published": [run for run in copies if not run.draft],
            "next_year": next_year,
            "query": form.query(),
            "can_publish": request.user.has_perm("bookings.change_run"),
            "page_title": f"Copies in {next_year}",
            "header_title": f"Copies in {next_year}",
        },
    )


@require_POST
def publish_runs(request):
    """Publish the draft runs ticked on the copies page."""
    _require(request, "change_run")
    ids = [pk for pk in map(parse_id, request.POST.getlist("run")) if pk is not None]
    published, refused = 0, []
    for run in Run.objects.filter(pk__in=ids, draft=True).select_related("page"):
        try:
            copying.publish_run(run, by=request.user)
            published += 1
        except copying.CopyRefused as refusal:
            refused.append(f"{run}: {refusal}")
    if published:
        messages.success(
            request, "1 run published." if published == 1 else f"{published} runs published."
        )
    for problem in refused:
        messages.error(request, problem)
    if not published and not refused:
        messages.error(request, "Tick the draft runs to publish.")
    form = YearForm(request.POST)
    if form.is_valid():
        return redirect(reverse("copy_programme:done") + "?" + form.query())
    return redirect("copy_programme:year")


# --- In the admin ---------------------------------------------------------------------------


class CopyMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("bookings.add_run")


class CopyProgrammeViewSet(ViewSet):
    """Programme → Copy into the next year, and the per-run copy and publish actions."""

    name = "copy_programme"
    url_prefix = "programme/copy"
    icon = "copy"
    menu_label = "Copy into next year"
    menu_item_class = CopyMenuItem

    def get_urlpatterns(self):
        return [
            path("", copy_year, name="year"),
            path("copies/", copies_made, name="done"),
            path("publish/", publish_runs, name="publish_many"),
            path("runs/<int:pk>/", copy_run, name="run"),
            path("runs/<int:pk>/publish/", publish_run, name="publish"),
        ]


def register_log_actions(actions):
    """How the run's history (its admin History page) words copies and publishing."""

    @actions.register_action("bookings.run_copied")
    class Copied(LogFormatter):
        label = "Copy"

        def format_message(self, log_entry):
            return f"Copied from {log_entry.data.get('from_title', 'another run')}, as a draft"

    actions.register_action("bookings.run_published", "Publish", "Published: open for booking")
