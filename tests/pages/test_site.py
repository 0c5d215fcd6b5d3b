"""The site shell and the demo set-up."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Page, Site

from lms.pages.models import HomePage, StandardPage, Theme

pytestmark = pytest.mark.django_db


def test_home_page_introduces_the_programme_and_its_four_themes(client, demo_site):
    response = client.get("/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text(strip=True) == "Council skills programme"
    themes = [h.get_text(strip=True) for h in soup.select(".card__title")]
    assert themes == [
        "Transforming services",
        "Smarter sourcing",
        "Generating income",
        "Cross-cutting",
    ]


def test_every_page_has_skip_link_landmarks_and_footer_links(client, demo_site):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    skip = soup.select_one("a.skip-link")
    assert skip["href"] == "#main-content" and soup.select_one("main#main-content")
    assert soup.header and soup.footer and soup.select_one("nav[aria-label]")
    footer = {a.get_text(strip=True): a["href"] for a in soup.footer.select("a")}
    assert footer["Accessibility statement"] == "/accessibility/"
    assert footer["Privacy notice"] == "/privacy/"
    assert footer["Contact"] == "/contact/"
    for url in footer.values():
        if url.startswith("/"):
            assert client.get(url).status_code == 200


def test_admin_pages_do_not_read_the_public_footer_links(client, demo_site, organiser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(organiser)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/admin/").status_code == 200
    assert queries.captured_queries  # the page was built, not answered from a cache
    assert not [q for q in queries.captured_queries if "pages_footerlinks" in q["sql"]]
    # The public pages still read them (above): the footer is there when a page shows it.
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert [q for q in queries.captured_queries if "pages_footerlinks" in q["sql"]]


def test_header_shows_sign_in_state(client, demo_site, councillor):
    assert "Sign in" in client.get("/").content.decode()
    client.force_login(councillor)
    page = client.get("/").content.decode()
    assert "My account" in page and "Sign out" in page and "Organiser admin" not in page


def test_accessibility_statement_is_a_wagtail_page(demo_site):
    page = StandardPage.objects.get(slug="accessibility")
    assert page.live and "WCAG" not in page.title
    assert "Web Content Accessibility Guidelines version 2.2" in page.body


def test_demo_can_be_loaded_twice_without_duplicating_anything(capsys):
    call_command("load_demo")
    counts = (Page.objects.count(), Theme.objects.count(), Site.objects.count())
    call_command("load_demo")
    assert (Page.objects.count(), Theme.objects.count(), Site.objects.count()) == counts
    assert HomePage.objects.count() == 1
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    out = capsys.readouterr().out
    assert "organiser@example.org" in out and "password" in out


def test_the_demo_header_links_to_whats_on_the_themes_and_the_podcast(client):
    from lms.pages.models import ThemePage

    call_command("load_demo", stdout=io.StringIO())
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    nav = soup.select_one('header nav[aria-label="Main"]')
    assert [a.get_text(strip=True) for a in nav.select("a")] == ["What's on", "Themes", "Podcast"]
    for a in nav.select("a"):
        assert client.get(a["href"]).status_code == 200
    assert set(ThemePage.objects.live().values_list("theme__slug", flat=True)) == set(
        Theme.objects.values_list("slug", flat=True)
    )


def test_demo_keeps_edits_made_after_loading():
    call_command("load_demo")
    Theme.objects.filter(slug="cross-cutting").update(summary="Edited by an organiser")
    call_command("load_demo")
    assert Theme.objects.get(slug="cross-cutting").summary == "Edited by an organiser"


@override_settings(LMS_DEMO_ALLOWED=False)
def test_demo_is_refused_where_it_is_not_allowed():
    with pytest.raises(CommandError, match="not loaded"):
        call_command("load_demo")
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="organiser@example.org").exists()


def test_demo_organiser_can_sign_in_and_reach_the_admin(client):
    from demo.site import ORGANISER_EMAIL, ORGANISER_PASSWORD

    call_command("load_demo")
    response = client.post(
        "/admin/login/?next=/admin/", {"login": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_organiser_can_search_the_themes_in_the_admin(client, demo_site, organiser):
    """Searching sorts by the model's ordering, which the search backend must be able to filter on
    (a search used to fail with OrderByFieldError)."""
    client.force_login(organiser)
    for url in ("/admin/snippets/pages/theme/", "/admin/snippets/pages/theme/results/"):
        response = client.get(url, {"q": "sourcing", "ordering": "-1"})
        assert response.status_code == 200
        assert "Smarter sourcing" in response.content.decode()
