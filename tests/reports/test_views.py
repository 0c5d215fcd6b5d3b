"""The Figures pages as an organiser uses them: what they show, what they export, who may see
them, and what bad filters do."""

import csv
import io
import zipfile
from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import ElearningCoursePage
from lms.bookings.attendance import apply_completion_import
from lms.core.years import FinancialYear
from lms.reports import figures
from tests import factories

from .conftest import A, book, held_run, person

SUMMARY = reverse("reports_summary")


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def _normal(text):
    """A cell as a reader compares it: no thousands separators, dates as ISO, dashes as empty."""
    text = (text or "").strip()
    if text in ("–", "None"):
        return ""
    try:
        return datetime.strptime(text, "%d %B %Y").date().isoformat()
    except ValueError:
        pass
    return text.replace(",", "") if text.replace(",", "").lstrip("-").isdigit() else text


def screen_tables(response):
    soup = BeautifulSoup(response.content, "html.parser")
    tables = []
    for table in soup.select(".figures-table table"):
        title = table.caption.get_text(strip=True)
        header = [th.get_text(strip=True) for th in table.thead.find_all("th")]
        rows = [
            [_normal(cell.get_text(strip=True)) for cell in tr.find_all(["th", "td"])]
            for tr in table.select("tbody tr, tfoot tr")
        ]
        tables.append((title, header, rows))
    return tables


def csv_tables(content):
    text = content.decode("utf-8-sig")
    blocks, current = [], []
    for row in csv.reader(io.StringIO(text)):
        if not row:
            blocks.append(current)
            current = []
        else:
            current.append(row)
    blocks.append(current)
    out = []
    for block in blocks:
        title, header, *rows = block
        rows = [r for r in rows if len(r) == len(header)]  # the note is a single cell
        out.append((title[0], header, [[_normal(v) for v in r] for r in rows]))
    return out


def xlsx_tables(content):
    book_ = load_workbook(io.BytesIO(content))
    out = []
    for sheet in book_.worksheets:
        rows = [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ]
        title, header, *rest = rows
        width = len([h for h in header if h])
        body = [r[:width] for r in rest if any(r[1:width])]
        out.append(
            (
                title[0],
                header[:width],
                [
                    [_normal(v.split(" ")[0] if v[:4].isdigit() and "-" in v else v) for v in r]
                    for r in body
                ],
            )
        )
    return out


def test_anonymous_people_are_sent_to_sign_in(client, programme):
    response = client.get(SUMMARY)
    assert response.status_code == 302 and "login" in response["Location"]


def test_people_who_are_not_organisers_get_403(client, programme, councillor):
    client.force_login(councillor)
    for name in [
        "reports_index",
        "reports_summary",
        "reports_course",
        "reports_reach",
        "reports_never_reached",
        "reports_intakes",
        "reports_paragraph",
    ]:
        response = client.get(reverse(name), {"year": "2019/20", "export": "csv"})
        assert response.status_code == 403, name
        assert b"organisers" in response.content


def test_staff_without_the_figures_permission_get_403(client, programme, make_person):
    editor = make_person(email="editor@example.org", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(SUMMARY).status_code == 403
    assert b"Figures" not in client.get(reverse("wagtailadmin_home")).content


def test_the_summary_shows_the_years_figures_with_their_base(organiser_client, programme):
    response = organiser_client.get(SUMMARY, {"year": "2019/20"})
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "In 2019/20: 3 runs held, 6 people attended (7 attendances); 67 per cent of respondents very satisfied (2 of 3; 3 of 5 attendees responded)."
        in page
    )
    tables = {title: rows for title, _, rows in screen_tables(response)}
    courses = tables["By course, 2019/20"]
    digital = next(r for r in courses if r[0] == "Data and digital")
    # Runs, places, asked, still waiting, applications, attendances, people, councillors…
    assert digital[2:10] == ["2", "12", "7", "1", "0", "5", "4", "4"]
    assert courses[-1][0] == "All courses" and courses[-1][8] == "6"  # people, counted once
    assert "<svg" in page and "Attendances at sessions by month, 2019/20" in page
    # The chart's numbers, counted in the same statement as the tables: Eve's cancelled
    # booking (marked present first) is not among January's five.
    soup = BeautifulSoup(response.content, "html.parser")
    chart = next(
        t for t in soup.select("table") if "the figures in the chart above" in t.caption.get_text()
    )
    months = {
        tr.th.get_text(strip=True): tr.td.get_text(strip=True) for tr in chart.select("tbody tr")
    }
    assert (months["Apr 2019"], months["Jan 2020"], months["Mar 2020"], months["Apr 2020"]) == (
        "0",
        "5",
        "2",
        "1",
    )


