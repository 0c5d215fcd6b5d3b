"""My learning: the runs a person attended, what they completed, their certificates to download
and the surveys waiting for their answer, in a fixed number of queries."""

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.utils import timezone

from lms.bookings.models import PRESENT_STATUSES, Attendance, Booking, BookingStatus
from lms.certificates.services import certificates_for
from lms.surveys.services import waiting_for


@login_required
def my_learning(request):
    now = timezone.now()
    attended = list(
        Booking.objects.filter(
            person=request.user, status=BookingStatus.CONFIRMED, run__starts_at__lte=now
        )
        .filter(
            Exists(Attendance.objects.filter(booking=OuterRef("pk"), status__in=PRESENT_STATUSES))
        )
        .select_related("run__page", "run__venue")
        .with_completion()
        .order_by("-run__starts_at")
    )
    certificates = list(certificates_for(request.user))
    valid_by_booking = {c.booking_id: c for c in certificates if c.revoked_at is None}
    for booking in attended:
        booking.certificate = valid_by_booking.get(booking.pk)
    return render(
        request,
        "learning/my_learning.html",
        {
            "attended": attended,
            "completed_count": sum(1 for b in attended if b.completed),
            "certificates": certificates,
            "surveys": list(waiting_for(request.user, now)),
        },
    )
