"""Every email the product sends names the site (settings.SITE_NAME) and links to SITE_URL —
never to the host a request happened to come in on ("Hello from 127.0.0.1:8101!") nor to
example.com. The kinds of email are found, not listed: the booking and survey messages from
their modules' tables, allauth's from its message templates, Wagtail's from its notification
templates; the commonest are also sent through the real flow."""

import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.template import engines
from django.test import RequestFactory

from lms.bookings import emails as booking_emails
from lms.bookings import services as bookings
from lms.surveys import emails as survey_emails
from lms.surveys import services as surveys
from tests import factories
from tests.conftest import PASSWORD
from tests.surveys.conftest import ended_run

pytestmark = pytest.mark.django_db

SITE_NAME = "Skills for Councils"
SITE_URL = "https://learning.example.org"
REQUEST_HOST = "127.0.0.1:8101"  # where a request may come in: a proxy's upstream, a dev server
# The only other places a booking email links to: the venue's map and the web calendars.
ELSEWHERE = (
    "https://www.openstreetmap.org/search?",
    "https://calendar.google.com/calendar/render?",
    "https://outlook.office.com/calendar/deeplink/compose?",
)


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_NAME = SITE_NAME
    settings.SITE_URL = SITE_URL
    settings.WAGTAILADMIN_BASE_URL = SITE_URL
    settings.ALLOWED_HOSTS = ["127.0.0.1", "learning.example.org", "testserver"]


def bodies(message):
    yield "text", message.body
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            yield "html", content


def assert_names_the_site(message):
    for kind, body in bodies(message):
        where = f"{message.subject!r} ({kind})"
        assert SITE_NAME in body, f"{where} does not name the site:\n{body}"
        assert SITE_URL + "/" in body, f"{where} does not link to SITE_URL:\n{body}"
        assert "example.com" not in body, where
        assert REQUEST_HOST not in body and "testserver" not in body, f"{where}:\n{body}"
        links = re.findall(r"https?://[^\s\"'<>]+", body)
        assert all(link.startswith((SITE_URL + "/", *ELSEWHERE)) for link in links), (where, links)


def message_templates(folder):
    """Every `<folder>*_message.txt` (allauth) or `<folder>*.txt` any template directory holds."""
    found = set()
    for loader in engines["django"].engine.template_loaders:
        for inner in getattr(loader, "loaders", [loader]):
            for directory in inner.get_dirs():
                for path in Path(directory, folder).glob("*.txt"):
                    found.add(path.name)
    return sorted(found)


def test_every_booking_email(make_person):
    events = sorted(booking_emails.MESSAGES)
    assert len(events) >= 10
    run = factories.run()
    booking = bookings.add_person(factories.person(), run)
    moved = bookings.move(
        bookings.add_person(factories.person(), run), factories.run(run.page, title="Leeds")
    )
    for event in events:
        mail.outbox.clear()
        about = moved if event == "moved" else booking  # a move's email is about a moved booking
        booking_emails.send(about.pk, event, key=f"booking:{about.pk}:{event}")
        (message,) = mail.outbox
        assert_names_the_site(message)


def test_every_survey_email():
    run, marked = ended_run(present=1, absent=0)
    surveys.send_invitations(run)
    invitation = next(iter(marked.values()))[0].survey_invitation
    assert sorted(survey_emails.SUBJECTS) == ["invitation", "reminder"]
    for event in survey_emails.SUBJECTS:
        mail.outbox.clear()
        survey_emails.send(invitation.pk, event, key=f"survey-invitation:{invitation.pk}:{event}")
        (message,) = mail.outbox
        assert_names_the_site(message)


def test_sign_up_verification_through_the_real_form(client, manchester):
    client.post(
        "/account/signup/",
        {
            "full_name": "Sam Jones",
            "email": "sam@example.org",
            "role": "councillor",
            "council": manchester.pk,
            "password1": PASSWORD,
        },
        HTTP_HOST=REQUEST_HOST,
    )
    (message,) = mail.outbox
    assert message.subject.startswith(f"[{SITE_NAME}] ")
    assert f"Hello from {SITE_NAME}!" in message.body
    assert_names_the_site(message)
    assert re.search(re.escape(SITE_URL) + r"/account/confirm-email/\S+/", message.body)


def test_password_reset_through_the_real_form(client, make_person):
    make_person(email="known@example.org")
    client.post("/account/password/reset/", {"email": "known@example.org"}, HTTP_HOST=REQUEST_HOST)
    (message,) = mail.outbox
    assert_names_the_site(message)
    assert re.search(re.escape(SITE_URL) + r"/account/password/reset/key/\S+/", message.body)


def test_every_allauth_email_template():
    """Each message template allauth (or this project) has, sent through the site's adapter from
    a request on another host, with the links allauth's flows build from that request."""
    from allauth.account.adapter import get_adapter
    from allauth.core.context import request_context

    prefixes = [
        name.removesuffix("_message.txt")
        for name in message_templates("account/email")
        if name.endswith("_message.txt") and not name.startswith("base_")
    ]
    assert {"email_confirmation_signup", "password_reset_key", "unknown_account"} <= set(prefixes)
    user = get_user_model().objects.create_user(
        email="pat@example.org", password=PASSWORD, full_name="Pat"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    request = RequestFactory().get("/", HTTP_HOST=REQUEST_HOST)
    request.user = user
    link = request.build_absolute_uri
    context = {
        "user": user,
        "activate_url": link("/account/confirm-email/the-key/"),
        "password_reset_url": link("/account/password/reset/key/1-the-key/"),
        "signup_url": link("/account/signup/"),
        "key": "the-key",
        "code": "ABC123",
        "from_email": "old@example.org",
        "to_email": "new@example.org",
        "deleted_email": "old@example.org",
        "ip": "203.0.113.9",
        "user_agent": "Firefox",
        "timestamp": "now",
    }
    with request_context(request):
        adapter = get_adapter(request)
        for prefix in prefixes:
            mail.outbox.clear()
            adapter.send_mail(f"account/email/{prefix}", user.email, context)
            (message,) = mail.outbox
            assert_names_the_site(message)
            assert f"Hello from {SITE_NAME}!" in message.body, prefix


def test_wagtail_s_notifications(organiser, settings):
    """A page submitted for moderation: Wagtail emails the moderators (superusers included)."""
    from wagtail.models import Page

    settings.WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = True
    get_user_model().objects.create_superuser(
        email="admin@example.org", password=PASSWORD, full_name="Admin"
    )
    page = factories.course_page()
    page = Page.objects.get(pk=page.pk).specific
    page.save_revision(user=organiser)
    workflow = page.get_workflow()
    assert workflow is not None
    workflow.start(page, organiser)
    assert mail.outbox
    for message in mail.outbox:
        assert_names_the_site(message)


def test_every_wagtail_notification_carries_the_signature():
    """Wagtail's notification templates all extend its base, which this project signs."""
    names = [
        n for n in message_templates("wagtailadmin/notifications") if not n.endswith("_subject.txt")
    ]
    assert len(names) >= 8
    for name in names:
        if name == "base.txt":
            continue
        template = engines["django"].engine.get_template(f"wagtailadmin/notifications/{name}")
        source = template.source
        assert "{% extends 'wagtailadmin/notifications/base.txt' %}" in source, name
