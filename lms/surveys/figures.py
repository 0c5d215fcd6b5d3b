"""A survey's figures, every count a database aggregate, every share with its base.

"79 per cent very satisfied (34 of 43 respondents); 43 of 54 attendees responded." An anonymous
survey shows no breakdown until ANONYMITY_THRESHOLD people have answered.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from lms.core.numbers import per_cent

from .models import TOP_TWO, VERY_SATISFIED, Answer, QuestionKind, Survey, attendees

ANONYMITY_THRESHOLD = 5


@dataclass(frozen=True)
class Share:
    count: int
    base: int

    @property
    def per_cent(self):
        return per_cent(self.count, self.base)


@dataclass(frozen=True)
class NetPromoterScore:
    promoters: int  # 9 or 10
    passives: int  # 7 or 8
    detractors: int  # 0 to 6

    @property
    def base(self):
        return self.promoters + self.passives + self.detractors

    @property
    def score(self):
        """Per cent promoters minus per cent detractors, from −100 to 100."""
        if not self.base:
            return None
        return per_cent(self.promoters - self.detractors, self.base)


@dataclass
class QuestionResult:
    question: object
    answered: int  # respondents who answered this question: the base of every share below
    distribution: list[tuple[str, Share]] = field(default_factory=list)
    top_box: Share | None = None  # very satisfied
    top_two: Share | None = None  # very satisfied or satisfied
    nps: NetPromoterScore | None = None
    texts: list[dict] = field(default_factory=list)  # {"text", "name" (empty when anonymous)}


@dataclass
class Results:
    survey: Survey
    respondents: int
    attendees: int
    suppressed: bool  # anonymous and fewer than ANONYMITY_THRESHOLD responses: no breakdown
    questions: list[QuestionResult]

    @property
    def response_rate(self):
        return Share(self.respondents, self.attendees)

    def question(self, key):
        """The result of the question with this key ("satisfaction", "recommend"), if any."""
        return next((r for r in self.questions if r.question.key == key), None)

    @property
    def satisfaction(self):
        """The headline question: the one keyed "satisfaction", else the first Likert question."""
        return self.question("satisfaction") or next((r for r in self.questions if r.top_box), None)

    @property
    def recommend(self):
        return self.question("recommend") or next((r for r in self.questions if r.nps), None)


def survey_results(survey):
    """The figures of a survey; `services.results` takes a run or a survey."""
    respondents = survey.responses.count()
    attendee_count = attendees(survey.run_id).count()
    suppressed = survey.anonymous and respondents < ANONYMITY_THRESHOLD
    questions = list(survey.template.questions.all())
    if suppressed:
        return Results(survey, respondents, attendee_count, True, [])
    answers = Answer.objects.filter(response__survey=survey)
    answered = dict(
        answers.values("question")
        .annotate(n=Count("response", distinct=True))
        .values_list("question", "n")
    )
    counts = {}
    for row in (
        answers.exclude(question__kind=QuestionKind.TEXT)
        .values("question", "choice", "number")
        .annotate(n=Count("pk"))
    ):
        value = row["choice"] if row["number"] is None else str(row["number"])
        counts[(row["question"], value)] = row["n"]
    likert = {
        row["question"]: row
        for row in answers.filter(question__kind=QuestionKind.LIKERT)
        .values("question")
        .annotate(
            top=Count("pk", filter=Q(choice=VERY_SATISFIED)),
            top_two=Count("pk", filter=Q(choice__in=TOP_TWO)),
        )
    }
    scale = {
        row["question"]: row
        for row in answers.filter(question__kind=QuestionKind.SCALE)
        .values("question")
        .annotate(
            promoters=Count("pk", filter=Q(number__gte=9)),
            passives=Count("pk", filter=Q(number__in=[7, 8])),
            detractors=Count("pk", filter=Q(number__lte=6)),
        )
    }
    texts = _texts(survey, answers)
    out = []
    for question in questions:
        base = answered.get(question.pk, 0)
        result = QuestionResult(question, base)
        if question.kind == QuestionKind.TEXT:
            result.texts = texts.get(question.pk, [])
        else:
            result.distribution = [
                (option, Share(counts.get((question.pk, option), 0), base))
                for option in question.options()
            ]
        if question.kind == QuestionKind.LIKERT:
            row = likert.get(question.pk, {"top": 0, "top_two": 0})
            result.top_box, result.top_two = Share(row["top"], base), Share(row["top_two"], base)
        if question.kind == QuestionKind.SCALE:
            row = scale.get(question.pk, {"promoters": 0, "passives": 0, "detractors": 0})
            result.nps = NetPromoterScore(row["promoters"], row["passives"], row["detractors"])
        out.append(result)
    return Results(survey, respondents, attendee_count, False, out)


def _texts(survey, answers):
    """Free-text answers by question. Anonymous: no names, in alphabetical order (not the order
    people answered in, which could tell who wrote what)."""
    rows = answers.filter(question__kind=QuestionKind.TEXT).exclude(text="")
    if survey.anonymous:
        rows = rows.order_by("text").values("question", "text")
    else:
        rows = rows.order_by("response__submitted_at", "pk").values(
            "question", "text", name=F("response__invitation__booking__person__full_name")
        )
    texts = {}
    for row in rows:
        answer = {"text": row["text"], "name": row.get("name", "")}
        texts.setdefault(row["question"], []).append(answer)
    return texts
