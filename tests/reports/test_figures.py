"""Each figure on the known programme of conftest.py, counted by hand."""

from datetime import UTC, date, timedelta

import pytest

from lms.accounts.models import Council
from lms.bookings.models import Booking
from lms.core.years import FinancialYear
from lms.reports import figures
from lms.reports.figures import Scope
from tests import factories

from .conftest import A, L, P, X, at, book, held_run, person

Y2019 = FinancialYear(2019)
Y2020 = FinancialYear(2020)


def test_programme_totals_for_the_year(programme):
    f = figures.figures(Scope(Y2019))[None]
    assert f.runs == 3  # Manchester, Bristol and the cohort that began at 23:30 on 31 March
    assert f.places == 17
    assert (
        f.asked == 9
    )  # every person who booked (Ann twice), the cancelled and the waiting included
    assert f.confirmed == 8
    assert f.still_waiting == 1
    assert f.applications == 0
    assert f.attendances == 7  # Eve's mark is on a cancelled booking: not an attendance
    assert f.no_shows == 1  # Dan
    assert f.people == 6  # Ann came twice and is one person
    assert (f.councillors, f.officers, f.others) == (4, 2, 0)
    assert f.completions == 5  # Ivy was excused from day two of the cohort
    assert f.oversubscribed is False


def test_breakdowns_count_a_person_once_per_row_and_once_in_the_total(programme):
    by_course = figures.figures(Scope(Y2019), "course")
    digital = by_course[programme.digital.pk]
    assert (digital.runs, digital.places, digital.asked, digital.attendances, digital.people) == (
        2,
        12,
        7,
        5,
        4,
    )
    cohort = by_course[programme.cohort_page.pk]
    assert (
        cohort.runs,
        cohort.attendances,
        cohort.people,
        cohort.officers,
        cohort.completions,
    ) == (1, 2, 2, 2, 1)
    by_run = figures.figures(Scope(Y2019), "run")
    assert by_run[programme.manchester.pk].people == 3
    assert by_run[programme.bristol.pk].people == 2
    assert by_run[programme.bristol.pk].oversubscribed  # 3 asked for 2 places
    # Ann is in both runs' rows but once in the course's.
    assert (
        by_run[programme.manchester.pk].people + by_run[programme.bristol.pk].people
        == digital.people + 1
    )
    by_theme = figures.figures(Scope(Y2019), "theme")
    assert set(by_theme) == {programme.transforming.pk, programme.income.pk}
    assert by_theme[programme.transforming.pk].people == 4


def test_demand_counts_people_not_bookings(programme):
    from lms.bookings.models import BookingStatus

    from .conftest import book

    # Cat cancels her Bristol waiting-list place and joins again: one person asking, twice.
    book(programme.bristol, programme.people.cat, status=BookingStatus.CANCELLED)
    book(programme.bristol, programme.people.cat, status=BookingStatus.WAITLISTED)
    bristol = figures.figures(Scope(Y2019), "run")[programme.bristol.pk]
    assert (bristol.asked, bristol.still_waiting) == (4, 2)
    assert figures.figures(Scope(Y2019))[None].asked == 9  # Cat had already asked, in Manchester


def test_financial_year_boundaries_follow_the_london_calendar(programme):
    # The London run starts at 00:30 on 1 April 2020 (23:30 on 31 March in UTC): 2020/21.
    assert figures.figures(Scope(Y2020))[None].runs == 1
    assert figures.figures(Scope(Y2020))[None].people == 1
    # The cohort starts at 23:30 on 31 March 2020 (22:30 UTC): 2019/20, with both its days.
    assert programme.cohort.pk in {r.pk for r in figures.held_runs(Scope(Y2019))}
    assert programme.london.pk not in {r.pk for r in figures.held_runs(Scope(Y2019))}


def test_runs_not_yet_held_and_cancelled_runs_are_left_out(programme):
    from lms.bookings.models import RunStatus

    assert (
        figures.figures(Scope(Y2019, now=programme.bristol.starts_at))[None].runs == 1
    )  # only Manchester had begun
    programme.bristol.status = RunStatus.CANCELLED
    programme.bristol.save()
    assert figures.figures(Scope(Y2019))[None].runs == 2


def test_certificates_count_only_valid_ones(programme, organiser):
    from lms.certificates.services import issue, revoke

    issue(programme.bookings["ann_m"], by=organiser)
    bob = issue(programme.bookings["bob_m"], by=organiser)
    revoke(bob, reason="Issued in error", by=organiser)
    assert figures.figures(Scope(Y2019))[None].certificates == 1


def test_satisfaction_states_its_base(programme):
    s = figures.figures(Scope(Y2019), detail=True)[None].satisfaction
    assert (s.answered, s.very_satisfied, s.satisfied_or_better) == (3, 2, 3)
    assert s.top_box.per_cent == 67  # 2 of 3, rounded half up
    assert (s.respondents, s.attendees, s.response_rate.per_cent) == (3, 5, 60)
    assert {label: share.count for label, share in s.distribution}["Very satisfied"] == 2
    assert s.nps.promoters == 2 and s.nps.passives == 1 and s.nps.score == 67
    assert s.question_text.startswith("Overall, how satisfied")


