"""Every change to surveys happens here: views, admin pages, commands and tasks call these.

A run's survey opens when its last session has ended: each booking present (attended or late) at
one session or more gets a personal link; one reminder goes to those who have not answered; a
link answers once. `results()` gives the figures (computed in `figures.py`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lms.bookings.models import Booking, Run, RunStatus
from lms.core.time import when as _when

from .figures import survey_results
from .models import (
    Answer,
    Invitation,
    QuestionKind,
    Response,
    Survey,
    SurveyTemplate,
    attendees,
)
from .tasks import notify

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from lms.accounts.models import User

    from .figures import Results

OPEN_FOR = timedelta(days=28)  # how long a survey stays open unless its organiser sets a date


class SurveyUnavailable(Exception):
    """The link cannot be answered. `reason` is "unknown", "not_open", "closed", "used" or
    "not_attended"; the message says why, in words for the person."""

    def __init__(self, reason, message, invitation=None):
        super().__init__(message)
        self.reason = reason
        self.invitation = invitation


class InvalidAnswers(Exception):
    """Some answers are missing or not among the options: `errors` maps question ids to messages."""

    def __init__(self, errors):
        super().__init__("Some answers are missing or not valid.")
        self.errors = errors


# --- Opening a survey and inviting attendees ------------------------------------------------


def survey_for(run: Run) -> Survey:
    """The run's survey, made with the default template (or, if no template is marked default,
    the oldest) the first time it is asked for."""
    survey = Survey.objects.filter(run=run).select_related("template").first()
    if survey:
        return survey
    template = SurveyTemplate.objects.order_by("-is_default", "pk").first()
    survey, _ = Survey.objects.get_or_create(run=run, defaults={"template": template})
    return survey


def has_ended(run: Run, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return run.status == RunStatus.SCHEDULED and run.ends_at is not None and run.ends_at <= now


def send_invitations(run: Run, now: datetime | None = None) -> int:
    """Open the run's survey (once its last session has ended) and invite every attendee not yet
    invited. Safe to call again: people already invited are not invited twice. Returns how many
    invitations were sent."""
    now = now or timezone.now()
    if not has_ended(run, now):
        return 0
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey_for(run).pk)
        if survey.state(now) == "closed":
            return 0
        if survey.opened_at is None:
            survey.opened_at = now
            survey.closes_at = survey.closes_at or now + OPEN_FOR
            survey.save(update_fields=["opened_at", "closes_at"])
        new = attendees(run).filter(survey_invitation__isnull=True)
        invitations = [
            Invitation.objects.create(survey=survey, booking=booking, sent_at=now)
            for booking in new
        ]
        for invitation in invitations:
            notify(invitation, "invitation")
    return len(invitations)


def open_due_surveys(now: datetime | None = None) -> int:
    """Invite the attendees of runs that ended within the survey period and whose survey has not
    opened, and anyone marked present since invitations went out on an open survey. Returns how
    many invitations were sent."""
    now = now or timezone.now()
    runs = (
        Run.objects.scheduled()
        .filter(ends_at__lte=now)
        .filter(
            Q(ends_at__gt=now - OPEN_FOR, survey__opened_at__isnull=True)
            | Q(survey__closes_at__gt=now)
        )
    )
    return sum(send_invitations(run, now) for run in runs)


def send_reminders(now: datetime | None = None) -> int:
    """One reminder to each person who has not answered an open survey `reminder_after_days`
    after their invitation. Returns how many reminders were sent."""
    now = now or timezone.now()
    sent = 0
    for survey in Survey.objects.filter(opened_at__lte=now, closes_at__gt=now):
        with transaction.atomic():
            due = survey.invitations.select_for_update().filter(
                answered=False,
                reminded_at__isnull=True,
                sent_at__lte=now - timedelta(days=survey.reminder_after_days),
            )
            invitations = list(due)
            Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(reminded_at=now)
            for invitation in invitations:
                notify(invitation, "reminder")
        sent += len(invitations)
    return sent


# --- Answering ---------------------------------------------------------------------------


def invitation_for(token: str, now: datetime | None = None) -> Invitation:
    """The invitation behind a personal link, if it can be answered now; else SurveyUnavailable."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_related("survey__template", "survey__run__page", "booking")
        .filter(token=token)
        .first()
        if token
        else None
    )
    if invitation is None:
        raise SurveyUnavailable("unknown", "This survey link is not recognised.")
    survey = invitation.survey
    if invitation.answered:
        raise SurveyUnavailable("used", "You have already answered. Thank you.", invitation)
    state = survey.state(now)
    if state == "not_open":
        raise SurveyUnavailable("not_open", "This survey is not open yet.", invitation)
    if state == "closed":
        raise SurveyUnavailable(
            "closed", f"This survey closed on {_when(survey.closes_at)}.", invitation
        )
    if not attendees(survey.run_id).filter(pk=invitation.booking_id).exists():
        raise SurveyUnavailable(
            "not_attended",
            "Our register does not show you at this course, so this survey is not for you. "
            "If that is wrong, contact the organisers.",
            invitation,
        )
    return invitation


