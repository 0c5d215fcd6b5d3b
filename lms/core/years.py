"""Financial years: 1 April to 31 March, written "2019/20", with boundaries in Europe/London.

A run belongs to the financial year in which its first session starts, on the local calendar:
a masterclass at 10:00 on 1 April 2020 (09:00 UTC) is 2020/21; one at 23:30 on 31 March 2020 is
2019/20, although it is already 1 April in some time zones.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from .time import LONDON

_LABEL = re.compile(r"^(\d{4})/(\d{2})$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    start_year: int  # 2019 for 2019/20

    @property
    def label(self):
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def __str__(self):
        return self.label

    @property
    def first_day(self):
        return date(self.start_year, 4, 1)

    @property
    def last_day(self):
        return date(self.start_year + 1, 3, 31)

    @property
    def starts_at(self):
        """The first moment of the year (aware): 1 April, 00:00 London time."""
        return datetime.combine(self.first_day, time.min, tzinfo=LONDON)

    @property
    def ends_before(self):
        """The first moment of the next year: the range is [starts_at, ends_before)."""
        return FinancialYear(self.start_year + 1).starts_at

    def contains(self, day):
        return self.first_day <= day <= self.last_day

    def months(self):
        """(year, month) of its twelve months, April first."""
        return [(self.start_year + (m < 4), m) for m in [*range(4, 13), *range(1, 4)]]

    @classmethod
    def containing(cls, moment):
        """The year of a date or an aware datetime (read on the London calendar)."""
        day = moment.astimezone(LONDON).date() if isinstance(moment, datetime) else moment
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def current(cls, now=None):
        return cls.containing(now or timezone.now())

    @classmethod
    def parse(cls, label):
        """ "2019/20" → FinancialYear(2019); anything else (including "2019/21", or a year no
        programme could have, like "0000/01") → None."""
        match = _LABEL.match((label or "").strip())
        if not match:
            return None
        start, end = int(match[1]), int(match[2])
        if (start + 1) % 100 != end or not 1900 <= start <= 2199:
            return None
        return cls(start)
