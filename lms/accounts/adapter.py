import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


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


LINK = re.compile(r"(https?://[^\s<>\"']+)")


def html_paragraphs(text):
    """A plain-text email as HTML paragraphs: blank lines part paragraphs, line breaks stay, and
    each web address (only those written with http:// or https://, so a bare host name is left
    as words) becomes a link to itself. Everything else is escaped."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = []
        for line in block.splitlines():
            pieces = LINK.split(line)  # odd positions are the addresses
            lines.append(
                "".join(
                    format_html('<a href="{0}">{0}</a>', piece) if odd % 2 else escape(piece)
                    for odd, piece in enumerate(pieces)
                )
            )
        paragraphs.append(mark_safe("<br>".join(lines)))  # every piece escaped above
    return paragraphs


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

    def render_mail(self, template_prefix, email, context, headers=None):
        """Every allauth email goes in two parts, text and HTML. allauth writes only text; the
        HTML part is that text in the site's email frame (account/email/base_message.html),
        paragraph for paragraph with its links made links, so the two never say different
        things. A message given its own `<prefix>_message.html` keeps it."""
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if not any(kind == "text/html" for _body, kind in getattr(message, "alternatives", [])):
            html = render_to_string(
                "account/email/base_message.html",
                {
                    "heading": message.subject.removeprefix(self.format_email_subject("")),
                    "paragraphs": html_paragraphs(message.body),
                },
            )
            message.attach_alternative(html, "text/html")
        return message

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
