"""The drafted board-report paragraph, from facts alone (no database)."""

import dataclasses
from datetime import date

import pytest

from lms.reports.paragraph import (
    CourseFacts,
    RunFact,
    SatisfactionFact,
    days,
    draft,
    draft_many,
    joined,
    number,
    satisfied_with,
)

QUESTION = (
    "Overall, how satisfied are you with the course and how it has developed your knowledge "
    "and role?"
)
MASTERCLASS = ("masterclass", "masterclasses")


def run(place, first, last=None, title=None, enrolled=15, attended=14):
    return RunFact(
        title=title or place,
        place=place,
        first_day=first,
        last_day=last or first,
        enrolled=enrolled,
        attended=attended,
    )


DATA_AND_DIGITAL_RUNS = [
    run("Manchester", date(2020, 1, 24)),
    run("Bristol", date(2020, 1, 31)),
    run("Newcastle", date(2020, 2, 7)),
    run("London", date(2020, 2, 14)),
]


def satisfaction(very=34, answered=43, respondents=None, attendees=54, question=QUESTION):
    return SatisfactionFact(
        very_satisfied=very,
        satisfied_or_better=very,
        answered=answered,
        respondents=answered if respondents is None else respondents,
        attendees=attendees,
        question_text=question,
    )


def facts(**changes):
    """Data and digital transformation, 2019/20, as the board report gave it."""
    base = CourseFacts(
        year_label="2019/20",
        subject="data and digital transformation",
        run_noun=MASTERCLASS,
        audience="councillors",
        runs=DATA_AND_DIGITAL_RUNS,
        people={"councillor": 54, "officer": 0, "other": 0},
        completed=None,
        places=60,
        asked=58,
        still_waiting=0,
        satisfaction=satisfaction(),
        enrolment_only=False,
    )
    return dataclasses.replace(base, **changes)


def elearning(**changes):
    base = CourseFacts(
        year_label="2019/20",
        subject="contract management e-learning",
        run_noun=("intake", "intakes"),
        audience="officers",
        runs=[
            run(
                "online",
                date(2019, 9, 2),
                date(2019, 12, 20),
                title="Autumn 2019 intake",
                enrolled=480,
                attended=0,
            ),
            run(
                "online",
                date(2020, 1, 6),
                date(2020, 3, 27),
                title="Spring 2020 intake",
                enrolled=500,
                attended=0,
            ),
        ],
        people={},
        completed=612,
        places=1000,
        asked=990,
        still_waiting=0,
        satisfaction=None,
        enrolment_only=True,
    )
    return dataclasses.replace(base, **changes)


def test_the_product_owners_example_word_for_word():
    assert draft(facts()) == (
        "Four masterclasses for elected members on data and digital transformation took place: "
        "Manchester (24 January), Bristol (31 January), Newcastle (7 February) and London "
        "(14 February). 54 councillors attended; 79 per cent of respondents (34 of 43) were very "
        "satisfied with the course and how it has developed their knowledge and role. "
        "43 of the 54 attendees answered the survey."
    )


def test_runs_out_of_order_are_listed_in_date_order():
    shuffled = [DATA_AND_DIGITAL_RUNS[i] for i in (3, 1, 0, 2)]
    assert draft(facts(runs=shuffled)) == draft(facts())


@pytest.mark.parametrize(
    "n, words",
    [
        (1, "one"),
        (2, "two"),
        (5, "five"),
        (9, "nine"),
        (10, "10"),
        (54, "54"),
        (812, "812"),
        (1000, "1,000"),
        (12345, "12,345"),
    ],
)
def test_number_words_to_nine_then_figures_with_thousands_separator(n, words):
    assert number(n) == words


def test_number_at_the_start_of_a_sentence_is_capitalised_only_as_a_word():
    assert number(7, start=True) == "Seven"
    assert number(54, start=True) == "54"


