"""The demo programme reproduces PROGRAMME.md's 2019/20 facts and always has something to book."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q

from lms.bookings.models import Audience, Booking, BookingStatus, Run
from lms.bookings.services import eligibility_problem, has_completed

pytestmark = pytest.mark.django_db

FY_START, FY_END = date(2019, 4, 1), date(2020, 3, 31)


@pytest.fixture
def demo(demo_loaded, db):
    """The demo, loaded once for this module (tests/conftest.py); each test's changes undone."""


def confirmed_on(slug, start=FY_START, end=FY_END):
    return Booking.objects.filter(
        run__page__slug=slug,
        status=BookingStatus.CONFIRMED,
        run__starts_at__date__gte=start,
        run__starts_at__date__lte=end,
    )


def test_data_and_digital_masterclasses_in_four_cities_with_54_councillors(demo):
    runs = Run.objects.filter(page__slug="data-and-digital-transformation").order_by("starts_at")
    assert [(r.venue.city, r.starts_at.date()) for r in runs] == [
        ("Manchester", date(2020, 1, 24)),
        ("Bristol", date(2020, 1, 31)),
        ("Newcastle", date(2020, 2, 7)),
        ("London", date(2020, 2, 14)),
    ]
    bookings = confirmed_on("data-and-digital-transformation")
    assert bookings.count() == 54
    assert set(bookings.values_list("person__role", flat=True)) == {"councillor"}


def test_commercial_masterclasses_78_councillors_and_oversubscribed(demo):
    assert confirmed_on("commercial-skills-masterclass").count() == 78
    runs = Run.objects.filter(
        page__slug="commercial-skills-masterclass", starts_at__date__lte=FY_END
    )
    assert sorted(r.venue.city for r in runs) == ["Birmingham", "London", "Manchester", "Taunton"]
    for run in runs.annotate(
        waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED))
    ):
        assert run.waiting > 0  # oversubscribed: the waiting list is the evidence


def test_three_officer_cohorts_with_50_officers_over_several_days(demo):
    runs = Run.objects.filter(page__slug="commercial-skills-officers", starts_at__date__lte=FY_END)
    assert sorted(r.venue.city for r in runs) == ["London", "Manchester", "Taunton"]
    assert all(r.sessions.count() == 3 for r in runs)
    assert confirmed_on("commercial-skills-officers").count() == 50


def test_nearly_1000_elearning_enrolments_500_in_the_latest_intake(demo):
    enrolled = confirmed_on("contract-management-elearning")
    assert 950 <= enrolled.count() < 1000
    latest = Run.objects.filter(
        page__slug="contract-management-elearning", starts_at__date__lte=FY_END
    ).latest("starts_at")
    assert latest.bookings.filter(status=BookingStatus.CONFIRMED).count() == 500


def test_conferences_and_a_sold_out_showcase(demo):
    showcase = Run.objects.get(page__slug="digital-showcase-2019")
    assert showcase.starts_at.date() == date(2019, 11, 4)
    assert showcase.places_left == 0
    social_value = Run.objects.get(page__slug="social-value-conference-2020")
    assert social_value.sessions.count() == 2
    assert social_value.bookings.filter(status=BookingStatus.CONFIRMED).count() > 800


def test_next_programme_has_runs_to_book_some_nearly_full_and_one_full_with_a_waiting_list(demo):
    upcoming = Run.objects.upcoming().annotate(
        taken=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
        waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)),
    )
    assert upcoming.count() >= 8
    assert any(r.taken == r.capacity and r.waiting > 0 for r in upcoming)
    assert any(0 < r.capacity - r.taken <= 2 for r in upcoming)
    alumni = upcoming.get(audience=Audience.ALUMNI)
    officers = Booking.objects.filter(
        run__page__slug="commercial-skills-officers", run__ends_at__year__lte=2020
    )
    graduate = officers.completed().first().person
    assert has_completed(graduate, alumni.alumni_of)
    assert eligibility_problem(graduate, alumni) is None
    # A few officers missed a day: their attendance is partial and they have not completed.
    partial = [b for b in officers.with_completion() if b.status == "confirmed" and not b.completed]
    assert partial and all(0 < b.sessions_attended < b.sessions_total for b in partial)
    assert eligibility_problem(partial[0].person, alumni) is not None


def test_people_come_from_councils_of_every_type_and_region(demo):
    people = Booking.objects.filter(status=BookingStatus.CONFIRMED).exclude(person__council=None)
    assert people.values("person__council__type").distinct().count() == 6
    assert people.values("person__council__region").distinct().count() == 9
    assert people.filter(person__council__end_date__isnull=False).exists()  # since-merged councils


def test_loading_the_demo_again_adds_and_changes_nothing(demo):
    references = sorted(Booking.objects.values_list("reference", flat=True))[:20]
    counts = (Booking.objects.count(), Run.objects.count())
    call_command("load_demo")
    assert (Booking.objects.count(), Run.objects.count()) == counts
    assert sorted(Booking.objects.values_list("reference", flat=True))[:20] == references


