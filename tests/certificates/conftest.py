import pytest

from lms.bookings import services as bookings
from lms.bookings.attendance import mark
from lms.bookings.models import AttendanceStatus
from tests import factories


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Certificates and ZIPs are written under the test's own folder, never the repository's."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def attend(db):
    """Book a person on a run and mark them at the given number of its sessions (all by default)."""

    def make(run, person=None, sessions=None, status=AttendanceStatus.ATTENDED):
        booking = bookings.book(person or factories.person(), run).booking
        for session in list(run.sessions.all())[:sessions]:
            mark(booking, session, status)
        return booking

    return make


@pytest.fixture
def completed(attend):
    """A confirmed booking that has completed a one-session masterclass."""
    return attend(factories.run(), factories.person(full_name="Sam Jones"))
