"""The site search page: courses, conferences and podcast episodes (transcripts included),
grouped by kind, each with its count.

The matching is Wagtail's search backend (`lms/core/search.py`): PostgreSQL's full-text search
on PostgreSQL, with English stemming (settings: `SEARCH_CONFIG`), and SQLite's FTS5 on a
developer's machine. Only live pages of this site that anyone may see are searched: drafts,
unpublished changes (the index holds what is live) and pages behind a view restriction never
appear.

Which page models belong to which group is said by each model (`search_kind`), and this view
finds them through Wagtail's page registry: it imports none of courses, events or podcasts,
and sits above bookings in the import layers only to show a course's next date.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q
from django.shortcuts import render
from wagtail.models import Page, Site, get_page_models

from lms.bookings.models import Run
from lms.bookings.pages import BookablePage
from lms.core.client import client_address
from lms.core.ratelimit import retry_after
from lms.core.search import KINDS, ResultKind

from .forms import SearchForm
from .snippets import snippet

# The search reads this many words of what was typed (a sentence pasted in stays cheap).
MAX_WORDS = 12
# Results of each kind shown among all results; "see all" then pages through one kind.
PER_KIND = 5
PER_PAGE = 20
# Searches from one address (IPv6: one /64) in a minute, far more than a person makes; then 429
# until the minute ends, so that a script cannot keep the database's full-text search busy.
SEARCH_LIMIT = 60
SEARCH_WINDOW = 60  # seconds
WORD = re.compile(r"\w+")


@dataclass
class Result:
    page: Page
    url: str
    snippet: str
    next_start: datetime | None = None  # the first upcoming date of a course or conference
    more_dates: int = 0  # how many upcoming dates after that one


@dataclass
class Group:
    kind: ResultKind
    count: int
    results: list[Result] = field(default_factory=list)
    page: PaginatorPage | None = None  # when one kind is shown, the page of it shown


@cache
def kind_models(kind: ResultKind) -> tuple[type[Page] | None, tuple[type[Page], ...]]:
    """The page models of a kind, and the most specific model they all share (the one the
    kind's results are read as: it has the fields the results show); (None, ()) for none."""
    models = tuple(m for m in get_page_models() if getattr(m, "search_kind", None) == kind)
    if not models:
        return None, ()
    shared = next(
        base
        for base in models[0].__mro__
        if issubclass(base, Page) and all(issubclass(m, base) for m in models)
    )
    return shared, models


def search_words(query: str) -> list[str]:
    """The words of a query, punctuation dropped (no search syntax reaches the backend)."""
    return WORD.findall(query)[:MAX_WORDS]


def searchable(kind: ResultKind, site: Site, private: Q):
    """The live pages of `kind` on `site`, less those `private` names; None for a kind that no
    page model is."""
    shared, models = kind_models(kind)
    if shared is None:
        return None
    pages = (
        shared.objects.live()
        .exact_type(*models)
        .descendant_of(site.root_page, inclusive=True)
        .exclude(private)
    )
    if issubclass(shared, BookablePage):
        pages = pages.select_related("theme")
    return pages


def upcoming_dates(pages: list[BookablePage]) -> dict[int, tuple[datetime, int]]:
    """Each bookable page's first upcoming date and how many upcoming dates it has, in one
    query; the same rule as the course page's list of dates."""
    rows = (
        Run.objects.upcoming()
        .filter(page__in=[p.pk for p in pages])
        .order_by()
        .values("page")
        .annotate(first=Min("starts_at"), dates=Count("pk"))
    )
    return {row["page"]: (row["first"], row["dates"]) for row in rows}


def results_for(request, pages, words: list[str]) -> list[Result]:
    """What the page shows of each result, with the next dates of bookable pages."""
    pages = list(pages)
    bookable = [p for p in pages if isinstance(p, BookablePage)]
    dates = upcoming_dates(bookable) if bookable else {}
    results = []
    for page in pages:
        first, count = dates.get(page.pk, (None, 0))
        results.append(
            Result(
                page=page,
                url=page.get_url(request),
                snippet=snippet(page, words),
                next_start=first,
                more_dates=max(count - 1, 0),
            )
        )
    return results


def search(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    words = search_words(query)
    chosen = next((k for k in KINDS if k.slug == request.GET.get("kind")), None)
    groups = []
    wait = None
    if words:
        address = client_address(request)
        wait = retry_after("search", address, limit=SEARCH_LIMIT, window=SEARCH_WINDOW)
    site = Site.find_for_request(request) if words and not wait else None
    if site is not None:
        # Pages behind any view restriction (sign-in, groups) and their subpages: left out for
        # everyone, since search results are the same for every visitor.
        private = Page.objects.private_q()
        text = " ".join(words)
        for kind in [chosen] if chosen else KINDS:
            pages = searchable(kind, site, private)
            if pages is None:
                continue
            # Every word must match: another word narrows the search, as people expect.
            found = pages.search(text, operator="and")
            if chosen:
                page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
                group = Group(kind, page.paginator.count, results_for(request, page, words), page)
            else:
                first = list(found[:PER_KIND])
                count = len(first) if len(first) < PER_KIND else found.count()
                group = Group(kind, count, results_for(request, first, words))
            groups.append(group)
    response = render(
        request,
        "search/search.html",
        {
            "form": form,
            "refused": bool(wait),
            "query": query,
            "searched": bool(query),
            "chosen": chosen,
            "results_page": groups[0].page if chosen and groups else None,
            "groups": groups,
            "found": [g for g in groups if g.count],
            "total": sum(g.count for g in groups),
        },
        status=429 if wait else 200,
    )
    if wait:
        response["Retry-After"] = str(wait)
    return response
