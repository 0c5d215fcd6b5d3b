"""The organiser's register for a session, in the Wagtail admin: one tap per person, a QR scan
page with a typed fallback, and CSV import (preview, then all or nothing).

Every change is a call to `attendance.py`; these views only read the request and say what happened.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from lms.core.imports import CsvImportView

from . import attendance
from .admin_views import posted_id
from .forms import CsvUploadForm
from .models import AttendanceChange, AttendanceStatus, Session


def _session(request, run_pk, session_pk, codename="view_attendance"):
    if not request.user.has_perm(f"bookings.{codename}"):
        raise PermissionDenied
    # run__pk, not run_id: a foreign key's lookup does not guard against a number too large for
    # the database (the URL takes any number of digits), the primary key's does.
    return get_object_or_404(
        Session.objects.select_related("run__page", "run__venue"), pk=session_pk, run__pk=run_pk
    )


def _register_url(session, anchor=""):
    url = reverse("bookings_register", args=[session.run_id, session.pk])
    return f"{url}#{anchor}" if anchor else url


def _context(session, **extra):
    title = f"Register: {session.run}"
    return {
        "session": session,
        "run": session.run,
        "sessions": session.run.sessions.all(),
        "page_title": title,
        "header_title": title,
        **extra,
    }


def register(request, run_pk, session_pk):
    session = _session(request, run_pk, session_pk)
    people = attendance.register(session)
    counts = session.attendances.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in AttendanceStatus.values}
    )
    marked = sum(counts.values())
    return TemplateResponse(
        request,
        "bookings/admin/register.html",
        _context(
            session,
            people=people,
            statuses=AttendanceStatus.choices,
            counts=[(label, counts[value]) for value, label in AttendanceStatus.choices],
            unmarked=len(people) - marked,
            changes=AttendanceChange.objects.filter(session=session).select_related(
                "booking__person", "changed_by"
            )[:50],
            can_mark=request.user.has_perm("bookings.change_attendance"),
        ),
    )


@require_POST
def mark(request, run_pk, session_pk):
    session = _session(request, run_pk, session_pk, "change_attendance")
    booking_id = posted_id(request, "booking")
    if booking_id is None:
        # Only a stale or altered form sends anything else than a booking's id.
        messages.error(request, "Choose a person on the register and try again.")
        return redirect(_register_url(session))
    booking = get_object_or_404(session.run.bookings, pk=booking_id)
    try:
        attendance.mark(booking, session, request.POST.get("status", ""), by=request.user)
    except attendance.AttendanceRefused as refusal:
        messages.error(request, str(refusal))
    return redirect(_register_url(session, f"booking-{booking.pk}"))


@require_POST
def mark_remaining_absent(request, run_pk, session_pk):
    session = _session(request, run_pk, session_pk, "change_attendance")
    count = attendance.mark_remaining_absent(session, by=request.user)
    who = "1 person" if count == 1 else f"{count} people"
    messages.success(request, f"{who} marked absent.")
    return redirect(_register_url(session))


class CheckInForm(forms.Form):
    code = forms.CharField(
        label="Booking reference or QR code",
        help_text="Scan the person's QR code, or type the reference from their email, such as DD-7K2Q.",
        max_length=100,
    )


def scan(request, run_pk, session_pk):
    session = _session(request, run_pk, session_pk, "change_attendance")
    result = None
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = attendance.check_in(session, form.cleaned_data["code"], by=request.user)
        form = CheckInForm()  # ready for the next person
    present = session.attendances.filter(
        status__in=[AttendanceStatus.ATTENDED, AttendanceStatus.LATE]
    ).count()
    expected = session.run.bookings.filter(status="confirmed").count()
    return TemplateResponse(
        request,
        "bookings/admin/scan.html",
        _context(session, form=form, result=result, present=present, expected=expected),
        status=200 if result is None or result.ok else 409,
    )


class ImportForm(CsvUploadForm):
    file = forms.FileField(
        label="Attendance CSV file",
        help_text="A header row “reference,status”, then one row per booking. Status is attended, "
        "late, absent or excused.",
    )


class ImportAttendance(CsvImportView):
    """A session's marks from an organiser's CSV file, through the one import flow."""

    form_class = ImportForm
    upload_template = "bookings/admin/import.html"
    preview_template = "bookings/admin/import_preview.html"
    row_template = "bookings/admin/import_row.html"
    refused = attendance.AttendanceRefused

    def setup_import(self):
        self.session = _session(
            self.request, self.kwargs["run_pk"], self.kwargs["session_pk"], "change_attendance"
        )

    def plan(self, text):
        return attendance.plan_import(self.session, text)

    def apply(self, text, by):
        return attendance.apply_import(self.session, text, by=by)

    def context(self, **extra):
        return _context(self.session, **extra)

    def done_message(self, plan):
        unchanged = len(plan.rows) - len(plan.changes)
        return f"Attendance imported: {len(plan.changes)} changed, {unchanged} already so."

    def done_url(self):
        return _register_url(self.session)


import_csv = ImportAttendance.as_view()