@pytest.mark.parametrize(
    "url", ["reports_summary", "reports_course", "reports_reach", "reports_intakes"]
)
def test_csv_and_xlsx_exports_carry_exactly_the_screens_tables(organiser_client, programme, url):
    query = {"year": "2019/20"}
    if url == "reports_course":
        query["course"] = programme.digital.pk
    if url == "reports_intakes":
        page = factories.course_page("Contract management e-learning", ElearningCoursePage)
        intake = held_run(
            page, "Spring intake", timezone.make_aware(datetime(2020, 2, 3, 9)), capacity=3
        )
        book(intake, programme.people.hal)
    screen = screen_tables(organiser_client.get(reverse(url), query))
    assert screen, "the page shows tables"
    csv_response = organiser_client.get(reverse(url), {**query, "export": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    xlsx_response = organiser_client.get(reverse(url), {**query, "export": "xlsx"})
    exported_csv = csv_tables(csv_response.content)
    exported_xlsx = xlsx_tables(xlsx_response.content)
    assert [t[0] for t in exported_csv] == [t[0] for t in screen]
    for (title, header, rows), (_, csv_header, csv_rows), (_, x_header, x_rows) in zip(
        screen, exported_csv, exported_xlsx, strict=True
    ):
        assert csv_header == header == x_header, title
        assert csv_rows == rows, title
        assert x_rows == rows, title


def test_course_detail_shows_sessions_distribution_and_comments(organiser_client, programme):
    response = organiser_client.get(
        reverse("reports_course"), {"year": "2019/20", "course": programme.digital.pk}
    )
    tables = {title: rows for title, _, rows in screen_tables(response)}
    runs = tables["Runs of Data and digital, 2019/20"]
    manchester = runs[0]
    assert manchester[:10] == [
        "Manchester",
        "Manchester",
        "2020-01-24",
        "2020-01-24",
        "10",
        "4",
        "3",
        "1",
        "3",
        "0",
    ]
    assert tables["Attendance per session"][0][3:] == ["2", "1", "1", "0", "0"]
    distribution = {row[0]: row[1:] for row in tables["Satisfaction: all runs"]}
    assert distribution["Very satisfied"] == ["2", "67"]
    assert [(r[0], r[2], r[3]) for r in tables["Comments"]] == [
        ("Manchester", "The case studies.", "Ann"),
        ("Bristol", "Time to talk.", "Fay"),
    ]
    assert "Satisfaction, Data and digital, 2019/20" in response.content.decode()


def test_course_detail_without_a_course_lists_the_years_courses(organiser_client, programme):
    response = organiser_client.get(reverse("reports_course"), {"year": "2019/20"})
    soup = BeautifulSoup(response.content, "html.parser")
    assert "Choose a course above" in soup.select_one(".figures-empty").get_text()
    assert [a.get_text() for a in soup.select(".figures-empty a")] == [
        "Data and digital",
        "Officer cohort",
    ]


def test_never_reached_lists_councils_with_type_and_region_and_exports_them(
    organiser_client, programme
):
    query = {
        "theme": programme.income.slug,
        "role": "officer",
        "region": "south_east",
        "council_type": "county",
    }
    response = organiser_client.get(reverse("reports_never_reached"), query)
    rows = screen_tables(response)[0][2]
    names = [r[0] for r in rows]
    assert "Kent" not in names  # Hal, an officer from Kent, came to the cohort
    assert "East Sussex" in names
    assert {(r[2], r[3]) for r in rows} == {("County council", "South East")}
    exported = csv_tables(
        organiser_client.get(reverse("reports_never_reached"), {**query, "export": "csv"}).content
    )
    assert exported[0][2] == rows


def test_intakes_show_places_enrolled_and_completions_from_the_providers_file(
    organiser_client, programme, organiser
):
    page = factories.course_page("Contract management e-learning", ElearningCoursePage)
    intake = held_run(
        page, "Spring intake", timezone.make_aware(datetime(2020, 2, 3, 9)), capacity=500
    )
    people = [person(f"Learner{i}", "officer", "KEN") for i in range(4)]
    for p in people:
        book(intake, p)
    apply_completion_import(
        intake,
        "email,status\nlearner0@example.org,completed\nlearner1@example.org,completed\n",
        by=organiser,
    )
    response = organiser_client.get(reverse("reports_intakes"), {"year": "2019/20"})
    rows = screen_tables(response)[0][2]
    assert rows[0][:2] == ["Contract management e-learning", "Spring intake"]
    assert rows[0][3:] == ["500", "4", "2", "50"]
    assert (
        "4 enrolled in 2019/20, 4 of them in the latest intake (Spring intake); 2 completed."
        in response.content.decode()
    )


@pytest.mark.parametrize(
    "query, message",
    [
        ({"year": "abc"}, "is not a financial year"),
        ({"year": "2019/21"}, "is not a financial year"),
        ({"year": "0000/01"}, "is not a financial year"),
        ({"year": "9999/00"}, "is not a financial year"),
        ({"year": "2031/32"}, "No runs took place in 2031/32"),
        ({"year": "2019/20", "theme": "no-such-theme"}, "There is no such theme"),
        ({"year": "2019/20", "theme": "cross-cutting-x"}, "There is no such theme"),
    ],
)
def test_bad_filters_give_a_clear_empty_state_never_an_error(
    organiser_client, programme, query, message
):
    response = organiser_client.get(SUMMARY, query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not screen_tables(response)
    assert (
        organiser_client.get(SUMMARY, {**query, "export": "xlsx"}).status_code == 200
    )  # no file, the page


@pytest.mark.parametrize(
    "name, query, message",
    [
        ("reports_course", {"year": "2019/20", "course": "999999"}, "There is no such course"),
        ("reports_course", {"year": "2019/20", "course": "abc"}, "There is no such course"),
        (
            "reports_course",
            {"year": "2019/20", "course": "9223372036854775808"},
            "There is no such course",
        ),
        ("reports_paragraph", {"year": "2019/20", "course": "1" * 30}, "There is no such course"),
        ("reports_reach", {"year": "2031/32"}, "No council was reached in 2031/32"),
        ("reports_reach", {"role": "robot"}, "“robot” is not one of the choices"),
        ("reports_never_reached", {"council_type": "parish"}, "“parish” is not one of the choices"),
        ("reports_never_reached", {"region": "atlantis"}, "“atlantis” is not one of the choices"),
        ("reports_intakes", {"year": "2019/20"}, "No e-learning intake opened in 2019/20"),
        ("reports_paragraph", {"year": "2019/20"}, "Choose a course or a theme"),
    ],
)
def test_every_report_answers_bad_input_with_an_empty_state(
    organiser_client, programme, name, query, message
):
    response = organiser_client.get(reverse(name), query)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_course_outside_the_chosen_theme_is_refused(organiser_client, programme):
    response = organiser_client.get(
        reverse("reports_reach"),
        {"year": "2019/20", "course": programme.digital.pk, "theme": programme.income.slug},
    )
    assert response.status_code == 200
    assert "Data and digital is not in the theme Generating income." in response.content.decode()
    assert not screen_tables(response)


def test_the_board_paragraph_reads_like_the_report_and_downloads(organiser_client, programme):
    query = {"year": "2019/20", "course": programme.digital.pk}
    response = organiser_client.get(reverse("reports_paragraph"), query)
    text = (
        BeautifulSoup(response.content, "html.parser")
        .select_one("#board-paragraph")
        .get_text(" ", strip=True)
    )
    assert text.startswith(
        "Two masterclasses for elected members on data and digital transformation took place: "
        "Manchester (24 January) and Bristol (31 January)."
    )
    assert "Four councillors attended" in text
    assert (
        "67 per cent of respondents (two of three) were very satisfied with the course and how it has developed their knowledge and role."
        in text
    )
    txt = organiser_client.get(reverse("reports_paragraph"), {**query, "download": "txt"})
    assert txt["Content-Type"].startswith("text/plain")
    assert "Two masterclasses for elected members" in txt.content.decode("utf-8")
    docx = organiser_client.get(reverse("reports_paragraph"), {**query, "download": "docx"})
    assert docx["Content-Disposition"].endswith('.docx"')
    with zipfile.ZipFile(io.BytesIO(docx.content)) as archive:
        body = ElementTree.fromstring(archive.read("word/document.xml"))
    words = "".join(
        t.text or ""
        for t in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")
    )
    assert (
        "Two masterclasses for elected members on data and digital transformation took place"
        in words
    )


def test_a_theme_paragraph_has_one_paragraph_per_course(organiser_client, programme):
    response = organiser_client.get(
        reverse("reports_paragraph"), {"year": "2019/20", "theme": programme.income.slug}
    )
    paragraphs = BeautifulSoup(response.content, "html.parser").select("#board-paragraph p")
    assert len(paragraphs) == 1 and paragraphs[0].get_text().startswith(
        "One cohort for council officers"
    )


def test_the_admin_home_shows_this_financial_year_to_date(organiser_client, programme):
    page = factories.course_page("This year's masterclass")
    started = max(timezone.now() - timedelta(hours=1), FinancialYear.current().starts_at)
    run = held_run(page, "Leeds", started, city="Leeds")
    book(run, programme.people.jon, marks=[A])
    response = organiser_client.get(reverse("wagtailadmin_home"))
    panel = BeautifulSoup(response.content, "html.parser").select_one(
        "[aria-labelledby=figures-this-year-heading]"
    )
    text = panel.get_text(" ", strip=True)
    assert "1 run held" in text and "1 person attended" in text and "1 council reached" in text


def test_the_admin_home_counts_only_councils_that_existed_this_year_as_reached(
    organiser_client, programme
):
    # Someone whose profile names a council formed after this year attends; the reach page does
    # not count that council, and neither does the admin home.
    from lms.accounts.models import Council

    year = FinancialYear.current()
    newtown = Council.objects.create(
        code="ZZN",
        name="Newtown",
        official_name="Newtown Council",
        gss_code="E06999999",
        type="unitary",
        region="south_east",
        start_date=year.last_day + timedelta(days=1),
    )
    started = max(timezone.now() - timedelta(hours=1), year.starts_at)
    run = held_run(factories.course_page("This year's masterclass"), "Leeds", started, city="Leeds")
    book(run, programme.people.jon, marks=[A])  # Cambridgeshire
    book(run, person("Zoe", "councillor", "ZZN"), marks=[A])
    response = organiser_client.get(reverse("wagtailadmin_home"))
    panel = BeautifulSoup(response.content, "html.parser").select_one(
        "[aria-labelledby=figures-this-year-heading]"
    )
    text = panel.get_text(" ", strip=True)
    assert "2 people attended" in text and "1 council reached" in text
    assert figures.reach(figures.Scope(year), "type")[1].reached == 1  # the reach page's total
    # An organiser corrects the council's start date: the panel's cached figures are redone.
    newtown.start_date = year.first_day
    newtown.save()
    home = BeautifulSoup(organiser_client.get(reverse("wagtailadmin_home")).content, "html.parser")
    text = home.select_one("[aria-labelledby=figures-this-year-heading]").get_text(" ", strip=True)
    assert "2 councils reached" in text