def test_anonymous_surveys_below_the_threshold_are_left_out_of_every_figure(programme):
    from lms.surveys.models import Survey

    Survey.objects.filter(run=programme.bristol).update(anonymous=True)  # one response
    s = figures.figures(Scope(Y2019), detail=True)[None].satisfaction
    assert (s.answered, s.very_satisfied, s.withheld) == (2, 1, 1)
    assert (s.respondents, s.attendees) == (2, 3)  # Bristol's attendees are not in the base either
    by_run = figures.figures(Scope(Y2019), "run", detail=True)
    assert by_run[programme.bristol.pk].satisfaction.answered == 0
    assert by_run[programme.bristol.pk].satisfaction.withheld == 1
    assert "Time to talk." not in [c["text"] for c in figures.comments(Scope(Y2019))]


def test_comments_name_people_only_when_the_survey_is_named(programme):
    comments = figures.comments(Scope(Y2019))
    assert [(c["text"], c["name"]) for c in comments] == [
        ("The case studies.", "Ann"),
        ("Time to talk.", "Fay"),
    ]


def test_attendance_per_session_counts_marks_of_confirmed_bookings(programme):
    rows = {
        (s.run_id, s.starts_at): counts for s, counts in figures.session_attendance(Scope(Y2019))
    }
    manchester = rows[(programme.manchester.pk, programme.manchester.starts_at)]
    assert (
        manchester["attended"],
        manchester["late"],
        manchester["absent"],
        manchester["unmarked"],
    ) == (2, 1, 1, 0)
    day_two = [c for (run, _), c in sorted(rows.items()) if run == programme.cohort.pk][-1]
    assert (day_two["attended"], day_two["excused"]) == (1, 1)


def test_attendance_by_month_covers_the_year_and_a_run_that_went_on_after_it(programme):
    months = dict(figures.attendance_by_month(Scope(Y2019)))
    assert months[(2019, 4)] == 0
    assert months[(2020, 1)] == 5  # three at Manchester (one late), two at Bristol
    assert months[(2020, 3)] == 2  # the cohort's first evening
    assert months[(2020, 4)] == 1  # its second day, in April, still part of a 2019/20 run
    assert list(months)[:12] == Y2019.months()


def test_months_counted_with_a_pages_groupings_are_the_months_counted_alone(programme):
    # The summary counts its chart's months in the statement that counts its tables.
    for groups in ([None, "theme", "course"], ["run"], [None]):
        grouped = figures.figures_by(Scope(Y2019), groups, months=True)
        assert grouped["month"] == {(2020, 1): 5, (2020, 3): 2, (2020, 4): 1}
    # Jon's London session, 1 April 2020 at 00:30 in London, is 31 March in UTC: April it is.
    assert figures.figures_by(Scope(Y2020), ["course"], months=True)["month"] == {(2020, 4): 1}
    assert "month" not in figures.figures_by(Scope(Y2019), [None])


def _alive(council, year):
    return (council.start_date is None or council.start_date <= year.last_day) and (
        council.end_date is None or council.end_date >= year.first_day
    )


def test_reach_by_type_and_region_beside_the_councils_that_existed(programme):
    rows, total = figures.reach(Scope(Y2019), "type")
    by_type = {r.value: (r.reached, r.existing) for r in rows}
    existing = [c for c in Council.objects.all() if _alive(c, Y2019)]
    assert total.existing == len(existing)
    assert by_type["metropolitan"][0] == 2  # Manchester (Ann and Bob), Birmingham
    assert by_type["county"][0] == 2  # Kent (Hal; Eve's cancelled place does not count), Somerset
    assert by_type["unitary"][0] == 1  # Bristol
    assert by_type["county"][1] == sum(1 for c in existing if c.type == "county")
    assert total.reached == 5  # Lewes: Dan did not come
    assert all(r.reached <= r.existing for r in rows)
    regions = {r.value: r.reached for r in figures.reach(Scope(Y2019), "region")[0]}
    assert regions["south_east"] == 1 and regions["north_west"] == 1
    officers = figures.reach(Scope(Y2019), "type", role="officer")[1]
    assert officers.reached == 2


def test_councils_never_reached_count_a_merged_councils_people_for_its_successor(programme):
    officers = figures.never_reached(Scope(theme=programme.income), role="officer")
    codes = set(officers.values_list("code", flat=True))
    assert "KEN" not in codes  # Hal
    assert "SMT" not in codes  # Somerset Council took over Somerset County, where Ivy works
    assert "SOM" not in codes  # past councils are not targets
    assert "CAM" in codes
    assert len(codes) == Council.objects.current().count() - 2
    councillors = figures.never_reached(Scope(theme=programme.transforming), role="councillor")
    codes = set(councillors.values_list("code", flat=True))
    assert {"MAN", "BIR", "BST", "CAM"}.isdisjoint(codes)  # CAM: Jon, in 2020/21
    assert "LEE" in codes  # Dan booked but never came
    assert set(
        figures.never_reached(Scope(), council_type="county", region="south_east").values_list(
            "type", "region"
        )
    ) == {("county", "south_east")}


