"""My learning: what a person attended and completed, certificates to download, surveys waiting —
their own and nobody else's."""

from datetime import timedelta

import pytest

from lms.bookings import attendance, services
from lms.certificates import services as certificates
from lms.surveys import services as surveys
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def attend(person, run, sessions=None):
    booking = services.add_person(person, run)
    for session in sessions if sessions is not None else run.sessions.all():
        attendance.mark(booking, session, "attended")
    return booking


def test_my_learning_shows_completions_partial_attendance_certificates_and_surveys(
    client, councillor
):
    past = timedelta(days=-10)
    masterclass = factories.run(
        page=factories.course_page("Data and digital transformation"), starts_in=past
    )
    cohort = factories.run(
        page=factories.course_page("Commercial skills for officers"),
        starts_in=timedelta(days=-30),
        days=3,
        title="Cohort 3",
    )
    done = attend(councillor, masterclass)
    attend(councillor, cohort, list(cohort.sessions.order_by("starts_at"))[:2])
    certificate = certificates.issue(done)
    surveys.send_invitations(masterclass)
    someone_else = attend(factories.person(full_name="Other Person"), masterclass)
    other_certificate = certificates.issue(someone_else)

    client.force_login(councillor)
    page = client.get("/learning/").content.decode()
    assert "2 courses and events attended; 1 completed." in page
    assert "Attended 2 of 3 sessions (3 needed to complete)" in page
    assert f"/certificates/{certificate.code}/download/" in page
    assert other_certificate.code not in page and "Other Person" not in page
    invitation = done.survey_invitation
    assert invitation.get_absolute_url() in page

    # Once answered, the survey no longer waits.
    questions = {q.key: q for q in surveys.survey_for(masterclass).template.questions.all()}
    surveys.submit_response(
        invitation.token,
        {
            questions["satisfaction"].pk: "Very satisfied",
            questions["recommend"].pk: "9",
        },
    )
    assert invitation.get_absolute_url() not in client.get("/learning/").content.decode()


def test_my_learning_says_what_to_do_when_there_is_nothing_yet(client, councillor):
    client.force_login(councillor)
    page = client.get("/learning/").content.decode()
    assert "Nothing yet." in page and "Find something to book" in page


def test_my_learning_needs_signing_in(client):
    response = client.get("/learning/")
    assert response.status_code == 302 and "/account/login/" in response["Location"]
