"""A councillor signs up, verifies their address from the email, signs in and sees their account."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def verification_path(live_server):
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", link)


def test_councillor_signs_up_from_manchester_and_reaches_their_account(page, live_server):
    page.visit("/")
    page.get_by_role("link", name="Create an account").first.click()
    page.check_accessibility()

    # Sending the form empty explains every problem, with focus on the summary.
    page.get_by_role("button", name="Create account").click()
    page.check_accessibility()
    summary = page.locator(".error-summary")
    assert "There is a problem" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    page.get_by_role("link", name="Enter your full name").click()
    assert page.evaluate("document.activeElement.id") == "id_full_name"

    page.get_by_label("Full name").fill("Sam Jones")
    page.get_by_label("Email address").fill("sam.jones@example.org")
    page.get_by_label("Councillor (elected member of a council)").check()
    council = page.get_by_role("combobox", name="Council")
    council.fill("Manch")
    page.get_by_role("option", name="Manchester City Council").click()
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    page.wait_for_url("**/account/confirm-email/")
    page.check_accessibility()
    assert page.locator("h1").inner_text() == "Check your email"

    page.visit(verification_path(live_server))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/account/login/")
    page.check_accessibility()

    page.get_by_label("Email").fill("sam.jones@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")
    page.check_accessibility()
    details = page.locator(".summary-list").inner_text()
    assert (
        "Sam Jones" in details and "Manchester City Council" in details and "Councillor" in details
    )

    person = get_user_model().objects.get(email="sam.jones@example.org")
    assert person.council.gss_code == "E08000003"
    assert len(page.checked) >= 6


def test_council_can_be_chosen_without_javascript(page_without_js):
    page = page_without_js
    page.visit("/account/signup/")
    page.get_by_label("Full name").fill("Alex Officer")
    page.get_by_label("Email address").fill("alex@example.org")
    page.get_by_label("Council officer (employed by a council)").check()
    page.get_by_label("Council", exact=True).select_option(label="Bristol City Council")
    page.get_by_label("Create a password").fill("short")
    page.get_by_role("button", name="Create account").click()
    page.check_accessibility()
    # The weak password is explained; the council chosen is still chosen.
    assert "too short" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Council", exact=True).evaluate(
        "s => s.options[s.selectedIndex].text"
    ) == ("Bristol City Council")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/account/confirm-email/")
    person = get_user_model().objects.get(email="alex@example.org")
    assert (person.role, person.council.official_name) == ("officer", "Bristol City Council")
