"""The Figures pages, mounted at /admin/figures/ ahead of Wagtail's admin URLs so that anyone
signed in without the figures permission gets a plain 403, not a redirect."""

from django.urls import path

from lms.core.figures_views import figures_access

from . import views

urlpatterns = [
    path("", figures_access(views.IndexView.as_view()), name="reports_index"),
    *[
        path(f"{view.slug}/", figures_access(view.as_view()), name=view.url_name)
        for view in views.REPORTS
    ],
]
