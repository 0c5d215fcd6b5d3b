"""Completion is defined once (`lms.bookings.models.sessions_required`): what a booking's progress
says is needed, and what the figures count a run's completions against, are the same number for
every rule a run can have."""

import pytest
from django.db.models import OuterRef, Subquery

from lms.bookings import attendance, services
from lms.bookings.models import Booking, Run
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("rule", "minimum", "sessions", "needed"),
    [
        ("all", None, 3, 3),
        ("all", 2, 3, 3),  # a minimum counts only with the "at least" rule
        ("at_least", 2, 3, 2),
        ("at_least", 5, 3, 3),  # more than the run has: all of them
        ("at_least", None, 3, 3),
        ("at_least", 0, 3, None),  # a minimum of none: nobody completes
    ],
)
def test_a_bookings_progress_and_the_figures_ask_the_same_number_of_sessions(
    rule, minimum, sessions, needed
):
    run = factories.run(days=sessions, completion_rule="all")
    Run.objects.filter(pk=run.pk).update(completion_rule=rule, completion_min_sessions=minimum)
    booking = services.book(factories.person(), run).booking
    for session in run.sessions.order_by("starts_at")[:2]:
        attendance.mark(booking, session, "attended")

    progress = Booking.objects.with_completion().get(pk=booking.pk)
    for_figures = (
        Booking.objects.filter(pk=booking.pk)
        .annotate(
            required=Subquery(
                Run.objects.filter(pk=OuterRef("run"))
                .annotate(n=Run.objects.sessions_to_complete())
                .values("n")[:1]
            )
        )
        .get()
    )
    assert progress.sessions_required == for_figures.required == needed
    assert progress.completed == (needed is not None and needed <= 2)
