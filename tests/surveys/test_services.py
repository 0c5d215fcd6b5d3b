"""Opening a run's survey, inviting attendees only, answering once, one reminder."""

from datetime import timedelta

import pytest
from django.core import mail

from lms.bookings import attendance
from lms.bookings.models import AttendanceStatus, Booking
from lms.bookings.services import add_person, cancel_run
from lms.surveys import services
from lms.surveys.models import Answer, Invitation, QuestionKind, Response, SurveyTemplate
from lms.surveys.services import InvalidAnswers, SurveyUnavailable
from tests import factories

from .conftest import answers, ended_run


def answered(booking):
    """Whether the booking's person has answered, as My learning and certificates ask it."""
    return services.responded(Booking.objects.filter(pk=booking.pk)).exists()


pytestmark = pytest.mark.django_db


def test_every_run_gets_the_default_course_satisfaction_survey():
    survey = services.survey_for(factories.run())
    assert survey.template.is_default and survey.template.name == "Course satisfaction"
    questions = list(survey.template.questions.all())
    assert [q.key for q in questions] == ["satisfaction", "recommend", "most_useful", "change"]
    satisfaction = questions[0]
    assert satisfaction.text == (
        "Overall, how satisfied are you with the course and how it has developed your knowledge and role?"
    )
    assert satisfaction.options() == [
        "Very satisfied",
        "Satisfied",
        "Neither satisfied nor dissatisfied",
        "Dissatisfied",
        "Very dissatisfied",
    ]
    assert questions[1].kind == QuestionKind.SCALE and questions[1].options() == [
        str(n) for n in range(11)
    ]
    assert services.survey_for(survey.run) == survey  # one survey a run


