"""Organisers' forms: a template's questions freeze once answered; a survey's settings."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateTimeInput

from .models import Survey

FROZEN = (
    "People have answered surveys using this template, so its questions cannot change: that keeps "
    "figures comparable. Copy the template (Copy, in the ⋯ menu) and change the copy."
)


class SurveyTemplateForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.formsets["questions"].has_changed() and self.instance.in_use():
            raise forms.ValidationError(FROZEN)
        return cleaned


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["template", "anonymous", "closes_at", "reminder_after_days"]
        widgets = {"closes_at": AdminDateTimeInput}

    def clean(self):
        cleaned = super().clean()
        if self.instance.responses.exists():
            for name in ("template", "anonymous"):
                if name in self.changed_data:
                    self.add_error(name, "People have already answered: this can no longer change.")
        return cleaned
