"""The site search, as a visitor uses it: words in, results grouped by kind, each linking to its
page; nothing that is not live and public; states that say what to do next."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import PageViewRestriction

from courses.models import ElearningCoursePage, OfficerProgrammePage
from events.models import ConferencePage
from lms.pages.models import Theme
from tests import factories

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:search")


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text(node):
    return " ".join(node.get_text().split())


def groups(page):
    """{heading: [result titles]} in the order the page shows them."""
    return {
        text(section.h2): [text(a) for a in section.select(".search-result__title a")]
        for section in page.select("section.search-group")
    }


def test_a_word_said_only_in_a_transcript_finds_the_episode(client, make_episode):
    episode = make_episode(
        "Letters that get council tax paid",
        transcript="Amira: Welcome.\n\nTom: The trick is reciprocity: people return a favour.",
    )
    make_episode("Another episode")
    factories.course_page("Behavioural insights masterclass")

    page = soup(client.get(SEARCH, {"q": "reciprocity"}))

    assert groups(page) == {"Podcast episodes (1)": ["Letters that get council tax paid"]}
    result = page.select_one(".search-result")
    assert result.select_one("h3 a")["href"] == episode.url
    # The snippet shows where the word was said, marked.
    snippet = result.select_one(".search-result__snippet")
    assert [text(m) for m in snippet.select("mark")] == ["reciprocity"]
    assert "The trick is reciprocity: people return a favour." in text(snippet)


def test_results_are_grouped_by_kind_with_their_counts_and_next_dates(client, make_episode):
    theme = Theme.objects.get(slug="smarter-sourcing")
    masterclass = factories.course_page(
        "Smarter procurement", summary="Buying well for councillors.", theme=theme
    )
    cohort = factories.course_page(
        "Commercial skills", OfficerProgrammePage, summary="Contracts and procurement."
    )
    factories.course_page("E-learning: procurement basics", ElearningCoursePage)
    factories.course_page("Procurement conference", ConferencePage, summary="Two days.")
    make_episode("Buying social value", transcript="Tom: Procurement can nudge suppliers.")
    factories.course_page("Income generation", summary="Trading companies.")
    later = factories.run(page=masterclass, title="Leeds", starts_in=timedelta(days=60))
    first = factories.run(page=masterclass, title="York", starts_in=timedelta(days=20))
    factories.run(page=masterclass, title="Hull", starts_in=-timedelta(days=5))  # held already
    factories.run(page=cohort, title="Cohort 1", starts_in=timedelta(days=40), draft=True)

    page = soup(client.get(SEARCH, {"q": "procurement"}))

    found = groups(page)
    assert list(found) == ["Courses (3)", "Conferences (1)", "Podcast episodes (1)"]
    assert sorted(found["Courses (3)"]) == [
        "Commercial skills",
        "E-learning: procurement basics",
        "Smarter procurement",
    ]
    assert found["Conferences (1)"] == ["Procurement conference"]
    assert found["Podcast episodes (1)"] == ["Buying social value"]
    summary = text(page.select_one(".search-summary"))
    assert summary == "5 results: 3 courses, 1 conference, 1 podcast episode."
    assert [a["href"] for a in page.select(".search-summary a")] == [
        "#courses-heading",
        "#conferences-heading",
        "#episodes-heading",
    ]

    results = {text(r.h3): r for r in page.select(".search-result")}
    smarter = results["Smarter procurement"]
    assert text(smarter.select_one(".caption")) == "Masterclass · Smarter sourcing"
    meta = smarter.select_one(".meta")
    assert meta.time["datetime"] == first.starts_at.isoformat()
    assert text(meta).startswith("Next date: ") and text(meta).endswith("(and 1 more date)")
    assert later.starts_at > first.starts_at
    # A draft run is not a date anyone can book.
    assert text(results["Commercial skills"].select_one(".meta")) == (
        "No dates to book at the moment"
    )
    assert text(results["Buying social value"].select_one(".meta")).startswith("Published ")


def test_drafts_private_pages_and_unpublished_changes_never_appear(
    client, home, make_episode, councillor
):
    draft = factories.course_page("Zeppelin draft", summary="About zeppelins.")
    draft.unpublish()
    private = factories.course_page("Private zeppelins", summary="About zeppelins.")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    make_episode("Zeppelin episode", publish=False, transcript="Tom: Zeppelins.")
    section = factories.course_page("Members' area", summary="Members only.")
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    section.add_child(
        instance=ConferencePage(title="Zeppelin summit", slug="summit", summary="Zeppelins.")
    )
    # A live page's draft changes are not live: the index keeps what the public sees.
    live = factories.course_page("Airships", summary="Lighter than air.")
    live.summary = "Zeppelins, coming soon."
    live.save_revision()

    for visitor in (None, councillor):
        if visitor:
            client.force_login(visitor)
        page = soup(client.get(SEARCH, {"q": "zeppelins"}))
        assert groups(page) == {}
        assert "No courses, conferences or podcast episodes match “zeppelins”." in text(page)

    # What is live and public is found, with its live words.
    assert groups(soup(client.get(SEARCH, {"q": "lighter air"}))) == {"Courses (1)": ["Airships"]}


def test_an_empty_search_says_what_to_search_for(client, home):
    page = soup(client.get(SEARCH))
    assert text(page.h1) == "Search"
    assert text(page.title).startswith("Search – ")
    assert "Search for a course, a conference or a podcast episode" in text(page.main)
    assert page.select_one("main form[role=search] input[name=q]").get("value") is None
    # Spaces only are no search either.
    assert text(soup(client.get(SEARCH, {"q": "   "})).h1) == "Search"


def test_no_results_say_what_to_try_and_keep_the_words_in_the_box(client, home):
    factories.course_page("Smarter procurement")
    page = soup(client.get(SEARCH, {"q": "procuremint"}))
    assert text(page.h1) == "Search results for “procuremint”"
    assert text(page.title).startswith("Search results for “procuremint” – ")
    assert page.select_one("main form[role=search] input[name=q]")["value"] == "procuremint"
    main = text(page.main)
    assert "No courses, conferences or podcast episodes match “procuremint”." in main
    assert "check the spelling" in main and "use fewer words" in main


def test_the_search_form_is_labelled_and_the_header_box_gives_way_to_it(client, home):
    page = soup(client.get(SEARCH, {"q": "procurement"}))
    forms = page.select("form[role=search]")
    assert len(forms) == 1  # the header's box is not repeated above the page's own
    field = forms[0].select_one("input[name=q]")
    assert text(page.select_one(f"label[for={field['id']}]")) == (
        "Search courses, conferences and podcast episodes"
    )
    assert forms[0]["action"] == SEARCH and forms[0].get("method") == "get"

    home_page = soup(client.get(home.url))
    header_form = home_page.select_one("header form[role=search]")
    assert header_form["action"] == SEARCH
    header_field = header_form.select_one("input[name=q]")
    assert text(home_page.select_one(f"label[for={header_field['id']}]")) == (
        "Search courses, conferences and podcast episodes"
    )


def test_each_kind_shows_its_first_results_and_pages_through_the_rest(client, make_episode):
    for number in range(1, 26):
        make_episode(f"Kindness episode {number}", transcript="Tom: Kindness works.")
    factories.course_page("Kindness masterclass")

    everything = soup(client.get(SEARCH, {"q": "kindness"}))
    found = groups(everything)
    assert list(found) == ["Courses (1)", "Podcast episodes (25)"]
    assert len(found["Podcast episodes (25)"]) == 5
    see_all = everything.find("a", string="See all 25 podcast episodes matching “kindness”")
    assert see_all["href"] == "?q=kindness&kind=episodes"

    first = soup(client.get(SEARCH + see_all["href"]))
    assert text(first.h1) == "Podcast episodes matching “kindness” (page 1 of 2)"
    assert text(first.title).startswith("Podcast episodes matching “kindness” (page 1 of 2) – ")
    assert list(groups(first)) == ["Podcast episodes (25)"]
    assert len(first.select(".search-result")) == 20
    next_page = first.select_one("nav.pagination a[rel=next]")["href"]
    second = soup(client.get(SEARCH + next_page))
    assert text(second.h1) == "Podcast episodes matching “kindness” (page 2 of 2)"
    titles = {text(a) for a in first.select(".search-result h3 a")}
    titles |= {text(a) for a in second.select(".search-result h3 a")}
    assert titles == {f"Kindness episode {n}" for n in range(1, 26)}
    assert second.find("a", string="See all results")["href"] == "?q=kindness"


def test_an_unknown_kind_or_page_shows_what_it_can(client, make_episode):
    make_episode("Kindness", transcript="Tom: Kindness works.")
    page = soup(client.get(SEARCH, {"q": "kindness", "kind": "zeppelins", "page": "x"}))
    assert groups(page) == {"Podcast episodes (1)": ["Kindness"]}
    page = soup(client.get(SEARCH, {"q": "kindness", "kind": "episodes", "page": "99"}))
    assert groups(page) == {"Podcast episodes (1)": ["Kindness"]}


def test_a_search_too_long_is_explained_next_to_the_box(client, home):
    response = client.get(SEARCH, {"q": "word " * 41})
    page = soup(response)
    assert text(page.title).startswith("Error: Search – ")
    summary = page.select_one(".error-summary")
    link = summary.find("a", string="Search words must be 200 characters or fewer")
    field = page.select_one("main form[role=search] input[name=q]")
    assert link["href"] == f"#{field['id']}"
    assert field["aria-invalid"] == "true"
    assert field["value"].split() == ["word"] * 41  # what was typed is kept


@pytest.mark.parametrize(
    "query",
    [
        'a"b',
        "'",
        "council's",
        "tax & (council | !letters)",
        "<script>alert(1)</script>",
        ":*",
        "-letters",
        "NEAR(council tax)",
        "naïve café",
        "🎓",
        "% _ \\",
    ],
)
def test_punctuation_and_search_syntax_are_only_words(client, make_episode, query):
    make_episode("Council tax letters", transcript="Tom: Council tax letters, naïve café 🎓.")
    response = client.get(SEARCH, {"q": query})
    page = soup(response)
    assert b"<script>alert" not in response.content
    assert page.select_one("main form[role=search] input[name=q]")["value"] == query


def test_markup_in_a_page_is_shown_as_text_in_its_snippet(client, make_episode):
    make_episode("Markup", transcript="Tom: Never <b>bold</b> <script>x()</script> reciprocity.")
    response = client.get(SEARCH, {"q": "reciprocity"})
    snippet = soup(response).select_one(".search-result__snippet")
    assert text(snippet) == "Tom: Never <b>bold</b> <script>x()</script> reciprocity."
    assert snippet.find("script") is None and snippet.find("b") is None


def test_the_search_makes_the_same_few_queries_however_many_pages_match(
    client, make_episode, django_assert_max_num_queries
):
    theme = Theme.objects.get(slug="smarter-sourcing")

    def add(n):
        for _ in range(n):
            page = factories.course_page("Procurement masterclass", theme=theme)
            factories.run(page=page)
            factories.course_page("Procurement conference", ConferencePage)
            make_episode("Procurement episode", transcript="Tom: Procurement.")

    # The search's own ten, the header's navigation (the setting, its links, the home page's
    # children when none is chosen) and the footer's links and their pages: the same however
    # many pages match.
    queries = 17
    add(1)
    client.get(SEARCH, {"q": "procurement"})  # content types and the site, as a warm server has
    with django_assert_max_num_queries(queries):
        client.get(SEARCH, {"q": "procurement"})
    add(12)
    with django_assert_max_num_queries(queries):
        page = soup(client.get(SEARCH, {"q": "procurement"}))
    assert list(groups(page)) == ["Courses (13)", "Conferences (13)", "Podcast episodes (13)"]
    with django_assert_max_num_queries(queries):
        client.get(SEARCH, {"q": "procurement", "kind": "courses"})


def test_searching_without_pause_is_slowed_down_with_a_page_that_says_so(
    client, make_episode, monkeypatch
):
    from lms.search import views

    monkeypatch.setattr(views, "SEARCH_LIMIT", 2)
    make_episode("Kindness", transcript="Tom: Kindness works.")
    for _ in range(2):
        assert groups(soup(client.get(SEARCH, {"q": "kindness"}))) == {
            "Podcast episodes (1)": ["Kindness"]
        }
    assert client.get(SEARCH).status_code == 200  # the empty form is not a search

    refused = client.get(SEARCH, {"q": "kindness"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    page = BeautifulSoup(refused.content, "html.parser")
    assert "Wait a minute, then search again." in text(page.main)
    assert page.select_one("main form[role=search] input[name=q]")["value"] == "kindness"
    assert groups(page) == {}
    # Another address is not held back.
    other = client.get(SEARCH, {"q": "kindness"}, REMOTE_ADDR="192.0.2.7")
    assert groups(soup(other)) == {"Podcast episodes (1)": ["Kindness"]}


def test_a_word_in_a_course_description_is_shown_as_text(client, home):
    factories.course_page(
        "Smarter sourcing",
        body="<h2>What you will learn</h2><p>Writing <b>specifications</b> &amp; contracts.</p>",
    )
    snippet = soup(client.get(SEARCH, {"q": "specifications"})).select_one(
        ".search-result__snippet"
    )
    assert text(snippet) == "What you will learn Writing specifications & contracts."
    assert [text(m) for m in snippet.select("mark")] == ["specifications"]


def test_the_snippet_is_the_passage_with_most_of_the_words(client, make_episode):
    make_episode(
        "Recycling",
        summary="Recycling is where many councils first try a nudge.",
        transcript="Amira: Welcome. " + "Tom: Bins. " * 40 + "Next: recycling and your neighbours.",
    )
    snippet = soup(client.get(SEARCH, {"q": "recycling neighbours"})).select_one(
        ".search-result__snippet"
    )
    assert [text(m) for m in snippet.select("mark")] == ["recycling", "neighbours"]
    assert text(snippet).startswith("…") and text(snippet).endswith("your neighbours.")
