"""A NUL character in an address is "not found", never a server error: PostgreSQL refuses text
holding NUL, so the address must not reach a database lookup."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

PATHS = [
    "/survey/%00/",
    "/calendar/personal/a%00b.ics",
    "/bookings/%00/",
    "/bookings/DD-%007K2Q/cancel/",
    "/certificates/verify/%00/",
    "/no-such-page%00/",  # Wagtail's page tree and redirects would look this one up
    "/admin/pages/%00/",
]


# The site's 404 page reads its header's navigation and its footer links (by the request's host,
# never its path): the only queries such a request may make.
FOOTER_QUERY = re.compile(
    r'"(wagtailcore_site|pages_footerlinks|pages_navigation|pages_navigationlink)"'
    r"|^(RELEASE )?SAVEPOINT"
)


@pytest.mark.parametrize("path", PATHS)
def test_a_nul_in_the_path_is_not_found_before_any_lookup(client, path):
    client.raise_request_exception = False
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()
    lookups = [q["sql"] for q in queries if not FOOTER_QUERY.search(q["sql"])]
    assert not lookups


def test_a_nul_in_a_signed_in_organisers_path_is_not_found(client, organiser):
    client.force_login(organiser)
    client.raise_request_exception = False
    assert client.get("/admin/runs/%00/manage/").status_code == 404
    assert client.post("/survey/%00/", {"answer": "x"}).status_code == 404
