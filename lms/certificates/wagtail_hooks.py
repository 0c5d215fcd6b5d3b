import django_filters
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.tables import Column

from lms.accounts.permissions import ReadOnlyModelPermissionPolicy
from lms.bookings.models import Run
from lms.core.exports import ExportingModelViewSet

from . import admin_views
from .models import Certificate


class CertificateFilterSet(WagtailFilterSet):
    run = django_filters.ModelChoiceFilter(
        label="Run", field_name="booking__run", queryset=Run.objects.select_related("page")
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=[("valid", "Valid"), ("revoked", "Revoked")], method="filter_status"
    )

    class Meta:
        model = Certificate
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.valid() if value == "valid" else queryset.revoked()


class RunCertificatesColumn(Column):
    def get_value(self, instance):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("certificates_run", args=[instance.booking.run_id]),
            instance.booking.run,
        )


class CertificateViewSet(ExportingModelViewSet):
    """Every certificate, filterable and exportable. Changes go through the run's page."""

    model = Certificate
    icon = "doc-full"
    add_to_admin_menu = False
    list_display = [
        "code",
        "name",
        RunCertificatesColumn("run", label="Run"),
        "issued_at",
        "status",
    ]
    list_export = [
        "code",
        "name",
        "course",
        "run_title",
        "dates",
        "place",
        "hours",
        "issuer",
        "booking.reference",
        "booking.person.email",
        "issued_at",
        "status",
        "revoked_at",
        "revoke_reason",
        "sha256",
    ]
    export_headings = {
        "booking.reference": "Booking",
        "booking.person.email": "Email",
        "run_title": "Run",
    }
    filterset_class = CertificateFilterSet
    search_fields = ["code", "name", "course"]
    ordering = ["-issued_at"]
    inspect_view_enabled = True
    inspect_view_fields_exclude = ["pdf"]
    exclude_form_fields = []  # no create or edit view is reachable: the policy allows only "view"

    @property
    def permission_policy(self):
        return ReadOnlyModelPermissionPolicy(self.model)

    def get_queryset(self, request):
        return Certificate.objects.select_related("booking__run__page", "booking__person")


certificate_viewset = CertificateViewSet("certificate_list", url_prefix="certificates")


@hooks.register("register_admin_viewset")
def register_certificates():
    return certificate_viewset


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def certificates_menu():
    return SubmenuMenuItem(
        "Certificates",
        Menu(
            items=[
                PermissionMenuItem(
                    "By run",
                    reverse("certificates_runs"),
                    icon_name="date",
                    permission="certificates.view_certificate",
                    order=100,
                ),
                PermissionMenuItem(
                    "All certificates",
                    reverse("certificate_list:index"),
                    icon_name="doc-full",
                    permission="certificates.view_certificate",
                    order=200,
                ),
            ]
        ),
        icon_name="doc-full",
        order=250,
    )


@hooks.register("register_admin_urls")
def certificate_admin_urls():
    return [
        path("certificates/runs/", admin_views.runs, name="certificates_runs"),
        path("certificates/runs/<int:pk>/", admin_views.run_certificates, name="certificates_run"),
        path(
            "certificates/runs/<int:pk>/issue/",
            admin_views.confirm_issue,
            name="certificates_issue",
        ),
        path(
            "certificates/runs/<int:pk>/zip/",
            admin_views.start_archive,
            name="certificates_start_archive",
        ),
        path("certificates/<int:pk>/revoke/", admin_views.revoke, name="certificates_revoke"),
        path("certificates/<int:pk>/reissue/", admin_views.reissue, name="certificates_reissue"),
        path("certificates/zips/<int:pk>/", admin_views.archive, name="certificates_archive"),
        path(
            "certificates/zips/<int:pk>/download/",
            admin_views.download_archive,
            name="certificates_archive_download",
        ),
    ]
