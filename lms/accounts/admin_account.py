"""The Wagtail admin's own account page, with our single full-name field.

It changes neither email address nor password (settings WAGTAIL_EMAIL_MANAGEMENT_ENABLED and
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED): an address set here would be used unverified, and the
current password would be guessed there without limit. Its "More actions" tab links to allauth's
pages for both (wagtail_hooks.py), where a new address counts only once verified and password
changes are rate limited."""

from wagtail.admin.views.account import AccountView, NameEmailForm, NameEmailSettingsPanel


class FullNameEmailForm(NameEmailForm):
    first_name = None
    last_name = None

    class Meta(NameEmailForm.Meta):
        fields = ["full_name"]


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
