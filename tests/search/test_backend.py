"""The search runs on the database's own full-text search: PostgreSQL's, in English, in
production; SQLite's FTS5 on a developer's machine (lms/core/search.py)."""

import pytest
from django.db import connection
from django.urls import reverse
from modelsearch.backends import get_search_backend

pytestmark = pytest.mark.django_db


def test_postgresql_also_finds_words_in_their_other_forms(client, make_episode):
    make_episode("Councils' letters", transcript="Tom: Councils send reminder letters.")
    backend = get_search_backend()
    found = client.get(reverse("search:search"), {"q": "council reminding letter"})
    as_typed = client.get(reverse("search:search"), {"q": "councils reminder letters"})

    assert "Podcast episodes (1)" in as_typed.content.decode()
    if connection.vendor == "postgresql":
        assert type(backend).__name__ == "PostgresSearchBackend"
        assert backend.config == "english"
        assert "Podcast episodes (1)" in found.content.decode()  # stemmed: council, remind, letter
    else:  # FTS5 matches the words as typed
        assert type(backend).__name__ == "QuotedSQLiteSearchBackend"
