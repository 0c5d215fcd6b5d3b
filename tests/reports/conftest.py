"""A small, fully known programme for the figures tests.

2019/20 (Europe/London):
- "Data and digital" (theme Transforming services), masterclasses for councillors:
  - Manchester, 24 January 2020, 10 places: Ann, Bob, Cat confirmed and present; Dan confirmed
    and absent (a no-show); Eve booked and cancelled (she had been marked present first:
    a cancelled booking is never an attendance).
  - Bristol, 31 January 2020, 2 places: Ann again (same person, second attendance) and Fay;
    Gus on the waiting list.
  Survey on both, named: Manchester answered by Ann (very satisfied, 10), Bob (satisfied, 7);
  Bristol by Fay (very satisfied, 9).
- "Officer cohort" (theme Generating income), two days, 31 March 2020 at 23:30 and 7 April:
  its first session is still 31 March in London, so it is 2019/20. Hal (officer) at both days,
  Ivy (officer) at one day only: completion needs both.
2020/21: "Data and digital", London, 1 April 2020 at 00:30 London time (31 March 23:30 UTC):
  Jon present. It belongs to 2020/21.
"""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model

from courses.models import MasterclassPage, OfficerProgrammePage
from lms.accounts.models import Council
from lms.bookings.models import (
    Attendance,
    AttendanceStatus,
    Booking,
    BookingStatus,
    Run,
    Session,
    Venue,
)
from lms.core.time import LONDON
from lms.pages.models import Theme
from tests import factories


def at(year, month, day, hour=10, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def held_run(page, title, starts, *, days=(), capacity=10, city="Manchester", hours=6, **fields):
    venue = Venue.objects.get_or_create(
        name=f"{city} Town Hall",
        city=city,
        defaults={"address": "1 High Street", "region": "north_west"},
    )[0]
    run = Run.objects.create(page=page, title=title, capacity=capacity, venue=venue, **fields)
    for start in [starts, *days]:
        Session.objects.create(run=run, starts_at=start, ends_at=start + timedelta(hours=hours))
    run.refresh_dates()
    return run


_references = iter(range(1000, 100000))


def book(run, person, status=BookingStatus.CONFIRMED, marks=(), **fields):
    booking = Booking.objects.create(
        run=run, person=person, status=status, reference=f"T-{next(_references)}", **fields
    )
    for session, mark in zip(run.sessions.order_by("starts_at"), marks, strict=False):
        Attendance.objects.create(booking=booking, session=session, status=mark)
    return booking


def person(name, role, council_code):
    return get_user_model().objects.create_user(
        email=f"{name.lower()}@example.org",
        full_name=name,
        role=role,
        council=Council.objects.get(code=council_code) if council_code else None,
    )


def answer(run, booking, satisfaction, recommend, text=""):
    from lms.surveys.models import Answer, Invitation, Response, Survey, SurveyTemplate

    template = SurveyTemplate.objects.get(is_default=True)
    survey, _ = Survey.objects.get_or_create(
        run=run, defaults={"template": template, "opened_at": run.ends_at + timedelta(hours=2)}
    )
    invitation = Invitation.objects.create(
        survey=survey, booking=booking, sent_at=survey.opened_at, answered=True
    )
    response = Response.objects.create(
        survey=survey,
        invitation=None if survey.anonymous else invitation,
        submitted_at=None if survey.anonymous else survey.opened_at + timedelta(days=1),
    )
    questions = {q.key: q for q in template.questions.all()}
    Answer.objects.create(
        response=response, question=questions["satisfaction"], choice=satisfaction
    )
    Answer.objects.create(response=response, question=questions["recommend"], number=recommend)
    if text:
        Answer.objects.create(response=response, question=questions["most_useful"], text=text)
    return response


A, P, L, X = (
    AttendanceStatus.ATTENDED,
    AttendanceStatus.ABSENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
)


@pytest.fixture
def programme(db):
    return build_programme()


def build_programme():
    """The programme above; returns a namespace of what the tests refer to."""
    from types import SimpleNamespace

    transforming = Theme.objects.get_or_create(
        slug="transforming-services", defaults={"name": "Transforming services", "summary": "x"}
    )[0]
    income = Theme.objects.get_or_create(
        slug="generating-income", defaults={"name": "Generating income", "summary": "x"}
    )[0]
    digital = factories.course_page(
        "Data and digital",
        MasterclassPage,
        theme=transforming,
        report_subject="data and digital transformation",
    )
    cohort_page = factories.course_page("Officer cohort", OfficerProgrammePage, theme=income)

    ann = person("Ann", "councillor", "MAN")  # Manchester: metropolitan, North West
    bob = person("Bob", "councillor", "MAN")
    cat = person("Cat", "councillor", "BIR")  # Birmingham: metropolitan, West Midlands
    dan = person("Dan", "councillor", "LEE")
    eve = person("Eve", "councillor", "KEN")
    fay = person("Fay", "councillor", "BST")  # Bristol: unitary, South West
    gus = person("Gus", "councillor", "SOM")
    hal = person("Hal", "officer", "KEN")  # Kent: county, South East
    ivy = person("Ivy", "officer", "SOM")
    jon = person("Jon", "councillor", "CAM")

    manchester = held_run(digital, "Manchester", at(2020, 1, 24), audience="councillors")
    bristol = held_run(
        digital, "Bristol", at(2020, 1, 31), capacity=2, city="Bristol", audience="councillors"
    )
    cohort = held_run(
        cohort_page,
        "Cohort 1",
        at(2020, 3, 31, 23, 30),
        days=[at(2020, 4, 7)],
        hours=1,
        capacity=5,
        audience="officers",
    )
    london = held_run(
        digital, "London", at(2020, 4, 1, 0, 30), city="London", audience="councillors"
    )

    bookings = {
        "ann_m": book(manchester, ann, marks=[A]),
        "bob_m": book(manchester, bob, marks=[L]),
        "cat_m": book(manchester, cat, marks=[A]),
        "dan_m": book(manchester, dan, marks=[P]),
        "eve_m": book(manchester, eve, status=BookingStatus.CANCELLED, marks=[A]),
        "ann_b": book(bristol, ann, marks=[A]),
        "fay_b": book(bristol, fay, marks=[A]),
        "gus_b": book(bristol, gus, status=BookingStatus.WAITLISTED),
        "hal_c": book(cohort, hal, marks=[A, A]),
        "ivy_c": book(cohort, ivy, marks=[A, X]),
        "jon_l": book(london, jon, marks=[A]),
    }
    answer(manchester, bookings["ann_m"], "Very satisfied", 10, "The case studies.")
    answer(manchester, bookings["bob_m"], "Satisfied", 7)
    answer(bristol, bookings["fay_b"], "Very satisfied", 9, "Time to talk.")
    return SimpleNamespace(
        digital=digital,
        cohort_page=cohort_page,
        transforming=transforming,
        income=income,
        manchester=manchester,
        bristol=bristol,
        cohort=cohort,
        london=london,
        bookings=bookings,
        people=SimpleNamespace(
            ann=ann, bob=bob, cat=cat, dan=dan, eve=eve, fay=fay, gus=gus, hal=hal, ivy=ivy, jon=jon
        ),
    )
