"""The survey at a person's own link: no sign-in, one answer, clear pages when it cannot be used."""

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import services
from .forms import SurveyForm

# What each refusal answers over HTTP.
STATUS = {"unknown": 404, "not_open": 403, "closed": 410, "used": 410, "not_attended": 403}


def _unavailable(request, refusal):
    return render(
        request,
        "surveys/unavailable.html",
        {"refusal": refusal, "survey": refusal.invitation.survey if refusal.invitation else None},
        status=STATUS[refusal.reason],
    )


@never_cache
@require_http_methods(["GET", "POST"])
def respond(request, token):
    try:
        invitation = services.invitation_for(token)
    except services.SurveyUnavailable as refusal:
        return _unavailable(request, refusal)
    survey = invitation.survey
    form = SurveyForm(request.POST or None, questions=survey.template.questions.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_response(token, form.answers())
        except services.SurveyUnavailable as refusal:
            return _unavailable(request, refusal)
        except services.InvalidAnswers as invalid:
            form.add_service_errors(invalid.errors)
        else:
            return redirect("surveys:thanks")
    context = {"survey": survey, "run": survey.run, "form": form}
    return render(request, "surveys/respond.html", context)


def thanks(request):
    return render(request, "surveys/thanks.html")
