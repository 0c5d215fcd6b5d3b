"""The Wagtail admin's own account page, with our single full-name field."""

from wagtail.admin.views.account import AccountView, NameEmailForm, NameEmailSettingsPanel


class FullNameEmailForm(NameEmailForm):
    first_name = None
    last_name = None

    class Meta(NameEmailForm.Meta):
        fields = ["full_name", "email"]


class FullNameEmailSettingsPanel(NameEmailSettingsPanel):
    form_class = FullNameEmailForm


class OrganiserAccountView(AccountView):
    def get_panels(self):
        return [
            FullNameEmailSettingsPanel(panel.request, panel.user, panel.profile)
            if type(panel) is NameEmailSettingsPanel
            else panel
            for panel in super().get_panels()
        ]
