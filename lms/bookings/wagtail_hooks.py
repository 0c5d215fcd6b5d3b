from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from laces.components import Component
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import DeleteView
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView as SnippetDeleteView
from wagtail.snippets.views.snippets import SnippetViewSet

from lms.accounts.permissions import ReadOnlyModelPermissionPolicy
from lms.core.deletion import ExplainProtectedDeleteMixin
from lms.core.exports import ExportingModelViewSet

from . import admin_views, completion_views, copying_views, register_views
from .models import BookablePage, Booking, Run, Session, Venue


class VenueDeleteView(ExplainProtectedDeleteMixin, SnippetDeleteView):
    protected_advice = "Runs are held here. Change the venue's details instead."


class VenueViewSet(SnippetViewSet):
    model = Venue
    delete_view_class = VenueDeleteView
    icon = "home"
    menu_label = "Venues"
    list_display = ["name", "city", "get_region_display"]
    list_filter = ["region"]
    search_fields = ["name", "city"]
    # Searched in the database (icontains), as the councils are: the SQLite full-text backend
    # cannot restrict a search to named fields ("no such column: name").
    search_backend_name = None


register_snippet(VenueViewSet)


class ManageColumn(Column):
    def get_value(self, instance):
        return format_html(
            '<a href="{}">Bookings and waiting list</a>',
            reverse("bookings_manage_run", args=[instance.pk]),
        )


class RunDeleteView(ExplainProtectedDeleteMixin, DeleteView):
    protected_advice = (
        "People have booked it. To call it off, cancel the run from its “Bookings and waiting "
        "list” page: everyone booked is told."
    )


class RunViewSet(ExportingModelViewSet):
    model = Run
    delete_view_class = RunDeleteView
    icon = "date"
    menu_label = "Runs"
    form_fields = [
        "page", "title", "reference_prefix", "venue", "online", "capacity", "per_council_cap",
        "audience", "alumni_of", "booking_mode", "waitlist_order", "when_place_frees",
        "offer_hold_hours", "booking_opens", "booking_closes", "cancellation_cutoff",
        "completion_rule", "completion_min_sessions", "learning_hours", "certificate_requires_survey",
    ]
    list_display = ["__str__", "starts_at", "capacity", "status", ManageColumn("manage", label="")]
    list_filter = ["page", "status", "audience", "booking_mode"]
    list_export = ["page", "title", "starts_at", "ends_at", "place_description", "capacity", "status"]
    search_fields = ["title", "page__title", "venue__city"]
    ordering = ["-starts_at"]
    inspect_view_enabled = True


class SessionDeleteView(ExplainProtectedDeleteMixin, DeleteView):
    protected_advice = (
        "Its register has been taken, and the marks count towards completion and the figures. "
        "Change the session's title or times instead."
    )


class SessionViewSet(ExportingModelViewSet):
    model = Session
    delete_view_class = SessionDeleteView
    icon = "time"
    menu_label = "Sessions"
    form_fields = ["run", "title", "starts_at", "ends_at"]
    list_display = ["run", "title", "starts_at", "ends_at"]
    list_filter = ["run"]
    ordering = ["-starts_at"]


class BookingViewSet(ExportingModelViewSet):
    """Every booking, filterable and exportable. Changes go through the run's page (services)."""

    model = Booking
    icon = "user"
    menu_label = "Bookings"
    list_display = ["reference", "person", "run", "status", "created_at"]
    list_filter = {
        "status": ["exact"],
        "run": ["exact"],
        "person__role": ["exact"],
        "person__council__region": ["exact"],
        "person__council__type": ["exact"],
    }
    list_export = [
        "reference", "run", "person.full_name", "person.email", "person.role",
        "person.council.official_name", "person.council.region", "person.organisation",
        "status", "needs", "created_at",
    ]
    export_headings = {
        "person.full_name": "Name", "person.email": "Email", "person.role": "Role",
        "person.council.official_name": "Council", "person.council.region": "Region",
        "person.organisation": "Organisation",
    }
    search_fields = ["reference", "person__full_name", "person__email"]
    ordering = ["-created_at"]
    exclude_form_fields = []
    inspect_view_enabled = True

    @property
    def permission_policy(self):
        return ReadOnlyModelPermissionPolicy(self.model)

    def get_queryset(self, request):
        return Booking.objects.select_related("run__page", "person__council")


