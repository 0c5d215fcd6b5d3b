"""Who reaches the organisers' admin at all, what its account page may change, and what it sends
to other sites."""

import pytest
from bs4 import BeautifulSoup

from tests.accounts.urlwalk import reachable_patterns

pytestmark = pytest.mark.django_db


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