@pytest.mark.parametrize(
    "count, expected",
    [
        (1, "One councillor attended;"),
        (9, "Nine councillors attended;"),
        (10, "10 councillors attended;"),
        (1000, "1,000 councillors attended;"),
    ],
)
def test_attendance_count_in_words_or_figures(count, expected):
    paragraph = draft(
        facts(people={"councillor": count}, satisfaction=satisfaction(attendees=count + 43))
    )
    assert expected in paragraph


def test_one_run_is_singular():
    paragraph = draft(facts(runs=DATA_AND_DIGITAL_RUNS[:1], satisfaction=None))
    assert paragraph.startswith(
        "One masterclass for elected members on data and digital transformation took place: "
        "Manchester (24 January). "
    )


def test_no_runs():
    assert draft(facts(runs=[], people={}, satisfaction=None)) == (
        "No masterclasses on data and digital transformation took place in 2019/20."
    )


def test_mixed_roles_are_broken_down_with_singulars():
    mixed = {"councillor": 54, "officer": 50, "other": 16}
    paragraph = draft(facts(people=mixed, satisfaction=None))
    assert "120 people attended: 54 councillors, 50 officers and 16 other delegates." in paragraph
    paragraph = draft(facts(people={"councillor": 1, "officer": 1, "other": 1}, satisfaction=None))
    assert "Three people attended: one councillor, one officer and one other delegate." in paragraph


@pytest.mark.parametrize(
    "people, expected",
    [
        ({"officer": 50}, "50 officers attended."),
        ({"officer": 1}, "One officer attended."),
        ({"other": 812}, "812 delegates attended."),
        ({"other": 1}, "One delegate attended."),
    ],
)
def test_single_role_wording(people, expected):
    assert expected in draft(facts(people=people, satisfaction=None))


def test_an_unknown_role_is_refused_rather_than_dropped():
    with pytest.raises(ValueError, match="alumni"):
        draft(facts(people={"councillor": 3, "alumni": 2}))


@pytest.mark.parametrize(
    "audience, expected",
    [
        ("councillors", "Four masterclasses for elected members on "),
        ("officers", "Four masterclasses for council officers on "),
        ("alumni", "Four masterclasses for alumni on "),
        ("anyone", "Four masterclasses on "),
    ],
)
def test_audience_wording(audience, expected):
    assert draft(facts(audience=audience)).startswith(expected)


def test_lists_have_no_oxford_comma():
    assert joined(["A"]) == "A"
    assert joined(["A", "B"]) == "A and B"
    assert joined(["A", "B", "C"]) == "A, B and C"


def test_multi_day_runs_give_both_dates_without_a_year():
    assert days(date(2019, 9, 17), date(2019, 10, 29)) == "17 September to 29 October"
    assert days(date(2019, 11, 4), date(2019, 11, 5)) == "4 to 5 November"
    assert days(date(2019, 12, 9), date(2020, 1, 20)) == "9 December to 20 January"
    cohorts = [
        run("Manchester", date(2019, 9, 17), date(2019, 10, 29), title="Cohort 1, Manchester"),
        run("Taunton", date(2019, 11, 4), date(2019, 11, 5), title="Cohort 2, Taunton"),
        run("London", date(2020, 1, 14), date(2020, 3, 3), title="Cohort 3, London"),
    ]
    paragraph = draft(
        facts(
            subject="commercial skills",
            run_noun=("cohort", "cohorts"),
            audience="officers",
            runs=cohorts,
            people={"officer": 50},
            completed=48,
            satisfaction=None,
        )
    )
    assert paragraph == (
        "Three cohorts for council officers on commercial skills took place: Manchester "
        "(17 September to 29 October), Taunton (4 to 5 November) and London (14 January to "
        "3 March). 50 officers attended and 48 of them completed the programme."
    )
    assert "2019" not in paragraph and "2020" not in paragraph


def test_completion_with_mixed_roles_keeps_the_breakdown_apart():
    paragraph = draft(
        facts(
            people={"councillor": 4, "officer": 6},
            completed=9,
            satisfaction=None,
        )
    )
    assert (
        "10 people attended (four councillors and six officers) and nine of them completed the "
        "programme." in paragraph
    )


