"""The site's URLs plus the baselines the benchmarks compare with.

`range/`: 64 KB of a stored file, for bench/podcast.py's audio comparison.

`bare/`: a plain Django view listing the first 20 upcoming runs of live pages as What's on does
(title, every session's dates, place, who can book, places left), with no Wagtail routing, no
site chrome and a minimal template, choosing the rows with the same `upcoming()` rule: two
queries (the runs with their places taken, counted for
those rows only, and their sessions).
"""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from django.utils import timezone

BARE_TEMPLATE = engines["django"].from_string(
    """<!doctype html><html lang="en"><head><title>What's on</title></head><body><main>
<h1>What's on</h1><ul>{% for run in runs %}<li><h3><a href="{{ run.page.url_path }}">{{ run.page.title }}: {{ run.title }}</a></h3>
<p>{% for session in run.sessions.all %}{{ session.starts_at|date:"l j F Y, H:i" }} to {{ session.ends_at|date:"H:i" }} {% endfor %}</p>
<p>{{ run.venue.city }} · {{ run.get_audience_display }} · {{ run.places_left }} of {{ run.capacity }} left</p></li>{% endfor %}</ul>
</main></body></html>"""
)


def bare_listing(request):
    from lms.bookings.models import PLACE_HOLDING_STATUSES, Booking, Run

    taken = (
        Booking.objects.filter(run=OuterRef("pk"), status__in=PLACE_HOLDING_STATUSES)
        .order_by()
        .values("run")
        .annotate(n=Count("pk"))
        .values("n")
    )
    runs = (
        Run.objects.upcoming(timezone.now())
        .filter(page__live=True)
        .annotate(taken=Coalesce(Subquery(taken), 0))
        .select_related("page", "venue")
        .prefetch_related("sessions")
        .order_by("starts_at", "pk")[:20]
    )
    return HttpResponse(BARE_TEMPLATE.render({"runs": runs}, request))


BARE_FILE = {"name": ""}  # set by bench/podcast.py: the stored audio file bare_range reads


def bare_range(request):
    """64 KB of a stored file as a 206, with no lookup and no counting: what serving the bytes
    costs in Django, against which the counted audio request is compared."""
    from django.core.files.storage import default_storage

    with default_storage.open(BARE_FILE["name"], "rb") as handle:
        handle.seek(65536)
        chunk = handle.read(65536)
    response = HttpResponse(chunk, status=206, content_type="audio/mpeg")
    response["Content-Range"] = f"bytes 65536-{65536 + len(chunk) - 1}/*"
    return response


urlpatterns = [
    path("bench/bare/", bare_listing),
    path("bench/range/", bare_range),
    path("", include("lms.urls")),
]
