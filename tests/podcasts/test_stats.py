"""Podcast downloads in the admin as an organiser reads them: each figure on the page, the same
figures in the CSV and the spreadsheet, the first 7 and 30 days counted in London days, who may
see the pages, and what the pages say when there is nothing to count yet.

The show below (all times Europe/London):
- Episode 1, published Wednesday 25 March 2020 at 10:00 (GMT; clocks go forward on 29 March).
  Downloads: three on 25 March (Apple Podcasts, Apple Podcasts, Spotify); 31 March at 23:30 BST
  (no app named: day 7, though 22:30 UTC); 1 April at 00:30 BST (Overcast: day 8, though still
  31 March in UTC); 23 April at 23:59 (Spotify: day 30); 24 April at 00:15 (Spotify: day 31,
  though 23 April in UTC); 1 June (Apple Podcasts). A listen that never reached a minute on
  26 March is not a download. First 7 days 4, first 30 days 6, all time 8.
- Episode 2, published 10 April 2020 at 08:00: two downloads that morning (Pocket Casts), one on
  23 April at 23:59 and one on 24 April at 00:15. First 7 days 2, first 30 days 4, all time 4.
The show's first month is 25 March to 23 April 2020: 6 + 3 = 9 downloads; 12 in all.
"""

import csv
import io
from datetime import date, datetime, timedelta
from itertools import count

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from podcasts.models import Listen
from podcasts.stats import LONDON

SHOW_STATS = reverse("podcast_stats")
_listeners = count(1)


def london(*args):
    return datetime(*args, tzinfo=LONDON)


def download(episode, at, app="", counted=True):
    Listen.objects.create(
        episode=episode,
        listener=f"{next(_listeners):064x}",
        started_at=at,
        last_request_at=at,
        bytes_served=400_000 if counted else 2,
        requests=2,
        downloaded_at=at if counted else None,
        app=app,
    )


@pytest.fixture
def downloads(make_episode):
    one = make_episode(number=1, title="Letters that work", published_at=london(2020, 3, 25, 10))
    two = make_episode(
        number=2, title="Recycling and social norms", published_at=london(2020, 4, 10, 8)
    )
    for app in ["Apple Podcasts", "Apple Podcasts", "Spotify"]:
        download(one, london(2020, 3, 25, 11), app)
    download(one, london(2020, 3, 31, 23, 30))
    download(one, london(2020, 4, 1, 0, 30), "Overcast")
    download(one, london(2020, 4, 23, 23, 59), "Spotify")
    download(one, london(2020, 4, 24, 0, 15), "Spotify")
    download(one, london(2020, 6, 1, 12), "Apple Podcasts")
    download(one, london(2020, 3, 26, 9), "Overcast", counted=False)
    for _ in range(2):
        download(two, london(2020, 4, 10, 9), "Pocket Casts")
    download(two, london(2020, 4, 23, 23, 59), "Pocket Casts")
    download(two, london(2020, 4, 24, 0, 15), "Pocket Casts")
    return one, two


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def _normal(text):
    """A cell as a reader compares it: no thousands separators, dates as ISO, dashes as empty."""
    text = "" if text is None else str(text).strip()
    if text in ("–", "None"):
        return ""
    for pattern in ("%d %B %Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            pass
    return text.replace(",", "")


def screen_tables(response):
    """{title: [header, *rows]} from the page, every cell as it reads."""
    soup = BeautifulSoup(response.content, "html.parser")
    out = {}
    for table in soup.select("div.figures-table table"):
        title = table.caption.get_text(" ", strip=True)
        out[title] = [
            [_normal(cell.get_text(" ", strip=True)) for cell in tr.find_all(["th", "td"])]
            for tr in table.find_all("tr")
        ]
    return out


def csv_tables(response, screen):
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    out, i = {}, 0
    while i < len(rows):
        if not rows[i]:
            i += 1
            continue
        title = rows[i][0]
        length = len(screen[title])  # header and rows; a note may follow
        out[title] = [[_normal(v) for v in row] for row in rows[i + 1 : i + 1 + length]]
        i += 1 + length
        while i < len(rows) and rows[i]:
            i += 1  # the note
    return out


def xlsx_tables(response, screen):
    book = load_workbook(io.BytesIO(response.content))
    out = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        title = rows[0][0]
        width = len(screen[title][0])
        out[title] = [[_normal(v) for v in row[:width]] for row in rows[1 : 1 + len(screen[title])]]
    return out


def assert_exports_match(client, url, screen):
    for export, read in (("csv", csv_tables), ("xlsx", xlsx_tables)):
        response = client.get(url, {"export": export})
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert read(response, screen) == screen, export


def test_the_show_page_gives_the_first_month_and_each_episodes_windows(organiser_client, downloads):
    response = organiser_client.get(SHOW_STATS)
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        "9 downloads in the show&#x27;s first month (25 March 2020 to 23 April 2020); 12 in all."
        in text
    )
    tables = screen_tables(response)
    assert tables["Nudges for Social Good: downloads"] == [
        ["Period", "First day", "Last day", "Downloads"],
        ["First month (30 days from the first episode)", "2020-03-25", "2020-04-23", "9"],
        ["All time", "2020-03-25", tables["Nudges for Social Good: downloads"][2][2], "12"],
    ]
    assert tables["Downloads per episode"] == [
        ["Episode", "Published", "First 7 days", "First 30 days", "All time"],
        ["1. Letters that work", "2020-03-25", "4", "6", "8"],
        ["2. Recycling and social norms", "2020-04-10", "2", "4", "4"],
        ["All episodes", "", "6", "10", "12"],
    ]
    assert_exports_match(organiser_client, SHOW_STATS, tables)