def test_everyone_completing_says_so():
    assert "50 officers attended and all 50 of them completed the programme." in draft(
        facts(people={"officer": 50}, completed=50, satisfaction=None)
    )


def test_more_than_eight_runs_name_the_places_with_counts_not_every_date():
    places = [
        "London",
        "Manchester",
        "London",
        "Leeds",
        "Manchester",
        "London",
        "online",
        "Leeds",
        "online",
        "Bristol",
        "online",
        "York",
    ]
    runs = [run(place, date(2019, 10, 1 + i)) for i, place in enumerate(places)]
    paragraph = draft(facts(runs=runs, satisfaction=None))
    assert paragraph.startswith(
        "In 2019/20, 12 masterclasses for elected members on data and digital transformation "
        "took place in London (3), Manchester (2), Leeds (2), Bristol and York, and three online. "
    )
    assert "October" not in paragraph


def test_nine_runs_start_with_a_word():
    runs = [
        run(place, date(2019, 10, 1 + i))
        for i, place in enumerate(
            [
                "London",
                "Manchester",
                "London",
                "Leeds",
                "London",
                "Bristol",
                "York",
                "Hull",
                "Derby",
            ]
        )
    ]
    assert draft(facts(runs=runs, satisfaction=None)).startswith(
        "Nine masterclasses for elected members on data and digital transformation took place in "
        "London (3), Manchester, Leeds, Bristol, York, Hull and Derby. "
    )


def test_eight_runs_still_list_every_date():
    runs = [run(f"Town {i}", date(2019, 10, 1 + i)) for i in range(8)]
    paragraph = draft(facts(runs=runs, satisfaction=None))
    assert "took place: Town 0 (1 October), Town 1 (2 October)" in paragraph
    assert "Town 6 (7 October) and Town 7 (8 October)." in paragraph


@pytest.mark.parametrize(
    "question, clause",
    [
        (
            QUESTION,
            "were very satisfied with the course and how it has developed their knowledge and role",
        ),
        (
            "How satisfied were you with the support you received?",
            "were very satisfied with the support they received",
        ),
        (
            "Overall how satisfied are you with how the course prepared you for your role?",
            "were very satisfied with how the course prepared them for their role",
        ),
        ("overall, how satisfied are you with the venue", "were very satisfied with the venue"),
        ("How would you rate the course?", "were very satisfied"),
        ("", "were very satisfied"),
    ],
)
def test_question_text_in_the_third_person_or_the_plain_fallback(question, clause):
    assert satisfied_with(question) == clause


def test_fallback_question_in_the_paragraph():
    paragraph = draft(facts(satisfaction=satisfaction(question="Rate your day from 1 to 5")))
    assert (
        "79 per cent of respondents (34 of 43) were very satisfied. 43 of the 54 attendees"
        in paragraph
    )


def test_no_satisfaction_no_share():
    paragraph = draft(facts(satisfaction=None))
    assert paragraph.endswith("54 councillors attended.")
    for word in ("per cent", "satisfied", "survey"):
        assert word not in paragraph


def test_nobody_answered_the_question_no_sentence():
    paragraph = draft(facts(satisfaction=satisfaction(very=0, answered=0, respondents=3)))
    assert paragraph.endswith("54 councillors attended.")
    assert "per cent" not in paragraph


@pytest.mark.parametrize(
    "very, answered, share",
    [(34, 43, 79), (42, 54, 78), (1, 8, 13), (3, 8, 38), (0, 12, 0), (12, 12, 100)],
)
def test_whole_per_cent_rounded_half_up(very, answered, share):
    # 1 of 8 is 12.5: half up gives 13 where Python's round() would give 12.
    paragraph = draft(facts(satisfaction=satisfaction(very=very, answered=answered)))
    assert f"; {share} per cent of respondents (" in paragraph


