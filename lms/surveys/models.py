"""Satisfaction surveys: templates of questions, one survey per run, invitations and responses.

A template's questions are frozen once anybody has answered a survey using it, so figures stay
comparable. Each run has one survey; attendees get an invitation with a personal, single-use link.
Answers are stored one row per value (a multiple-choice question gives one row per option
chosen), so every figure is a database aggregate.

When a survey is anonymous its responses hold no link to the invitation, and nothing that orders
them in time: responses and answers are keyed by random UUIDs (an autoincrement id would follow
the order people answered in, which the invitations' order of answering could be matched
against), an anonymous response has no `submitted_at`, and an invitation records only that it
was answered (`Invitation.answered`), never when. What is not protected (the database's own
physical row order and system columns, its logs and backups) is in SECURITY.md.
"""

import secrets
import uuid

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from lms.bookings.models import PRESENT_STATUSES, Attendance, Booking

# The five points of every Likert question, most satisfied first.
VERY_SATISFIED = "Very satisfied"
LIKERT_LABELS = [
    VERY_SATISFIED,
    "Satisfied",
    "Neither satisfied nor dissatisfied",
    "Dissatisfied",
    "Very dissatisfied",
]
TOP_TWO = LIKERT_LABELS[:2]
SCALE = range(11)  # "how likely are you to recommend", 0 to 10


def attendees(run):
    """A run's bookings present (attended or late) at one session or more: who a survey is for."""
    present = Attendance.objects.filter(booking=OuterRef("pk"), status__in=PRESENT_STATUSES)
    return Booking.objects.filter(run=run).filter(Exists(present))


class QuestionKind(models.TextChoices):
    LIKERT = "likert", "Very satisfied to very dissatisfied"
    SINGLE = "single", "One choice"
    MULTIPLE = "multiple", "Several choices"
    SCALE = "scale", "0 to 10 (how likely to recommend)"
    TEXT = "text", "Free text"


CHOICE_KINDS = [QuestionKind.SINGLE, QuestionKind.MULTIPLE]


class SurveyTemplate(ClusterableModel):
    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True, help_text="Shown to people above the questions.")
    is_default = models.BooleanField(
        "default template",
        default=False,
        help_text="Every run gets this template unless its organiser picks another.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("is_default"),
        InlinePanel("questions", label="Questions", min_num=1),
    ]

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="one_default_survey_template",
                violation_error_message="Another template is already the default: untick it there first.",
            )
        ]

    def __str__(self):
        return self.name

    def unsaved_copy(self):
        """A new template (not yet saved) with the same questions, to change where this is frozen."""
        copy = SurveyTemplate(name=f"Copy of {self.name}", description=self.description)
        copy.questions = [
            Question(
                sort_order=q.sort_order,
                kind=q.kind,
                text=q.text,
                hint=q.hint,
                choices=q.choices,
                required=q.required,
                key=q.key,
            )
            for q in self.questions.all()
        ]
        return copy

    def in_use(self):
        """Whether anybody has answered a survey using this template (its questions are then frozen)."""
        return Response.objects.filter(survey__template=self).exists()


class Question(Orderable):
    template = ParentalKey(SurveyTemplate, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    text = models.CharField(max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    choices = models.TextField(
        blank=True, help_text="For one choice or several choices: one option a line."
    )
    required = models.BooleanField(default=True)
    key = models.SlugField(
        max_length=40,
        blank=True,
        help_text="Optional name reports use to find this question, for example “satisfaction”.",
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("text"),
        FieldPanel("hint"),
        FieldPanel("choices"),
        FieldPanel("required"),
        FieldPanel("key"),
    ]

    def __str__(self):
        return self.text

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind in CHOICE_KINDS and len(self.options()) < 2:
            raise ValidationError({"choices": "Write at least two options, one a line."})
        if self.kind not in CHOICE_KINDS and self.choices.strip():
            raise ValidationError(
                {"choices": "Only one-choice and several-choice questions have options."}
            )

    def options(self):
        """The answers a person chooses from, in order."""
        if self.kind == QuestionKind.LIKERT:
            return list(LIKERT_LABELS)
        if self.kind == QuestionKind.SCALE:
            return [str(n) for n in SCALE]
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Survey(models.Model):
    run = models.OneToOneField("bookings.Run", on_delete=models.PROTECT, related_name="survey")
    template = models.ForeignKey(SurveyTemplate, on_delete=models.PROTECT, related_name="surveys")
    anonymous = models.BooleanField(
        default=False,
        help_text="Organisers see no link from an answer to a person, and no figures until 5 people have answered.",
    )
    closes_at = models.DateTimeField(
        "closing date",
        null=True,
        blank=True,
        help_text="Empty: 28 days after the invitations go out.",
    )
    reminder_after_days = models.PositiveIntegerField(
        default=7,
        help_text="One reminder goes to people who have not answered after this many days.",
    )
    opened_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the first invitations went out."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Survey: {self.run}"

    def state(self, now):
        """ "not_open", "open" or "closed"."""
        if self.opened_at is None or now < self.opened_at:
            return "not_open"
        if self.closes_at and now >= self.closes_at:
            return "closed"
        return "open"


def new_survey_token():
    return secrets.token_urlsafe(32)  # 256 bits


class Invitation(models.Model):
    """One attendee's personal link to a run's survey."""

    wagtail_reference_index_ignore = True  # holds no page reference: no index rows per save

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    booking = models.OneToOneField(
        "bookings.Booking", on_delete=models.PROTECT, related_name="survey_invitation"
    )
    token = models.CharField(max_length=64, unique=True, default=new_survey_token, editable=False)
    sent_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Only whether the person has answered, never when: a time here could be matched with the
    # answers of an anonymous survey. A named survey's response keeps its own `submitted_at`.
    answered = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["survey", "answered"])]

    def __str__(self):
        return f"Survey invitation for {self.booking.reference}"

    def get_absolute_url(self):
        return reverse("surveys:respond", args=[self.token])


class Response(models.Model):
    """One person's answers. For an anonymous survey `invitation` and `submitted_at` stay empty,
    so nothing links the answers back to the person (or to when they answered). The key is a
    random UUID, for every survey, so it carries no order of answering."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, on_delete=models.PROTECT, null=True, blank=True, related_name="response"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)  # named surveys only

    wagtail_reference_index_ignore = True  # no index rows (with their own ids) per response

    def __str__(self):
        return f"Response to {self.survey}"


class Answer(models.Model):
    """One value of one answer: a chosen option (`choice`), a 0–10 score (`number`) or `text`.
    Keyed by a random UUID: autoincrement ids would follow the order responses came in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.CharField(max_length=300, blank=True)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        indexes = [models.Index(fields=["question", "choice"])]

    def __str__(self):
        return self.choice or self.text or str(self.number)