def test_an_episode_page_gives_days_months_and_apps(organiser_client, downloads):
    one, _ = downloads
    url = reverse("podcast_stats_episode", args=[one.pk])
    response = organiser_client.get(url)
    assert response.status_code == 200
    tables = screen_tables(response)
    assert tables["Downloads of Letters that work"][1:] == [
        ["First 7 days", "2020-03-25", "2020-03-31", "4"],
        ["First 30 days", "2020-03-25", "2020-04-23", "6"],
        ["All time", "2020-03-25", tables["Downloads of Letters that work"][3][2], "8"],
    ]
    per_day = tables["Downloads per day, first 30 days"]
    assert per_day[0] == ["Day", "Downloads"]
    expected = {
        date(2020, 3, 25): "3",
        date(2020, 3, 31): "1",
        date(2020, 4, 1): "1",
        date(2020, 4, 23): "1",
    }
    days = [date(2020, 3, 25) + timedelta(days=n) for n in range(30)]
    assert per_day[1:-1] == [[day.isoformat(), expected.get(day, "0")] for day in days]
    assert per_day[-1] == ["30 days", "6"]
    assert tables["Downloads per month"][1:] == [
        ["March 2020", "4"],
        ["April 2020", "3"],
        ["May 2020", "0"],
        ["June 2020", "1"],
        ["All time", "8"],
    ]
    assert tables["Downloads by app"][1:] == [
        ["Apple Podcasts", "3", "38"],
        ["Spotify", "3", "38"],
        ["Overcast", "1", "13"],
        ["Other / unknown", "1", "13"],
        ["All apps", "8", "100"],
    ]
    assert_exports_match(organiser_client, url, tables)


def test_the_chart_draws_the_per_day_figures_and_names_itself(organiser_client, downloads):
    one, _ = downloads
    response = organiser_client.get(reverse("podcast_stats_episode", args=[one.pk]))
    soup = BeautifulSoup(response.content, "html.parser")
    svg = soup.select_one("figure.chart svg")
    assert svg["role"] == "img"
    assert svg.title.get_text() == "Downloads per day, first 30 days"
    assert "6 in 30 days" in svg.desc.get_text()
    assert len(svg.select("rect.bar")) == 4  # the four days with downloads
    labels = [t.get_text() for t in svg.select("text.label")]
    assert labels[0] == "25 Mar" and labels[-1] == "23 Apr" and len(labels) == 30


def test_the_show_page_links_each_episode_to_its_own_page(organiser_client, downloads):
    response = organiser_client.get(SHOW_STATS)
    soup = BeautifulSoup(response.content, "html.parser")
    link = soup.find("a", string="1. Letters that work")
    assert link["href"] == reverse("podcast_stats_episode", args=[downloads[0].pk])
    assert organiser_client.get(link["href"]).status_code == 200


