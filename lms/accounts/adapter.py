import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model


@dataclass(frozen=True)
class ConfiguredSite:
    """What allauth's email templates read as `current_site`: the site's name and host from
    settings (SITE_NAME, SITE_URL), where allauth would take the host the request came in on
    ("Hello from 127.0.0.1:8101!")."""

    name: str
    domain: str

    @classmethod
    def from_settings(cls):
        return cls(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


def on_site_url(value, request):
    """A link allauth built from the request's own host (`request.build_absolute_uri`), moved to
    SITE_URL; anything else unchanged."""
    if not isinstance(value, str) or request is None:
        return value
    own_origin = re.compile(r"https?://" + re.escape(request.get_host()) + r"(?=/|$)")
    if not own_origin.match(value):
        return value
    return own_origin.sub(settings.SITE_URL.rstrip("/"), value, count=1)


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
        limit = min(
            get_user_model()._meta.get_field("email").max_length, app_settings.EMAIL_MAX_LENGTH
        )
        if len(email) > limit:
            raise forms.ValidationError(
                f"Email address must be {limit} characters or fewer", code="max_length"
            )
        return email

    def format_email_subject(self, subject):
        return f"[{settings.SITE_NAME}] {subject}"

    def send_mail(self, template_prefix, email, context):
        """Every allauth email (verification, password reset, unknown account, changes…) names the
        site and links to SITE_URL, whatever host the request that caused it came in on."""
        request = allauth_context.request
        context = {key: on_site_url(value, request) for key, value in context.items()}
        super().send_mail(
            template_prefix, email, {"current_site": ConfiguredSite.from_settings(), **context}
        )

    def save_user(self, request, user, form, commit=True):
        """Fill in the profile before the first save, so a person is never half-created."""
        user = super().save_user(request, user, form, commit=False)
        form.apply_profile(user)
        if commit:
            user.save()
        return user
