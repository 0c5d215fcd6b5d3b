"""London time and the project's way of writing dates, "Friday 24 January 2020, 10:00".

Times are stored in UTC and shown in Europe/London (settings.TIME_ZONE): `when()` and `day()`
write a stored moment as people read it, in emails, messages and history lines alike."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")
DAY = "%A %-d %B %Y"  # Friday 24 January 2020
TIME = "%H:%M"  # 10:00
DAY_AND_TIME = f"{DAY}, {TIME}"  # Friday 24 January 2020, 10:00


def when(moment: datetime | None) -> str:
    """A moment in local time with its day, "Friday 24 January 2020, 10:00"; "" for none."""
    return timezone.localtime(moment).strftime(DAY_AND_TIME) if moment else ""


def day(moment: datetime | date | None) -> str:
    """The local day of a moment (or a date), "Friday 24 January 2020"; "" for none."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date()
    return moment.strftime(DAY)


def end_time(starts: datetime, ends: datetime) -> str:
    """The end of a sitting as written after its start: "16:00", or its day and time,
    "Saturday 25 January 2020, 16:00", when it ends on another day."""
    end = timezone.localtime(ends)
    same_day = timezone.localtime(starts).date() == end.date()
    return end.strftime(TIME if same_day else DAY_AND_TIME)


def span(starts: datetime, ends: datetime) -> str:
    """A sitting from start to end in local time: "Friday 24 January 2020, 10:00 to 16:00"."""
    return f"{when(starts)} to {end_time(starts, ends)}"
