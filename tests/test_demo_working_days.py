"""The next programme of the demo falls on working days, whatever day the demo is loaded on."""

from datetime import date

import pytest

from demo import programme, site
from lms.accounts.councils import load_councils
from lms.bookings.models import Session
from lms.core.bank_holidays import bank_holiday, is_working_day

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("today", [date(2026, 12, 4), date(2027, 2, 12)])
def test_the_next_programme_falls_on_working_days_whenever_the_demo_is_loaded(
    settings, tmp_path, today
):
    """Loaded on 4 December the first masterclass would fall on Christmas Day, and loaded on
    12 February one would fall on Good Friday: each moves to the next working day instead."""
    settings.MEDIA_ROOT = tmp_path
    load_councils()
    site.load_site()
    programme.load_programme(today=today)
    days = {
        s.starts_at.date()
        for s in Session.objects.filter(starts_at__date__gt=today).select_related("run")
    }
    assert len(days) >= 8
    assert not [
        (d, d.strftime("%A"), bank_holiday(d)) for d in sorted(days) if not is_working_day(d)
    ]
