"""Bank holidays in England and Wales, from GOV.UK's list as the govuk-bank-holidays package ships
it (read once per process, never fetched during a request). Copying next year's programme moves
runs off them, and the demo's next programme keeps to working days."""

import functools
from datetime import date

from govuk_bank_holidays.bank_holidays import BankHolidays


@functools.cache
def _bank_holidays() -> dict[date, str]:
    source = BankHolidays(use_cached_holidays=True)
    return {
        h["date"]: h["title"] for h in source.get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
    }


def bank_holiday(day: date) -> str | None:
    """The name of the bank holiday on `day` in England and Wales, or None."""
    return _bank_holidays().get(day)


def bank_holidays_known_until() -> date:
    """The last day GOV.UK's list (as shipped) covers: beyond it a day cannot be checked."""
    return date(max(_bank_holidays()).year, 12, 31)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday."""
    return day.weekday() < 5 and bank_holiday(day) is None
