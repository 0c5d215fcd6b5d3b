from datetime import timedelta

import pytest

from lms.bookings import attendance
from lms.bookings import services as bookings
from lms.bookings.models import AttendanceStatus
from lms.surveys import services
from tests import factories


def ended_run(present=3, absent=1, late=0, ended=timedelta(hours=1), **fields):
    """A run whose last session ended `ended` ago, with bookings marked attended, late or absent.
    Returns the run and its bookings by mark."""
    run = factories.run(
        capacity=present + absent + late + 5, starts_in=-ended - timedelta(hours=6), **fields
    )
    session = run.sessions.get()
    marked = {}
    for status, n in (
        (AttendanceStatus.ATTENDED, present),
        (AttendanceStatus.LATE, late),
        (AttendanceStatus.ABSENT, absent),
    ):
        marked[status] = []
        for _ in range(n):
            booking = bookings.add_person(factories.person(), run)
            attendance.mark(booking, session, status)
            marked[status].append(booking)
    return run, marked


@pytest.fixture
def opened():
    """An ended run whose survey has opened: the run, its invitations (of people present) and
    its absentees' bookings."""

    def make(present=3, absent=1, anonymous=False, **fields):
        run, marked = ended_run(present=present, absent=absent, **fields)
        if anonymous:
            survey = services.survey_for(run)
            survey.anonymous = True
            survey.save()
        services.send_invitations(run)
        invitations = [b.survey_invitation for b in marked[AttendanceStatus.ATTENDED]]
        return run, invitations, marked[AttendanceStatus.ABSENT]

    return make


def answers(survey, satisfaction="Very satisfied", recommend=10, most_useful="", change=""):
    """Answers to the default template, keyed by question id as submit_response takes them."""
    by_key = {q.key: q.pk for q in survey.template.questions.all()}
    return {
        by_key["satisfaction"]: satisfaction,
        by_key["recommend"]: recommend,
        by_key["most_useful"]: most_useful,
        by_key["change"]: change,
    }
