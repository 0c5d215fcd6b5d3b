"""Every CSV and XLSX an organiser downloads, found by walking the admin's URLs (so a new export
is tested without editing this file): names typed by the public stay text in the spreadsheet,
every row arrives even when a person has no council, and times are London times."""

import csv
import io
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import pytest
from django.urls import URLResolver, get_resolver, resolve, reverse
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from lms.accounts.models import Council
from lms.bookings.models import Booking
from lms.certificates import services as certificates
from lms.core import exports
from lms.core.figures_views import OrganiserFiguresView
from podcasts.models import Listen, PodcastPage
from tests import factories
from tests.podcasts.conftest import make_episode, media_root, show  # noqa: F401 (fixtures)
from tests.reports.conftest import A, answer, at, book, build_programme, held_run

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Wagtail's own reports (locked pages, ageing pages, site history, workflows, page types) and
# redirects: each lists its own selection, not every row of its model.
WAGTAIL_REPORTS = {"wagtailadmin_reports", "wagtailredirects"}


def _walk(patterns, namespace=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + ((pattern.namespace,) if pattern.namespace else ())
            yield from _walk(pattern.url_patterns, inner)
        elif pattern.name:
            yield namespace, pattern


def views_of(kind):
    """(URL name, view class, as_view() arguments, URL arguments) of every view of `kind`."""
    for namespace, pattern in _walk(get_resolver().url_patterns):
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class and issubclass(view_class, kind):
            arguments = getattr(pattern.callback, "view_initkwargs", {})
            yield (
                ":".join((*namespace, pattern.name)),
                view_class,
                arguments,
                pattern.pattern.converters,
            )


def listing_exports():
    """The admin listings with a Download CSV/XLSX button: (URL name, model)."""
    for name, view_class, arguments, _ in views_of(SpreadsheetExportMixin):
        if arguments.get("list_export", view_class.list_export) and not arguments.get(
            "results_only"
        ):
            yield name, view_class, arguments.get("model", getattr(view_class, "model", None))


def serving(name):
    """The view class that really answers a URL name's address (lms/urls.py mounts some of
    Wagtail's views again, ahead of the admin, at the same addresses)."""
    return resolve(reverse(name)).func.view_class


def test_every_listing_export_in_the_admin_is_written_by_the_one_exporter():
    found = {name: serving(name) for name, _, _ in listing_exports()}
    assert {
        "booking_list:index",
        "certificate_list:index",
        "councils:index",
        "runs:index",
        "wagtailadmin_reports:locked_pages",
        "wagtailadmin_reports:site_history",
        "wagtailadmin_reports:aging_pages",
        "wagtailredirects:index",
    } <= set(found)
    assert {
        name
        for name, view_class in found.items()
        if not issubclass(view_class, exports.ExportWriterMixin)
    } == set()


def read_csv(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_xlsx(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content))


def formulas_in_csv(rows):
    return [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]


def formulas_in_xlsx(book):
    return [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


@pytest.fixture
def hostile(settings, tmp_path, organiser, make_episode):  # noqa: F811
    """The figures programme, plus a course, run, council, people, survey comments,
    certificates and a podcast whose names a spreadsheet would run as formulas; one person has no
    council."""
    settings.MEDIA_ROOT = tmp_path / "media"
    build_programme()
    council = Council.objects.create(
        code="ZZH",
        name=HOSTILE[3],
        official_name=HOSTILE[0],
        gss_code="E99999999",
        type="metropolitan",
        region="north_west",
    )
    page = factories.course_page(HOSTILE[0])
    run = held_run(page, HOSTILE[1], at(2020, 2, 10), city=HOSTILE[2], audience="councillors")
    bookings = []
    for i, name in enumerate(HOSTILE):
        person = factories.person(
            full_name=name,
            email=f"hostile{i}@example.org",
            council=None if i == 0 else "MAN",
            role="other" if i == 0 else "councillor",
            organisation=HOSTILE[3] if i == 0 else "",
        )
        if i == 1:
            person.council = council
            person.save()
        booking = book(run, person, marks=[A], needs=HOSTILE[(i + 1) % len(HOSTILE)])
        answer(run, booking, "Very satisfied", 9, text=name)
        certificates.issue(booking)
        bookings.append(booking)
    PodcastPage.objects.update(title=HOSTILE[4])
    episode = make_episode(
        number=1, title=HOSTILE[0], episode_number=None, published_at=at(2020, 3, 25)
    )
    for n in range(3):
        Listen.objects.create(
            episode=episode,
            listener=f"{n:064x}",
            started_at=at(2020, 3, 26),
            last_request_at=at(2020, 3, 26),
            bytes_served=400_000,
            requests=2,
            downloaded_at=at(2020, 3, 26),
            app=HOSTILE[5],
        )
    return bookings


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def superuser_client(db):
    """Wagtail's redirects and some of its reports are for administrators, not organisers."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(
        get_user_model().objects.create_superuser(email="admin@example.org", password="x")
    )
    return client


# Listings that open on a selection, and the filter that shows every row.
EVERY_ROW = {"runs:index": {"when": "all"}}  # the runs listing opens on upcoming runs


def test_every_listing_export_keeps_hostile_names_as_text_and_has_every_row(
    organiser_client, superuser_client, hostile
):
    problems = []
    for name, _, model in listing_exports():
        url, client = reverse(name), organiser_client
        if name.split(":")[0] in WAGTAIL_REPORTS:
            # A report lists its own selection: the XLSX must have every row the CSV has.
            client = superuser_client
            expected = len(read_csv(client.get(url, {"export": "csv"}))) - 1
        else:
            expected = model._default_manager.count()
        everything = EVERY_ROW.get(name, {})
        response = client.get(url, {**everything, "export": "csv"})
        assert response.status_code == 200, name
        rows = read_csv(response)
        if len(rows) != 1 + expected:
            problems.append(f"{name} CSV: {len(rows) - 1} rows of {expected}")
        if formulas := formulas_in_csv(rows):
            problems.append(f"{name} CSV runs {formulas}")
        response = client.get(url, {**everything, "export": "xlsx"})
        assert response.status_code == 200, name
        book = read_xlsx(response)
        if book.worksheets[0].max_row != 1 + expected:
            problems.append(f"{name} XLSX: {book.worksheets[0].max_row - 1} rows of {expected}")
        if formulas := formulas_in_xlsx(book):
            problems.append(f"{name} XLSX runs {formulas}")
    assert problems == []


def with_query(url, **extra):
    """A page's path and query (the 2019/20 year unless it names one), plus `extra`."""
    path, _, query = url.partition("?")
    data = {"year": "2019/20", **dict(parse_qsl(query)), **extra}
    return path, data


def figures_pages(client):
    """Every Figures and podcast downloads page: those without arguments, and those their tables
    link to (an episode's downloads)."""
    names = {name for name, *_ in views_of(OrganiserFiguresView)}
    queue = [
        reverse(name) for name, _, _, converters in views_of(OrganiserFiguresView) if not converters
    ]
    seen, pages = set(), []
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(*with_query(url))
        assert response.status_code == 200, url
        names.discard(resolve(url.split("?")[0]).view_name)
        tables = response.context.get("tables") or []
        pages.append((url, tables))
        for table in tables:
            for link in table.links or []:
                if link and issubclass(
                    getattr(resolve(link.split("?")[0]).func, "view_class", object),
                    OrganiserFiguresView,
                ):
                    queue.append(link)
    assert names == set(), "Figures pages the walk did not reach"
    return pages


def test_every_figures_export_keeps_hostile_text_as_text_and_has_every_row(
    organiser_client, hostile
):
    problems, exported = [], 0
    for url, tables in figures_pages(organiser_client):
        if not tables:
            continue
        exported += 1
        expected = sum(2 + len(t.all_rows()) + bool(t.note) for t in tables)
        response = organiser_client.get(*with_query(url, export="csv"))
        assert response.status_code == 200 and response["Content-Disposition"].startswith(
            "attachment"
        ), url
        rows = [row for row in read_csv(response) if row]
        if len(rows) != expected:
            problems.append(f"{url} CSV: {len(rows)} rows of {expected}")
        if formulas := formulas_in_csv(rows):
            problems.append(f"{url} CSV runs {formulas}")
        response = organiser_client.get(*with_query(url, export="xlsx"))
        assert response.status_code == 200, url
        book = read_xlsx(response)
        if sum(sheet.max_row for sheet in book.worksheets) != expected:
            problems.append(f"{url} XLSX rows")
        if formulas := formulas_in_xlsx(book):
            problems.append(f"{url} XLSX runs {formulas}")
    assert problems == []
    # The summary, a course's runs (three courses), reach, never reached, the show, an episode.
    assert exported >= 8


def bookings_export(client, export, **query):
    return client.get(reverse("booking_list:index"), {**query, "export": export})


def test_bookings_export_has_everyone_when_a_person_has_no_council(organiser_client, hostile):
    run = hostile[0].run_id
    rows = read_csv(bookings_export(organiser_client, "csv", run=run))
    header, body = rows[0], rows[1:]
    assert len(body) == len(HOSTILE)
    by_email = {row[header.index("Email")]: row for row in body}
    assert by_email["hostile0@example.org"][header.index("Council")] == ""
    assert by_email["hostile0@example.org"][header.index("Region")] == ""
    assert by_email["hostile2@example.org"][header.index("Council")] == "Manchester City Council"
    sheet = read_xlsx(bookings_export(organiser_client, "xlsx", run=run)).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 1 + len(HOSTILE)
    by_email = {row[values[0].index("Email")]: row for row in values[1:]}
    assert by_email["hostile0@example.org"][values[0].index("Council")] in ("", None)


def test_names_that_look_like_formulas_reach_the_spreadsheet_as_the_words_they_were(
    organiser_client, hostile
):
    run = hostile[0].run_id
    for url, column in (
        (reverse("booking_list:index"), "Name"),
        (reverse("certificate_list:index"), "Name"),
    ):
        rows = read_csv(organiser_client.get(url, {"run": run, "export": "csv"}))
        names = sorted(row[rows[0].index(column)] for row in rows[1:])
        assert names == sorted("'" + name for name in HOSTILE), url
        sheet = read_xlsx(organiser_client.get(url, {"run": run, "export": "xlsx"})).worksheets[0]
        header = [c.value for c in sheet[1]]
        cells = [row[header.index(column)] for row in sheet.iter_rows(min_row=2)]
        assert sorted(c.value for c in cells) == sorted(HOSTILE), url
        assert {c.data_type for c in cells} == {"s"}, url


def test_booking_times_are_london_times(organiser_client):
    booking = book(factories.run(), factories.person(full_name="Sam Summer"))
    Booking.objects.filter(pk=booking.pk).update(created_at=datetime(2020, 7, 1, 9, 0, tzinfo=UTC))
    rows = read_csv(bookings_export(organiser_client, "csv"))
    assert rows[1][rows[0].index("Created at")] == "2020-07-01 10:00"  # BST
    sheet = read_xlsx(bookings_export(organiser_client, "xlsx")).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=header.index("Created at") + 1).value == datetime(
        2020, 7, 1, 10, 0
    )


def test_organisers_find_bookings_by_name_email_or_reference(organiser_client):
    run = factories.run()
    found = book(run, factories.person(full_name="Priya Patel", email="priya@lewisham.example.org"))
    other = book(run, factories.person(full_name="Tom Other", email="tom@example.org"))
    for query in ("priya", "PATEL", "lewisham.example", found.reference):
        response = organiser_client.get(reverse("booking_list:index"), {"q": query})
        assert response.status_code == 200, query
        page = response.content.decode()
        assert found.reference in page and other.reference not in page, query
    rows = read_csv(bookings_export(organiser_client, "csv", q="Patel"))
    assert [row[rows[0].index("Name")] for row in rows[1:]] == ["Priya Patel"]


def test_wagtail_reports_and_redirects_keep_a_hostile_title_as_text(
    superuser_client, organiser, hostile
):
    """Wagtail's own reports export what editors typed (page titles, redirect targets): through
    the one exporter, a title starting "=" reaches the spreadsheet as the words it was."""
    from django.utils import timezone
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.log_actions import log
    from wagtail.models import Page

    page = Page.objects.filter(title=HOSTILE[0]).first().specific
    page.locked, page.locked_by, page.locked_at = True, organiser, timezone.now()
    page.save()
    page.save_revision(user=organiser).publish(user=organiser)
    log(page, "wagtail.lock", user=organiser)
    Redirect.objects.create(old_path="/old-course", redirect_link=HOSTILE[0])
    for name in (
        "wagtailadmin_reports:locked_pages",
        "wagtailadmin_reports:site_history",
        "wagtailadmin_reports:aging_pages",
        "wagtailredirects:index",
    ):
        rows = read_csv(superuser_client.get(reverse(name), {"export": "csv"}))
        cells = [cell for row in rows[1:] for cell in row]
        assert "'" + HOSTILE[0] in cells, name
        book = read_xlsx(superuser_client.get(reverse(name), {"export": "xlsx"}))
        hostile_cells = [
            c
            for row in book.worksheets[0].iter_rows(min_row=2)
            for c in row
            if c.value == HOSTILE[0]
        ]
        assert hostile_cells and {c.data_type for c in hostile_cells} == {"s"}, name
