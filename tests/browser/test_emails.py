"""Each kind of email's HTML part, as a mail program shows it: loaded into Chromium and checked
with axe-core (WCAG 2.2 AA), like every page of the site. The kinds are found, not listed: the
booking emails from their table, an organiser's message to a run, the survey emails, and every
allauth message template."""

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import RequestFactory

from lms.bookings import emails as booking_emails
from lms.bookings import services as bookings
from lms.bookings.models import Venue
from lms.surveys import emails as survey_emails
from lms.surveys import services as surveys
from tests import factories
from tests.accounts.test_emails import allauth_messages
from tests.browser.conftest import CheckedPage
from tests.conftest import PASSWORD
from tests.surveys.conftest import ended_run

pytestmark = pytest.mark.django_db


def html_of(message):
    (html,) = [body for body, kind in message.alternatives if kind == "text/html"]
    return html


def sent(send):
    mail.outbox.clear()
    send()
    (message,) = mail.outbox
    return message


def booking_emails_by_kind():
    venue = Venue.objects.create(
        name="Manchester Central Library",
        address="St Peter's Square",
        city="Manchester",
        region="north_west",
        access_information="Step-free entrance on Mount Street.",
    )
    run = factories.run(venue=venue, days=2)
    booking = bookings.add_person(factories.person(), run)
    moved = bookings.move(
        bookings.add_person(factories.person(), run),
        factories.run(run.page, title="Leeds", venue=venue),
    )
    online = bookings.add_person(
        factories.person(),
        factories.run(online=True, joining_details="https://teams.example.net/l/abc"),
    )
    for event in sorted(booking_emails.MESSAGES):
        about = moved if event == "moved" else booking
        yield event, sent(lambda a=about, e=event: booking_emails.send(a.pk, e, key=f"{a.pk}{e}"))
    yield (
        "online run, confirmed",
        sent(lambda: booking_emails.send(online.pk, "confirmed", key="online")),
    )
    yield (
        "organiser's message",
        sent(
            lambda: booking_emails.send_run_message(
                booking.pk, "Parking at the venue", "Park on Mount Street.\n\nSee you there.", "m"
            )
        ),
    )


def survey_emails_by_kind():
    _run, marked = ended_run(present=1, absent=0)
    surveys.send_invitations(_run)
    invitation = next(iter(marked.values()))[0].survey_invitation
    for event in sorted(survey_emails.SUBJECTS):
        yield (
            f"survey {event}",
            sent(lambda e=event: survey_emails.send(invitation.pk, e, key=f"survey:{e}")),
        )


def allauth_emails_by_kind():
    user = get_user_model().objects.create_user(
        email="pat@example.org", password=PASSWORD, full_name="Pat"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    request = RequestFactory().get("/")
    request.user = user
    context = {
        "user": user,
        "email": user.email,
        "activate_url": "http://127.0.0.1:8000/account/confirm-email/the-key/",
        "password_reset_url": "http://127.0.0.1:8000/account/password/reset/key/1-the-key/",
        "signup_url": "http://127.0.0.1:8000/account/signup/",
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
        for prefix in allauth_messages():
            yield (
                f"allauth {prefix}",
                sent(lambda p=prefix: adapter.send_mail(f"account/email/{p}", user.email, context)),
            )


def test_every_kind_of_email_passes_axe_in_the_browser(browser):
    kinds = [
        *booking_emails_by_kind(),
        *survey_emails_by_kind(),
        *allauth_emails_by_kind(),
    ]
    assert len(kinds) >= len(booking_emails.MESSAGES) + 2 + len(survey_emails.SUBJECTS) + 10
    context = browser.new_context()
    page = CheckedPage(context.new_page(), "")
    try:
        for kind, message in kinds:
            page.set_content(html_of(message))
            assert page.title(), kind
            assert page.locator("h1").count() == 1, kind
            try:
                page.check_accessibility()
            except AssertionError as failure:
                raise AssertionError(f"The {kind} email: {failure}") from None
    finally:
        context.close()
    assert len(page.checked) == len(kinds)
