"""Organisers' page for one run: who is booked, the waiting list and why, and every action."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from lms.core.ids import parse_id

from . import services
from .history_admin import run_history_url
from .models import PRESENT_STATUSES, Booking, BookingEvent, BookingStatus, Run

RECENT_CHANGES = 10  # on the run's page; the run's full history is a filtered listing


def posted_id(request, name):
    """The id the form posted as ``name``, or None for anything else (a missing, blank, or
    altered value) so that the view can say so instead of failing."""
    return parse_id(request.POST.get(name))


def _require(request, codename):
    if not request.user.has_perm(f"bookings.{codename}"):
        raise PermissionDenied


class AddPersonForm(forms.Form):
    email = forms.EmailField(label="Email address of the person to add")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        try:
            self.person = get_user_model().objects.get(email=email)
        except get_user_model().DoesNotExist:
            raise forms.ValidationError("Nobody has an account with that email address.") from None
        return email


class CancelRunForm(forms.Form):
    message = forms.CharField(
        label="Message to everyone booked",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class MoveForm(forms.Form):
    booking = forms.ModelChoiceField(queryset=Booking.objects.none(), label="Booking")
    to_run = forms.ModelChoiceField(queryset=Run.objects.none(), label="Move to")

    def __init__(self, *args, run, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["booking"].queryset = run.bookings.active().select_related("person")
        self.fields["to_run"].queryset = (
            Run.objects.scheduled().filter(page=run.page).exclude(pk=run.pk)
        )


def manage_run(request, pk):
    _require(request, "view_booking")
    run = get_object_or_404(
        Run.objects.select_related("page", "venue").annotate(
            confirmed=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
            offered=Count("bookings", filter=Q(bookings__status=BookingStatus.OFFERED)),
            waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)),
            applications=Count("bookings", filter=Q(bookings__status=BookingStatus.REQUESTED)),
        ),
        pk=pk,
    )
    bookings = (
        run.bookings.exclude(status=BookingStatus.WAITLISTED)
        .select_related("person__council")
        .with_completion()
    )
    return TemplateResponse(
        request,
        "bookings/admin/manage_run.html",
        {
            "run": run,
            "bookings": bookings,
            "waiting_list": services.waiting_list(run),
            "sessions": run.sessions.annotate(
                present=Count("attendances", filter=Q(attendances__status__in=PRESENT_STATUSES)),
                marked=Count("attendances"),
            ),
            "completed": run.bookings.completed().count(),
            "add_form": AddPersonForm(),
            "cancel_form": CancelRunForm(),
            "move_form": MoveForm(run=run),
            "can_change": request.user.has_perm("bookings.change_booking"),
            "recent_changes": BookingEvent.objects.filter(booking__run=run)
            .select_related("booking__person", "by")
            .order_by("-at", "-pk")[:RECENT_CHANGES],
            "history_url": run_history_url(run),
            "page_title": str(run),
            "header_title": str(run),
        },
    )


@require_POST
def run_action(request, pk, action):
    _require(request, "change_booking")
    run = get_object_or_404(Run, pk=pk)
    back = redirect(reverse("bookings_manage_run", args=[run.pk]))
    try:
        if action == "add":
            form = AddPersonForm(request.POST)
            if not form.is_valid():
                messages.error(request, " ".join(form.errors["email"]))
                return back
            booking = services.add_person(form.person, run, by=request.user)
            messages.success(
                request,
                f"{form.person} added: {booking.get_status_display().lower()} ({booking.reference}).",
            )
        elif action == "cancel-run":
            form = CancelRunForm(request.POST)
            if not form.is_valid():
                messages.error(
                    request, "Write a message to the people booked before cancelling the run."
                )
                return back
            cancelled = services.cancel_run(run, form.cleaned_data["message"], by=request.user)
            who = "1 person has" if len(cancelled) == 1 else f"{len(cancelled)} people have"
            messages.success(request, f"Run cancelled; {who} been told.")
        elif action == "promote":
            changed = services.promote_from_waitlist(run, by=request.user)
            who = "1 person" if len(changed) == 1 else f"{len(changed)} people"
            messages.success(request, f"{who} offered or given a place.")
        elif action == "move":
            form = MoveForm(request.POST, run=run)
            if not form.is_valid():
                messages.error(request, "Choose a booking and a run to move it to.")
                return back
            moved = services.move(
                form.cleaned_data["booking"], form.cleaned_data["to_run"], by=request.user
            )
            messages.success(
                request, f"Moved to {moved.run.title}: new reference {moved.reference}."
            )
        else:
            booking_id = posted_id(request, "booking")
            if booking_id is None:
                # Only a stale or altered form sends anything else than a booking's id.
                messages.error(
                    request, "Choose a booking from the list on this page and try again."
                )
                return back
            booking = get_object_or_404(Booking, pk=booking_id, run=run)
            if action == "approve":
                booking = services.approve(booking, by=request.user)
                messages.success(
                    request,
                    f"{booking.reference} approved: {booking.get_status_display().lower()}.",
                )
            elif action == "decline":
                services.decline(booking, by=request.user)
                messages.success(request, f"{booking.reference} declined.")
            elif action == "cancel":
                from .models import CancelReason

                services.cancel(booking, reason=CancelReason.BY_ORGANISER, by=request.user)
                messages.success(request, f"{booking.reference} cancelled.")
            else:
                raise PermissionDenied
    except services.BookingRefused as refusal:
        messages.error(request, str(refusal))
    return back
