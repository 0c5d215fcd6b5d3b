import django_filters
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from laces.components import Component
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import DeleteView
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView as SnippetDeleteView
from wagtail.snippets.views.snippets import SnippetViewSet

from lms.accounts.permissions import ReadOnlyModelPermissionPolicy
from lms.core.deletion import ExplainProtectedDeleteMixin
from lms.core.exports import ExportingModelViewSet

from . import (
    admin_views,
    completion_views,
    copying_views,
    messaging_views,
    register_views,
    run_editor,
)
from .history_admin import BookingEventViewSet, BookingIndexView, BookingInspectView
from .models import BookablePage, Booking, Run, RunPhase, Session, Venue


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


class RunFilterSet(WagtailFilterSet):
    """The runs listing opens on upcoming runs; the rest are a choice away."""

    when = django_filters.ChoiceFilter(
        label="When",
        choices=[
            (RunPhase.RUNNING, "Running now"),
            (RunPhase.HELD, "Held"),
            (RunPhase.CANCELLED, "Cancelled"),
            ("all", "All runs"),
        ],
        empty_label="Upcoming",
        method="filter_when",
    )

    class Meta:
        model = Run
        fields = ["page", "audience", "booking_mode"]

    def filter_when(self, queryset, name, value):
        return queryset  # applied in filter_queryset, where "Upcoming" (no choice) is seen too

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        when = self.form.cleaned_data.get("when") or RunPhase.UPCOMING
        return queryset if when == "all" else queryset.in_phase(when)


class RunViewSet(ExportingModelViewSet):
    model = Run
    delete_view_class = RunDeleteView
    icon = "date"
    menu_label = "Runs"
    add_view_class = run_editor.RunCreateView
    edit_view_class = run_editor.RunEditView
    copy_view_class = run_editor.RunCopyView
    panels = [
        *(
            FieldPanel(name)
            for name in (
                "page",
                "title",
                "reference_prefix",
                "venue",
                "online",
                "joining_details",
                "capacity",
                "per_council_cap",
                "audience",
                "alumni_of",
                "booking_mode",
                "waitlist_order",
                "when_place_frees",
                "offer_hold_hours",
                "booking_opens",
                "booking_closes",
                "cancellation_cutoff",
                "completion_rule",
                "completion_min_sessions",
                "learning_hours",
                "certificate_requires_survey",
            )
        ),
        InlinePanel(
            "sessions",
            heading="Sessions",
            label="Session",
            help_text="The sittings of this run, where attendance is taken; listed in date order "
            "once saved. People holding places are told of any change of time.",
        ),
    ]
    list_display = [
        "__str__",
        "starts_at",
        "capacity",
        Column("phase_label", label="Status"),
        ManageColumn("manage", label=""),
    ]
    filterset_class = RunFilterSet
    list_export = [
        "page",
        "title",
        "starts_at",
        "ends_at",
        "place_description",
        "capacity",
        "phase_label",
    ]
    export_headings = {"phase_label": "Status"}
    inspect_view_fields_exclude = ["status"]
    search_fields = ["title", "page__title", "venue__city"]
    ordering = ["-starts_at"]
    inspect_view_enabled = True


class SessionViewSet(ExportingModelViewSet):
    """Every session, filterable and exportable. Sessions are added, changed and removed in their
    run's editor, through the run services, so that the people booked are told."""

    model = Session
    icon = "time"
    menu_label = "Sessions"
    exclude_form_fields = []
    list_display = ["run", "title", "starts_at", "ends_at"]
    list_filter = ["run"]
    ordering = ["-starts_at"]

    @property
    def permission_policy(self):
        return ReadOnlyModelPermissionPolicy(self.model)


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
        "reference",
        "run",
        "person.full_name",
        "person.email",
        "person.role",
        "person.council.official_name",
        "person.council.region",
        "person.organisation",
        "status",
        "needs",
        "created_at",
        "history",
    ]
    export_headings = {
        "person.full_name": "Name",
        "person.email": "Email",
        "person.role": "Role",
        "person.council.official_name": "Council",
        "person.council.region": "Region",
        "person.organisation": "Organisation",
        "history": "History",
    }
    search_fields = ["reference", "person__full_name", "person__email"]
    ordering = ["-created_at"]
    exclude_form_fields = []
    inspect_view_enabled = True
    inspect_view_class = BookingInspectView
    index_view_class = BookingIndexView

    @property
    def permission_policy(self):
        return ReadOnlyModelPermissionPolicy(self.model)


