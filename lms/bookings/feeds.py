"""Calendar downloads and feeds: one run, the public feed of upcoming runs, a person's own feed.

Public files carry no attendee data. Feeds answer conditional GETs (ETag, Last-Modified) so
calendar apps that poll them cost a query, not a render. Each feed has a calendar UID that is the
same on every request and tells calendar apps how often to fetch it again.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import condition, require_POST

from lms.core import cache as catalogue

from . import calendar
from .filters import RunFilter, upcoming_runs
from .models import ACTIVE_STATUSES, Booking, CalendarFeed, Run, new_feed_token

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
    body = calendar.build_calendar(
        [run], uid=calendar.calendar_uid(f"run:{run.calendar_uid}"), base_url=_base_url()
    )
    return _ics_response(body, f"run-{run.pk}.ics")


def _public_runs(request):
    return RunFilter(request.GET, queryset=upcoming_runs()).qs


def _filters(request):
    """The filters as a canonical query string: the same filters in any order are one feed, and
    anything else in the address (a tracking parameter) changes nothing."""
    return "&".join(
        f"{key}={value}"
        for key in sorted(RunFilter.base_filters)
        for value in request.GET.getlist(key)
        if value
    )


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
        body = calendar.build_calendar(
            _public_runs(request),
            name="Council skills programme: what's on",
            # One calendar per set of filters: subscribing to two filtered feeds gives two.
            uid=calendar.calendar_uid("whats-on?" + _filters(request)),
            feed=True,
            base_url=_base_url(),
        )
        cache.set(key, body, catalogue.TIMEOUT)
    return _ics_response(body, "whats-on.ics")


def personal_feed(request, token):
    """A person's active bookings: confirmed places CONFIRMED, the rest TENTATIVE (see
    calendar.py). Empty, it is still a valid calendar (a VTIMEZONE and no events)."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("person"), token=token)
    bookings = (
        Booking.objects.filter(person=feed.person, status__in=ACTIVE_STATUSES)
        .select_related("run__page", "run__venue")
        .prefetch_related("run__sessions")
        .annotate(earlier_bookings=calendar.earlier_bookings())
        .order_by("run__starts_at", "pk")
    )
    body = calendar.personal_calendar(feed.person, bookings, base_url=_base_url())
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
