"""The podcast downloads pages, at /admin/podcast/ (organisers only: the Figures permission).

Mounted in lms/urls.py ahead of Wagtail's admin, as the Figures pages are. Each view goes through the Figures
pages' own check, so a signed-in person without the permission gets the same 403 page and an
anonymous one is sent to sign in."""

from django.urls import path

from lms.core.figures_views import figures_access

from . import admin_views

urlpatterns = [
    path("", figures_access(admin_views.ShowStatsView.as_view()), name="podcast_stats"),
    path(
        "episodes/<int:pk>/",
        figures_access(admin_views.EpisodeStatsView.as_view()),
        name="podcast_stats_episode",
    ),
]
