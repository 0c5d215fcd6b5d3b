"""Booking history in the admin: a listing of every change (a run's history is this listing
filtered to the run, with its CSV and XLSX export), and the history on a booking's own page."""

import django_filters
from django.db.models import Prefetch
from django.urls import reverse
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.generic.models import InspectView

from lms.accounts.permissions import ReadOnlyModelPermissionPolicy
from lms.core.exports import ExportingIndexView, ExportingModelViewSet

from .models import Actor, BookingChange, BookingEvent, Run


def run_history_url(run):
    """A run's history: the booking history listing filtered to the run."""
    return f"{reverse('booking_history:index')}?run={run.pk}"


def events_prefetch():
    """Each booking's events, oldest first, with who made them: read in one query for a list."""
    return Prefetch(
        "events", queryset=BookingEvent.objects.select_related("by").order_by("at", "pk")
    )


class BookingEventFilterSet(WagtailFilterSet):
    run = django_filters.ModelChoiceFilter(
        field_name="booking__run", queryset=Run.objects.select_related("page"), label="Run"
    )
    change = django_filters.ChoiceFilter(choices=BookingChange.choices, label="Change")
    actor = django_filters.ChoiceFilter(choices=Actor.choices, label="Who")

    class Meta:
        model = BookingEvent
        fields = ["run", "change", "actor"]


class BookingEventIndexView(ExportingIndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("booking__run__page", "booking__person", "by")
        )


class BookingIndexView(ExportingIndexView):
    """The bookings listing: what its columns and export read, in a fixed number of queries
    (each booking's history too, for the export's History column)."""

    def get_base_queryset(self):
        bookings = super().get_base_queryset().select_related("run__page", "person__council")
        return bookings.prefetch_related(events_prefetch()) if self.is_export else bookings


class BookingEventViewSet(ExportingModelViewSet):
    """Every change of every booking: who, when, from what to what, and why."""

    model = BookingEvent
    icon = "history"
    menu_label = "Booking history"
    list_display = [
        "at",
        "booking",
        "booking__person",
        "change",
        "from_status",
        "to_status",
        "who",
        "reason",
    ]
    filterset_class = BookingEventFilterSet
    list_export = [
        "at",
        "booking.reference",
        "booking.run",
        "booking.person.full_name",
        "booking.person.email",
        "get_change_display",
        "get_from_status_display",
        "get_to_status_display",
        "get_actor_display",
        "by.full_name",
        "reason",
    ]
    export_headings = {
        "at": "When",
        "booking.reference": "Reference",
        "booking.run": "Run",
        "booking.person.full_name": "Name",
        "booking.person.email": "Email",
        "get_change_display": "Change",
        "get_from_status_display": "From",
        "get_to_status_display": "To",
        "get_actor_display": "Who",
        "by.full_name": "Changed by",
        "reason": "Why",
    }
    search_fields = [
        "booking__reference",
        "booking__person__full_name",
        "booking__person__email",
        "reason",
    ]
    search_backend_name = None
    ordering = ["-at", "-pk"]
    exclude_form_fields = []  # never edited: the read-only policy refuses add, change and delete
    index_view_class = BookingEventIndexView

    @property
    def permission_policy(self):
        return ReadOnlyModelPermissionPolicy(self.model)


class BookingInspectView(InspectView):
    """A booking's page in the admin: its details and, below them, its history."""

    template_name = "bookings/admin/booking_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = (
            BookingEvent.objects.filter(booking=self.object)
            .select_related("by", "other_booking__run__page")
            .order_by("at", "pk")
        )
        return context
