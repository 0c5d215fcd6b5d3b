"""Wagtail's user admin, fitted to a user model with one full-name field and a profile."""

from django import forms
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import DeleteView as WagtailUserDeleteView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from lms.core.deletion import ExplainProtectedDeleteMixin

PROFILE_FIELDS = ["full_name", "role", "council", "organisation", "job_title"]


class UserProfileAdminMixin(forms.ModelForm):
    # Wagtail's forms declare first and last name; this user model has a single full name.
    first_name = None
    last_name = None


class OrganiserUserCreationForm(UserProfileAdminMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = (UserCreationForm.Meta.fields - {"first_name", "last_name"}) | set(PROFILE_FIELDS)


class OrganiserUserEditForm(UserProfileAdminMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = (UserEditForm.Meta.fields - {"first_name", "last_name"}) | set(PROFILE_FIELDS)


class UserDeleteView(ExplainProtectedDeleteMixin, WagtailUserDeleteView):
    # Someone who has booked is part of the programme's records and figures.
    protected_advice = (
        "Their bookings are part of the programme's records and figures. To stop them signing "
        "in, edit their account and untick “Active” instead."
    )


class UserViewSet(WagtailUserViewSet):
    delete_view_class = UserDeleteView

    def get_form_class(self, for_update=False):
        return OrganiserUserEditForm if for_update else OrganiserUserCreationForm