def test_invitations_go_only_to_people_who_attended(django_capture_on_commit_callbacks):
    run, marked = ended_run(present=2, late=1, absent=2)
    attendance.mark(
        marked[AttendanceStatus.ABSENT][1], run.sessions.get(), AttendanceStatus.EXCUSED
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_invitations(run) == 3
    present = marked[AttendanceStatus.ATTENDED] + marked[AttendanceStatus.LATE]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(b.person.email for b in present)
    invitation = present[0].survey_invitation
    message = next(m for m in mail.outbox if m.to == [present[0].person.email])
    assert message.subject.startswith("How was") and invitation.get_absolute_url() in message.body
    assert not Invitation.objects.filter(booking__in=marked[AttendanceStatus.ABSENT]).exists()


def test_the_survey_waits_until_the_last_session_has_ended():
    run = factories.run(starts_in=-timedelta(days=1), days=2)  # second session next week
    booking = add_person(factories.person(), run)
    attendance.mark(booking, run.sessions.first(), AttendanceStatus.ATTENDED)
    assert services.send_invitations(run) == 0
    assert not Invitation.objects.exists()
    assert services.send_invitations(run, now=run.ends_at + timedelta(minutes=1)) == 1


def test_sending_again_invites_only_people_marked_present_since(django_capture_on_commit_callbacks):
    run, marked = ended_run(present=2, absent=1)
    services.send_invitations(run)
    latecomer = marked[AttendanceStatus.ABSENT][0]
    attendance.mark(latecomer, run.sessions.get(), AttendanceStatus.LATE)  # register corrected
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_invitations(run) == 1
    assert [m.to for m in mail.outbox] == [[latecomer.person.email]]
    assert Invitation.objects.count() == 3


def test_housekeeping_opens_surveys_of_runs_just_ended_not_old_or_cancelled_ones():
    recent, _ = ended_run(present=1, absent=0)
    _old, _ = ended_run(present=1, absent=0, ended=timedelta(days=60))
    cancelled, _ = ended_run(present=1, absent=0)
    cancel_run(cancelled, "Snow.")
    assert services.open_due_surveys() == 1
    assert Invitation.objects.get().survey.run == recent
    assert services.open_due_surveys() == 0  # nothing twice
    survey = services.survey_for(recent)
    assert survey.closes_at == survey.opened_at + timedelta(days=28)


def test_an_answer_is_recorded_once(opened):
    run, invitations, _ = opened()
    survey = services.survey_for(run)
    response = services.submit_response(
        invitations[0].token, answers(survey, most_useful="The case studies")
    )
    assert response.invitation == invitations[0]
    assert Answer.objects.filter(response=response, text="The case studies").exists()
    with pytest.raises(
        SurveyUnavailable, match=r"You have already answered\. Thank you\."
    ) as refused:
        services.submit_response(invitations[0].token, answers(survey, satisfaction="Dissatisfied"))
    assert refused.value.reason == "used"
    assert Response.objects.count() == 1
    assert not Answer.objects.filter(choice="Dissatisfied").exists()


def test_missing_or_invented_answers_record_nothing_and_the_link_still_works(opened):
    run, invitations, _ = opened()
    survey = services.survey_for(run)
    satisfaction, recommend = (q.pk for q in survey.template.questions.all()[:2])
    with pytest.raises(InvalidAnswers) as invalid:
        services.submit_response(
            invitations[0].token, answers(survey, satisfaction="Ecstatic", recommend="")
        )
    assert set(invalid.value.errors) == {satisfaction, recommend}
    assert not Response.objects.exists() and not Answer.objects.exists()
    services.submit_response(invitations[0].token, answers(survey))
    assert Response.objects.count() == 1


def test_links_that_cannot_be_answered_say_why(opened):
    run, invitations, _ = opened()
    survey = services.survey_for(run)
    with pytest.raises(SurveyUnavailable, match="not recognised"):
        services.submit_response(invitations[0].token[:-1] + "x", answers(survey))
    attendance.mark(
        invitations[1].booking, run.sessions.get(), AttendanceStatus.ABSENT
    )  # corrected
    with pytest.raises(SurveyUnavailable, match="does not show you at this course"):
        services.submit_response(invitations[1].token, answers(survey))
    after_closing = survey.closes_at + timedelta(seconds=1)
    with pytest.raises(SurveyUnavailable, match="This survey closed on") as closed:
        services.submit_response(invitations[2].token, answers(survey), now=after_closing)
    assert closed.value.reason == "closed"
    assert not Response.objects.exists()
    assert not Invitation.objects.filter(answered=True).exists()


def test_one_reminder_goes_to_non_respondents_after_the_set_days(
    opened, django_capture_on_commit_callbacks
):
    run, (answered, silent, also_silent), _ = opened()
    survey = services.survey_for(run)
    services.submit_response(answered.token, answers(survey))
    week = silent.sent_at + timedelta(days=survey.reminder_after_days)
    assert services.send_reminders(now=week - timedelta(minutes=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(now=week) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [silent.booking.person.email, also_silent.booking.person.email]
    )
    assert all(m.subject.startswith("Reminder:") and "/survey/" in m.body for m in mail.outbox)
    assert services.send_reminders(now=week + timedelta(days=7)) == 0  # only one reminder


def test_no_reminder_once_the_survey_has_closed(opened):
    run, invitations, _ = opened()
    survey = services.survey_for(run)
    survey.closes_at = invitations[0].sent_at + timedelta(days=3)
    survey.save()
    assert services.send_reminders(now=invitations[0].sent_at + timedelta(days=8)) == 0
    assert not Invitation.objects.filter(reminded_at__isnull=False).exists()


def test_an_anonymous_response_holds_no_link_to_the_person(opened):
    run, invitations, _ = opened(anonymous=True)
    response = services.submit_response(invitations[0].token, answers(services.survey_for(run)))
    response.refresh_from_db()
    assert response.invitation is None and response.submitted_at is None
    invitations[0].refresh_from_db()
    assert invitations[0].answered  # only that the person has answered
    assert answered(invitations[0].booking)


def test_who_has_responded_and_what_is_waiting_for_a_person(opened):
    run, (done, waiting, _), absentees = opened()
    services.submit_response(done.token, answers(services.survey_for(run)))
    assert answered(done.booking) and not answered(waiting.booking)
    assert list(services.responded(run.bookings.all())) == [done.booking]
    assert list(services.waiting_for(waiting.booking.person)) == [waiting]
    assert not services.waiting_for(done.booking.person).exists()
    assert not services.waiting_for(absentees[0].person).exists()
    closed = services.survey_for(run).closes_at
    assert not services.waiting_for(waiting.booking.person, now=closed).exists()


def test_housekeeping_command_invites_attendees_of_ended_runs(django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    _run, marked = ended_run(present=2, absent=1)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("survey_housekeeping", stdout=out)
    assert out.getvalue().strip() == "2 survey invitations sent; 0 reminders sent."
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        b.person.email for b in marked[AttendanceStatus.ATTENDED]
    )


def test_a_submission_racing_another_on_the_same_link_records_nothing(opened, monkeypatch):
    run, (invitation, *_), _ = opened()
    survey = services.survey_for(run)
    stale = services.invitation_for(invitation.token)  # read before the other submission lands
    services.submit_response(invitation.token, answers(survey, satisfaction="Satisfied"))
    monkeypatch.setattr(services, "invitation_for", lambda token, now=None: stale)
    with pytest.raises(SurveyUnavailable, match="already answered"):
        services.submit_response(invitation.token, answers(survey, satisfaction="Dissatisfied"))
    assert (
        Response.objects.count() == 1 and Answer.objects.filter(choice="Dissatisfied").count() == 0
    )


def test_without_a_default_template_a_run_gets_the_oldest():
    SurveyTemplate.objects.update(is_default=False)
    assert services.survey_for(factories.run()).template.name == "Course satisfaction"
