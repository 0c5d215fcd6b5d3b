"""What's on, seen from the home page and the theme pages: the next dates for each audience, the
visitor's next booking, and a theme's courses with their next dates (lms/core/sections.py)."""

from django.utils import timezone
from wagtail import hooks

from lms.bookings.filters import upcoming_runs
from lms.bookings.models import Audience, Booking, BookingStatus
from lms.bookings.pages import BookablePage
from lms.core.sections import HOME_PAGE_SECTIONS, THEME_PAGE_SECTIONS, Section

from .models import WhatsOnPage

NEXT_DATES = 3  # runs shown for each audience on the home page, and for each course of a theme

# Who the home page's next dates are for, read from the runs' audience rule. Alumni-only runs
# (the alumni conference) are for officers who completed a programme: they are shown with the
# officers' dates, saying who may book. The link is to What's on filtered the same way.
AUDIENCES = [
    ("councillors", "For councillors", [Audience.COUNCILLORS], Audience.COUNCILLORS),
    ("officers", "For council officers", [Audience.OFFICERS, Audience.ALUMNI], Audience.OFFICERS),
    ("everyone", "For everyone", [Audience.ANYONE], Audience.ANYONE),
]


def _whats_on_url(request):
    whats_on = WhatsOnPage.objects.live().first()
    return whats_on.get_url(request) if whats_on else None


@hooks.register(HOME_PAGE_SECTIONS)
def next_dates(request, page):
    """The next few dates for councillors, for officers and for everyone. Each audience's runs
    are one query (and one for their sessions), whatever the size of the programme."""
    whats_on = _whats_on_url(request)
    groups = []
    for key, heading, audiences, filter_value in AUDIENCES:
        runs = list(upcoming_runs().filter(audience__in=audiences)[:NEXT_DATES])
        more = f"{whats_on}?audience={filter_value}" if whats_on else None
        groups.append({"key": key, "heading": heading, "runs": runs, "more": more})
    return Section(
        "events/includes/next_dates.html", {"groups": groups, "whats_on": whats_on}, order=20
    )


@hooks.register(HOME_PAGE_SECTIONS)
def next_booking(request, page):
    """For someone signed in, beside the page's heading: their next confirmed place, or an
    invitation to What's on when they have none."""
    if not request.user.is_authenticated:
        return None
    booking = (
        Booking.objects.filter(
            person=request.user,
            status=BookingStatus.CONFIRMED,
            run__ends_at__gte=timezone.now(),
        )
        .select_related("run", "run__page")
        .order_by("run__starts_at", "pk")
        .first()
    )
    return Section(
        "events/includes/next_booking.html",
        {"booking": booking, "whats_on": None if booking else _whats_on_url(request)},
        order=10,
        slot="hero",
    )


@hooks.register(THEME_PAGE_SECTIONS)
def theme_courses(request, page, theme):
    """The theme's live courses and conferences, each with its next dates, those with dates
    first. Three queries: the pages, their upcoming runs, and those runs' sessions."""
    courses = list(BookablePage.objects.live().public().filter(theme=theme).order_by("title"))
    runs = {}
    for run in upcoming_runs().filter(page__in=[course.pk for course in courses]):
        runs.setdefault(run.page_id, []).append(run)
    for course in courses:
        course_runs = runs.get(course.pk, [])
        course.next_runs = course_runs[:NEXT_DATES]
        course.more_runs = len(course_runs) - len(course.next_runs)
    # Courses with dates to book first, soonest first; then the others by title.
    courses.sort(key=lambda c: (not c.next_runs, c.next_runs[0].starts_at if c.next_runs else 0))
    whats_on = _whats_on_url(request)
    return Section(
        "events/includes/theme_courses.html",
        {
            "courses": courses,
            "theme": theme,
            "whats_on": f"{whats_on}?theme={theme.slug}" if whats_on else None,
        },
        order=20,
    )
