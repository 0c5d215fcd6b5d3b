"""Issuing by the run's rule, revoking, re-issuing and a person's certificates."""

import hashlib
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from lms.bookings import services as bookings
from lms.bookings.models import AttendanceStatus, Booking, CompletionRule, Session
from lms.certificates import services
from lms.certificates.models import CODE_ALPHABET, Certificate, normalise_code
from lms.certificates.services import CertificateRefused
from tests import factories

pytestmark = pytest.mark.django_db


def pdf_text(certificate):
    with certificate.pdf.open("rb") as stored:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(stored.read())).pages)


def test_the_pdf_read_back_names_the_person_course_hours_issuer_and_code(completed):
    certificate = services.issue(completed)
    text = pdf_text(certificate)
    for expected in (
        "Sam Jones",
        "Data and digital transformation",
        "Manchester",
        "6 hours of learning",
        "Council skills programme",
        certificate.code,
        certificate.dates,
    ):
        assert expected in text
    with certificate.pdf.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == certificate.sha256


def test_the_pdf_links_its_qr_code_to_the_absolute_verification_url(completed, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://skills.example.org"
    certificate = services.issue(completed)
    with certificate.pdf.open("rb") as stored:
        page = PdfReader(io.BytesIO(stored.read())).pages[0]
    links = [a.get_object()["/A"]["/URI"] for a in page["/Annots"]]
    assert links == [f"https://skills.example.org/certificates/verify/{certificate.code}/"]


def test_the_issuing_body_can_be_set(completed, settings):
    settings.CERTIFICATE_ISSUER = "Local Government Skills Board"
    assert "Local Government Skills Board" in pdf_text(services.issue(completed))


def _move_sessions(run, *starts):
    for session, start in zip(run.sessions.all(), starts, strict=True):
        Session.objects.filter(pk=session.pk).update(
            starts_at=start, ends_at=start + timedelta(hours=6)
        )
    run.refresh_dates()


def test_dates_read_in_london_time_and_a_run_over_days_gives_its_first_and_last(attend):
    one_day = factories.run()
    booking = attend(one_day)
    # 23:30 UTC on 30 June is half past midnight on 1 July in London (summer time).
    _move_sessions(one_day, datetime(2020, 6, 30, 23, 30, tzinfo=UTC))
    assert services.issue(booking).dates == "Wednesday 1 July 2020"
    cohort = factories.run(days=3)
    booking = attend(cohort)
    _move_sessions(cohort, *(datetime(2020, 1, day, 10, tzinfo=UTC) for day in (10, 24, 31)))
    certificate = services.issue(booking)
    assert certificate.dates == "Friday 10 January 2020 to Friday 31 January 2020"
    assert certificate.hours == 18


def test_codes_are_160_random_bits_in_crockford_groups_and_typing_slips_are_forgiven(completed):
    code = services.issue(completed).code
    groups = code.split("-")
    assert len(groups) == 8 and all(len(g) == 4 for g in groups)
    assert set(code.replace("-", "")) <= set(CODE_ALPHABET)
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert normalise_code(typed) == code
    assert normalise_code(code[:-1]) is None and normalise_code("U" + code[1:]) is None


def test_only_people_who_completed_are_eligible_and_only_until_they_have_a_certificate(attend):
    run = factories.run(days=2)
    done = attend(run, factories.person(full_name="Ann Attended"))
    attend(run, factories.person(full_name="Half Way"), sessions=1)
    attend(run, factories.person(full_name="Al Absent"), status=AttendanceStatus.ABSENT)
    assert list(services.eligible(run)) == [done]
    services.issue(done)
    assert list(services.eligible(run)) == []


def test_at_least_n_sessions_rule_decides_who_is_eligible(attend):
    run = factories.run(days=3, completion_rule=CompletionRule.AT_LEAST, completion_min_sessions=2)
    two = attend(run, sessions=2)
    attend(run, sessions=1)
    assert list(services.eligible(run)) == [two]


def test_issue_refuses_a_booking_that_has_not_completed_or_already_has_a_certificate(attend):
    run = factories.run(days=2)
    with pytest.raises(CertificateRefused, match="has not completed"):
        services.issue(attend(run, sessions=1))
    done = attend(run)
    services.issue(done)
    with pytest.raises(CertificateRefused, match="already has a valid certificate"):
        services.issue(done)
    assert Certificate.objects.count() == 1


def test_issue_all_issues_only_to_listed_bookings_still_eligible(attend, organiser):
    run = factories.run()
    a, b, c = attend(run), attend(run), attend(run)
    services.issue(b)  # issued meanwhile, between the list and the confirmation
    issued = services.issue_all(run, [a.pk, b.pk], by=organiser)
    assert [cert.booking for cert in issued] == [a]
    assert issued[0].issued_by == organiser
    assert not c.certificates.exists()


def test_issue_all_takes_the_same_number_of_queries_for_two_certificates_or_five(attend):
    """One eligibility query for the run and one INSERT per batch, whatever the number issued."""
    counts = []
    for size in (2, 5):
        run = factories.run(capacity=size)
        ids = [attend(run).pk for _ in range(size)]
        with CaptureQueriesContext(connection) as queries:
            issued = services.issue_all(run, ids)
        assert len(issued) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    for certificate in issued:
        with certificate.pdf.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == certificate.sha256
        assert certificate.pk and certificate.hours == Decimal("6.0")


def test_issue_all_leaves_out_a_booking_given_a_certificate_after_the_eligibility_query(
    attend, monkeypatch
):
    """The batch's INSERT fails on the one-valid-certificate constraint: the others are still
    issued, one by one, and the refused certificate's PDF is removed."""
    run = factories.run()
    a, b, c = attend(run), attend(run), attend(run)
    earlier = services.issue(b)
    monkeypatch.setattr(
        services,
        "eligible",
        lambda run: Booking.objects.filter(run=run).select_related("person").order_by("pk"),
    )
    issued = services.issue_all(run, [a.pk, b.pk, c.pk])
    assert [certificate.booking for certificate in issued] == [a, c]
    assert list(b.certificates.all()) == [earlier]
    stored = {certificate.pdf.name for certificate in Certificate.objects.all()}
    written = set(default_storage.listdir("certificates")[1])
    assert {name.removeprefix("certificates/") for name in stored} == written


def test_a_snapshot_keeps_the_certificate_as_issued_when_the_person_changes_their_name(completed):
    certificate = services.issue(completed)
    person = completed.person
    person.full_name = "Samantha Jones-Smith"
    person.save()
    certificate.refresh_from_db()
    assert certificate.name == "Sam Jones" and "Sam Jones" in pdf_text(certificate)


def test_revoke_needs_a_reason_and_happens_once(completed, organiser):
    certificate = services.issue(completed)
    with pytest.raises(CertificateRefused, match="Say why"):
        services.revoke(certificate, "  ", by=organiser)
    services.revoke(certificate, "Attendance recorded in error", by=organiser)
    certificate.refresh_from_db()
    assert (
        certificate.revoked_by == organiser
        and certificate.revoke_reason == "Attendance recorded in error"
    )
    with pytest.raises(CertificateRefused, match="already revoked"):
        services.revoke(certificate, "Again", by=organiser)
    assert list(services.eligible(completed.run)) == [completed]  # may be issued again


def test_reissue_revokes_the_old_code_and_issues_a_new_one_with_todays_name(completed, organiser):
    old = services.issue(completed)
    completed.person.full_name = "Sam Jones-Patel"
    completed.person.save()
    new = services.reissue(old, by=organiser)
    old.refresh_from_db()
    assert old.revoke_reason == "Re-issued" and not old.is_valid
    assert new.replaces == old and new.code != old.code and new.is_valid
    assert new.name == "Sam Jones-Patel" and "Sam Jones-Patel" in pdf_text(new)


def test_certificates_for_a_person_are_theirs_only_newest_first(completed):
    first = services.issue(completed)
    second = services.reissue(first)
    other_run = factories.run(title="Leeds")
    elsewhere = bookings.book(factories.person(), other_run).booking
    assert list(services.certificates_for(completed.person)) == [second, first]
    assert list(services.certificates_for(elsewhere.person)) == []


def test_certificate_after_the_survey_only_goes_to_people_who_answered(attend):
    from django.utils import timezone

    from lms.surveys.models import Invitation
    from lms.surveys.services import survey_for

    run = factories.run(certificate_requires_survey=True)
    answered, silent = attend(run), attend(run)
    survey = survey_for(run)
    Invitation.objects.create(
        survey=survey, booking=answered, sent_at=timezone.now(), answered=True
    )
    Invitation.objects.create(survey=survey, booking=silent, sent_at=timezone.now())
    assert list(services.eligible(run)) == [answered]
    with pytest.raises(CertificateRefused, match="has not answered the survey"):
        services.issue(silent)
    assert services.issue(answered).is_valid
