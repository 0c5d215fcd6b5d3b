"""The podcast in the Wagtail admin: the downloads pages (organisers only), the audio library's
menu item named for what it holds, and episodes kept from being deleted with their downloads or
bulk-published without their transcript or audio."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.core.figures_views import can_see_figures
from lms.core.sections import HOME_PAGE_SECTIONS, Section

from .admin_views import MENU_LABEL
from .models import published_episodes


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


def what_is_missing(page):
    """What an episode's latest draft lacks to be published ("a transcript", "audio"); empty
    when it can be."""
    from django.core.exceptions import ValidationError

    from .models import EpisodePage

    page = page.specific
    if not isinstance(page, EpisodePage):
        return []
    revision = page.get_latest_revision()
    draft = revision.as_object() if revision else page
    try:
        draft.full_clean()
    except ValidationError as error:
        fields = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        names = {"transcript": "a transcript", "audio": "audio"}
        return [names.get(field, "its details completed") for field in dict.fromkeys(fields)]
    return []


@hooks.register("before_bulk_action")
def refuse_to_bulk_publish_incomplete_episodes(request, action_type, objects, action_view):
    """An episode is published only with its transcript and audio. Wagtail's bulk "Publish" would
    fail on one that lacks them: say which episodes need what, and publish nothing."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from wagtail.models import Page

    if action_type != "publish" or not all(isinstance(page, Page) for page in objects):
        return None
    pages = list(objects)
    form = getattr(action_view, "cleaned_form", None)
    if form is not None and form.cleaned_data.get("include_descendants"):
        for page in objects:
            pages += list(page.get_descendants().not_live())
    problems = []
    for page in pages:
        missing = what_is_missing(page)
        if missing:
            problems.append(f"“{page.get_admin_display_title()}” needs {' and '.join(missing)}")
    if not problems:
        return None
    messages.error(
        request,
        "Nothing was published: "
        + "; ".join(problems)
        + ". Add what is missing on each episode's edit page, then publish again.",
    )
    return redirect(action_view.next_url)


@hooks.register(HOME_PAGE_SECTIONS)
def latest_episode(request, page):
    """The home page's podcast: the newest episode anyone may hear, with its show (two queries).
    Nothing when no episode is published."""
    episode = published_episodes().order_by("-published_at", "-pk").first()
    if episode is None:
        return None
    return Section(
        "podcasts/includes/latest_episode.html",
        {"episode": episode, "show": episode.get_parent()},
        order=40,
    )
