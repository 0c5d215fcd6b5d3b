"""Site search: the kinds of result it groups by, and the backend.

**Kinds.** The public search page (`lms.search`) groups its results as courses, conferences and
podcast episodes. Each page model that belongs in the results says which kind it is with a
`search_kind` class attribute naming one of `KINDS`; the search page finds those models through
Wagtail's page registry, so no core app imports the page apps.

**The backend**: Wagtail's database backend, with searches containing `"` readable on SQLite.

``WAGTAILSEARCH_BACKENDS`` names this module. On PostgreSQL (production) it is exactly
modelsearch's database backend. On SQLite (the developer's database) modelsearch wraps each
search term in double quotes for SQLite's FTS5 without doubling a double quote inside the term,
so a search such as ``a"b`` was an FTS5 syntax error and a server error on every admin listing
with a search box. Doubling it is FTS5's own escape: the term is then searched for as typed.
"""

from dataclasses import dataclass
from functools import cache

from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.query import Phrase, PlainText


@dataclass(frozen=True)
class ResultKind:
    """One group of the search page's results."""

    slug: str  # in the address: /search/?q=…&kind=episodes
    heading: str  # "Podcast episodes"
    noun: str  # one of them in a sentence, "podcast episode"; "s" makes more than one

    def __str__(self):
        return self.heading


COURSES = ResultKind("courses", "Courses", "course")
CONFERENCES = ResultKind("conferences", "Conferences", "conference")
EPISODES = ResultKind("episodes", "Podcast episodes", "podcast episode")
# In the order the search page shows them.
KINDS = (COURSES, CONFERENCES, EPISODES)


def fts5_quoted(text):
    """``text`` made safe to stand between FTS5's double quotes."""
    return text.replace('"', '""')


class _QuotedTermsMixin:
    def build_search_query_content(self, query, config=None):
        if isinstance(query, PlainText):
            query = PlainText(
                fts5_quoted(query.query_string), operator=query.operator, boost=query.boost
            )
        elif isinstance(query, Phrase):
            query = Phrase(fts5_quoted(query.query_string))
        return super().build_search_query_content(query, config=config)


@cache
def _quoted_sqlite_backend_class():
    # Imported only on SQLite: modelsearch's SQLite modules need its SQLite-only index model.
    from modelsearch.backends.database.sqlite.sqlite import (
        SQLiteAutocompleteQueryCompiler,
        SQLiteSearchBackend,
        SQLiteSearchQueryCompiler,
    )

    class QuotedSearchQueryCompiler(_QuotedTermsMixin, SQLiteSearchQueryCompiler):
        pass

    class QuotedAutocompleteQueryCompiler(_QuotedTermsMixin, SQLiteAutocompleteQueryCompiler):
        pass

    class QuotedSQLiteSearchBackend(SQLiteSearchBackend):
        query_compiler_class = QuotedSearchQueryCompiler
        autocomplete_query_compiler_class = QuotedAutocompleteQueryCompiler

    return SQLiteSearchBackend, QuotedSQLiteSearchBackend


def SearchBackend(params):
    backend = database_backend(params)
    if type(backend).__module__.startswith("modelsearch.backends.database.sqlite"):
        sqlite_backend, quoted_backend = _quoted_sqlite_backend_class()
        if isinstance(backend, sqlite_backend):
            return quoted_backend(params)
    return backend
