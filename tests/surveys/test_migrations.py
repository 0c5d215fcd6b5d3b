"""The migration that takes the time and order out of anonymous answers, on data written the old
way: responses with autoincrement keys and invitations that recorded when they were answered."""

import importlib
import uuid
from datetime import timedelta

import pytest
from django.apps import apps as current_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lms.bookings import attendance
from lms.bookings import services as bookings
from lms.bookings.models import AttendanceStatus
from lms.surveys import services
from lms.surveys.models import Answer, Invitation, Response, SurveyTemplate
from tests import factories

# Migrating needs real transactions (SQLite alters tables outside them); the database is emptied
# afterwards, as for the booking race tests.
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("surveys", "0002_default_template_and_organisers")]
AFTER = [("surveys", "0005_drop_numbered_responses_and_answer_times")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _ended_run(people, anonymous):
    run = factories.run(capacity=people + 1, starts_in=-timedelta(days=2))
    for _ in range(people):
        booking = bookings.add_person(factories.person(), run)
        attendance.mark(booking, run.sessions.get(), AttendanceStatus.ATTENDED)
    survey = services.survey_for(run)
    survey.anonymous = anonymous
    survey.opened_at = run.ends_at + timedelta(hours=1)
    survey.closes_at = survey.opened_at + timedelta(days=28)
    survey.save()
    return survey


@pytest.fixture(autouse=True)
def refilled(transactional_db):
    """A transactional test before this one may have emptied the database: put back the council
    directory and the default survey template that migrating put there."""
    from django.contrib.contenttypes.models import ContentType

    from lms.accounts.councils import load_councils

    ContentType.objects.clear_cache()  # a flush gave content types new ids
    load_councils()
    if not SurveyTemplate.objects.exists():
        default = importlib.import_module(
            "lms.surveys.migrations.0002_default_template_and_organisers"
        )
        default.create_default_template(current_apps, None)


def test_existing_answers_keep_their_figures_and_lose_their_order_and_times():
    anonymous, named = _ended_run(6, anonymous=True), _ended_run(2, anonymous=False)
    try:
        old = _migrate(BEFORE)
        OldInvitation, OldResponse, OldAnswer = (
            old.get_model("surveys", name) for name in ("Invitation", "Response", "Answer")
        )
        template = SurveyTemplate.objects.get(is_default=True)
        questions = {q.key: q.pk for q in template.questions.all()}
        # The old service: answered invitations record when, responses are numbered in order.
        for survey, answering in ((anonymous, 5), (named, 1)):
            for i, booking in enumerate(survey.run.bookings.order_by("pk")):
                when = survey.opened_at + timedelta(hours=i + 1, seconds=i)
                answered = i < answering
                invitation = OldInvitation.objects.create(
                    survey_id=survey.pk,
                    booking_id=booking.pk,
                    sent_at=survey.opened_at,
                    responded_at=when if answered else None,
                )
                if answered:
                    response = OldResponse.objects.create(
                        survey_id=survey.pk,
                        invitation_id=None if survey.anonymous else invitation.pk,
                        submitted_at=None if survey.anonymous else when,
                    )
                    for key, value in (
                        ("satisfaction", {"choice": ["Very satisfied", "Satisfied"][i % 2]}),
                        ("recommend", {"number": 10 - i}),
                        ("most_useful", {"text": f"Note {i}"}),
                    ):
                        OldAnswer.objects.create(
                            response_id=response.pk, question_id=questions[key], **value
                        )
        assert OldResponse.objects.count() == 6 and OldAnswer.objects.count() == 18
    finally:
        _migrate(AFTER)

    # Invitations say only whether they were answered.
    assert Invitation.objects.filter(survey=anonymous, answered=True).count() == 5
    assert Invitation.objects.filter(survey=anonymous, answered=False).count() == 1
    assert "responded_at" not in {f.name for f in Invitation._meta.get_fields()}
    # Every response and answer is keyed by a UUID, with its answers still together.
    assert all(isinstance(pk, uuid.UUID) for pk in Response.objects.values_list("pk", flat=True))
    assert all(isinstance(pk, uuid.UUID) for pk in Answer.objects.values_list("pk", flat=True))
    for response in Response.objects.filter(survey=anonymous):
        assert response.invitation_id is None and response.submitted_at is None
        values = {a.question.key: a.choice or a.text or a.number for a in response.answers.all()}
        i = int(values["most_useful"].removeprefix("Note "))
        assert values == {
            "satisfaction": ["Very satisfied", "Satisfied"][i % 2],
            "recommend": 10 - i,
            "most_useful": f"Note {i}",
        }
    # The figures are those of before.
    results = services.results(anonymous)
    assert (results.respondents, results.attendees, results.suppressed) == (5, 6, False)
    assert (results.satisfaction.top_box.count, results.satisfaction.top_two.count) == (3, 5)
    silent = Invitation.objects.get(survey=anonymous, answered=False).booking.person
    assert services.waiting_for(silent, now=anonymous.opened_at + timedelta(days=1)).count() == 1
    # A named survey keeps who answered and when.
    kept = Response.objects.get(survey=named)
    assert kept.invitation.booking.survey_invitation.answered
    assert kept.submitted_at == named.opened_at + timedelta(hours=1)
    assert services.results(named).question("most_useful").texts == [
        {"text": "Note 0", "name": kept.invitation.booking.person.full_name}
    ]
