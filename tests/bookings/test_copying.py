"""Copying runs: one run to new dates, a course's runs or a year's programme into the next year
(weekday kept, off bank holidays), as drafts nobody sees or books until they are published."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import vobject
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from events.models import WhatsOnPage
from lms.bookings import copying, services
from lms.bookings.models import (
    Audience,
    Booking,
    BookingMode,
    CompletionRule,
    Run,
    Session,
    WaitlistOrder,
    WhenPlaceFrees,
)
from lms.core.years import FinancialYear
from lms.reports.figures import Scope
from tests import factories

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
YEAR = FinancialYear(2026)  # copied into 2027/28, inside GOV.UK's published bank holidays
BEFORE_NEXT_YEAR = datetime(2027, 3, 1, 12, tzinfo=LONDON)  # "now" for the year copies


def at(day, hour=10, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def run_on(day, *, later_days=(), hour=10, page=None, **fields):
    """A run whose first session is at `hour` on `day` (London), with more sessions
    `later_days` after it, each three hours long."""
    fields.setdefault("title", "Manchester")
    fields.setdefault("capacity", 20)
    run = Run.objects.create(page=page or factories.course_page(), **fields)
    for offset in (0, *later_days):
        start = at(day + timedelta(days=offset), hour)
        Session.objects.create(
            run=run, title=f"Day {offset}", starts_at=start, ends_at=start + timedelta(hours=3)
        )
    run.refresh_dates()  # the run's dates follow its sessions (a session's save leaves them)
    run.refresh_from_db()
    return run


def local_days(run):
    return [
        timezone.localtime(s.starts_at, LONDON).date() for s in run.sessions.order_by("starts_at")
    ]


def local_times(run):
    return [
        (
            timezone.localtime(s.starts_at, LONDON).time(),
            timezone.localtime(s.ends_at, LONDON).time(),
        )
        for s in run.sessions.order_by("starts_at")
    ]


# --- Copy this run ----------------------------------------------------------------------------


def test_a_copied_run_starts_on_the_chosen_day_and_keeps_each_sessions_distance_and_times():
    # Three modules a week apart in winter (GMT); copied into summer (BST): still 10:00 to 13:00.
    source = run_on(date(2026, 1, 13), later_days=(7, 21))
    copy = copying.copy_run(source, date(2027, 6, 1))
    assert local_days(copy) == [date(2027, 6, 1), date(2027, 6, 8), date(2027, 6, 22)]
    assert local_times(copy) == local_times(source) == [(time(10), time(13))] * 3
    assert [s.title for s in copy.sessions.all()] == ["Day 0", "Day 7", "Day 21"]
    assert copy.starts_at == at(date(2027, 6, 1)) and copy.ends_at == at(date(2027, 6, 22), 13)


def test_a_copied_run_keeps_its_settings_and_moves_its_booking_window_with_it():
    alumni_course = factories.course_page("Commercial skills")
    source = run_on(
        date(2026, 1, 13),
        title="Cohort 3",
        reference_prefix="OC",
        venue=factories.venue("Leeds", "yorkshire"),
        capacity=24,
        per_council_cap=2,
        audience=Audience.ALUMNI,
        alumni_of=alumni_course,
        booking_mode=BookingMode.APPROVAL,
        waitlist_order=WaitlistOrder.NEW_COUNCILS_FIRST,
        when_place_frees=WhenPlaceFrees.CONFIRM,
        offer_hold_hours=24,
        completion_rule=CompletionRule.AT_LEAST,
        completion_min_sessions=1,
        learning_hours=Decimal("5.5"),
        certificate_requires_survey=True,
        booking_opens=at(date(2025, 11, 1), 9),
        booking_closes=at(date(2026, 1, 6), 17),
        cancellation_cutoff=at(date(2026, 1, 11), 12),
    )
    copy = copying.copy_run(source, date(2027, 1, 12))  # 364 days on
    kept = [
        "page_id",
        "title",
        "reference_prefix",
        "venue_id",
        "online",
        "capacity",
        "per_council_cap",
        "audience",
        "alumni_of_id",
        "booking_mode",
        "waitlist_order",
        "when_place_frees",
        "offer_hold_hours",
        "completion_rule",
        "completion_min_sessions",
        "learning_hours",
        "certificate_requires_survey",
    ]
    assert {name: getattr(copy, name) for name in kept} == {
        name: getattr(source, name) for name in kept
    }
    assert timezone.localtime(copy.booking_opens, LONDON) == at(date(2026, 10, 31), 9)
    assert timezone.localtime(copy.booking_closes, LONDON) == at(date(2027, 1, 5), 17)
    assert timezone.localtime(copy.cancellation_cutoff, LONDON) == at(date(2027, 1, 10), 12)
    # Its own calendar identity: a copy is a new event in people's calendars, not a change.
    assert copy.calendar_uid != source.calendar_uid and copy.calendar_sequence == 0
    assert copy.copied_from == source and copy.draft


def test_a_copied_run_has_none_of_the_old_runs_bookings():
    source = factories.run(capacity=1)
    services.book(factories.person(), source)
    services.book(factories.person(council="BIR"), source)  # waiting
    first = timezone.localdate() + timedelta(days=60)
    copy = copying.copy_run(source, first)
    assert source.bookings.count() == 2
    assert not Booking.objects.filter(run=copy).exists()
    assert copy.places_left == 1


def test_copying_is_recorded_with_who_did_it(organiser):
    source = factories.run()
    copy = copying.copy_run(source, timezone.localdate() + timedelta(days=90), by=organiser)
    entry = ModelLogEntry.objects.for_instance(copy).get(action="bookings.run_copied")
    assert entry.user == organiser and entry.data["from_run"] == source.pk


def test_a_run_without_sessions_is_not_copied():
    source = Run.objects.create(page=factories.course_page(), title="Dates to come", capacity=5)
    with pytest.raises(copying.CopyRefused, match="no sessions"):
        copying.copy_run(source, date(2027, 6, 1))
    assert Run.objects.count() == 1


# --- Dates a year on ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 4, 14), date(2027, 4, 13)),  # a Tuesday, 52 weeks on
        (date(2026, 12, 31), date(2027, 12, 30)),
        (date(2027, 3, 1), date(2028, 2, 28)),  # across a 29 February: still 52 weeks
        (date(2028, 2, 29), date(2029, 2, 27)),
    ],
)
def test_a_year_on_is_the_same_weekday_nearest_the_same_date(day, expected):
    assert copying.a_year_on(day) == expected
    assert expected.weekday() == day.weekday()
    assert abs((expected - day.replace(year=day.year + 1, day=min(day.day, 28))).days) <= 3


def test_a_run_that_would_land_on_the_late_may_bank_holiday_moves_a_week_later():
    # Monday 1 June 2026, 52 weeks on, is Monday 31 May 2027: the spring bank holiday.
    source = run_on(date(2026, 6, 1))
    planned = copying.plan_next_year(source, within=FinancialYear(2027))
    assert [s.date() for _, s, _ in planned.sessions] == [date(2027, 6, 7)]
    assert planned.clashes[0].name == "Spring bank holiday"
    assert "Spring bank holiday" in planned.note and "a week later" in planned.note


def test_a_run_that_would_land_on_easter_monday_moves_but_stays_in_the_year_copied_into():
    # Monday 30 March 2026 → Monday 29 March 2027, Easter Monday. A week later is 5 April 2027,
    # the next financial year, so the copy goes a week earlier.
    source = run_on(date(2026, 3, 30))
    planned = copying.plan_next_year(source, within=FinancialYear(2026))
    assert planned.new_starts_at.date() == date(2027, 3, 22)
    assert planned.new_starts_at.weekday() == 0
    assert "Easter Monday" in planned.note and "a week earlier" in planned.note


def test_a_cohort_moves_whole_when_a_later_session_lands_on_a_bank_holiday():
    # Monday 20 April 2026 and a fortnight later: 52 weeks on, module 2 would be the early May
    # bank holiday (Monday 3 May 2027), so the whole cohort moves a week and keeps its spacing.
    source = run_on(date(2026, 4, 20), later_days=(14,))
    planned = copying.plan_next_year(source, within=FinancialYear(2027))
    days = [s.date() for _, s, _ in planned.sessions]
    assert days == [date(2027, 4, 26), date(2027, 5, 10)]
    assert planned.clashes[0].day == date(2027, 5, 3)


# --- A year's programme --------------------------------------------------------------------------


@pytest.fixture
def programme():
    masterclass = factories.course_page("Data and digital transformation")
    cohort = factories.course_page("Commercial skills for officers")
    return {
        "april": run_on(date(2026, 4, 14), page=masterclass, title="Leeds"),
        "may": run_on(date(2026, 6, 1), page=masterclass, title="Bristol", online=True),
        "cohort": run_on(date(2026, 9, 8), later_days=(7, 14), page=cohort, title="Cohort 3"),
        # Not copied: another year, a cancelled run.
        "last_year": run_on(date(2026, 3, 3), page=masterclass, title="Last year"),
        "next_year": run_on(date(2027, 4, 6), page=masterclass, title="Next year"),
        "cancelled": run_on(
            date(2026, 5, 12), page=masterclass, title="Cancelled", status="cancelled"
        ),
    }


def test_copying_a_year_makes_drafts_of_its_runs_in_the_next_year(programme):
    result = copying.copy_into_next_year(YEAR, now=BEFORE_NEXT_YEAR)
    copies = {run.copied_from.title: run for run in result.created}
    assert set(copies) == {"Leeds", "Bristol", "Cohort 3"}
    assert all(run.draft for run in copies.values())
    assert local_days(copies["Leeds"]) == [date(2027, 4, 13)]
    assert local_days(copies["Bristol"]) == [date(2027, 6, 7)]  # off the spring bank holiday
    assert local_days(copies["Cohort 3"]) == [
        date(2027, 9, 7),
        date(2027, 9, 14),
        date(2027, 9, 21),
    ]
    assert all(
        FinancialYear.containing(run.starts_at) == FinancialYear(2027) for run in copies.values()
    )


def test_copying_one_courses_runs(programme):
    result = copying.copy_into_next_year(YEAR, page=programme["cohort"].page, now=BEFORE_NEXT_YEAR)
    assert [run.copied_from for run in result.created] == [programme["cohort"]]


def test_copying_a_year_twice_makes_no_more_copies(programme):
    first = copying.copy_into_next_year(YEAR, now=BEFORE_NEXT_YEAR)
    again = copying.copy_into_next_year(YEAR, now=BEFORE_NEXT_YEAR)
    assert again.created == [] and len(again.skipped) == len(first.created) == 3
    assert Run.objects.filter(copied_from__isnull=False).count() == 3


def test_runs_whose_new_dates_have_passed_are_not_copied(programme):
    # Late in 2027: the April and June copies would already be over.
    result = copying.copy_into_next_year(YEAR, now=datetime(2027, 7, 1, tzinfo=LONDON))
    assert [run.copied_from.title for run in result.created] == ["Cohort 3"]
    assert {p.source.title for p in result.skipped} == {"Leeds", "Bristol"}


def test_the_preview_changes_nothing(programme):
    before = (Run.objects.count(), Session.objects.count(), ModelLogEntry.objects.count())
    plans = copying.preview_next_year(YEAR, now=BEFORE_NEXT_YEAR)
    assert [p.source.title for p in plans] == ["Leeds", "Bristol", "Cohort 3"]
    assert (Run.objects.count(), Session.objects.count(), ModelLogEntry.objects.count()) == before


# --- Drafts are hidden and closed until published ----------------------------------------------


@pytest.fixture
def draft_and_listing():
    source = factories.run(title="Manchester")
    draft = copying.copy_run(source, timezone.localdate() + timedelta(days=45))
    listing = WhatsOnPage(title="What's on", slug="whats-on")
    source.page.get_parent().add_child(instance=listing)
    return draft, listing


def listed_run_ids(client, listing):
    soup = BeautifulSoup(client.get(listing.url).content, "html.parser")
    return soup.get_text(" ", strip=True)


def feed_starts(client):
    cal = vobject.readOne(client.get("/calendar/whats-on.ics").content.decode())
    return sorted(event.dtstart.value for event in cal.contents.get("vevent", []))


def test_a_draft_is_not_listed_in_whats_on_its_course_page_or_the_calendar_feed(
    client, draft_and_listing
):
    draft, listing = draft_and_listing
    when = timezone.localtime(draft.starts_at).strftime("%-d %B %Y")
    assert when not in listed_run_ids(client, listing)
    assert when not in client.get(draft.page.url).content.decode()
    assert draft.starts_at not in feed_starts(client)
    assert client.get(f"/runs/{draft.pk}/calendar.ics").status_code == 404


def test_nobody_can_book_a_draft(client, draft_and_listing, councillor):
    draft, _ = draft_and_listing
    with pytest.raises(services.BookingRefused, match="not open for booking"):
        services.book(councillor, draft)
    with pytest.raises(services.BookingRefused, match="draft"):
        services.add_person(councillor, draft)
    client.force_login(councillor)
    assert client.get(f"/book/{draft.pk}/").status_code == 404
    assert not draft.bookings.exists()


def test_a_published_copy_is_listed_and_open_for_booking(
    client, draft_and_listing, councillor, organiser
):
    draft, listing = draft_and_listing
    when = timezone.localtime(draft.starts_at).strftime("%-d %B %Y")
    assert when not in listed_run_ids(client, listing)  # and now cached for the next visitor
    feed_starts(client)
    copying.publish_run(draft, by=organiser)
    assert when in listed_run_ids(client, listing)
    assert draft.starts_at in feed_starts(client)
    assert services.book(councillor, draft).booking.status == "confirmed"
    assert (
        ModelLogEntry.objects.for_instance(draft).get(action="bookings.run_published").user
        == organiser
    )


# --- In the admin ---------------------------------------------------------------------------------


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def test_organiser_copies_a_run_from_its_page(organiser_client):
    source = factories.run(title="Leeds", days=2)
    manage = organiser_client.get(f"/admin/runs/{source.pk}/manage/").content.decode()
    assert f"/admin/programme/copy/runs/{source.pk}/" in manage
    first = timezone.localdate() + timedelta(days=100)
    preview = organiser_client.get(
        f"/admin/programme/copy/runs/{source.pk}/", {"first_day": first.isoformat()}
    )
    assert first.strftime("%-d %B %Y") in preview.content.decode()
    assert Run.objects.count() == 1  # showing the dates made nothing
    response = organiser_client.post(
        f"/admin/programme/copy/runs/{source.pk}/", {"first_day": first.isoformat()}
    )
    copy = Run.objects.exclude(pk=source.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/admin/runs/{copy.pk}/manage/"
    page = organiser_client.get(response["Location"]).content.decode()
    assert "Draft." in page and "Publish: open for booking" in page
    history = organiser_client.get(reverse("runs:history", args=[copy.pk])).content.decode()
    assert f"Copied from {source}, as a draft" in history
    assert local_days(copy)[0] == first and copy.sessions.count() == 2


def test_a_copy_to_a_past_day_is_refused_with_the_reason(organiser_client):
    source = factories.run()
    response = organiser_client.post(
        f"/admin/programme/copy/runs/{source.pk}/",
        {"first_day": (timezone.localdate() - timedelta(days=1)).isoformat()},
    )
    assert (
        response.status_code == 200 and "Choose today or a later day" in response.content.decode()
    )
    assert Run.objects.count() == 1


def test_organiser_previews_copies_a_year_and_publishes_the_drafts(organiser_client):
    # The year runs relative to today so that the copies are still to come.
    this_year = FinancialYear.current()
    page = factories.course_page("Data and digital transformation")
    day = max(this_year.first_day, timezone.localdate() - timedelta(days=20))
    source = run_on(day, page=page, title="Leeds")
    query = {"year": str(this_year), "page": ""}

    preview = organiser_client.get("/admin/programme/copy/", query)
    soup = BeautifulSoup(preview.content, "html.parser")
    row = [td.get_text(" ", strip=True) for td in soup.select("table.listing tbody tr td")]
    planned = copying.plan_next_year(source, within=FinancialYear(this_year.start_year + 1))
    assert row[1] == "Leeds" and planned.new_starts_at.strftime("%-d %b %Y") in row[3]
    assert Run.objects.count() == 1

    made = organiser_client.post("/admin/programme/copy/", query)
    assert made.status_code == 302
    copy = Run.objects.get(copied_from=source)
    assert copy.draft and copy.starts_at == planned.new_starts_at
    shown = organiser_client.get(made["Location"]).content.decode()
    assert "Drafts: 1" in shown and str(copy) in shown

    published = organiser_client.post("/admin/programme/copy/publish/", {**query, "run": [copy.pk]})
    assert published.status_code == 302
    copy.refresh_from_db()
    assert not copy.draft


def test_people_without_organiser_rights_cannot_copy_or_publish(client, councillor):
    source = factories.run()
    client.force_login(councillor)
    for url in ("/admin/programme/copy/", f"/admin/programme/copy/runs/{source.pk}/"):
        assert client.get(url).status_code == 403
    client.post(f"/admin/programme/copy/runs/{source.pk}/", {"first_day": "2099-01-01"})
    assert Run.objects.count() == 1


def test_copying_a_run_onto_a_bank_holiday_says_so_and_keeps_the_day_chosen():
    source = run_on(date(2026, 1, 13), later_days=(7,))
    planned = copying.plan_copy(source, date(2027, 5, 24))  # module 2 on 31 May 2027
    assert [(c.day, c.name) for c in planned.clashes] == [
        (date(2027, 5, 31), "Spring bank holiday")
    ]
    assert [s.date() for _, s, _ in planned.sessions] == [date(2027, 5, 24), date(2027, 5, 31)]


def test_a_draft_never_published_is_not_a_run_held_in_the_figures():
    held = run_on(date(2026, 5, 12), title="Held")
    draft = copying.copy_run(held, date(2026, 5, 19))  # left unpublished; its day has passed
    scope = Scope(YEAR, now=datetime(2026, 6, 1, tzinfo=LONDON))
    assert list(scope.runs()) == [held]
    assert draft.draft


def test_a_run_on_1_april_is_copied_into_the_next_financial_year_not_onto_31_march():
    # Wednesday 1 April 2026, 52 weeks on, is Wednesday 31 March 2027: still 2026/27.
    source = run_on(date(2026, 4, 1))
    planned = copying.plan_next_year(source, within=FinancialYear(2027))
    assert planned.new_starts_at.date() == date(2027, 4, 7)
    assert "outside 2027/28" in planned.note
    assert copying.copy_into_next_year(YEAR, now=BEFORE_NEXT_YEAR).created[0].starts_at == (
        planned.new_starts_at
    )
    # and, being in 2027/28, it is found again: a second copy makes nothing.
    assert copying.copy_into_next_year(YEAR, now=BEFORE_NEXT_YEAR).created == []


def test_dates_beyond_the_published_bank_holidays_are_flagged():
    last = copying.bank_holidays_known_until()
    source = run_on(last - timedelta(days=200))
    planned = copying.plan_next_year(source)
    assert planned.unchecked and "not yet published" in planned.note