def test_organisers_find_the_pages_in_the_menu_and_others_do_not(client, organiser, make_person):
    client.force_login(organiser)
    assert "Podcast downloads" in client.get(reverse("wagtailadmin_home")).content.decode()
    editor = make_person(email="editor@example.org", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert "Podcast downloads" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_anonymous_people_are_sent_to_sign_in(client, downloads):
    for url in [SHOW_STATS, reverse("podcast_stats_episode", args=[downloads[0].pk])]:
        response = client.get(url, {"export": "csv"})
        assert response.status_code == 302 and "login" in response["Location"]


def test_signed_in_people_who_are_not_organisers_get_403(client, downloads, make_person):
    editor = make_person(email="editor@example.org", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    for url in [SHOW_STATS, reverse("podcast_stats_episode", args=[downloads[0].pk])]:
        for query in [{}, {"export": "csv"}, {"export": "xlsx"}]:
            response = client.get(url, query)
            assert response.status_code == 403
            assert b"organisers" in response.content


def test_councillors_never_see_the_figures(client, downloads, councillor):
    """Someone without access to the admin at all gets the same 403, not a loop through the
    sign-in page."""
    client.force_login(councillor)
    for query in [{}, {"export": "csv"}]:
        response = client.get(SHOW_STATS, query)
        assert response.status_code == 403
        assert b"Letters that work" not in response.content
        assert not response.get("Content-Disposition")


def test_with_no_show_the_page_says_how_to_add_one(organiser_client, db):
    response = organiser_client.get(SHOW_STATS)
    assert response.status_code == 200
    assert (
        "There is no podcast show yet. In Pages, add a “podcast show” page"
        in response.content.decode()
    )
    assert b"Export these tables" not in response.content


def test_a_show_without_episodes_says_to_publish_one(organiser_client, show):
    response = organiser_client.get(SHOW_STATS)
    assert "Nudges for Social Good has no episodes yet." in response.content.decode()
    assert not screen_tables(response)


def test_before_any_download_the_pages_say_where_downloads_come_from(organiser_client, episode):
    response = organiser_client.get(SHOW_STATS)
    assert "No downloads yet." in response.content.decode()
    assert screen_tables(response)["Downloads per episode"][1][2:] == ["0", "0", "0"]
    response = organiser_client.get(reverse("podcast_stats_episode", args=[episode.pk]))
    assert "No downloads yet." in response.content.decode()
    assert not screen_tables(response)
    assert b"Export these tables" not in response.content
    # An export asked for with nothing to export is the page, not an empty file.
    response = organiser_client.get(
        reverse("podcast_stats_episode", args=[episode.pk]), {"export": "csv"}
    )
    assert response["Content-Type"].startswith("text/html")


def test_bad_addresses_are_not_found(organiser_client, downloads, show):
    assert organiser_client.get(SHOW_STATS, {"show": "junk"}).status_code == 404
    assert organiser_client.get(SHOW_STATS, {"show": "99999"}).status_code == 404
    assert organiser_client.get(reverse("podcast_stats_episode", args=[99999])).status_code == 404
    # The show is a page but not an episode.
    assert organiser_client.get(reverse("podcast_stats_episode", args=[show.pk])).status_code == 404
    assert organiser_client.get(SHOW_STATS, {"export": "pdf"}).status_code == 200
    assert organiser_client.get(SHOW_STATS, {"show": str(show.pk)}).status_code == 200


def test_with_two_shows_the_organiser_chooses_one(organiser_client, downloads, show):
    from podcasts.models import PodcastPage

    from .conftest import make_image

    other = PodcastPage(
        title="Commercial Conversations",
        slug="commercial-conversations",
        description="Councils that trade.",
        artwork=make_image(),
        author="Programme team",
        owner_name="Programme team",
        owner_email="productivity@example.org",
    )
    show.get_parent().add_child(instance=other)
    response = organiser_client.get(SHOW_STATS)
    soup = BeautifulSoup(response.content, "html.parser")
    choices = soup.select("nav[aria-label=Shows] a")
    assert [a.get_text(strip=True) for a in choices] == [
        "Nudges for Social Good",
        "Commercial Conversations",
    ]
    assert choices[0]["aria-current"] == "page"
    response = organiser_client.get(SHOW_STATS + choices[1]["href"])
    assert "Commercial Conversations has no episodes yet." in response.content.decode()


def test_an_episode_with_downloads_is_unpublished_rather_than_deleted(
    client, organiser, downloads, make_person
):
    from podcasts.models import EpisodePage

    episode = downloads[0]
    client.force_login(organiser)
    for method in (client.get, client.post):
        response = method(reverse("wagtailadmin_pages:delete", args=[episode.pk]), follow=True)
        assert response.status_code == 200
        assert "cannot be deleted: downloads have been counted" in response.content.decode()
    assert EpisodePage.objects.filter(pk=episode.pk).exists()
    # Only an administrator may delete a whole show; its episodes' downloads stop that too.
    client.force_login(make_person(email="admin@example.org", is_staff=True, is_superuser=True))
    show = episode.get_parent()
    response = client.post(reverse("wagtailadmin_pages:delete", args=[show.pk]), follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert EpisodePage.objects.filter(pk=episode.pk).exists()


def test_an_episode_number_too_large_for_the_database_is_not_found(organiser_client, show):
    """The URL's integer converter takes any number of digits; the episode page used to fail with
    OverflowError on SQLite for one past 64 bits."""
    assert organiser_client.get(f"/admin/podcast/episodes/{'9' * 40}/").status_code == 404
