from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.contrib.auth import get_user_model


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_taken": "An account already uses this email address. Sign in, or reset your "
        "password if you have forgotten it",
    }

    def clean_email(self, email):
        """An address longer than the database keeps is refused beside the field: allauth would
        otherwise cut it to fit, and send the verification link to an address nobody has.

        allauth calls this for sign-up, adding an address and password resets."""
        email = super().clean_email(email)
        limit = min(get_user_model()._meta.get_field("email").max_length, app_settings.EMAIL_MAX_LENGTH)
        if len(email) > limit:
            raise forms.ValidationError(
                f"Email address must be {limit} characters or fewer", code="max_length"
            )
        return email

    def save_user(self, request, user, form, commit=True):
        """Fill in the profile before the first save, so a person is never half-created."""
        user = super().save_user(request, user, form, commit=False)
        form.apply_profile(user)
        if commit:
            user.save()
        return user