def test_a_scope_that_matches_nothing_has_empty_figures(programme):
    f = figures.figures(Scope(FinancialYear(2031)))[None]
    assert f.is_empty and f.people == 0 and f.satisfaction.answered == 0
    assert figures.reach(Scope(FinancialYear(2031)), "region")[1].reached == 0


@pytest.mark.parametrize(
    "moment, label",
    [(date(2020, 3, 31), "2019/20"), (date(2020, 4, 1), "2020/21"), (date(2019, 4, 1), "2019/20")],
)
def test_financial_year_of_a_day(moment, label):
    assert FinancialYear.containing(moment).label == label


@pytest.mark.parametrize(
    "label, start",
    [
        ("2019/20", 2019),
        (" 1999/00 ", 1999),
        ("2019/21", None),
        ("2019-20", None),
        ("", None),
        ("abcd/ef", None),
        ("0000/01", None),
        ("9999/00", None),
    ],
)
def test_financial_year_labels(label, start):
    year = FinancialYear.parse(label)
    assert (year.start_year if year else None) == start


def test_financial_year_bounds_are_london_midnights():
    from datetime import datetime

    year = FinancialYear(2019)
    assert year.starts_at.astimezone(UTC) == datetime(2019, 3, 31, 23, 0, tzinfo=UTC)  # BST
    assert year.ends_before.astimezone(UTC) == datetime(2020, 3, 31, 23, 0, tzinfo=UTC)
    assert FinancialYear.containing(datetime(2020, 3, 31, 23, 30, tzinfo=UTC)).label == "2020/21"
    assert FinancialYear.containing(datetime(2020, 3, 31, 22, 59, tzinfo=UTC)).label == "2019/20"


@pytest.mark.parametrize(
    "rule, minimum, days, marks, completed",
    [
        ("all", None, 3, [A, A, A], True),
        ("all", None, 3, [A, L, P], False),
        ("at_least", 2, 3, [A, L, P], True),  # late is present
        ("at_least", 2, 3, [A, X, P], False),  # excused is not
        ("at_least", 5, 2, [A, A], True),  # a minimum above the run's sessions asks for them all
        ("at_least", 0, 2, [A, A], False),  # a minimum of none: nobody completes
        ("at_least", None, 2, [A, P], False),  # no minimum: every session
    ],
)
def test_completions_follow_the_runs_completion_rule_as_the_run_page_does(
    db, rule, minimum, days, marks, completed
):
    # The figures count completions in SQL over many bookings (RunQuerySet.sessions_to_complete);
    # the run page asks each booking (BookingQuerySet.with_completion). They must agree.
    page = factories.course_page("Completion rules")
    starts = at(2019, 6, 3)
    run = held_run(
        page,
        "Rule",
        starts,
        days=[starts + timedelta(days=d) for d in range(1, days)],
        completion_rule=rule,
        completion_min_sessions=minimum,
    )
    booking = book(run, person("Kim", "officer", "MAN"), marks=marks)
    assert Booking.objects.filter(pk=booking.pk).completed().exists() is completed
    f = figures.figures(Scope(Y2019, course=page))[None]
    assert (f.people, f.completions) == (1, int(completed))


def test_applications_are_every_booking_on_a_run_that_takes_applications(db):
    page = factories.course_page("Applications")
    approval = held_run(page, "By application", at(2019, 6, 3), booking_mode="approval")
    first_come = held_run(page, "First come", at(2019, 6, 10))
    for name, status in (("Ada", "confirmed"), ("Ben", "declined"), ("Cy", "requested")):
        book(approval, person(name, "officer", "MAN"), status=status)
    for name in ("Di", "Ed"):
        book(first_come, person(name, "officer", "MAN"))
    by_run = figures.figures(Scope(Y2019, course=page), group="run")
    assert (by_run[approval.pk].applications, by_run[first_come.pk].applications) == (3, 0)
    assert figures.figures(Scope(Y2019, course=page))[None].applications == 3


def test_completions_of_runs_with_different_rules_in_one_scope(db):
    page = factories.course_page("Mixed rules")
    starts, later = at(2019, 6, 3), at(2019, 6, 10)
    # "All sessions" ignores a minimum left set; "at least one" of two completes with one.
    every = held_run(
        page, "Every", starts, days=[later], completion_rule="all", completion_min_sessions=1
    )
    one = held_run(
        page,
        "One",
        at(2019, 7, 1),
        days=[at(2019, 7, 8)],
        completion_rule="at_least",
        completion_min_sessions=1,
    )
    book(every, person("Fi", "officer", "MAN"), marks=[A, P])
    book(every, person("Gil", "officer", "MAN"), marks=[A, A])
    book(one, person("Hu", "officer", "MAN"), marks=[A, P])
    by_run = figures.figures(Scope(Y2019, course=page), group="run")
    assert (by_run[every.pk].completions, by_run[one.pk].completions) == (1, 1)
    assert figures.figures(Scope(Y2019, course=page))[None].completions == 2
