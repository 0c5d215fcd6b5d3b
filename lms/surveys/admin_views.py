"""Organisers' survey page for one run: settings, invitations and the figures."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from lms.bookings.models import Run

from . import services
from .admin_forms import SurveySettingsForm
from .figures import ANONYMITY_THRESHOLD


def _require(request, codename):
    if not request.user.has_perm(f"surveys.{codename}"):
        raise PermissionDenied


def run_survey(request, pk):
    _require(request, "view_survey")
    run = get_object_or_404(Run.objects.select_related("page"), pk=pk)
    survey = services.survey_for(run)
    form = SurveySettingsForm(request.POST or None, instance=survey)
    if request.method == "POST":
        _require(request, "change_survey")
        if form.is_valid():
            form.save()
            messages.success(request, "Survey settings saved.")
            return redirect("surveys_run_survey", pk=run.pk)
        messages.error(request, "The settings could not be saved: see the errors below.")
    return TemplateResponse(
        request,
        "surveys/admin/run_survey.html",
        {
            "run": run,
            "survey": survey,
            "form": form,
            "results": services.results(survey),
            "invited": survey.invitations.count(),
            "reminded": survey.invitations.filter(reminded_at__isnull=False).count(),
            "has_ended": services.has_ended(run),
            "can_change": request.user.has_perm("surveys.change_survey"),
            "threshold": ANONYMITY_THRESHOLD,
            "page_title": f"Survey: {run}",
            "header_title": f"Survey: {run}",
        },
    )


@require_POST
def send_invitations(request, pk):
    _require(request, "change_survey")
    run = get_object_or_404(Run, pk=pk)
    if not services.has_ended(run):
        messages.error(request, "Invitations go out once the run's last session has ended.")
    else:
        sent = services.send_invitations(run)
        who = "1 person" if sent == 1 else f"{sent} people"
        messages.success(
            request,
            f"Invitations sent to {who}."
            if sent
            else "Everyone who attended has already been invited.",
        )
    return redirect("surveys_run_survey", pk=run.pk)
