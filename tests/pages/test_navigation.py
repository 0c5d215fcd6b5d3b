"""The header's primary navigation (organisers choose its sections) and the breadcrumbs."""

import pytest
from bs4 import BeautifulSoup

from demo.site import load_navigation
from events.models import WhatsOnPage
from lms.pages.models import HomePage, Navigation, NavigationLink, StandardPage, ThemeIndexPage
from tests import factories

pytestmark = pytest.mark.django_db


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def main_nav(soup):
    """[(label, href, current)] of the primary navigation."""
    nav = soup.select_one('header nav[aria-label="Main"]')
    return [
        (a.get_text(strip=True), a["href"], a.get("aria-current") == "page")
        for a in nav.select("a")
    ]


@pytest.fixture
def sections(demo_site):
    """The demo's sections: What's on and Themes, in that order (the podcast has its own tests)."""
    home = HomePage.objects.get()
    whats_on = home.add_child(instance=WhatsOnPage(title="What's on", slug="whats-on"))
    load_navigation(whats_on, ThemeIndexPage.objects.get())
    return whats_on


def test_visitors_see_the_sections_and_no_personal_links(client, sections):
    links = main_nav(soup_of(client, "/"))
    assert [(label, href) for label, href, _ in links] == [
        ("What's on", "/whats-on/"),
        ("Themes", "/themes/"),
    ]
    header = soup_of(client, "/").header.get_text(" ", strip=True)
    assert "Sign in" in header and "Create an account" in header and "Sign out" not in header


def test_signed_in_people_also_get_their_own_pages_and_organisers_the_admin(
    client, sections, councillor, organiser
):
    client.force_login(councillor)
    labels = [label for label, _, _ in main_nav(soup_of(client, "/"))]
    assert labels == ["What's on", "Themes", "My bookings", "My learning", "My account"]
    assert "Sign out" in soup_of(client, "/").header.get_text()

    client.force_login(organiser)
    links = main_nav(soup_of(client, "/"))
    assert links[-1][:2] == ("Organiser admin", "/admin/")


def test_the_current_section_is_marked_on_its_page_and_below_it(client, sections, councillor):
    def current(url):
        return [label for label, _, is_current in main_nav(soup_of(client, url)) if is_current]

    assert current("/") == []  # the home page is no section's
    assert current("/whats-on/") == ["What's on"]
    assert current("/themes/") == ["Themes"]
    assert current("/themes/smarter-sourcing/") == ["Themes"]  # a page below the section
    assert current("/privacy/") == []
    client.force_login(councillor)
    assert current("/bookings/") == ["My bookings"]  # personal pages by their address
    assert current("/account/") == ["My account"]


def test_organisers_choose_the_links_their_labels_and_order(client, sections):
    navigation = Navigation.objects.get()
    navigation.links.all().delete()
    privacy = StandardPage.objects.get(slug="privacy")
    NavigationLink.objects.create(
        navigation=navigation, page=privacy, label="Your data", sort_order=0
    )
    NavigationLink.objects.create(navigation=navigation, page=sections, sort_order=1)
    assert [(label, href) for label, href, _ in main_nav(soup_of(client, "/"))] == [
        ("Your data", "/privacy/"),
        ("What's on", "/whats-on/"),
    ]
    # An unpublished page drops out of the header rather than leading to a "not found".
    sections.unpublish()
    assert [label for label, _, _ in main_nav(soup_of(client, "/"))] == ["Your data"]


def test_without_chosen_links_the_home_pages_children_in_menus_are_shown(client, demo_site):
    """The built-in default: pages marked "Show in menus" under the home page (the demo's
    themes index is; the footer's pages are not)."""
    assert not Navigation.objects.filter(links__isnull=False).exists()
    assert [(label, href) for label, href, _ in main_nav(soup_of(client, "/"))] == [
        ("Themes", "/themes/")
    ]


