"""The demo reads true: the 2019/20 figures pages say what the board report said (PROGRAMME.md).

One test, one demo load (it takes seconds): every page an organiser would open for that report."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from lms.bookings.pages import BookablePage

from .test_views import screen_tables

pytestmark = pytest.mark.django_db


def test_the_2019_20_figures_read_like_the_board_report(client, organiser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    client.force_login(organiser)
    year = {"year": "2019/20"}
    pages = {p.slug: p for p in BookablePage.objects.all()}

    courses = {
        row[0]: row
        for row in {
            title: rows
            for title, _, rows in screen_tables(client.get(reverse("reports_summary"), year))
        }["By course, 2019/20"]
    }
    # Columns: course, theme, runs, places, asked, still waiting, applications, attendances,
    # people, councillors, officers…
    digital = courses["Data and digital transformation"]
    assert (digital[1], digital[2], digital[9]) == ("Transforming services", "4", "54")
    commercial = courses["Commercial skills for councillors"]
    assert (commercial[2], commercial[9]) == ("4", "78")
    assert int(commercial[4]) > int(commercial[3])  # oversubscribed: more asked than places
    officers = courses["Commercial skills training for officers"]
    assert (officers[2], officers[10]) == ("3", "50")

    detail = {
        title: rows
        for title, _, rows in screen_tables(
            client.get(
                reverse("reports_course"),
                {**year, "course": pages["data-and-digital-transformation"].pk},
            )
        )
    }
    runs = detail["Runs of Data and digital transformation, 2019/20"]
    assert [(r[0], r[2]) for r in runs[:-1]] == [
        ("Manchester", "2020-01-24"),
        ("Bristol", "2020-01-31"),
        ("Newcastle", "2020-02-07"),
        ("London", "2020-02-14"),
    ]
    total = runs[-1]
    # Answered, very satisfied, % very satisfied, % top two, respondents, attendees surveyed, % responded
    assert total[10:17] == ["43", "34", "79", "95", "43", "54", "80"]

    response = client.get(reverse("reports_paragraph"), {**year, "theme": "generating-income"})
    paragraphs = [
        p.get_text()
        for p in BeautifulSoup(response.content, "html.parser").select("#board-paragraph p")
    ]
    assert any(
        p.startswith(
            "Four masterclasses for elected members on commercial skills took place: London (15 October), "
            "Manchester (12 November), Taunton (3 December) and Birmingham (21 January). The masterclasses "
            "were oversubscribed:"
        )
        and "78 councillors attended" in p
        for p in paragraphs
    )
    assert any(
        p.startswith(
            "Three cohorts for council officers on commercial skills took place: Manchester (17 September to "
            "29 October), Taunton (8 October to 19 November) and London (14 January to 25 February)."
        )
        and "50 officers attended" in p
        for p in paragraphs
    )

    response = client.get(
        reverse("reports_paragraph"),
        {**year, "course": pages["data-and-digital-transformation"].pk},
    )
    text = (
        BeautifulSoup(response.content, "html.parser")
        .select_one("#board-paragraph")
        .get_text(" ", strip=True)
    )
    assert text == (
        "Four masterclasses for elected members on data and digital transformation took place: Manchester "
        "(24 January), Bristol (31 January), Newcastle (7 February) and London (14 February). 54 councillors "
        "attended; 79 per cent of respondents (34 of 43) were very satisfied with the course and how it has "
        "developed their knowledge and role. 43 of the 54 attendees answered the survey."
    )

    intakes = screen_tables(client.get(reverse("reports_intakes"), year))[0][2]
    assert [r[4] for r in intakes] == ["480", "500", "980"]  # enrolled; the last row is the total
    assert int(intakes[-1][5]) > 0  # completions, from the provider's files
