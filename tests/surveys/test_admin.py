"""Organisers' survey pages in the Wagtail admin: templates, a run's survey, its figures."""

import pytest
from django.core import mail

from lms.surveys import services
from lms.surveys.models import Invitation, QuestionKind, SurveyTemplate
from tests import factories

from .conftest import answers, ended_run
from .test_figures import KNOWN, answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def template_form(template, **changes):
    """The editor's POST for a template and its questions (the InlinePanel formset)."""
    questions = list(template.questions.all())
    data = {
        "name": template.name,
        "description": template.description,
        "is_default": "on" if template.is_default else "",
        "questions-TOTAL_FORMS": len(questions),
        "questions-INITIAL_FORMS": len(questions),
        "questions-MIN_NUM_FORMS": 1,
        "questions-MAX_NUM_FORMS": 1000,
    }
    for i, q in enumerate(questions):
        data.update(
            {
                f"questions-{i}-id": q.pk,
                f"questions-{i}-ORDER": i + 1,
                f"questions-{i}-DELETE": "",
                f"questions-{i}-kind": q.kind,
                f"questions-{i}-text": q.text,
                f"questions-{i}-hint": q.hint,
                f"questions-{i}-choices": q.choices,
                f"questions-{i}-required": "on" if q.required else "",
                f"questions-{i}-key": q.key,
            }
        )
    data.update(changes)
    return data


def test_run_survey_page_states_every_figure_with_its_base(organiser_client, opened):
    run, invitations, _ = opened(present=7, absent=2)
    answer_all(run, invitations, KNOWN)
    page = organiser_client.get(f"/admin/runs/{run.pk}/survey/").content.decode()
    assert (
        "60 per cent very satisfied</strong> (3 of 5 respondents); 5 of 7 attendees responded."
        in page
    )
    assert "80 per cent satisfied or very satisfied (4 of 5 respondents)" in page
    assert (
        "Net Promoter Score <strong>40</strong>: 3 promoters (9–10), 1 passives (7–8), 1 detractors (0–6), of 5"
        in page
    )
    assert "The case studies — " + invitations[0].booking.person.full_name in page


def test_an_anonymous_run_shows_no_breakdown_below_five_and_no_names(organiser_client, opened):
    run, invitations, _ = opened(present=6, anonymous=True)
    answer_all(run, invitations, KNOWN[:4])
    page = organiser_client.get(f"/admin/runs/{run.pk}/survey/").content.decode()
    assert "4 of 6</strong> attendees responded" in page
    assert "shown once 5 people have answered" in page
    assert "very satisfied</strong>" not in page and "The case studies" not in page
    answer_all(run, invitations[4:], KNOWN[4:])
    page = organiser_client.get(f"/admin/runs/{run.pk}/survey/").content.decode()
    assert "60 per cent very satisfied" in page and "The case studies" in page
    assert not any(i.booking.person.full_name in page for i in invitations)


