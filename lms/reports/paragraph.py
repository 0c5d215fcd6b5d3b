"""The paragraph a board report says about one course in one year, drafted from its figures.

The organiser edits the draft; the draft's job is to be right. Every number in it comes from the
facts below, exactly (no "nearly", no "over"), in the voice of the programme's board reports:

    Four masterclasses for elected members on data and digital transformation took place:
    Manchester (24 January), Bristol (31 January), Newcastle (7 February) and London
    (14 February). 54 councillors attended; 79 per cent of respondents (34 of 43) were very
    satisfied with the course and how it has developed their knowledge and role. 43 of the 54
    attendees answered the survey.

House style, as the reports write it: one to nine in words, 10 and above in figures with a
thousands separator; per cents always in figures ("79 per cent"); dates without a year ("24
January"; the financial year is the paragraph's frame); lists "A, B and C" with no Oxford comma.

The figures code fills the dataclasses; this module reads nothing else (no database), so a
paragraph can be tested, and reread, from its facts alone.
"""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from lms.core.numbers import per_cent


@dataclass(frozen=True)
class RunFact:
    title: str  # the run's own name: "Manchester", "Cohort 1, Manchester", "Spring 2020 intake"
    place: str  # the city, or "online"
    first_day: date  # local (Europe/London) date of its first session
    last_day: date  # local date of its last session
    enrolled: int  # confirmed places (bookings) on the run
    attended: int  # bookings present at one session or more


@dataclass(frozen=True)
class SatisfactionFact:
    very_satisfied: int  # answered "Very satisfied" to the headline question
    satisfied_or_better: int  # "Very satisfied" or "Satisfied"
    answered: int  # respondents who answered that question: the base of both shares
    respondents: int  # people who answered the survey at all
    attendees: int  # people who were asked (attendees of the surveyed runs)
    question_text: str  # e.g. "Overall, how satisfied are you with the course and how it has
    # developed your knowledge and role?"


@dataclass(frozen=True)
class CourseFacts:
    year_label: str  # "2019/20"
    subject: str  # how reports name the course: "data and digital transformation"
    run_noun: tuple[str, str]  # ("masterclass", "masterclasses"), ("cohort", "cohorts"), …
    audience: str  # "councillors", "officers", "alumni" or "anyone" (who the runs were for)
    runs: list[RunFact]  # held runs in date order
    people: dict[str, int]  # distinct people present, by role: "councillor", "officer", "other"
    completed: int | None  # distinct people who completed; None when completion is attendance
    places: int  # places offered (sum of capacities)
    asked: int  # bookings made, whatever became of them (people who asked for a place)
    still_waiting: int  # still on a waiting list when the run took place
    satisfaction: SatisfactionFact | None  # None: no survey, or withheld for anonymity
    enrolment_only: bool  # e-learning intakes: completion from the provider; "enrolled"
    # A named event (a conference): "The digital showcase took place: London (4 November).",
    # not "one conference on the digital showcase".
    named_event: bool = False


# More runs than this and the paragraph names the places with counts instead of every date.
MAX_LISTED_RUNS = 8

WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

AUDIENCE = {
    "councillors": "for elected members",
    "officers": "for council officers",
    "alumni": "for alumni",
    "anyone": "",
}
# Who enrolled on an e-learning course, by the audience it was for.
ENROLLED = {
    "councillors": ("councillor", "councillors"),
    "officers": ("council officer", "council officers"),
    "alumni": ("alumnus", "alumni"),
    "anyone": ("person", "people"),
}
ROLES = {
    # role: (alone, among others)
    "councillor": (("councillor", "councillors"), ("councillor", "councillors")),
    "officer": (("officer", "officers"), ("officer", "officers")),
    "other": (("delegate", "delegates"), ("other delegate", "other delegates")),
}

ONLINE = "online"


# Numbers, lists and dates -----------------------------------------------------------------------


def number(n: int, *, zero: str = "no", start: bool = False) -> str:
    """One to nine in words, 10 and above in figures ("1,000"); `start` capitalises a word."""
    if 0 <= n <= 9:
        word = zero if n == 0 else WORDS[n]
        return word[:1].upper() + word[1:] if start else word
    return f"{n:,}"


