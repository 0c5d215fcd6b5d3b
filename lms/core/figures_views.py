"""The base of every organiser figures page in the admin (the Figures pages and the podcast's
download pages): who may see them, breadcrumbs under their section, and their on-screen tables
exported as CSV or XLSX through the one exporter."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.auth import reject_request, require_admin_access
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .tables import csv_response, xlsx_response

PERMISSION = "reports.view_figures"


def can_see_figures(user):
    return user.has_perm(PERMISSION)


class OrganiserFiguresView(WagtailAdminTemplateMixin, TemplateView):
    """An admin page of figures for organisers (the Figures permission): breadcrumbs under its
    section, and its on-screen tables exported as CSV or XLSX with `?export=csv|xlsx`. The
    Figures pages and the podcast's download pages are both built on it."""

    section_url_name = "reports_index"
    section_label = "Figures"

    def dispatch(self, request, *args, **kwargs):
        if not can_see_figures(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.section_url_name), "label": self.section_label},
            {"url": "", "label": self.get_page_title()},
        ]

    def export_response(self, tables):
        """The CSV or XLSX of `tables`, named by the page's `filename()`, when the query asks for
        one and there is something to export; otherwise None, and the page is shown."""
        export = self.request.GET.get("export")
        if export not in ("csv", "xlsx") or not tables:
            return None
        respond = csv_response if export == "csv" else xlsx_response
        return respond(tables, self.filename())

    def exporting(self):
        return self.request.GET.get("export") in ("csv", "xlsx")

    def export_url(self, kind):
        query = self.request.GET.copy()
        query["export"] = kind
        return f"?{query.urlencode()}"


def figures_access(view):
    """Wrap a figures view for its URL: anonymous visitors go to the sign-in page (and back
    afterwards); anyone signed in without the figures permission gets a plain 403 page."""
    admin_view = require_admin_access(view)

    @wraps(view)
    def check(request, *args, **kwargs):
        if request.user.is_anonymous:
            return reject_request(request)  # to the sign-in page, and back here afterwards
        if not can_see_figures(request.user):
            return TemplateResponse(request, "reports/forbidden.html", status=403)
        return admin_view(request, *args, **kwargs)

    return check
