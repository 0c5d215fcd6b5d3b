"""The Figures pages, mounted at /admin/figures/ ahead of Wagtail's admin URLs so that anyone
signed in without the figures permission gets a plain 403, not a redirect."""

from functools import wraps

from django.template.response import TemplateResponse
from django.urls import path
from wagtail.admin.auth import reject_request, require_admin_access

from . import views


def figures_access(view):
    admin_view = require_admin_access(view)

    @wraps(view)
    def check(request, *args, **kwargs):
        if request.user.is_anonymous:
            return reject_request(request)  # to the sign-in page, and back here afterwards
        if not views.can_see_figures(request.user):
            return TemplateResponse(request, "reports/forbidden.html", status=403)
        return admin_view(request, *args, **kwargs)

    return check


urlpatterns = [
    path("", figures_access(views.IndexView.as_view()), name="reports_index"),
    *[
        path(f"{view.slug}/", figures_access(view.as_view()), name=view.url_name)
        for view in views.REPORTS
    ],
]
