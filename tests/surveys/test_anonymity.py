"""An anonymous survey's answers cannot be traced back to the people who gave them, even by
someone who can read every table: nothing orders the responses in time, and the invitations say
only that they were answered, not when."""

import uuid
from datetime import datetime, timedelta

import pytest
from django.db import connection, models

from lms.bookings.models import Booking
from lms.surveys import services
from lms.surveys.models import Answer, Invitation, Response

from .conftest import answers


def answered(booking):
    """Whether the booking's person has answered, as My learning and certificates ask it."""
    return services.responded(Booking.objects.filter(pk=booking.pk)).exists()


pytestmark = pytest.mark.django_db

# Twelve people answer one after another, in an order that is not the order they were invited in.
# Random keys could still line up with everyone by chance: 1 in 12! (479 million) per pair of
# orderings compared, about 1 in 40 million for the pairs below.
ANSWERING_ORDER = [5, 2, 11, 7, 0, 9, 3, 6, 10, 1, 8, 4]


def _answer_one_by_one(run, invitations, order):
    """Each person answers an hour after the last, writing their own address in a free-text
    answer: what lets the test (not the attacker) know whose response is whose."""
    survey = services.survey_for(run)
    for hours, i in enumerate(order, start=1):
        email = invitations[i].booking.person.email
        services.submit_response(
            invitations[i].token,
            answers(survey, most_useful=f"Written by {email}"),
            now=survey.opened_at + timedelta(hours=hours),
        )
    return survey


def _time_columns(model):
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)]


def test_ordering_responses_against_invitations_no_longer_tells_who_wrote_what(opened):
    run, invitations, _ = opened(present=12, absent=0, anonymous=True)
    survey = _answer_one_by_one(run, invitations, ANSWERING_ORDER)
    author = {
        a.response_id: a.text.removeprefix("Written by ")
        for a in Answer.objects.filter(response__survey=survey, text__startswith="Written by ")
    }
    assert len(author) == 12

    # The attacker's join: responses in the order of their keys (or of their answers' keys, or
    # of any time they hold) against the invitations in the order of any time they hold.
    responses = list(Response.objects.filter(survey=survey))
    first_answer = {}
    for answer in Answer.objects.filter(response__survey=survey):
        key = answer.response_id
        first_answer[key] = min(first_answer.get(key, answer.pk), answer.pk)
    response_orders = {
        "key": sorted(responses, key=lambda r: r.pk),
        "answers' keys": sorted(responses, key=lambda r: first_answer[r.pk]),
    }
    for column in _time_columns(Response):
        response_orders[column] = list(
            Response.objects.filter(survey=survey).order_by(column, "pk")
        )
    invitation_orders = {
        column: list(Invitation.objects.filter(survey=survey).order_by(column, "pk"))
        for column in _time_columns(Invitation) + ["pk"]
    }
    assert "sent_at" in invitation_orders  # the join is really tried against the invitations' times
    for (r_name, by_response), (i_name, by_invitation) in (
        (r, i) for r in response_orders.items() for i in invitation_orders.items()
    ):
        matched = sum(
            author[response.pk] == invitation.booking.person.email
            for response, invitation in zip(by_response, by_invitation, strict=True)
        )
        assert matched < 12, f"responses by {r_name} against invitations by {i_name} name everyone"


def test_no_column_of_an_anonymous_response_or_its_answers_holds_a_time_or_a_sequence(opened):
    run, invitations, _ = opened(present=3, absent=0, anonymous=True)
    survey = _answer_one_by_one(run, invitations, [2, 0, 1])
    rows = list(Response.objects.filter(survey=survey).values()) + list(
        Answer.objects.filter(response__survey=survey).values()
    )
    assert len(rows) == 3 + 3 * 3  # three responses, three answers each (one text left empty)
    for row in rows:
        # Keys are random: an autoincrement number would follow the order people answered in.
        assert isinstance(row["id"], uuid.UUID)
        for column, value in row.items():
            if isinstance(value, datetime):  # no time finer than the survey's close
                assert value == survey.closes_at, f"{column} holds {value}"
    assert not any(row.get("invitation_id") for row in rows)


def test_an_invitation_keeps_only_that_it_was_answered_not_when(opened):
    run, invitations, _ = opened(present=3, absent=0, anonymous=True)
    _answer_one_by_one(run, invitations, [2, 0])
    early, late, silent = (Invitation.objects.get(pk=invitations[i].pk) for i in (2, 0, 1))
    personal = {"id", "booking_id", "token"}

    def kept(invitation):
        row = Invitation.objects.filter(pk=invitation.pk).values()[0]
        return {k: v for k, v in row.items() if k not in personal}

    assert kept(early) == kept(late)  # an hour apart, and nothing tells which came first
    assert kept(early) != kept(silent)  # but whether they answered is kept
    assert answered(early.booking) and not answered(silent.booking)


def test_a_named_survey_keeps_who_answered_and_when(opened):
    run, invitations, _ = opened(present=2, absent=0)
    survey = _answer_one_by_one(run, invitations, [1, 0])
    first = Response.objects.get(invitation=invitations[1])
    assert first.submitted_at == survey.opened_at + timedelta(hours=1)
    texts = services.results(run).question("most_useful").texts
    assert [t["name"] for t in texts] == [
        invitations[1].booking.person.full_name,
        invitations[0].booking.person.full_name,
    ]


def _written_by(model, pks):
    """The transaction that last wrote each row, as the database records it: PostgreSQL's xmin
    system column, readable by anyone who may read the table. SQLite records no such thing (a
    row's rowid is fixed when it is inserted), so there every row gives None."""
    if connection.vendor != "postgresql":
        return dict.fromkeys(pks)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, xmin::text FROM {model._meta.db_table} WHERE id = ANY(%s)", [list(pks)]
        )
        return dict(cursor.fetchall())


def test_the_database_row_versions_do_not_pair_invitations_with_responses(opened):
    run, invitations, _ = opened(present=5, absent=0, anonymous=True)
    survey = _answer_one_by_one(run, invitations, [3, 1, 4, 0])
    answered = [invitations[i].pk for i in (3, 1, 4, 0)]
    responses = list(Response.objects.filter(survey=survey).values_list("pk", flat=True))
    by_invitation = _written_by(Invitation, answered)
    by_response = _written_by(Response, responses)
    # Each response is written in the transaction that marks its invitation answered; answering
    # rewrites every answered invitation, so they all carry the last answer's transaction and
    # only the last response can be paired with it, not with any one of them.
    assert len(set(by_invitation.values())) == 1
    paired = [v for v in by_response.values() if v is not None and v in by_invitation.values()]
    assert len(paired) <= 1