class ProgrammeGroup(ModelViewSetGroup):
    menu_label = "Programme"
    menu_icon = "date"
    menu_order = 200
    items = (
        RunViewSet("runs"),
        SessionViewSet("sessions"),
        BookingViewSet("booking_list", url_prefix="bookings"),
        BookingEventViewSet("booking_history", url_prefix="booking-history"),
        copying_views.CopyProgrammeViewSet(),
    )


@hooks.register("register_admin_viewset")
def register_programme():
    return ProgrammeGroup()


hooks.register("register_log_actions", copying_views.register_log_actions)
hooks.register("register_log_actions", messaging_views.register_log_actions)


@hooks.register("register_admin_urls")
def manage_run_urls():
    # Stable names for the run management page and its actions.
    return [
        path("runs/<int:pk>/manage/", admin_views.manage_run, name="bookings_manage_run"),
        path(
            "runs/<int:pk>/message/",
            messaging_views.message_people,
            name="bookings_message_run",
        ),
        path(
            "runs/<int:pk>/action/<slug:action>/",
            admin_views.run_action,
            name="bookings_run_action",
        ),
        path(
            "runs/<int:run_pk>/register/<int:session_pk>/",
            register_views.register,
            name="bookings_register",
        ),
        path(
            "runs/<int:run_pk>/register/<int:session_pk>/mark/",
            register_views.mark,
            name="bookings_register_mark",
        ),
        path(
            "runs/<int:run_pk>/register/<int:session_pk>/absent/",
            register_views.mark_remaining_absent,
            name="bookings_register_absent",
        ),
        path(
            "runs/<int:run_pk>/register/<int:session_pk>/scan/",
            register_views.scan,
            name="bookings_register_scan",
        ),
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
    """Runs keep their page (on_delete=PROTECT: people's bookings hang off them), and so does a
    run open only to a course's alumni keep that course's page. A page with either, or with
    them below it, is not deleted: say so before the confirmation rather than fail with
    ProtectedError on the "Yes, delete"."""
    pages = page.get_descendants(inclusive=True)
    title = page.get_admin_display_title()
    if Run.objects.filter(page__in=pages).exists():
        messages.error(
            request,
            f"“{title}” has runs, so it cannot be deleted: people's "
            "bookings belong to them. Unpublish it to take it off the site.",
        )
        return redirect("wagtailadmin_explore", page.get_parent().id)
    alumni_runs = Run.objects.filter(alumni_of__in=pages).select_related("page")
    if alumni_runs.exists():
        messages.error(
            request,
            f"“{title}” cannot be deleted: runs of other courses are open only to its alumni "
            f"({', '.join(sorted({str(run.page.title) for run in alumni_runs[:5]}))}). Change "
            "their audience first, or unpublish this page to take it off the site.",
        )
        return redirect("wagtailadmin_explore", page.get_parent().id)
    return None


@hooks.register("register_log_actions")
def register_run_log_actions(actions):
    """The run services record each change in the run's history (its History page in the admin),
    with what changed in the words the people holding places were told."""
    from wagtail.log_actions import LogFormatter

    @actions.register_action("bookings.run_changed")
    class RunChanged(LogFormatter):
        label = "Change the run or its sessions"

        def format_message(self, log_entry):
            return " ".join(log_entry.data.get("changes", [])) or "Changed"
