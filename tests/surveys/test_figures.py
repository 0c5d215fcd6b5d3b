"""Figures on known data: top box, top two, NPS, response rate, each with its base."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.core.numbers import per_cent
from lms.surveys import services
from lms.surveys.figures import ANONYMITY_THRESHOLD, NetPromoterScore

from .conftest import answers

pytestmark = pytest.mark.django_db

# Five of seven attendees answer.
KNOWN = [
    ("Very satisfied", 10, "The case studies", ""),
    ("Very satisfied", 9, "", "Longer lunch"),
    ("Very satisfied", 9, "", ""),
    ("Satisfied", 7, "Meeting other councils", ""),
    ("Neither satisfied nor dissatisfied", 2, "", "More time for questions"),
]


def answer_all(run, invitations, rows):
    survey = services.survey_for(run)
    for invitation, (satisfaction, recommend, useful, change) in zip(
        invitations, rows, strict=False
    ):
        services.submit_response(
            invitation.token, answers(survey, satisfaction, recommend, useful, change)
        )


def test_figures_on_known_answers(opened):
    run, invitations, _ = opened(present=7, absent=2)
    answer_all(run, invitations, KNOWN)
    results = services.results(run)
    assert (results.respondents, results.attendees) == (5, 7)
    assert results.response_rate.per_cent == 71  # 5 of 7
    satisfaction = results.satisfaction
    assert satisfaction.answered == 5
    assert (
        satisfaction.top_box.count,
        satisfaction.top_box.base,
        satisfaction.top_box.per_cent,
    ) == (3, 5, 60)
    assert (satisfaction.top_two.count, satisfaction.top_two.per_cent) == (4, 80)
    assert [(label, share.count) for label, share in satisfaction.distribution] == [
        ("Very satisfied", 3),
        ("Satisfied", 1),
        ("Neither satisfied nor dissatisfied", 1),
        ("Dissatisfied", 0),
        ("Very dissatisfied", 0),
    ]
    nps = results.recommend.nps
    assert (nps.promoters, nps.passives, nps.detractors, nps.base) == (3, 1, 1, 5)
    assert nps.score == 40  # 60 per cent promoters minus 20 per cent detractors
    useful = results.question("most_useful")
    assert [t["text"] for t in useful.texts] == ["The case studies", "Meeting other councils"]
    assert useful.texts[0]["name"] == invitations[0].booking.person.full_name
    assert useful.answered == 2


def test_the_figures_of_a_survey_nobody_has_answered_are_empty_not_zero_per_cent(opened):
    run, _, _ = opened(present=2)
    results = services.results(run)
    assert (results.respondents, results.attendees) == (0, 2)
    assert results.response_rate.per_cent == 0
    assert results.satisfaction.top_box.per_cent is None and results.recommend.nps.score is None


def test_per_cents_round_half_up_as_people_do():
    assert per_cent(34, 43) == 79
    assert per_cent(1, 8) == 13  # 12.5
    assert per_cent(0, 0) is None
    assert NetPromoterScore(promoters=1, passives=0, detractors=3).score == -50


def test_an_anonymous_survey_shows_nothing_below_five_responses_and_never_names(opened):
    run, invitations, _ = opened(present=6, anonymous=True)
    answer_all(run, invitations, KNOWN[: ANONYMITY_THRESHOLD - 1])
    results = services.results(run)
    assert results.suppressed and results.questions == [] and results.satisfaction is None
    assert (results.respondents, results.attendees) == (4, 6)  # the counts alone are shown
    answer_all(run, invitations[4:], KNOWN[4:])
    results = services.results(run)
    assert not results.suppressed and results.satisfaction.top_box.count == 3
    texts = results.question("most_useful").texts
    assert [t["text"] for t in texts] == ["Meeting other councils", "The case studies"]  # A to Z
    assert all(t["name"] == "" for t in texts)


def test_the_figures_take_the_same_queries_for_one_response_or_many(
    opened, django_assert_num_queries
):
    run, invitations, _ = opened(present=6)
    answer_all(run, invitations[:1], KNOWN[:1])
    survey = services.survey_for(run)
    with CaptureQueriesContext(connection) as one:
        services.results(survey)
    answer_all(run, invitations[1:], KNOWN[1:])
    with django_assert_num_queries(len(one.captured_queries)):
        services.results(survey)
