"""Wagtail's user admin, fitted to a user model with one full-name field and a profile."""

from allauth.account.models import EmailAddress
from django import forms
from django.template.response import TemplateResponse
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.bulk_actions.delete import DeleteBulkAction
from wagtail.users.views.users import CreateView as WagtailUserCreateView
from wagtail.users.views.users import DeleteView as WagtailUserDeleteView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from lms.core.deletion import ExplainProtectedDeleteMixin, protected_by

PROFILE_FIELDS = ["full_name", "role", "council", "organisation", "job_title"]


class UserProfileAdminMixin(forms.ModelForm):
    # Wagtail's forms declare first and last name; this user model has a single full name.
    first_name = None
    last_name = None


class OrganiserUserCreationForm(UserProfileAdminMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = (UserCreationForm.Meta.fields - {"first_name", "last_name"}) | set(PROFILE_FIELDS)


class OrganiserUserEditForm(UserProfileAdminMixin, UserEditForm):
    """A person's email is their sign-in and changes only through allauth's verified flow (the
    new address is used once its owner confirms it): shown here, not editable, even by an
    administrator, who could otherwise give someone an address nobody confirmed."""

    class Meta(UserEditForm.Meta):
        fields = (UserEditForm.Meta.fields - {"first_name", "last_name"}) | set(PROFILE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].disabled = True  # a posted value is ignored
        self.fields["email"].help_text = (
            "People change their own address at My account → Email; the new one is used "
            "once they confirm it from its inbox."
        )


PROTECTED_ADVICE = (
    "Their bookings are part of the programme's records and figures. To stop them signing "
    "in, edit their account and untick “Active” instead."
)


class UserDeleteView(ExplainProtectedDeleteMixin, WagtailUserDeleteView):
    protected_advice = PROTECTED_ADVICE


class UserDeleteBulkAction(DeleteBulkAction):
    """Wagtail's "Delete" for several people ticked in the list, saying beside each person with
    bookings why they cannot be deleted; a POST anyway is refused with the same page."""

    template_name = "wagtailusers/bulk_actions/confirm_bulk_delete_protected.html"

    def annotate_items(self, items):
        items = super().annotate_items(items)
        for item in items:
            item._protected_by = protected_by(item)
            self.is_protected = self.is_protected or bool(item._protected_by)
        return items

    def object_context(self, item):
        context = super().object_context(item)
        if item._protected_by:
            context.update(is_protected=True, protected_by=item._protected_by)
        return context

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "protected_advice": PROTECTED_ADVICE}

    def prepare_action(self, objects, objects_without_access):
        if self.is_protected:
            return TemplateResponse(
                self.request, self.template_name, self.get_context_data(), status=409
            )
        return super().prepare_action(objects, objects_without_access)


class UserCreateView(WagtailUserCreateView):
    """A person added by an administrator gets their address as allauth's, unverified, and the
    usual confirmation email: they can sign in once they have confirmed it, as after sign-up."""

    def save_instance(self):
        user = super().save_instance()
        address = EmailAddress.objects.create(
            user=user, email=user.email, primary=True, verified=False
        )
        address.send_confirmation(self.request)
        return user


class UserViewSet(WagtailUserViewSet):
    add_view_class = UserCreateView
    delete_view_class = UserDeleteView

    def get_form_class(self, for_update=False):
        return OrganiserUserEditForm if for_update else OrganiserUserCreationForm
