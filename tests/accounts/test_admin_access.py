"""Who reaches the organisers' admin at all, what its account page may change, and what it sends
to other sites."""

import re

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.core import mail
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from demo.site import ORGANISER_EMAIL
from tests.accounts.urlwalk import reachable_patterns
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def account_form(client, **changes):
    """The admin account page's form as the browser would send it, with `changes`."""
    soup = BeautifulSoup(client.get("/admin/account/").content, "html.parser")
    form = soup.select_one("main form") or soup.find("form", method="post")
    data = {}
    for field in form.find_all(["input", "select"]):
        if not field.get("name") or field.get("type") in ("file", "submit", "checkbox", "radio"):
            continue
        if field.name == "select":
            option = field.find("option", selected=True) or field.find("option")
            data[field["name"]] = option.get("value", "")
        else:
            data[field["name"]] = field.get("value", "")
    return {**data, **changes}


def admin_urls():
    """Every admin URL in the resolver (parameters filled with sample values), but its sign-in."""
    return sorted(
        {p.url for p in reachable_patterns() if p.url.startswith("/admin/")} - {"/admin/login/"}
    )


def test_the_resolver_sample_covers_the_whole_admin():
    urls = admin_urls()
    assert len(urls) > 150
    assert {"/admin/", "/admin/account/", "/admin/pages/1/edit/", "/admin/figures/"} <= set(urls)


def test_no_admin_url_is_open_to_a_councillor(client, councillor):
    client.force_login(councillor)
    opened = []
    for url in admin_urls():
        for method in (client.get, client.post):
            response = method(url)
            refused = response.status_code == 403
            if not refused or b"do not have organiser access" not in response.content:
                opened.append(f"{method.__name__.upper()} {url}: {response.status_code}")
    assert not opened, "\n".join(opened)


def test_every_admin_url_sends_someone_signed_out_to_sign_in(client):
    wrong = []
    for url in admin_urls():
        response = client.get(url)
        location = response.get("Location", "")
        if response.status_code != 302 or not location.startswith("/account/login/?next=/admin/"):
            wrong.append(f"{url}: {response.status_code} {location}")
    assert not wrong, "\n".join(wrong)


def test_a_councillor_opening_the_admin_gets_a_403_page_in_the_sites_style(client, councillor):
    client.force_login(councillor)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain == []
    assert response.status_code == 403
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text(strip=True) == "You do not have organiser access"
    assert soup.select_one("main a[href='/bookings/']").get_text(strip=True) == "Go to My bookings"
    # The site's own header and sign-out, not the admin's.
    assert soup.select_one("header.site-header")
    assert soup.select_one("form[action='/account/logout/']")
    assert "wagtailadmin" not in response.content.decode()


def test_a_councillor_at_the_admin_sign_in_page_is_not_sent_round_in_circles(client, councillor):
    client.force_login(councillor)
    response = client.get("/admin/login/?next=/admin/", follow=True)
    assert len(response.redirect_chain) <= 2
    assert response.status_code == 403


def test_the_admin_account_page_does_not_change_an_organisers_email(client, organiser):
    client.force_login(organiser)
    page = client.get("/admin/account/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="name_email-email"' not in html and 'type="email"' not in html

    response = client.post(
        "/admin/account/",
        account_form(
            client,
            **{
                "name_email-full_name": "Olivia O",
                "name_email-email": "someone.else@example.gov.uk",
            },
        ),
    )
    assert response.status_code == 302
    organiser.refresh_from_db()
    assert organiser.full_name == "Olivia O"  # the rest of the page still works
    organiser.refresh_from_db()
    assert organiser.email == ORGANISER_EMAIL
    assert not EmailAddress.objects.filter(email="someone.else@example.gov.uk").exists()


def test_the_admin_account_page_changes_no_password_and_links_to_the_sites_pages(client, organiser):
    organiser.set_password(PASSWORD)
    organiser.save()
    client.force_login(organiser)
    html = client.get("/admin/account/").content.decode()
    assert 'type="password"' not in html
    soup = BeautifulSoup(html, "html.parser")
    links = {a["href"]: a.get_text(strip=True) for a in soup.select("#tab-actions a")}
    assert links == {
        "/account/email/": "Change your email address",
        "/account/password/change/": "Change your password",
    }
    new = "a-brand-new-passphrase-19"
    client.post(
        "/admin/account/",
        account_form(
            client,
            **{
                "password-old_password": PASSWORD,
                "password-new_password1": new,
                "password-new_password2": new,
            },
        ),
    )
    organiser.refresh_from_db()
    assert organiser.check_password(PASSWORD)


def test_a_new_email_address_is_used_only_once_confirmed(client, organiser):
    old = organiser.email
    client.force_login(organiser)
    assert client.get("/account/email/").status_code == 200
    response = client.post("/account/email/", {"action_add": "", "email": "olivia@example.gov.uk"})
    assert response.status_code == 302
    organiser.refresh_from_db()
    assert organiser.email == old  # not yet

    link = re.search(r"https?://\S+/account/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    assert mail.outbox[-1].to == ["olivia@example.gov.uk"]
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    organiser.refresh_from_db()
    # One address per person: the confirmed one replaces the old.
    assert organiser.email == "olivia@example.gov.uk"
    assert list(EmailAddress.objects.filter(user=organiser).values_list("email", "verified")) == [
        ("olivia@example.gov.uk", True)
    ]


def test_the_admin_sends_nothing_to_gravatar(client, organiser):
    client.force_login(organiser)
    for url in ["/admin/", "/admin/account/", "/admin/pages/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "gravatar" not in response.content.decode().lower(), url


def test_private_pages_and_collections_offer_no_shared_password(client, django_user_model):
    administrator = django_user_model.objects.create_superuser(
        email="root@example.org", password="x"
    )
    client.force_login(administrator)
    page = Page.objects.filter(depth=2).first()
    privacy = client.get(f"/admin/pages/{page.pk}/privacy/").json()["html"]
    assert 'type="password"' not in privacy and 'value="password"' not in privacy
    root = Collection.get_first_root_node()
    collection = root.add_child(name="Handouts")
    privacy = client.get(f"/admin/collections/{collection.pk}/privacy/").json()["html"]
    assert 'type="password"' not in privacy and 'value="password"' not in privacy


def test_a_shared_password_left_from_before_lets_nobody_in(client):
    """A restriction made before shared passwords were turned off cannot be guessed: its form's
    address answers 404 even to the right password."""
    page = Page.objects.filter(depth=2).first()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type="password", password="letmein"
    )
    url = f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"
    response = client.post(url, {"password": "letmein", "return_url": "/"})
    assert response.status_code == 404
    assert not client.session.get("passed_page_view_restrictions")

    collection = Collection.get_first_root_node().add_child(name="Handouts")
    documents = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type="password", password="letmein"
    )
    response = client.post(
        f"/documents/authenticate_with_password/{documents.pk}/",
        {"password": "letmein", "return_url": "/"},
    )
    assert response.status_code == 404
    assert not client.session.get("passed_collection_view_restrictions")
