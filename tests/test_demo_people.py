"""The demo councillor and officer: sign in with the logins `make run` prints and find a booking
in every state, an attended course with its certificate, and a survey to answer."""

import hashlib
import io
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from pypdf import PdfReader

pytestmark = pytest.mark.django_db

# What each of them finds on My bookings: course and run, and the status as the page words it.
EXPECTED = {
    "councillor": {
        "upcoming": {
            "Transformation and cyber security: Manchester": "Confirmed",
            "Commercial skills for councillors: London": "On the waiting list",
            "Behavioural insights workshop: London": "Place offered",
            "Leading through change: Manchester": "Application received",
        },
        "past": {"Social value in practice: Birmingham": "Attended: completed"},
        "cancelled": {"Cyber security guide launch: Launch event": "Cancelled"},
    },
    "officer": {
        "upcoming": {
            "Commercial skills training for officers: Cohort 4, Birmingham": "Confirmed",
            "Behavioural insights workshop: London": "On the waiting list (number 1)",
            "Leading through change: Manchester": "Place offered",
            "Commercial training for finance directors: London": "Application received",
        },
        "past": {"Social value in practice: Birmingham": "Attended: completed"},
        "cancelled": {"Cyber security guide launch: Launch event": "Cancelled"},
    },
}


@pytest.fixture
def printed(demo_loaded, db):
    """`manage.py load_demo` as `make run` runs it (once for this module); what it printed."""
    return demo_loaded


def login_printed_for(who, printed):
    match = re.search(
        rf"Sign in as the demo {who} .*?\n\s+email:\s+(\S+)\n\s+password:\s+(\S+)", printed
    )
    assert match, printed
    return match.groups()


def rows(soup, heading):
    """{course: status} of the table under the heading ("Upcoming", "Past" or "Cancelled")."""
    table = soup.find("h2", string=heading).find_next_sibling("table")
    found = {}
    for row in table.tbody.find_all("tr"):
        cells = row.find_all("td")
        link = cells[0].a  # <a>Course</a>: Run<br>…
        found[link.get_text(strip=True) + link.next_sibling.strip()] = (
            cells[3].find(string=True).strip()
        )
    return found


def link(soup, starts):
    """The href of the first link whose words start with `starts`."""
    return next(a["href"] for a in soup.find_all("a") if a.get_text().startswith(starts))


@pytest.mark.parametrize("who", ["councillor", "officer"])
def test_demo_person_signs_in_and_finds_every_state_a_certificate_and_a_survey(
    client, printed, who
):
    email, password = login_printed_for(who, printed)
    response = client.post("/account/login/", {"login": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]

    bookings = BeautifulSoup(client.get("/bookings/").content, "html.parser")
    upcoming = rows(bookings, "Upcoming")
    for course, status in EXPECTED[who]["upcoming"].items():
        assert upcoming[course].startswith(status), (course, upcoming)
    assert set(upcoming) == set(EXPECTED[who]["upcoming"])
    assert rows(bookings, "Past") == EXPECTED[who]["past"]
    assert rows(bookings, "Cancelled") == EXPECTED[who]["cancelled"]
    # The offer can be accepted from the page (it is held for a week).
    assert [b for b in bookings.find_all("button") if b.get_text().startswith("Accept")]

    learning = BeautifulSoup(client.get("/learning/").content, "html.parser")
    attended = learning.find("h2", string="What you have attended").find_next_sibling("table")
    (row,) = attended.tbody.find_all("tr")
    assert row.find_all("td")[2].get_text(strip=True) == "Completed"

    # The certificate downloads, reads as theirs, and anyone can verify it by its code.
    download = link(row, "Download certificate")
    response = client.get(download)
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    person = get_user_model().objects.get(email=email)
    assert person.full_name in text and "Social value in practice" in text
    verify = link(learning, "Verification page")
    client.logout()
    page = BeautifulSoup(client.get(verify).content, "html.parser")
    assert page.h1.get_text(strip=True) == "This certificate is valid"
    assert person.full_name in page.get_text()
    code = verify.rstrip("/").rsplit("/", 1)[1]
    facts = client.get(f"/certificates/verify/{code}.json").json()
    assert facts["status"] == "valid" and facts["sha256"] == hashlib.sha256(pdf).hexdigest()

    # The survey waiting for them opens from its link and takes their answers once.
    waiting = learning.find("h2", string="Surveys waiting for your answer").find_next("ul")
    (survey_link,) = [a["href"] for a in waiting.find_all("a")]
    survey = BeautifulSoup(client.get(survey_link).content, "html.parser")
    form = survey.find("form", method="post")
    answers = {}
    for fieldset in form.find_all("fieldset"):
        first = fieldset.find("input", type="radio")
        if first:
            answers[first["name"]] = first["value"]
    answers.update({field["name"]: "8" for field in form.find_all("input", type="number")})
    answers.update({area["name"]: "Worth the journey." for area in form.find_all("textarea")})
    answered = client.post(survey_link, answers)
    assert answered.status_code == 302 and answered["Location"] == "/survey/thank-you/"
    client.post("/account/login/", {"login": email, "password": password})
    learning = client.get("/learning/").content.decode()
    assert "Surveys waiting for your answer" not in learning
