"""Pages served with Wagtail's routing, the header, the breadcrumbs and the footer from the cache
(lms/core/routing.py, lms/pages/navigation.py): few queries, and never a stale page. Every kind
of change a visitor would see is made as organisers make it, and shows on the very next request."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction

from events.models import WhatsOnPage
from lms.bookings import services
from lms.pages.models import FooterLinks, HomePage, StandardPage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def whats_on(demo_site):
    return HomePage.objects.get().add_child(
        instance=WhatsOnPage(title="What's on", slug="whats-on")
    )


def soup(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def add_runs(count):
    page = factories.course_page(f"Course with {count}")
    people = [factories.person() for _ in range(3)]
    for i in range(count):
        run = factories.run(page=page, title=f"Run {i}", starts_in=timedelta(days=10 + i))
        for person in people[: i % 3]:
            services.book(person, run)


def test_whats_on_signed_in_costs_five_queries_at_any_size(
    client, whats_on, councillor, django_assert_max_num_queries
):
    """The session, the person, counting the dates, the page of 20 with their places, and
    their sessions: nothing for the route, the header, the filters' choices or the footer."""
    client.force_login(councillor)
    for count in (3, 30):
        add_runs(count)
        client.get(whats_on.url)  # the first request after a change routes and reads again
        with django_assert_max_num_queries(5):
            page = soup(client, whats_on.url)
        assert page.select(".run")


def test_whats_on_after_a_booking_costs_three_queries_anonymous(
    client, whats_on, django_assert_max_num_queries
):
    """Counting the dates, the page of 20 with their places, and their sessions."""
    from lms.bookings.models import Run

    add_runs(25)
    first = Run.objects.order_by("starts_at").first()
    assert "10 of 10 left" in soup(client, whats_on.url).select(".run")[0].get_text(" ", strip=True)
    services.book(factories.person(), first)  # places change: the cached copy is stale
    with django_assert_max_num_queries(3):
        page = soup(client, whats_on.url)
    assert page.select_one(".results__count").get_text(strip=True) == "25 dates"
    assert len(page.select(".run")) == 20
    assert "9 of 10 left" in page.select(".run")[0].get_text(" ", strip=True)


def test_a_published_edit_shows_at_once(client, demo_site):
    page = StandardPage.objects.get(slug="privacy")
    assert soup(client, page.url).h1.get_text(strip=True) == page.title
    revision = page.save_revision()
    page = revision.as_object()
    page.title = "How we use your data"
    page.save_revision().publish()
    assert soup(client, "/privacy/").h1.get_text(strip=True) == "How we use your data"


def test_an_unpublished_or_moved_page_leaves_its_address_at_once(client, demo_site):
    privacy = StandardPage.objects.get(slug="privacy")
    contact = StandardPage.objects.get(slug="contact")
    assert client.get("/privacy/").status_code == 200
    assert client.get("/contact/").status_code == 200
    privacy.unpublish()
    assert client.get("/privacy/").status_code == 404
    contact.move(StandardPage.objects.get(slug="accessibility"), pos="last-child")
    moved = client.get("/contact/")  # Wagtail's redirect from the old address, not the old page
    assert moved.status_code == 301 and moved["Location"] == "/accessibility/contact/"
    assert client.get("/accessibility/contact/").status_code == 200


def test_a_page_made_private_is_private_at_once(client, demo_site):
    page = Page.objects.get(slug="privacy")
    assert client.get("/privacy/").status_code == 200
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/privacy/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    # and private pages are never kept: each request checks
    PageViewRestriction.objects.all().delete()
    assert client.get("/privacy/").status_code == 200


def test_a_changed_footer_link_shows_at_once(client, demo_site):
    def footer_links():
        return {a.get_text(strip=True): a["href"] for a in soup(client, "/").select("footer a")}

    assert footer_links()["Privacy notice"] == "/privacy/"
    links = FooterLinks.objects.get()
    links.privacy_notice = StandardPage.objects.get(slug="contact")
    links.save()
    assert footer_links()["Privacy notice"] == "/contact/"


def test_the_breadcrumbs_follow_a_renamed_parent_at_once(client, demo_site):
    accessibility = StandardPage.objects.get(slug="accessibility")
    contact = StandardPage.objects.get(slug="contact")
    contact.move(accessibility, pos="last-child")

    def trail():
        crumbs = soup(client, "/accessibility/contact/").select('nav[aria-label="Breadcrumb"] a')
        return [a.get_text(strip=True) for a in crumbs]

    assert trail()[-1] == accessibility.title
    accessibility.refresh_from_db()
    accessibility.title = "Access for everyone"
    accessibility.save_revision().publish()
    assert trail()[-1] == "Access for everyone"


def test_the_admin_link_follows_a_change_of_group_at_once(client, demo_site, councillor):
    from lms.pages.navigation import has_admin_access

    def header_labels():
        return [a.get_text(strip=True) for a in soup(client, "/").select("nav.primary-nav a")]

    client.force_login(councillor)
    assert "Organiser admin" not in header_labels()
    organisers = Group.objects.get(name="Organisers")
    councillor.groups.add(organisers)
    assert "Organiser admin" in header_labels()
    councillor.groups.remove(organisers)
    assert "Organiser admin" not in header_labels()
    councillor.is_superuser = True
    councillor.save()
    assert "Organiser admin" in header_labels()
    assert has_admin_access(councillor)