def counted(n: int, noun: tuple[str, str], **kwargs) -> str:
    """ "one councillor", "two councillors", "54 councillors"."""
    return f"{number(n, **kwargs)} {noun[0] if n == 1 else noun[1]}"


def joined(items: list[str]) -> str:
    """ "A", "A and B", "A, B and C" (no Oxford comma)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def day(d: date) -> str:
    return f"{d.day} {d:%B}"


def days(first: date, last: date) -> str:
    """ "24 January"; "4 to 5 November"; "17 September to 29 October". No year."""
    if first == last:
        return day(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} to {day(last)}"
    return f"{day(first)} to {day(last)}"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


# The question, in the third person --------------------------------------------------------------

# "Overall, how satisfied are you with X?" (or "were you"); anything else and the clause says only
# "were very satisfied" rather than guess at what the question asked.
SATISFIED_WITH = re.compile(
    r"^\s*(?:overall\s*,?\s*)?how\s+satisfied\s+(?:are|were)\s+you\s+with\s+"
    r"(?P<what>.+?)\s*[?.!]*\s*$",
    re.IGNORECASE | re.DOTALL,
)
SECOND_PERSON = {
    "yourselves": "themselves",
    "yourself": "themselves",
    "yours": "theirs",
    "your": "their",
    "you're": "they're",
    "you’re": "they’re",
    "you've": "they've",
    "you’ve": "they’ve",
}
# "you" is "they" as the subject ("the support you received") and "them" as the object ("how it
# prepared you for the role"): an object "you" ends the clause or comes before one of these.
OBJECT_FOLLOWERS = {
    "for",
    "to",
    "with",
    "in",
    "on",
    "at",
    "by",
    "as",
    "and",
    "or",
    "into",
    "about",
    "from",
    "through",
    "during",
    "since",
    "so",
    "than",
    "well",
    "most",
    "more",
    "best",
}
WORD = re.compile(r"[A-Za-z’']+|[^A-Za-z’']+")


def third_person(text: str) -> str:
    """ "how it has developed your knowledge" → "how it has developed their knowledge"."""
    tokens = WORD.findall(text)
    out = []
    for i, token in enumerate(tokens):
        lower = token.lower()
        if lower in SECOND_PERSON:
            replacement = SECOND_PERSON[lower]
        elif lower == "you":
            following = next((t for t in tokens[i + 1 :] if t.strip()), "")
            is_object = not following[:1].isalpha() or following.lower() in OBJECT_FOLLOWERS
            replacement = "them" if is_object else "they"
        else:
            out.append(token)
            continue
        out.append(capitalised(replacement) if token[:1].isupper() else replacement)
    return "".join(out)


def satisfied_with(question_text: str) -> str:
    """ "were very satisfied with the course and how it has developed their knowledge and role"."""
    match = SATISFIED_WITH.match(question_text or "")
    if not match:
        return "were very satisfied"
    return f"were very satisfied with {third_person(match['what'])}"


# The sentences ----------------------------------------------------------------------------------


def _place(run: RunFact) -> str:
    # The place, not the title: titles carry commas ("Cohort 1, Manchester") that would break an
    # "A, B and C" list, and the reports name runs by their city.
    return (run.place or run.title).strip()


def _is_online(run: RunFact) -> bool:
    return _place(run).lower() == ONLINE


def _course(facts: CourseFacts, n: int) -> str:
    """ "four masterclasses for elected members on data and digital transformation"."""
    words = [counted(n, facts.run_noun)]
    if AUDIENCE.get(facts.audience):
        words.append(AUDIENCE[facts.audience])
    if facts.subject.strip():
        words.append(f"on {facts.subject.strip()}")
    return " ".join(words)


def _runs_sentence(facts: CourseFacts, runs: list[RunFact]) -> str:
    n = len(runs)
    if facts.named_event and facts.subject.strip():
        opening = capitalised(facts.subject.strip())
    elif n <= 9:
        opening = capitalised(_course(facts, n))
    else:
        # "12 masterclasses…" would start the paragraph with a figure; the year avoids it.
        opening = f"In {facts.year_label}, {_course(facts, n)}"
    if n <= MAX_LISTED_RUNS:
        listed = [f"{_place(run)} ({days(run.first_day, run.last_day)})" for run in runs]
        return f"{opening} took place: {joined(listed)}"
    # Too many to date each: the places, busiest first (ties in date order), with their counts.
    # "(3)" is a tally, as the product owner wrote it, so it stays a figure.
    in_person = Counter(_place(run) for run in runs if not _is_online(run))
    online = sum(1 for run in runs if _is_online(run))
    places = [
        f"{place} ({count})" if count > 1 else place for place, count in in_person.most_common()
    ]
    where = []
    if places:
        where.append(f"in {joined(places)}")
    if online:
        where.append(f"{number(online)} {ONLINE}" if places else ONLINE)
    return f"{opening} took place {', and '.join(where)}"


def _people(facts: CourseFacts) -> tuple[int, str, str | None]:
    """(total, "54 councillors", None) for one role; (120, "120 people", "54 councillors, 50
    officers and 16 other delegates") for several."""
    unknown = set(facts.people) - set(ROLES)
    if unknown:
        raise ValueError(f"people has roles this module does not word: {sorted(unknown)}")
    present = [(role, facts.people.get(role, 0)) for role in ROLES if facts.people.get(role, 0)]
    total = sum(count for _, count in present)
    if len(present) == 1:
        role, count = present[0]
        return total, counted(count, ROLES[role][0]), None
    breakdown = joined([counted(count, ROLES[role][1]) for role, count in present])
    return total, counted(total, ("person", "people")), breakdown


def _attendance_sentence(facts: CourseFacts) -> str:
    """ "54 councillors attended", "50 officers attended and 48 of them completed the programme",
    "120 people attended: 54 councillors, 50 officers and 16 other delegates"."""
    total, who, breakdown = _people(facts)
    if not total:
        return "No attendance was recorded"
    # "54 councillors attended" at the start of a sentence is the reports' own style.
    who = capitalised(who)
    if facts.completed is None:
        return f"{who} attended" + (f": {breakdown}" if breakdown else "")
    completed = f"{_of_them(facts.completed, total)} completed the programme"
    if breakdown:
        # "…and 16 other delegates and 110 of them completed" would run the list into the
        # completion; brackets keep them apart.
        return f"{who} attended ({breakdown}) and {completed}"
    return f"{who} attended and {completed}"


def _of_them(n: int, total: int) -> str:
    if n == total and total == 2:
        return "both of them"
    if n == total and total > 2:
        return f"all {number(total)} of them"
    if n == total == 1:
        return "they"
    return f"{number(n, zero='none')} of them"


def _enrolment_sentences(facts: CourseFacts, runs: list[RunFact]) -> list[str]:
    """ "980 council officers enrolled on X across two intakes, 500 of them in the latest (Spring
    2020 intake)." and "612 have completed it so far."

    The exact figure only, never "nearly 1,000": the board reports round ("nearly 1,000 council
    officers have enrolled"), but rounding is the writer's choice of emphasis, which the organiser
    makes when editing the draft; a draft carrying both ("980, nearly 1,000") reads as padding.
    """
    enrolled = sum(run.enrolled for run in runs)
    subject = facts.subject.strip()
    on = f" on {subject}" if subject else ""
    if not enrolled:
        return [f"No one enrolled{on} in {facts.year_label}."]  # the whole paragraph
    who = counted(enrolled, ENROLLED.get(facts.audience, ENROLLED["anyone"]), start=True)
    singular, plural = facts.run_noun
    latest = runs[-1]
    if len(runs) == 1:
        first = f"{who} enrolled{on} in one {singular} ({latest.title})"
    else:
        first = (
            f"{who} enrolled{on} across {number(len(runs))} {plural}, "
            f"{number(latest.enrolled, zero='none')} of them in the latest ({latest.title})"
        )
    sentences = [first]
    if facts.completed is not None:
        if facts.completed == 0:
            sentences.append("No one has completed it yet")
        else:
            verb = "has" if facts.completed == 1 else "have"
            sentences.append(f"{number(facts.completed, start=True)} {verb} completed it so far")
    return sentences


def _satisfaction(facts: CourseFacts) -> tuple[str, str] | None:
    """(the clause, the base sentence), or None when there is nothing true to say."""
    s = facts.satisfaction
    if s is None or not s.answered:
        return None
    share = per_cent(s.very_satisfied, s.answered)
    of_whom = "respondents" if s.answered == s.respondents else "those who answered the question"
    clause = (
        f"{share} per cent of {of_whom} ({number(s.very_satisfied, zero='none')} of "
        f"{number(s.answered)}) {satisfied_with(s.question_text)}"
    )
    asked = "people asked" if facts.enrolment_only else "attendees"
    if s.attendees >= s.respondents and s.attendees > 0:
        if s.respondents == s.attendees:
            base = {1: "The one attendee", 2: "Both attendees"}.get(
                s.attendees, f"All {number(s.attendees)} {asked}"
            )
            if facts.enrolment_only and s.attendees <= 2:
                base = {1: "The one person asked", 2: "Both people asked"}[s.attendees]
        else:
            base = f"{number(s.respondents, start=True)} of the {number(s.attendees)} {asked}"
    else:
        base = counted(s.respondents, ("person", "people"), start=True)
    base += " answered the survey"
    if s.answered != s.respondents:
        base += f"; {number(s.answered)} of them answered the question on satisfaction"
    return clause, base + "."


def _demand_sentence(facts: CourseFacts, runs: list[RunFact]) -> str | None:
    """ "The masterclasses were oversubscribed: 112 people asked for 78 places." """
    if facts.places <= 0 or facts.asked <= facts.places:
        return None
    noun = facts.run_noun[0] if len(runs) == 1 else facts.run_noun[1]
    was = "was" if len(runs) == 1 else "were"
    sentence = (
        f"The {noun} {was} oversubscribed: {counted(facts.asked, ('person', 'people'))} asked for "
        f"{counted(facts.places, ('place', 'places'))}"
    )
    if facts.still_waiting > 0:
        were = "was" if facts.still_waiting == 1 else "were"
        sentence += (
            f", and {number(facts.still_waiting)} of them {were} still on a waiting list when the "
            f"{noun} took place"
        )
    return sentence + "."


def draft(facts: CourseFacts) -> str:
    """One paragraph, plain text, from the facts alone.

    Runs: what took place; whether it was oversubscribed; who attended (and completed); how
    satisfied they were; the survey's base. E-learning: who enrolled and completed; satisfaction
    and base; demand.
    """
    runs = sorted(facts.runs, key=lambda run: (run.first_day, run.last_day))
    subject = f" on {facts.subject.strip()}" if facts.subject.strip() else ""
    demand = _demand_sentence(facts, runs)
    if facts.enrolment_only:
        people = _enrolment_sentences(facts, runs)
        if not sum(run.enrolled for run in runs):
            return people[0]
        before, after = [], [demand] if demand else []
    else:
        if not runs:
            return f"No {facts.run_noun[1]}{subject} took place in {facts.year_label}."
        people = [_attendance_sentence(facts)]
        before, after = [_runs_sentence(facts, runs) + "."] + ([demand] if demand else []), []
    satisfaction = _satisfaction(facts)
    if satisfaction:
        # The share joins the sentence before it ("54 councillors attended; 79 per cent…"), so no
        # sentence starts with a per cent.
        people[-1] += f"; {satisfaction[0]}"
    sentences = before + [sentence + "." for sentence in people]
    if satisfaction:
        sentences.append(satisfaction[1])
    return " ".join(sentences + after)


def draft_many(facts_list: list[CourseFacts]) -> list[str]:
    """One paragraph per course, in the order given (a theme's report)."""
    return [draft(facts) for facts in facts_list]