class ProgrammeGroup(ModelViewSetGroup):
    menu_label = "Programme"
    menu_icon = "date"
    menu_order = 200
    items = (
        RunViewSet("runs"),
        SessionViewSet("sessions"),
        BookingViewSet("booking_list", url_prefix="bookings"),
        copying_views.CopyProgrammeViewSet(),
    )


@hooks.register("register_admin_viewset")
def register_programme():
    return ProgrammeGroup()


hooks.register("register_log_actions", copying_views.register_log_actions)


@hooks.register("register_admin_urls")
def manage_run_urls():
    # Stable names for the run management page and its actions.
    return [
        path("runs/<int:pk>/manage/", admin_views.manage_run, name="bookings_manage_run"),
        path("runs/<int:pk>/action/<slug:action>/", admin_views.run_action, name="bookings_run_action"),
        path("runs/<int:run_pk>/register/<int:session_pk>/", register_views.register, name="bookings_register"),
        path("runs/<int:run_pk>/register/<int:session_pk>/mark/", register_views.mark, name="bookings_register_mark"),
        path(
            "runs/<int:run_pk>/register/<int:session_pk>/absent/",
            register_views.mark_remaining_absent,
            name="bookings_register_absent",
        ),
        path("runs/<int:run_pk>/register/<int:session_pk>/scan/", register_views.scan, name="bookings_register_scan"),
        path(
            "runs/<int:run_pk>/register/<int:session_pk>/import/",
            register_views.import_csv,
            name="bookings_register_import",
        ),
        path(
            "runs/<int:pk>/completions/import/",
            completion_views.import_completions,
            name="bookings_completion_import",
        ),
    ]


class NextRunsPanel(Component):
    """Dashboard: the next runs and how full they are."""

    name = "next_runs"
    order = 50
    template_name = "bookings/admin/next_runs_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        # The places of the first eight runs only, not of every upcoming run then cut to eight.
        first = Run.objects.upcoming(timezone.now()).order_by("starts_at", "pk").values("pk")[:8]
        runs = (
            Run.objects.filter(pk__in=first)
            .select_related("page", "venue")
            .with_places()
            .order_by("starts_at", "pk")
        )
        return {"runs": runs}


@hooks.register("construct_homepage_panels")
def add_next_runs_panel(request, panels):
    if request.user.has_perm("bookings.view_run"):
        panels.append(NextRunsPanel(request))


def _runs_button(page, user, priority):
    from wagtail.admin.widgets.button import ListingButton

    if isinstance(page.specific_deferred, BookablePage) and user.has_perm("bookings.view_run"):
        return ListingButton(
            "Runs and bookings",
            f"{reverse('runs:index')}?page={page.pk}",
            icon_name="date",
            priority=priority,
        )
    return None


@hooks.register("register_page_header_buttons")
def runs_header_button(page, user, view_name, next_url=None):
    if button := _runs_button(page, user, 12):
        yield button


@hooks.register("register_page_listing_more_buttons")
def runs_listing_button(page, user, next_url=None):
    if button := _runs_button(page, user, 3):
        yield button


@hooks.register("before_delete_page")
def keep_pages_with_runs(request, page):
    """Runs keep their page (on_delete=PROTECT: people's bookings hang off them), so a page with
    runs, or with runs below it, is not deleted: say so rather than fail with ProtectedError."""
    pages = page.get_descendants(inclusive=True)
    if Run.objects.filter(page__in=pages).exists():
        messages.error(
            request,
            f"“{page.get_admin_display_title()}” has runs, so it cannot be deleted: people's "
            "bookings belong to them. Unpublish it to take it off the site.",
        )
        return redirect("wagtailadmin_explore", page.get_parent().id)
    return None
