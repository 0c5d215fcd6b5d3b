"""Signing up, verifying the address, signing in, and every kind of bad answer at sign-up."""

import re

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()
SIGNUP = "/account/signup/"


def answers(**overrides):
    data = {
        "full_name": "Sam Jones",
        "email": "sam.jones@example.org",
        "role": "councillor",
        "council": "",
        "organisation": "",
        "job_title": "Cabinet member for resources",
        "password1": PASSWORD,
    }
    data.update(overrides)
    return data


def errors_on(response):
    """{field id: message} beside each field, and the error summary's links."""
    soup = BeautifulSoup(response.content, "html.parser")
    beside = {
        p["id"].removesuffix("_error"): p.get_text(" ", strip=True).replace("Error: ", "")
        for p in soup.select("p.error-message")
    }
    summary = soup.select_one(".error-summary")
    links = {a["href"]: a.get_text(strip=True) for a in summary.select("a")} if summary else {}
    return beside, links, soup


def test_councillor_signs_up_verifies_and_signs_in(client, manchester):
    response = client.post(SIGNUP, answers(council=manchester.pk))
    assert response.status_code == 302
    person = User.objects.get(email="sam.jones@example.org")
    assert (person.full_name, person.role, person.council, person.job_title) == (
        "Sam Jones",
        "councillor",
        manchester,
        "Cabinet member for resources",
    )
    assert not EmailAddress.objects.get(user=person).verified

    # Until the address is verified, signing in only sends another link.
    client.logout()
    response = client.post("/account/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session

    (message, *_) = mail.outbox
    assert message.to == ["sam.jones@example.org"]
    link = re.search(r"https?://[^\s]+/account/confirm-email/[^\s]+/", message.body).group(0)
    path = link.split("testserver", 1)[-1]
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(user=person).verified

    response = client.post("/account/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("accounts:account"))
    assert b"Manchester City Council" in page.content
    assert b"Sam Jones" in page.content


def test_someone_from_another_organisation_gives_its_name_instead_of_a_council(client):
    client.post(SIGNUP, answers(role="other", organisation="Institute of Directors"))
    person = User.objects.get(email="sam.jones@example.org")
    assert (person.role, person.council, person.organisation) == (
        "other",
        None,
        "Institute of Directors",
    )


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"email": "sam.jones@"}, "email", "Enter an email address in the correct format"),
        ({"password1": "password"}, "password1", "too common"),
        ({"password1": "short"}, "password1", "too short"),
        ({"council": ""}, "council", "Choose the council you are a councillor at"),
        (
            {"role": "officer", "council": ""},
            "council",
            "Choose the council you are a council officer at",
        ),
        ({"council": "999999"}, "council", "Choose your council from the list"),
        ({"role": "other"}, "organisation", "Enter the name of your organisation"),
        ({"role": "mayor"}, "role", "Select a valid choice"),
        ({"full_name": ""}, "full_name", "Enter your full name"),
    ],
)
def test_bad_answers_are_explained_beside_the_field_and_in_the_summary(
    client, manchester, overrides, field, message
):
    data = answers(council=manchester.pk)
    data.update(overrides)
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    beside, summary_links, soup = errors_on(response)
    assert message in beside[f"id_{field}"]
    anchor = f"#id_{field}_0" if field == "role" else f"#id_{field}"
    assert message in summary_links[anchor]
    # Everything else typed is still there (passwords are never sent back).
    if field != "full_name":
        assert soup.select_one("#id_full_name")["value"] == "Sam Jones"
    if field != "email":
        assert soup.select_one("#id_email")["value"] == "sam.jones@example.org"
    assert soup.select_one("#id_job_title")["value"] == "Cabinet member for resources"
    if field not in ("council", "role") and data["council"]:
        assert soup.select_one("#id_council option[selected]")["value"] == str(manchester.pk)
    assert soup.title.string.startswith("Error:")
    # Nothing half-created.
    assert User.objects.count() == 0
    assert EmailAddress.objects.count() == 0
    assert mail.outbox == []


def test_an_email_address_too_long_to_keep_is_refused_beside_the_field_not_cut(client):
    # 280 characters, each part within its own limits: a valid address, longer than is kept.
    email = f"{'a' * 64}@{'b' * 60}.{'c' * 60}.{'d' * 60}.{'e' * 20}.example.org"
    response = client.post(
        SIGNUP, answers(role="other", organisation="Institute of Directors", email=email)
    )
    assert response.status_code == 200
    beside, summary_links, soup = errors_on(response)
    assert beside["id_email"] == "Email address must be 254 characters or fewer"
    assert summary_links["#id_email"] == "Email address must be 254 characters or fewer"
    assert soup.select_one("#id_email")["value"] == email  # what was typed, not cut
    assert User.objects.count() == 0 and EmailAddress.objects.count() == 0
    assert mail.outbox == []
    # 254 characters exactly is kept whole, and the link goes to that address.
    email = f"{'a' * 64}@{'b' * 60}.{'c' * 60}.{'d' * 55}.example.org"
    assert len(email) == 254
    response = client.post(
        SIGNUP, answers(role="other", organisation="Institute of Directors", email=email)
    )
    assert response.status_code == 302
    assert User.objects.get().email == email
    assert mail.outbox[0].to == [email]


def test_adding_an_email_address_too_long_to_keep_is_refused(client, councillor):
    client.force_login(councillor)
    email = f"{'a' * 64}@{'b' * 60}.{'c' * 60}.{'d' * 60}.{'e' * 20}.example.org"
    response = client.post("/account/email/", {"action_add": "", "email": email})
    assert response.status_code == 200
    assert "Email address must be 254 characters or fewer" in response.content.decode()
    assert list(EmailAddress.objects.values_list("email", flat=True)) == [councillor.email]
    assert mail.outbox == []


def test_an_email_address_already_used_is_explained(client, councillor, manchester):
    response = client.post(SIGNUP, answers(email="Cllr.Jones@example.org", council=manchester.pk))
    beside, summary_links, _ = errors_on(response)
    assert "already" in beside["id_email"]
    assert "already" in summary_links["#id_email"]
    assert User.objects.count() == 1


def test_past_councils_are_not_offered_at_sign_up(client):
    response = client.get(SIGNUP)
    soup = BeautifulSoup(response.content, "html.parser")
    options = soup.select("#id_council option[value!='']")
    assert len(options) == 317
    assert "Aylesbury Vale District Council" not in response.content.decode()
    # Works without JavaScript: a real <select> with every council, enhanced only by script.
    assert soup.select_one("select#id_council")["data-module"] == "council-autocomplete"


def test_sign_up_forms_carry_a_csrf_token(client):
    client = type(client)(enforce_csrf_checks=True)
    response = client.post(SIGNUP, answers())
    assert response.status_code == 403
    assert User.objects.count() == 0


def test_person_changes_their_details(client, councillor):
    client.force_login(councillor)
    response = client.post(
        reverse("accounts:edit_details"),
        {"full_name": "Sam Jones-Smith", "role": "other", "organisation": "Acme", "job_title": ""},
    )
    assert response.status_code == 302
    councillor.refresh_from_db()
    assert (councillor.full_name, councillor.role, councillor.council, councillor.organisation) == (
        "Sam Jones-Smith",
        "other",
        None,
        "Acme",
    )
    assert "Your details have been updated" in client.get(response["Location"]).content.decode()


def test_account_page_needs_signing_in(client):
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