def test_breadcrumbs_lead_from_home_to_the_page(client, sections):
    def trail(url):
        nav = soup_of(client, url).select_one('nav[aria-label="Breadcrumb"]')
        if nav is None:
            return None
        items = nav.select("ol > li")
        assert items[-1].get("aria-current") == "page" and not items[-1].a  # the page itself
        return [(li.get_text(strip=True), li.a["href"] if li.a else None) for li in items]

    assert trail("/") is None
    assert trail("/themes/smarter-sourcing/") == [
        ("Home", "/"),
        ("Themes", "/themes/"),
        ("Smarter sourcing", None),
    ]
    assert trail("/privacy/") == [("Home", "/"), ("Privacy notice", None)]
    assert trail("/whats-on/") == [("Home", "/"), ("What's on", None)]
    course = factories.course_page(title="Commercial skills")
    assert trail(course.url) == [("Home", "/"), ("Commercial skills", None)]


def test_the_header_costs_the_same_few_queries_however_many_links(client, sections, councillor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lms.core import cache

    client.force_login(councillor)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/privacy/").status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    def after_an_edit():
        cache.bump_site()  # as any page edit does: the header's links are read again
        return queries()

    queries()  # the first request fills Wagtail's cache of the sites' root paths
    before = after_an_edit()
    navigation = Navigation.objects.get()
    for n, slug in enumerate(["accessibility", "contact"], start=5):
        NavigationLink.objects.create(
            navigation=navigation, page=StandardPage.objects.get(slug=slug), sort_order=n
        )
    after = after_an_edit()
    assert len(after) == len(before)
    # The setting is read once, and its links with their pages in one more query.
    assert len([sql for sql in after if 'FROM "pages_navigation"' in sql]) == 1
    assert len([sql for sql in after if 'FROM "pages_navigationlink"' in sql]) == 1
    # Then kept: the next page reads neither, and shows the links added.
    again = queries()
    assert not [sql for sql in again if '"pages_navigation' in sql]
    assert len(again) < len(after)
    header = BeautifulSoup(client.get("/privacy/").content, "html.parser").select_one(
        "nav.primary-nav"
    )
    labels = [a.get_text(strip=True) for a in header.select("a")]
    assert {"Accessibility statement", "Contact us"} <= set(labels)


def test_organisers_edit_the_navigation_in_the_admin(client, sections, organiser):
    from django.urls import reverse
    from wagtail.models import Site

    url = reverse("wagtailsettings:edit", args=["pages", "navigation", Site.objects.get().pk])
    client.force_login(organiser)
    page = client.get(url)
    assert page.status_code == 200 and b"Show in menus" in page.content
    themes = ThemeIndexPage.objects.get()
    # The demo's two links: What's on deleted, Themes relabelled.
    existing = list(Navigation.objects.get().links.all())
    data = {
        "links-TOTAL_FORMS": str(len(existing)),
        "links-INITIAL_FORMS": str(len(existing)),
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
    }
    for n, link in enumerate(existing):
        data |= {
            f"links-{n}-id": str(link.pk),
            f"links-{n}-page": str(link.page_id),
            f"links-{n}-label": "Our themes" if link.page_id == themes.pk else "",
            f"links-{n}-ORDER": str(n + 1),
            f"links-{n}-DELETE": "" if link.page_id == themes.pk else "1",
        }
    response = client.post(url, data)
    assert response.status_code == 302
    client.logout()
    assert [(label, href) for label, href, _ in main_nav(soup_of(client, "/"))] == [
        ("Our themes", "/themes/")
    ]


def test_a_cached_page_shows_the_navigation_as_just_changed(client, sections):
    """What's on keeps a copy for visitors: a changed link must not wait for it to expire."""

    def labels():
        return [label for label, _, _ in main_nav(soup_of(client, "/whats-on/"))]

    assert labels() == ["What's on", "Themes"]
    link = NavigationLink.objects.get(page=sections)
    link.label = "Book a course"
    link.save()
    assert labels() == ["Book a course", "Themes"]
    link.delete()
    assert labels() == ["Themes"]