def test_data_and_digital_54_councillors_attended_and_79_per_cent_of_respondents_very_satisfied(
    demo,
):
    from lms.bookings.models import PRESENT_STATUSES
    from lms.surveys.models import Answer, Invitation
    from lms.surveys.services import results

    runs = Run.objects.filter(
        page__slug="data-and-digital-transformation", starts_at__date__lte=FY_END
    )
    attended = Booking.objects.filter(
        run__in=runs, attendances__status__in=PRESENT_STATUSES
    ).distinct()
    assert attended.count() == 54
    assert set(attended.values_list("person__role", flat=True)) == {"councillor"}
    responded = Invitation.objects.filter(survey__run__in=runs, answered=True).count()
    satisfaction = Answer.objects.filter(
        response__survey__run__in=runs, question__key="satisfaction"
    )
    very = satisfaction.filter(choice="Very satisfied").count()
    assert (very, satisfaction.count(), responded) == (34, 43, 43)
    assert round(100 * very / responded) == 79
    # Each run's own results agree with the whole: they add up to the same 34 of 43 of 54.
    per_run = [results(run) for run in runs]
    assert sum(r.respondents for r in per_run) == 43
    assert sum(r.attendees for r in per_run) == 54


def test_commercial_skills_78_councillors_attended(demo):
    from lms.bookings.models import PRESENT_STATUSES

    attended = Booking.objects.filter(
        run__page__slug="commercial-skills-masterclass",
        run__starts_at__date__lte=FY_END,
        attendances__status__in=PRESENT_STATUSES,
    ).distinct()
    assert attended.count() == 78


def test_everyone_who_completed_a_masterclass_or_cohort_has_a_certificate_and_nobody_else(demo):
    from lms.certificates.models import Certificate

    taught = Booking.objects.filter(
        run__page__slug__in=[
            "data-and-digital-transformation",
            "commercial-skills-masterclass",
            "commercial-skills-officers",
        ],
        run__starts_at__date__lte=FY_END,
    )
    completed = set(taught.completed().values_list("pk", flat=True))
    certified = set(
        Certificate.objects.valid().filter(booking__in=taught).values_list("booking_id", flat=True)
    )
    assert certified == completed
    assert 54 + 78 < len(completed) < 54 + 78 + 50  # a few officers missed a cohort day
    # Nobody else: every certificate in the demo, 2019/20 or since (the demo councillor's and
    # officer's course last week), is for a booking that completed its run.
    everyone = Certificate.objects.valid().values_list("booking_id", flat=True)
    assert set(everyone) == set(
        Booking.objects.filter(pk__in=everyone).completed().values_list("pk", flat=True)
    )


def test_each_course_counts_different_people_and_pages_name_themselves_for_board_reports(demo):
    from lms.bookings.models import PRESENT_STATUSES
    from lms.bookings.pages import BookablePage

    def people_present(slug):
        return (
            Booking.objects.filter(
                run__page__slug=slug,
                run__starts_at__date__gte=FY_START,
                run__starts_at__date__lte=FY_END,
                attendances__status__in=PRESENT_STATUSES,
            )
            .values("person")
            .distinct()
            .count()
        )

    assert people_present("data-and-digital-transformation") == 54
    assert people_present("commercial-skills-masterclass") == 78
    assert people_present("commercial-skills-officers") == 50
    # Nobody holds two bookings, of any status, on runs of one course.
    twice = Booking.objects.values("run__page", "person").annotate(n=Count("pk")).filter(n__gt=1)
    assert not twice.exists()
    subjects = dict(BookablePage.objects.values_list("slug", "report_subject"))
    assert subjects["data-and-digital-transformation"] == "data and digital transformation"
    assert (
        subjects["commercial-skills-masterclass"]
        == subjects["commercial-skills-officers"]
        == "commercial skills"
    )
    assert subjects["contract-management-elearning"] == "contract management e-learning"
    assert subjects["digital-showcase-2019"] == "the digital showcase"
    assert all(subjects.values())


def test_elearning_completions_come_from_the_providers_files_through_the_import(demo):
    from lms.bookings.models import AttendanceChange, AttendanceSource, AttendanceStatus

    intakes = Run.objects.filter(
        page__slug="contract-management-elearning", starts_at__date__lte=FY_END
    ).order_by("starts_at")
    shares = []
    for run, (low, high) in zip(intakes, [(0.70, 0.85), (0.45, 0.65)], strict=True):
        confirmed = run.bookings.filter(status=BookingStatus.CONFIRMED)
        completed = confirmed.completed()
        imported = AttendanceChange.objects.filter(
            booking__run=run, source=AttendanceSource.IMPORT, new_status=AttendanceStatus.ATTENDED
        )
        assert (
            completed.count() == imported.count() == imported.values("booking").distinct().count()
        )
        assert set(completed.values_list("pk", flat=True)) == set(
            imported.values_list("booking", flat=True)
        )
        # Everyone on the provider's file has a mark; only the organiser's import made them.
        changes = AttendanceChange.objects.filter(booking__run=run)
        assert changes.count() == confirmed.count()
        assert set(changes.values_list("source", "changed_by__email")) == {
            ("import", "organiser@example.org")
        }
        shares.append(completed.count() / confirmed.count())
        assert low <= shares[-1] <= high, shares
    # Completions in the future intake: none yet.
    assert (
        not Booking.objects.filter(
            run__page__slug="contract-management-elearning", run__starts_at__date__gt=FY_END
        )
        .completed()
        .exists()
    )


def test_every_demo_booking_has_a_history_that_ends_in_its_status(demo):
    from django.db.models import OuterRef, Subquery

    from lms.bookings.models import BookingEvent

    last = (
        BookingEvent.objects.filter(booking=OuterRef("pk"))
        .order_by("-at", "-pk")
        .values("to_status")[:1]
    )
    bookings = Booking.objects.annotate(last=Subquery(last), changes=Count("events"))
    assert bookings.filter(changes=0).count() == 0
    assert bookings.exclude(last=F("status")).count() == 0
    cancelled = bookings.filter(status=BookingStatus.CANCELLED)
    assert cancelled.exists() and not cancelled.exclude(changes=2).exists()