def test_small_counts_in_the_share_are_words():
    paragraph = draft(facts(satisfaction=satisfaction(very=6, answered=8, attendees=9)))
    assert "75 per cent of respondents (six of eight)" in paragraph
    assert "Eight of the nine attendees answered the survey." in paragraph


def test_when_some_respondents_skipped_the_question_the_base_says_so():
    paragraph = draft(facts(satisfaction=satisfaction(very=34, answered=41, respondents=43)))
    assert (
        "83 per cent of those who answered the question (34 of 41) were very satisfied" in paragraph
    )
    assert (
        "43 of the 54 attendees answered the survey; 41 of them answered the question on "
        "satisfaction." in paragraph
    )


def test_everyone_answering_the_survey():
    paragraph = draft(facts(satisfaction=satisfaction(very=40, answered=54, attendees=54)))
    assert paragraph.endswith("All 54 attendees answered the survey.")


def test_oversubscribed_only_when_more_asked_than_there_were_places():
    assert "oversubscribed" not in draft(facts(asked=60, places=60))
    assert "oversubscribed" not in draft(facts(asked=40, places=60))
    paragraph = draft(facts(asked=112, places=78, satisfaction=None))
    assert (
        "(14 February). The masterclasses were oversubscribed: 112 people asked for 78 places. "
        "54 councillors attended." in paragraph
    )


def test_oversubscribed_with_people_still_waiting():
    paragraph = draft(facts(runs=DATA_AND_DIGITAL_RUNS[:1], asked=31, places=20, still_waiting=6))
    assert (
        "The masterclass was oversubscribed: 31 people asked for 20 places, and six of them were "
        "still on a waiting list when the masterclass took place." in paragraph
    )


def test_elearning_enrolment_wording():
    assert draft(elearning()) == (
        "980 council officers enrolled on contract management e-learning across two intakes, "
        "500 of them in the latest (Spring 2020 intake). 612 have completed it so far."
    )


def test_elearning_exact_not_rounded_and_never_attended():
    paragraph = draft(elearning(completed=None))
    for word in ("nearly", "attended", "completed"):
        assert word not in paragraph
    assert paragraph.startswith("980 council officers enrolled")


def test_elearning_one_intake_and_small_counts():
    one = [run("online", date(2020, 1, 6), title="Spring 2020 intake", enrolled=7, attended=0)]
    assert draft(elearning(runs=one, completed=1, places=10, asked=7)) == (
        "Seven council officers enrolled on contract management e-learning in one intake "
        "(Spring 2020 intake). One has completed it so far."
    )


def test_elearning_nobody_enrolled():
    assert draft(elearning(runs=[], completed=None)) == (
        "No one enrolled on contract management e-learning in 2019/20."
    )


def test_draft_many_one_paragraph_per_course_in_order():
    paragraphs = draft_many([facts(), elearning()])
    assert paragraphs == [draft(facts()), draft(elearning())]
    assert paragraphs[0].startswith("Four masterclasses")
    assert paragraphs[1].startswith("980 council")
    assert draft_many([]) == []


def test_every_paragraph_is_one_line_of_plain_text():
    for paragraph in draft_many([facts(), elearning(), facts(runs=[], satisfaction=None)]):
        assert "\n" not in paragraph and "  " not in paragraph
        assert paragraph.endswith(".") and not paragraph.endswith("..")


def test_a_named_event_is_named_not_counted():
    text = draft(
        facts(
            subject="the National Social Value Conference",
            run_noun=("conference", "conferences"),
            audience="anyone",
            named_event=True,
            runs=[run("Birmingham", date(2020, 1, 22), date(2020, 1, 23))],
            people={"councillor": 0, "officer": 0, "other": 801},
            completed=None,
            places=850,
            asked=812,
        )
    )
    assert text.startswith(
        "The National Social Value Conference took place: Birmingham (22 to 23 January). 801 delegates attended;"
    )
    assert "oversubscribed" not in text
