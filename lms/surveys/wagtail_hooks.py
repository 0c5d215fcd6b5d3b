from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CopyView, DeleteView
from wagtail.admin.viewsets.model import ModelViewSetGroup

from lms.accounts.permissions import ReadOnlyModelPermissionPolicy
from lms.core.deletion import ExplainProtectedDeleteMixin
from lms.core.exports import ExportingModelViewSet

from . import admin_views
from .admin_forms import SurveyTemplateForm
from .models import Survey, SurveyTemplate


class CopyTemplateView(CopyView):
    """Copy: a new template form filled with the original's questions (as new questions)."""

    def get_initial_form_instance(self):
        return self.get_object().unsaved_copy()


class DeleteTemplateView(ExplainProtectedDeleteMixin, DeleteView):
    """Surveys keep their template (on_delete=PROTECT): the confirmation of a template that
    surveys use says so, offers no delete button, and a POST anyway gets the same page."""

    protected_advice = "Make a copy of the template to change its questions."


class SurveyTemplateViewSet(ExportingModelViewSet):
    model = SurveyTemplate
    delete_view_class = DeleteTemplateView
    icon = "list-ul"
    menu_label = "Survey templates"
    copy_view_class = CopyTemplateView
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("description"),
            FieldPanel("is_default"),
            InlinePanel("questions", label="Question", min_num=1),
        ],
        base_form_class=SurveyTemplateForm,
    )
    list_display = ["name", "is_default", "created_at"]
    search_fields = ["name"]


class ResultsColumn(Column):
    def get_value(self, instance):
        return format_html(
            '<a href="{}">Settings and results</a>',
            reverse("surveys_run_survey", args=[instance.run_id]),
        )


class SurveyViewSet(ExportingModelViewSet):
    """Every run's survey; each is managed on its run's survey page."""

    model = Survey
    icon = "help"
    menu_label = "Surveys"
    list_display = ["run", "template", "opened_at", "closes_at", ResultsColumn("results", label="")]
    list_filter = ["template", "anonymous"]
    ordering = ["-opened_at"]
    exclude_form_fields = []

    @property
    def permission_policy(self):
        return ReadOnlyModelPermissionPolicy(self.model)

    def get_queryset(self, request):
        return Survey.objects.select_related("run__page", "template")


class SurveysGroup(ModelViewSetGroup):
    menu_label = "Surveys"
    menu_icon = "help"
    menu_order = 210
    items = (
        SurveyViewSet("survey_list", url_prefix="surveys"),
        SurveyTemplateViewSet("survey_templates"),
    )


@hooks.register("register_admin_viewset")
def register_surveys():
    return SurveysGroup()


@hooks.register("register_admin_urls")
def run_survey_urls():
    return [
        path("runs/<int:pk>/survey/", admin_views.run_survey, name="surveys_run_survey"),
        path(
            "runs/<int:pk>/survey/send/",
            admin_views.send_invitations,
            name="surveys_send_invitations",
        ),
    ]
