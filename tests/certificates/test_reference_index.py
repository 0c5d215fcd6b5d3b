"""Records made by the thousand (bookings, attendance, certificates, listens, survey answers)
hold no page reference an editor would look for, so saving one writes nothing to Wagtail's
reference index: no rows, and no index task queued inside the booking's locked transaction.
A run does point at its page, so the page's usage still lists its runs."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import get_resolver
from wagtail.models import ReferenceIndex

from lms.certificates import services as certificates
from tests import factories

pytestmark = pytest.mark.django_db

HELD_WITHOUT_INDEX = [
    "bookings.Booking",
    "bookings.Attendance",
    "bookings.AttendanceChange",
    "bookings.CalendarFeed",
    "certificates.Certificate",
    "certificates.CertificateArchive",
    "podcasts.Listen",
    "surveys.Invitation",
    "surveys.Response",
    "surveys.Answer",
]


def load_the_admin():
    """The admin's viewsets register their models with the index as its URLs load."""
    get_resolver().resolve("/admin/")


def rows_from(model):
    return ReferenceIndex.objects.filter(
        content_type=ContentType.objects.get_for_model(model)
    ).count()


def test_the_many_records_are_not_indexed_once_the_admin_has_registered_its_models():
    load_the_admin()
    indexed = [
        label for label in HELD_WITHOUT_INDEX if ReferenceIndex.is_indexed(apps.get_model(label))
    ]
    assert indexed == []


def test_booking_attending_and_a_certificate_write_no_index_rows(attend):
    load_the_admin()
    run = factories.run()
    booking = attend(run, factories.person(full_name="Sam Jones"))
    certificate = certificates.issue(booking)

    for record in (booking, booking.attendances.get(), certificate):
        assert rows_from(type(record)) == 0, type(record).__name__
    # The run still tells the page's usage that it is one of its runs.
    assert (
        ReferenceIndex.get_references_to(run.page)
        .filter(content_type=ContentType.objects.get_for_model(run))
        .exists()
    )
