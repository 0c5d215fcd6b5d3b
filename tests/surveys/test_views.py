"""The survey at a personal link, without signing in, and its refusals over HTTP."""

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from lms.bookings import attendance
from lms.bookings.models import AttendanceStatus
from lms.surveys import services
from lms.surveys.models import Response

pytestmark = pytest.mark.django_db


def form_data(survey, **overrides):
    by_key = {q.key: f"q{q.pk}" for q in survey.template.questions.all()}
    data = {
        by_key["satisfaction"]: "Satisfied",
        by_key["recommend"]: "8",
        by_key["most_useful"]: "The negotiation role play",
        by_key["change"]: "",
    }
    data.update({by_key[key]: value for key, value in overrides.items()})
    return data


def test_the_survey_opens_from_the_link_without_signing_in_and_answers_once(client, opened):
    run, (invitation, *_), _ = opened()
    survey = services.survey_for(run)
    url = invitation.get_absolute_url()
    page = BeautifulSoup(client.get(url).content, "html.parser")
    assert len(page.find_all("h1")) == 1
    legends = [legend.get_text(strip=True) for legend in page.select("fieldset legend")]
    assert legends[0].startswith("Overall, how satisfied are you with the course")
    radios = [label.get_text(strip=True) for label in page.select("fieldset")[0].find_all("label")]
    assert radios == [
        "Very satisfied",
        "Satisfied",
        "Neither satisfied nor dissatisfied",
        "Dissatisfied",
        "Very dissatisfied",
    ]
    assert page.find("label", string="What was most useful?")["for"] == page.find("textarea")["id"]
    response = client.post(url, form_data(survey))
    assert response.status_code == 302 and response["Location"] == "/survey/thank-you/"
    assert "We have your answers" in client.get(response["Location"]).content.decode()
    again = client.get(url)
    assert (
        again.status_code == 410
        and "You have already answered. Thank you." in again.content.decode()
    )
    resubmitted = client.post(url, form_data(survey, satisfaction="Very dissatisfied"))
    assert resubmitted.status_code == 410
    assert Response.objects.count() == 1
    assert services.results(run).satisfaction.distribution[1][1].count == 1  # "Satisfied"


def test_missing_answers_are_listed_at_the_top_and_what_was_typed_is_kept(client, opened):
    run, (invitation, *_), _ = opened()
    survey = services.survey_for(run)
    satisfaction = survey.template.questions.get(key="satisfaction")
    response = client.post(
        invitation.get_absolute_url(), form_data(survey, satisfaction="", recommend="11")
    )
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    summary = page.select_one(".error-summary")
    links = {a.get_text(strip=True): a["href"] for a in summary.find_all("a")}
    assert links["Select how satisfied you are."] == f"#id_q{satisfaction.pk}_0"
    assert "Select a valid choice. 11 is not one of the available choices." in links
    assert page.find("textarea").get_text().strip() == "The negotiation role play"
    assert page.title.get_text().startswith("Error:")
    assert not Response.objects.exists()


@pytest.mark.parametrize("ending", ["x", ""])
def test_a_tampered_link_is_not_recognised(client, opened, ending):
    _, (invitation, *_), _ = opened()
    response = client.get(f"/survey/{invitation.token[:-1]}{ending}/")
    assert response.status_code == 404
    assert "This survey link is not recognised." in response.content.decode()


def test_a_closed_survey_says_when_it_closed(client, opened):
    run, (invitation, *_), _ = opened()
    survey = services.survey_for(run)
    survey.closes_at = survey.opened_at
    survey.save()
    response = client.post(invitation.get_absolute_url(), form_data(survey))
    assert response.status_code == 410
    page = response.content.decode()
    assert "This survey has closed" in page
    assert (
        f"This survey closed on {timezone.localtime(survey.closes_at):%A %-d %B %Y, %H:%M}" in page
    )
    assert not Response.objects.exists()


def test_someone_the_register_shows_absent_cannot_answer(client, opened):
    run, (invitation, *_), _ = opened()
    attendance.mark(invitation.booking, run.sessions.get(), AttendanceStatus.ABSENT)
    response = client.post(invitation.get_absolute_url(), form_data(services.survey_for(run)))
    assert response.status_code == 403
    assert "Our register does not show you at this course" in response.content.decode()
    assert not Response.objects.exists()