def test_send_invitations_now_only_once_the_run_has_ended(
    organiser_client, django_capture_on_commit_callbacks
):
    upcoming = factories.run()
    response = organiser_client.post(f"/admin/runs/{upcoming.pk}/survey/send/", follow=True)
    assert "once the run&#x27;s last session has ended" in response.content.decode()
    run, _marked = ended_run(present=2, absent=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(f"/admin/runs/{run.pk}/survey/send/", follow=True)
    assert "Invitations sent to 2 people." in response.content.decode()
    assert len(mail.outbox) == 2 and Invitation.objects.count() == 2


def test_anonymity_and_template_cannot_change_once_people_have_answered(organiser_client, opened):
    run, invitations, _ = opened()
    survey = services.survey_for(run)
    services.submit_response(invitations[0].token, answers(survey))
    response = organiser_client.post(
        f"/admin/runs/{run.pk}/survey/",
        {
            "template": survey.template.pk,
            "anonymous": "on",
            "closes_at": "",
            "reminder_after_days": 3,
        },
    )
    assert "People have already answered: this can no longer change." in response.content.decode()
    survey.refresh_from_db()
    assert not survey.anonymous and survey.reminder_after_days == 7


def test_organiser_changes_a_surveys_settings(organiser_client):
    run = factories.run()
    template = SurveyTemplate.objects.get(is_default=True)
    response = organiser_client.post(
        f"/admin/runs/{run.pk}/survey/",
        {
            "template": template.pk,
            "anonymous": "on",
            "closes_at": "2030-03-31 17:00",
            "reminder_after_days": 3,
        },
    )
    assert response.status_code == 302
    survey = services.survey_for(run)
    assert survey.anonymous and survey.reminder_after_days == 3 and survey.closes_at.year == 2030


def test_admin_users_without_survey_permissions_are_turned_away(client, make_person):
    from django.contrib.auth.models import Permission

    person = make_person()
    person.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(person)
    run, _ = ended_run(present=1, absent=0)
    assert client.get("/admin/").status_code == 200
    # Wagtail answers PermissionDenied in the admin by sending people to the dashboard.
    assert client.get(f"/admin/runs/{run.pk}/survey/")["Location"] == "/admin/"
    assert client.post(f"/admin/runs/{run.pk}/survey/send/")["Location"] == "/admin/"
    assert not Invitation.objects.exists()


def test_questions_of_an_answered_template_are_frozen_and_a_copy_can_change(
    organiser_client, opened
):
    template = SurveyTemplate.objects.get(is_default=True)
    url = f"/admin/survey_templates/edit/{template.pk}/"
    changed = template_form(template, **{"questions-0-text": "How was it?"})
    assert organiser_client.post(url, changed).status_code == 302  # unused: it may change
    assert template.questions.first().text == "How was it?"

    run, invitations, _ = opened()
    services.submit_response(invitations[0].token, answers(services.survey_for(run)))
    response = organiser_client.post(url, template_form(template, **{"questions-0-text": "Again?"}))
    assert "its questions cannot change" in response.content.decode()
    assert template.questions.first().text == "How was it?"
    renamed = template_form(template, description="Now with a new description.")
    assert organiser_client.post(url, renamed).status_code == 302  # the words around them may

    copy_url = f"/admin/survey_templates/copy/{template.pk}/"
    assert "Copy of Course satisfaction" in organiser_client.get(copy_url).content.decode()
    data = template_form(template, name="Course satisfaction 2021", is_default="")
    for i in range(4):
        data[f"questions-{i}-id"] = ""
    data["questions-INITIAL_FORMS"] = 0
    data["questions-0-text"] = "How satisfied are you overall?"
    assert organiser_client.post(copy_url, data).status_code == 302
    copy = SurveyTemplate.objects.get(name="Course satisfaction 2021")
    assert next(q.text for q in copy.questions.all()) == "How satisfied are you overall?"
    assert [q.kind for q in copy.questions.all()] == [q.kind for q in template.questions.all()]
    assert template.questions.first().text == "How was it?"  # the original is untouched


def test_a_choice_question_needs_its_options_and_only_one_template_is_the_default(organiser_client):
    data = {
        "name": "Conference feedback",
        "description": "",
        "is_default": "on",
        "questions-TOTAL_FORMS": 1,
        "questions-INITIAL_FORMS": 0,
        "questions-MIN_NUM_FORMS": 1,
        "questions-MAX_NUM_FORMS": 1000,
        "questions-0-id": "",
        "questions-0-ORDER": 1,
        "questions-0-DELETE": "",
        "questions-0-kind": QuestionKind.SINGLE,
        "questions-0-text": "Which day did you come?",
        "questions-0-hint": "",
        "questions-0-choices": "Day one",
        "questions-0-required": "on",
        "questions-0-key": "",
    }
    page = organiser_client.post("/admin/survey_templates/new/", data).content.decode()
    assert "Write at least two options, one a line." in page
    assert "Another template is already the default" in page
    data.update({"questions-0-choices": "Day one\nDay two", "is_default": ""})
    assert organiser_client.post("/admin/survey_templates/new/", data).status_code == 302
    assert SurveyTemplate.objects.get(name="Conference feedback").questions.get().options() == [
        "Day one",
        "Day two",
    ]


def test_organisers_find_every_runs_survey_and_the_templates_in_the_menu(organiser_client, opened):
    run, _, _ = opened()
    listing = organiser_client.get("/admin/surveys/").content.decode()
    assert str(run.title) in listing and f'href="/admin/runs/{run.pk}/survey/"' in listing
    assert (
        "Course satisfaction" in organiser_client.get("/admin/survey_templates/").content.decode()
    )


def test_a_template_that_surveys_use_says_why_it_cannot_be_deleted_before_the_post(
    client, make_person, opened
):
    """Surveys keep their template (PROTECT): the confirmation says so and offers no delete
    button; a POST anyway gets the same page and deletes nothing. (A superuser, so that the test
    does not depend on the Organisers group's permissions.)"""
    from wagtail.models import ReferenceIndex

    client.force_login(make_person(email="admin@example.org", is_staff=True, is_superuser=True))
    run, _, _ = opened()
    template = run.survey.template
    # Wagtail's own check reads its reference index, which lists the surveys or not depending on
    # whether an admin page has been served yet in the process; the answer must not depend on it.
    ReferenceIndex.objects.all().delete()
    url = f"/admin/survey_templates/delete/{template.pk}/"
    page = client.get(url).content.decode()
    assert "This survey template cannot be deleted." in page and "surveys (1)" in page
    assert "Make a copy of the template to change its questions." in page
    assert "Yes, delete" not in page
    response = client.post(url)
    assert response.status_code == 409
    assert "This survey template cannot be deleted." in response.content.decode()
    assert SurveyTemplate.objects.filter(pk=template.pk).exists()
