"""Sessions written as people read them: London time, whatever the season, with the end's day
written out only when it is another day."""

from datetime import UTC, datetime

from lms.bookings.models import Venue
from lms.core.time import span


def test_a_summer_session_is_written_in_british_summer_time():
    # 09:00 to 11:30 UTC on 1 July 2026 is 10:00 to 12:30 in London.
    starts = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    ends = datetime(2026, 7, 1, 11, 30, tzinfo=UTC)
    assert span(starts, ends) == "Wednesday 1 July 2026, 10:00 to 12:30"


def test_a_winter_session_is_written_in_greenwich_mean_time():
    starts = datetime(2020, 1, 24, 10, 0, tzinfo=UTC)
    ends = datetime(2020, 1, 24, 16, 0, tzinfo=UTC)
    assert span(starts, ends) == "Friday 24 January 2020, 10:00 to 16:00"


def test_a_session_past_midnight_names_the_day_it_ends():
    starts = datetime(2020, 1, 24, 18, 0, tzinfo=UTC)
    ends = datetime(2020, 1, 25, 1, 0, tzinfo=UTC)
    assert span(starts, ends) == "Friday 24 January 2020, 18:00 to Saturday 25 January 2020, 01:00"


def test_a_venue_s_address_ends_with_its_city_once():
    venue = Venue(name="Leeds Civic Hall", address="Calverley Street\n\n", city="Leeds")
    assert venue.address_lines() == ["Calverley Street", "Leeds"]
    already = Venue(name="Hall", address="1 Park Row,\nLeeds LS1 5AB", city="Leeds")
    assert already.address_lines() == ["1 Park Row", "Leeds LS1 5AB"]
