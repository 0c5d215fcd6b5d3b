from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.db import transaction

from .models import ROLES_WITH_COUNCIL, Council, Role


class CouncilChoiceField(forms.ModelChoiceField):
    """A plain <select> of councils (works without JavaScript), enhanced into a type-ahead."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Council.objects.current().order_by("official_name"))
        kwargs.setdefault("empty_label", "Choose your council")
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": "Choose your council from the list"},
        )
        super().__init__(**kwargs)
        self.widget.attrs["data-module"] = "council-autocomplete"

    def label_from_instance(self, council):
        return council.official_name


class ProfileFieldsMixin(forms.Form):
    """The questions every person answers about themselves: name, role, council, job title."""

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": "Enter your full name"},
    )
    role = forms.ChoiceField(
        label="Which of these describes you?",
        choices=[
            (Role.COUNCILLOR, "Councillor (elected member of a council)"),
            (Role.OFFICER, "Council officer (employed by a council)"),
            (Role.OTHER, "Someone else, for example from a partner organisation or supplier"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select which of these describes you"},
    )
    council = CouncilChoiceField(
        label="Council",
        required=False,
        help_text="If you are a councillor or council officer. Start typing to search.",
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        required=False,
        help_text="If you are not at a council.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    job_title = forms.CharField(
        label="Job title or role (optional)",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if (
            role in ROLES_WITH_COUNCIL
            and not cleaned.get("council")
            and "council" not in self.errors
        ):
            who = "councillor" if role == Role.COUNCILLOR else "council officer"
            self.add_error("council", f"Choose the council you are a {who} at")
        if role == Role.OTHER and not cleaned.get("organisation"):
            self.add_error("organisation", "Enter the name of your organisation")
        if role == Role.OTHER:
            cleaned["council"] = None
        elif role in ROLES_WITH_COUNCIL:
            cleaned["organisation"] = ""
        return cleaned

    def apply_profile(self, user):
        for field in ("full_name", "role", "council", "organisation", "job_title"):
            setattr(user, field, self.cleaned_data[field])


class SignupForm(ProfileFieldsMixin, AllauthSignupForm):
    """allauth's sign-up form (email, password) plus the profile questions, in reading order."""

    field_order = [
        "full_name",
        "email",
        "role",
        "council",
        "organisation",
        "job_title",
        "password1",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.help_text = "We will send a link to this address to check it is yours."
        email.widget.attrs.pop("placeholder", None)
        email.error_messages["required"] = "Enter your email address"
        email.error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.org"
        )
        password = self.fields["password1"]
        password.label = "Create a password"
        password.widget.attrs.pop("placeholder", None)
        password.error_messages["required"] = "Create a password"
        password.help_text = (
            "At least 10 characters. Avoid common words and passwords you use elsewhere."
        )
        self.order_fields(self.field_order)

    def save(self, request):
        # The person and their email address are written together or not at all.
        with transaction.atomic():
            return super().save(request)


class ProfileForm(ProfileFieldsMixin, forms.Form):
    """Changing one's own profile on the account page."""

    def __init__(self, *args, user, **kwargs):
        initial = {
            "full_name": user.full_name,
            "role": user.role,
            "council": user.council_id,
            "organisation": user.organisation,
            "job_title": user.job_title,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.user = user
        if user.council_id and not user.council.is_current:
            # Someone recorded at a council since abolished keeps it until they choose another.
            self.fields["council"].queryset = (
                Council.objects.filter(pk=user.council_id) | Council.objects.current()
            )

    def save(self):
        self.apply_profile(self.user)
        self.user.save(update_fields=["full_name", "role", "council", "organisation", "job_title"])
        return self.user


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form in the site's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"
