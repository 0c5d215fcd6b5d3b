"""allauth's emails (verification, password reset, unknown account, changes to an account…) come
in two parts, text and HTML, that say the same thing: greeted from the programme by name, signed
off like the booking emails, with links that work. Read back as a person would: the text as it
is, the HTML through lxml's parser."""

import re
from pathlib import Path

import lxml.html
import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from django.contrib.auth import get_user_model
from django.core import mail
from django.template import engines
from django.test import RequestFactory

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SITE_NAME = "Skills for Councils"
SITE_URL = "https://learning.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_NAME = SITE_NAME
    settings.SITE_URL = SITE_URL
    settings.WAGTAILADMIN_BASE_URL = SITE_URL


def parts(message):
    (html,) = [body for body, kind in message.alternatives if kind == "text/html"]
    doc = lxml.html.document_fromstring(html)
    for br in doc.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return message.body, doc


def words(text):
    return " ".join(text.split())


def links_in_text(body):
    return re.findall(r"https?://\S+", body)


def allauth_messages():
    """Every `*_message.txt` allauth (or this project) has under account/email/."""
    found = set()
    for loader in engines["django"].engine.template_loaders:
        for inner in getattr(loader, "loaders", [loader]):
            for directory in inner.get_dirs():
                for path in Path(directory, "account/email").glob("*_message.txt"):
                    if not path.name.startswith("base_"):
                        found.add(path.name.removesuffix("_message.txt"))
    return sorted(found)


def assert_reads_the_same_in_both_parts(message):
    text, doc = parts(message)
    heading = message.subject.removeprefix(f"[{SITE_NAME}] ")
    assert doc.find(".//title").text_content() == heading
    assert words(doc.find(".//h1").text_content()) == heading
    assert doc.get("lang") == "en-GB"
    # The HTML says what the text says, word for word, after its heading.
    body = doc.find(".//main")
    body.remove(body.find("h1"))
    assert words(body.text_content()) == words(text)
    # Every address in the text is a link in the HTML, to the same place.
    assert [a.get("href") for a in doc.iter("a") if a.get("href").startswith("http")] == (
        links_in_text(text)
    )
    # Greeted from the programme, signed off as the booking emails are.
    assert text.startswith(f"Hello from {SITE_NAME}!")
    assert text.rstrip().endswith(f"{SITE_NAME}\n{SITE_URL}/")
    paragraphs = [words(p.text_content()) for p in doc.iter("p")]
    assert paragraphs[0] == f"Hello from {SITE_NAME}!"
    assert paragraphs[-1] == f"{SITE_NAME} {SITE_URL}/"


def test_every_allauth_email_has_a_text_and_an_html_part_that_agree():
    prefixes = allauth_messages()
    assert {"email_confirmation_signup", "password_reset_key", "account_already_exists"} <= set(
        prefixes
    )
    user = get_user_model().objects.create_user(
        email="pat@example.org", password=PASSWORD, full_name="Pat"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    request = RequestFactory().get("/")
    request.user = user
    context = {
        "user": user,
        "email": user.email,
        "activate_url": SITE_URL + "/account/confirm-email/the-key/",
        "password_reset_url": SITE_URL + "/account/password/reset/key/1-the-key/",
        "signup_url": SITE_URL + "/account/signup/",
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
            assert_reads_the_same_in_both_parts(message)


def test_the_sign_up_link_works_from_either_part(client, manchester):
    client.post(
        "/account/signup/",
        {
            "full_name": "Sam Jones",
            "email": "sam@example.org",
            "role": "councillor",
            "council": manchester.pk,
            "password1": PASSWORD,
        },
    )
    (message,) = mail.outbox
    assert_reads_the_same_in_both_parts(message)
    text, doc = parts(message)
    (link,) = [a.get("href") for a in doc.iter("a") if "/confirm-email/" in a.get("href")]
    assert link in links_in_text(text)
    page = client.get(link.removeprefix(SITE_URL))
    assert page.status_code == 200
    client.post(link.removeprefix(SITE_URL))
    assert EmailAddress.objects.get(email="sam@example.org").verified


def test_the_password_reset_link_works_from_either_part(client, make_person):
    make_person(email="known@example.org")
    client.post("/account/password/reset/", {"email": "known@example.org"})
    (message,) = mail.outbox
    assert_reads_the_same_in_both_parts(message)
    text, doc = parts(message)
    (link,) = [a.get("href") for a in doc.iter("a") if "/password/reset/key/" in a.get("href")]
    assert link in links_in_text(text)
    page = client.get(link.removeprefix(SITE_URL), follow=True)
    assert page.status_code == 200
    assert b'name="password1"' in page.content  # the form to choose a new password


def test_the_sign_up_email_and_pages_speak_in_the_programmes_words(client, manchester):
    response = client.post(
        "/account/signup/",
        {
            "full_name": "Sam Jones",
            "email": "sam@example.org",
            "role": "councillor",
            "council": manchester.pk,
            "password1": PASSWORD,
        },
        follow=True,
    )
    assert "<h1>Check your email</h1>" in response.content.decode()
    (message,) = mail.outbox
    assert message.subject == f"[{SITE_NAME}] Confirm your email address"
    text, _ = parts(message)
    assert f"create an account for Sam Jones on the {SITE_NAME} website" in text
    assert "testserver" not in text and "example.com" not in text  # no host name for a name
    (link,) = [url for url in links_in_text(text) if "/confirm-email/" in url]
    page = client.get(link.removeprefix(SITE_URL)).content.decode()
    assert "Confirm that <strong>sam@example.org</strong> is the email address of Sam Jones" in page


def test_the_sign_in_page_offers_one_way_to_a_new_password(client):
    page = client.get("/account/login/").content.decode()
    assert page.count("password/reset/") == 1
    assert "Forgotten your password?" in page and "Forgot your password?" not in page
    assert "Remember Me" not in page
