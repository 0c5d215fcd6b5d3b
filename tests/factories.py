"""Small builders for test data: a course page, a run with sessions, people."""

from datetime import timedelta
from itertools import count

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page

from courses.models import MasterclassPage
from lms.accounts.models import Council
from lms.bookings import runs
from lms.bookings.models import Venue

_numbers = count(1)


def course_page(title="Data and digital transformation", page_class=MasterclassPage, **fields):
    from demo.site import ensure_page_tree

    root = Page.get_first_root_node() or ensure_page_tree()
    parent = root.get_children().first() or root
    fields.setdefault("summary", "A course.")
    page = page_class(title=title, slug=f"course-{next(_numbers)}", **fields)
    return parent.add_child(instance=page)


def venue(city="Manchester", region="north_west"):
    return Venue.objects.create(
        name=f"{city} Town Hall", address="1 High Street", city=city, region=region
    )


def run(page=None, capacity=10, starts_in=timedelta(days=30), days=1, starts_at=None, **fields):
    """A run of `days` weekly six-hour sessions, the first `starts_in` from now (or at
    `starts_at`, for a test that reads the times back and must not depend on the hour it runs)."""
    page = page or course_page()
    fields.setdefault("title", "Manchester")
    fields.setdefault("reference_prefix", "MC")
    start = starts_at or (timezone.now() + starts_in).replace(microsecond=0)
    sessions = [
        runs.NewSession(start + timedelta(days=7 * day), start + timedelta(days=7 * day, hours=6))
        for day in range(days)
    ]
    the_run = runs.create_run(page=page, capacity=capacity, sessions=sessions, **fields)
    the_run.refresh_from_db()
    return the_run


def person(role="councillor", council="MAN", **fields):
    n = next(_numbers)
    fields.setdefault("email", f"person{n}@example.org")
    fields.setdefault("full_name", f"Person {n}")
    council_obj = Council.objects.get(code=council) if council else None
    return get_user_model().objects.create_user(role=role, council=council_obj, **fields)


def podcast_show(parent, **fields):
    """A published podcast show under `parent`, with its artwork (the one the RSS checks accept)."""
    from podcasts.models import PodcastPage
    from tests.podcasts.conftest import make_image

    fields.setdefault("title", "Nudges for Social Good")
    fields.setdefault("slug", "nudges-for-social-good")
    fields.setdefault("description", "Behavioural insights for councils, demystified.")
    fields.setdefault("author", "Local Government Association")
    fields.setdefault("owner_name", "Productivity team")
    fields.setdefault("owner_email", "productivity@example.org")
    show = PodcastPage(artwork=fields.pop("artwork", None) or make_image(), **fields)
    parent.add_child(instance=show)
    show.save_revision().publish()
    return PodcastPage.objects.get(pk=show.pk)
