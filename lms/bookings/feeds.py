"""Calendar downloads and feeds: one run, the public feed of upcoming runs, a person's own feed.

Public files carry no attendee data. Feeds answer conditional GETs (ETag, Last-Modified) so
calendar apps that poll them cost a query, not a render.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import condition, require_POST

from lms.core import cache as catalogue

from .calendar import build_calendar
from .filters import RunFilter, upcoming_runs
from .models import ACTIVE_STATUSES, CalendarFeed, Run, new_feed_token

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _base_url():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def _ics_response(body, filename):
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def run_ics(request, run_id):
    run = get_object_or_404(
        Run.objects.select_related("page", "venue"), pk=run_id, page__live=True, draft=False
    )
    return _ics_response(build_calendar([run], base_url=_base_url()), f"run-{run.pk}.ics")


def _public_runs(request):
    return RunFilter(request.GET, queryset=upcoming_runs()).qs


def _public_etag(request):
    # The catalogue version and the filters: a new tag whenever either changes.
    return catalogue.fingerprint(request, catalogue.CATALOGUE)


def _public_last_modified(request):
    return catalogue.changed_at()


@condition(etag_func=_public_etag, last_modified_func=_public_last_modified)
def public_feed(request):
    """Upcoming runs, filtered exactly like the "What's on" listing; built once per catalogue
    version and filter set."""
    key = "feed:" + _public_etag(request)
    body = cache.get(key)
    if body is None:
        body = build_calendar(
            _public_runs(request), name="Council skills programme: what's on", base_url=_base_url()
        )
        cache.set(key, body, catalogue.TIMEOUT)
    return _ics_response(body, "whats-on.ics")


def personal_feed(request, token):
    feed = get_object_or_404(CalendarFeed.objects.select_related("person"), token=token)
    runs = (
        Run.objects.filter(bookings__person=feed.person, bookings__status__in=ACTIVE_STATUSES)
        .select_related("page", "venue")
        .prefetch_related("sessions")
        .distinct()
    )
    body = build_calendar(runs, name="My council skills bookings", base_url=_base_url())
    response = _ics_response(body, "my-bookings.ics")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def reset_personal_feed(request):
    """Give the person a new secret address; the old one stops working at once."""
    feed, created = CalendarFeed.objects.get_or_create(person=request.user)
    if not created:
        feed.token = new_feed_token()
        feed.save()
    messages.success(
        request,
        "Your calendar feed has a new address. Calendars using the old address will stop updating."
        if not created
        else "Your private calendar feed is ready.",
    )
    return redirect("bookings:my_bookings")
