"""The booking flow (answers → check answers → confirmation) and My bookings.

Views are thin: they read the request and call services; every change is a service call.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lms.accounts.verification import verified_email_required

from . import attendance, calendar_links, services
from .forms import BookingAnswersForm
from .models import Booking, BookingMode, BookingStatus, CalendarFeed, Run

SESSION_KEY = "booking-answers"


def _run(run_id):
    return get_object_or_404(
        Run.objects.select_related("page", "venue"), pk=run_id, page__live=True, draft=False
    )


def _existing(request, run):
    return run.bookings.active().filter(person=request.user).first()


def _closed_page(request, run, problem):
    return render(
        request, "bookings/cannot_book.html", {"run": run, "problem": problem}, status=200
    )


@verified_email_required
def answers(request, run_id):
    run = _run(run_id)
    # Shown, the form says so to someone already booked; sent, the check page does.
    if request.method != "POST" and (existing := _existing(request, run)):
        messages.info(request, f"You already have a booking on this run: {existing.reference}.")
        return redirect("bookings:my_bookings")
    if problem := services.eligibility_problem(request.user, run):
        return _closed_page(request, run, problem)
    stored = request.session.get(SESSION_KEY, {}).get(str(run.pk), {})
    form = BookingAnswersForm(request.POST or None, initial=stored)
    if request.method == "POST" and form.is_valid():
        all_answers = request.session.get(SESSION_KEY, {})
        all_answers[str(run.pk)] = form.cleaned_data
        request.session[SESSION_KEY] = all_answers
        return redirect("bookings:check", run_id=run.pk)
    return render(request, "bookings/answers.html", {"run": run, "form": form})


@verified_email_required
def check(request, run_id):
    run = _run(run_id)
    stored = request.session.get(SESSION_KEY, {}).get(str(run.pk))
    if request.method == "POST" and stored is not None:
        # The service checks again under the run's lock whatever the page checked when shown:
        # a booking made meanwhile is returned, a problem refused.
        try:
            result = services.book(request.user, run, needs=stored.get("needs", ""))
        except services.BookingRefused as refusal:
            return _closed_page(request, run, str(refusal))
        request.session.get(SESSION_KEY, {}).pop(str(run.pk), None)
        request.session.modified = True
        return redirect("bookings:confirmation", reference=result.booking.reference)
    if existing := _existing(request, run):
        return redirect("bookings:confirmation", reference=existing.reference)
    if problem := services.eligibility_problem(request.user, run):
        return _closed_page(request, run, problem)
    if stored is None:
        return redirect("bookings:answers", run_id=run.pk)
    return render(
        request,
        "bookings/check.html",
        {
            "run": run,
            "needs": stored.get("needs", ""),
            "places_left": run.places_left,
            "by_approval": run.booking_mode == BookingMode.APPROVAL,
        },
    )


def _own_booking(request, reference):
    booking = (
        Booking.objects.select_related("run__page", "run__venue")
        .prefetch_related("run__sessions")
        .filter(reference=reference.upper(), person=request.user)
        .first()
    )
    if booking is None:
        raise Http404("No booking with that reference is yours.")
    return booking


@login_required
def confirmation(request, reference):
    booking = _own_booking(request, reference)
    now = timezone.now()
    # A run that has ended: the place is history, so no check-in code, calendar links or cancelling.
    held = bool(booking.run.ends_at and booking.run.ends_at < now)
    cancel_by = booking.run.cancellable_until()
    coming = booking.is_active and not held
    return render(
        request,
        "bookings/confirmation.html",
        {
            "booking": booking,
            "held": held,
            "position": services.waiting_list_position(booking)
            if booking.status == BookingStatus.WAITLISTED
            else None,
            "qr": attendance.qr_svg_data_uri(booking)
            if booking.status == BookingStatus.CONFIRMED and not held
            else None,
            "calendar_links": calendar_links.for_run(booking.run, settings.SITE_URL)
            if coming and booking.run.starts_at
            else None,
            "can_cancel": coming and (cancel_by is None or now < cancel_by),
            "cancel_by": cancel_by,
        },
    )


@login_required
def my_bookings(request):
    now = timezone.now()
    bookings = list(
        Booking.objects.filter(person=request.user)
        .with_completion()
        .select_related("run__page", "run__venue")
        .order_by("run__starts_at")
    )
    positions = {}
    for run_id in {b.run_id for b in bookings if b.status == BookingStatus.WAITLISTED}:
        for entry in services.waiting_list(Run.objects.get(pk=run_id)):
            positions[entry.booking.pk] = entry.position
    for booking in bookings:
        booking.position = positions.get(booking.pk)
        if (
            booking.status == BookingStatus.CONFIRMED
            and booking.run.ends_at
            and booking.run.ends_at >= now
        ):
            booking.qr = attendance.qr_svg_data_uri(booking)
        until = booking.run.cancellable_until()
        booking.can_cancel = booking.is_active and (until is None or now < until)
    # Cancelled and declined places have a list of their own: they are neither coming up nor done.
    ended = [b for b in bookings if not b.is_active]
    current = [b for b in bookings if b not in ended]
    upcoming = [b for b in current if b.run.ends_at and b.run.ends_at >= now]
    past = [b for b in current if not (b.run.ends_at and b.run.ends_at >= now)]
    for booking in upcoming:
        booking.add_to_calendar = True
    for booking in past:
        booking.attendance_words = _attendance_words(booking)
    feed = CalendarFeed.objects.filter(person=request.user).first()
    return render(
        request,
        "bookings/my_bookings.html",
        {"upcoming": upcoming, "past": past[::-1], "ended": ended[::-1], "feed": feed},
    )


def _attendance_words(booking):
    """What a past confirmed place came to, in My learning's words; "" if no register says."""
    if booking.status != BookingStatus.CONFIRMED or not booking.sessions_attended:
        return ""
    if booking.completed:
        return "Attended: completed"
    total = booking.sessions_total
    return f"Attended {booking.sessions_attended} of {total} session{'s' if total != 1 else ''}"


@login_required
def cancel(request, reference):
    booking = _own_booking(request, reference)
    if request.method == "POST":
        try:
            services.cancel(booking, by=request.user)
        except services.BookingRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"Booking {booking.reference} has been cancelled.")
        return redirect("bookings:my_bookings")
    return render(request, "bookings/cancel.html", {"booking": booking})


@login_required
@require_POST
def accept_offer(request, reference):
    booking = _own_booking(request, reference)
    try:
        services.accept_offer(booking)
    except services.BookingRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("bookings:my_bookings")
    messages.success(request, f"Your place is confirmed. Your reference is {booking.reference}.")
    return redirect(reverse("bookings:confirmation", kwargs={"reference": booking.reference}))