def _answer_rows(questions, answers):
    """Answer rows for the given values, or InvalidAnswers saying which are missing or wrong."""
    rows, errors = [], {}
    for question in questions:
        value = answers.get(question.pk)
        given = value if isinstance(value, (list, tuple)) else [value]
        values = [v for v in given if v not in (None, "")]
        if not values:
            if question.required:
                errors[question.pk] = "Answer this question."
            continue
        if question.kind == QuestionKind.TEXT:
            rows.append(Answer(question=question, text=str(values[0]).strip()))
        elif question.kind == QuestionKind.SCALE:
            if str(values[0]) not in question.options():
                errors[question.pk] = "Choose a number from 0 to 10."
            else:
                rows.append(Answer(question=question, number=int(values[0])))
        elif any(v not in question.options() for v in values) or (
            len(values) > 1 and question.kind != QuestionKind.MULTIPLE
        ):
            errors[question.pk] = "Choose from the options given."
        else:
            rows.extend(Answer(question=question, choice=v) for v in dict.fromkeys(values))
    if errors:
        raise InvalidAnswers(errors)
    return rows


def submit_response(token: str, answers: dict[int, Any], now: datetime | None = None) -> Response:
    """Record one person's answers (a dict of question id to value, a list for several choices),
    all or nothing. The link answers once: a second submission, even at the same moment, raises
    SurveyUnavailable("used") and records nothing.

    An anonymous survey's response is stored with no invitation and no time, under a random key,
    and the invitation records only that it was answered: nothing in the database says which
    response is whose, or in which order people answered."""
    now = now or timezone.now()
    invitation = invitation_for(token, now)
    survey = invitation.survey
    rows = _answer_rows(survey.template.questions.all(), answers)
    with transaction.atomic():
        # The conditional update is the single-use lock: only one submission can set it.
        claimed = Invitation.objects.filter(pk=invitation.pk, answered=False).update(answered=True)
        if not claimed:
            raise SurveyUnavailable("used", "You have already answered. Thank you.", invitation)
        if survey.anonymous:
            # PostgreSQL stamps every row with the transaction that wrote it (xmin), and the
            # response is written in this one: rewrite every answered invitation of the survey
            # too, so they all carry the latest answer's stamp and none points at its response.
            others = Invitation.objects.filter(survey=survey, answered=True).exclude(
                pk=invitation.pk
            )
            others.update(answered=True)
        response = Response.objects.create(
            survey=survey,
            invitation=None if survey.anonymous else invitation,
            submitted_at=None if survey.anonymous else now,
        )
        for row in rows:
            row.response = response
        Answer.objects.bulk_create(rows)
    return response


# --- Figures and other parts of the product -------------------------------------------------------


def results(run_or_survey: Run | Survey) -> Results:
    """The figures of a run's survey, given the run or the survey: see `figures.Results`."""
    survey = survey_for(run_or_survey) if isinstance(run_or_survey, Run) else run_or_survey
    return survey_results(survey)


def responded(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """The bookings (of a queryset) whose person has answered their run's survey."""
    return bookings.filter(survey_invitation__answered=True)


def waiting_for(person: User, now: datetime | None = None) -> QuerySet[Invitation]:
    """A person's invitations to open surveys they have not answered, soonest closing first;
    each has `get_absolute_url()`, the personal link."""
    now = now or timezone.now()
    return (
        Invitation.objects.filter(
            booking__person=person,
            answered=False,
            survey__opened_at__lte=now,
            survey__closes_at__gt=now,
        )
        .select_related("survey__run__page")
        .order_by("survey__closes_at", "pk")
    )
