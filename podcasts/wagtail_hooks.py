"""The podcast in the Wagtail admin: the downloads pages (organisers only) and the audio library's
menu item named for what it holds."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.reports.views import can_see_figures

from .admin_views import MENU_LABEL


class PodcastStatsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_figures(request.user)


@hooks.register("register_admin_menu_item")
def podcast_stats_menu():
    return PodcastStatsMenuItem(
        MENU_LABEL, reverse("podcast_stats"), name="podcast-downloads", icon_name="media", order=260
    )


@hooks.register("construct_main_menu")
def name_the_audio_library(request, menu_items):
    """wagtailmedia's "Media" holds only episode audio here: call it that."""
    for item in menu_items:
        if item.name == "media":
            item.label = "Podcast audio"


@hooks.register("before_delete_page")
def keep_episodes_with_downloads(request, page):
    """Downloads are the show's record: an episode that has any (or a show with such episodes)
    is unpublished rather than deleted. Say so, instead of failing on the protected rows."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from .models import EpisodePage, Listen

    episodes = EpisodePage.objects.descendant_of(page, inclusive=True)
    if not Listen.objects.filter(episode__in=episodes).exists():
        return None
    messages.error(
        request,
        f"“{page.get_admin_display_title()}” cannot be deleted: downloads have been counted for "
        "it and the podcast figures keep them. Unpublish it instead to take it off the site "
        "and out of the feed.",
    )
    return redirect("wagtailadmin_pages:edit", page.pk)
