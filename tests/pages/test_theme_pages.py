"""Theme pages: what the theme is, its courses with their next dates, and what it achieved, read
from the same figures as the Figures pages."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from courses.models import MasterclassPage
from lms.accounts.models import Role
from lms.core.years import FinancialYear
from lms.pages.models import Theme
from lms.reports import figures
from tests import factories
from tests.reports.conftest import A, P, at, book, held_run, person

pytestmark = pytest.mark.django_db


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def section(soup, heading):
    h2 = soup.find("h2", string=heading)
    assert h2 is not None, f"no section headed {heading!r}"
    return h2.find_parent("section")


@pytest.fixture
def transforming(demo_site):
    return Theme.objects.get(slug="transforming-services")


@pytest.fixture
def held_masterclasses(transforming):
    """2019/20: two masterclasses of the theme. Three councillors present (one at both), one
    absent; an officer present. Another theme's masterclass the same year, with its own people."""
    page = factories.course_page(title="Data and digital", theme=transforming)
    manchester = held_run(page, "Manchester", at(2020, 1, 24))
    bristol = held_run(page, "Bristol", at(2020, 1, 31), city="Bristol")
    ann = person("Ann", Role.COUNCILLOR, "MAN")
    for name, run in [("Bob", manchester), ("Cat", manchester)]:
        book(run, person(name, Role.COUNCILLOR, "MAN"), marks=[A])
    book(manchester, ann, marks=[A])
    book(bristol, ann, marks=[A])
    book(bristol, person("Dan", Role.COUNCILLOR, "BIR"), marks=[P])
    book(bristol, person("Hal", Role.OFFICER, "BIR"), marks=[A])
    other = factories.course_page(
        title="Procurement", theme=Theme.objects.get(slug="smarter-sourcing")
    )
    book(
        held_run(other, "Leeds", at(2019, 11, 5)), person("Zoe", Role.COUNCILLOR, "MAN"), marks=[A]
    )
    return page


def test_the_themes_index_links_to_every_theme_page(client, demo_site):
    soup = soup_of(client, "/themes/")
    assert soup.h1.get_text(strip=True) == "Themes"
    links = {a.get_text(strip=True): a["href"] for a in soup.select("main .card__title a")}
    assert links == {
        "Transforming services": "/themes/transforming-services/",
        "Smarter sourcing": "/themes/smarter-sourcing/",
        "Generating income": "/themes/generating-income/",
        "Cross-cutting": "/themes/cross-cutting/",
    }
    for url in links.values():
        assert client.get(url).status_code == 200


def test_a_theme_page_says_what_the_theme_is_in_the_editors_words(client, transforming):
    page = transforming.page
    page.body = "<p>Services redesigned around the people who use them.</p>"
    page.save_revision().publish()
    soup = soup_of(client, "/themes/transforming-services/")
    assert soup.h1.get_text(strip=True) == "Transforming services"
    assert "Services redesigned around the people who use them." in soup.main.get_text()
    assert transforming.summary in soup.select_one(".lead").get_text()


def test_the_figure_on_a_theme_page_is_the_figures_pages_number(
    client, held_masterclasses, transforming
):
    year = FinancialYear(2019)
    # The Figures summary for 2019/20, its "By theme" row: the same function, grouped by theme.
    by_theme = figures.figures(figures.Scope(year=year), "theme")[transforming.pk]
    assert (by_theme.councillors, by_theme.officers, by_theme.runs) == (3, 1, 2)
    achieved = section(soup_of(client, "/themes/transforming-services/"), "What it has achieved")
    line = achieved.find("strong", string="2019/20:").parent.get_text(" ", strip=True)
    assert f"{by_theme.councillors} councillors" in line
    assert f"{by_theme.officers} council officer " in line
    assert f"the {by_theme.runs} dates held that year" in line
    # The other theme's councillor is counted on its own page, not here.
    other = section(soup_of(client, "/themes/smarter-sourcing/"), "What it has achieved")
    assert "1 councillor attended the 1 date held that year" in other.get_text(" ", strip=True)


def test_a_theme_with_nothing_held_says_so(client, transforming):
    achieved = section(soup_of(client, "/themes/cross-cutting/"), "What it has achieved")
    assert "Nothing has been held in this theme yet" in achieved.get_text()
    courses = section(soup_of(client, "/themes/cross-cutting/"), "Courses and events")
    assert "No courses in this theme are published yet." in courses.get_text()


def test_a_theme_page_lists_its_courses_with_their_next_dates(client, transforming):
    page = factories.course_page(
        title="Data and digital", page_class=MasterclassPage, theme=transforming
    )
    for n in range(5):
        factories.run(page=page, title=f"City {n}", starts_in=timedelta(days=10 + n))
    past = factories.course_page(title="Behavioural insights", theme=transforming)
    other = factories.course_page(
        title="Contract management", theme=Theme.objects.get(slug="smarter-sourcing")
    )
    factories.run(page=other)

    courses = section(soup_of(client, "/themes/transforming-services/"), "Courses and events")
    cards = {card.h3.get_text(strip=True): card for card in courses.select(".card")}
    assert list(cards) == ["Data and digital", "Behavioural insights"]  # with dates first
    assert cards["Data and digital"].h3.a["href"] == page.url
    dates = [li.a.get_text(strip=True) for li in cards["Data and digital"].select("li")]
    assert dates == ["City 0", "City 1", "City 2"]  # the next three, soonest first
    assert "2 more dates" in cards["Data and digital"].get_text()
    assert "No dates to book at the moment." in cards[past.title].get_text()


def test_a_theme_page_costs_the_same_queries_however_many_courses(client, transforming):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        cache.clear()  # every time the whole cost: nothing from the shared cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/themes/transforming-services/").status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    factories.run(page=factories.course_page(theme=transforming))
    queries()  # the first request ever makes the site's Navigation setting row
    before = queries()
    for n in range(4):
        page = factories.course_page(title=f"Course {n}", theme=transforming)
        factories.run(page=page, days=2)
        factories.run(page=page, starts_in=timedelta(days=60))
    assert len(queries()) == len(before)


def test_a_theme_with_a_page_is_not_deleted_and_the_admin_says_why(client, organiser, transforming):
    from django.urls import reverse

    url = reverse("wagtailsnippets_pages_theme:delete", args=[transforming.pk])
    client.force_login(organiser)
    page = client.get(url)
    assert page.status_code == 200 and b"theme page" in page.content
    refused = client.post(url)  # a POST anyway (an old tab) gets the explanation, not a 500
    assert refused.status_code == 409 and b"theme page" in refused.content
    assert Theme.objects.filter(pk=transforming.pk).exists()
    assert client.get("/themes/transforming-services/").status_code == 200
