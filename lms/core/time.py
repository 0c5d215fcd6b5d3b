"""London time and the project's way of writing dates, "Friday 24 January 2020, 10:00".

Times are stored in UTC and shown in Europe/London (settings.TIME_ZONE): `when()` and `day()`
write a stored moment as people read it, in emails, messages and history lines alike."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")
DAY = "%A %-d %B %Y"  # Friday 24 January 2020
DAY_AND_TIME = f"{DAY}, %H:%M"  # Friday 24 January 2020, 10:00


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
