"""What happens when podcast pages and audio change.

- A show gets its `podcast:guid` the first time it is published with a URL, made from its feed
  URL; it is never changed afterwards, even if the show's slug or site changes (podcast apps and
  directories track the show by it).
- Publishing, unpublishing, moving or deleting a show or an episode, and replacing an audio
  file, changing a Site's hostname, or adding or removing a view restriction (private pages are
  not in the feed), make every cached feed stale (`podcasts.feed.invalidate`).
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from podcasts import feed
from podcasts.models import EpisodeAudio, EpisodePage, PodcastPage


def give_show_its_guid(sender, instance, **kwargs):
    instance.give_guid()


def connect():
    """Connect the receivers (from `PodcastsConfig.ready`, once the models are loaded)."""
    page_published.connect(give_show_its_guid, sender=PodcastPage, dispatch_uid="podcast-guid")
    for model in (PodcastPage, EpisodePage):
        name = model.__name__
        page_published.connect(feed.invalidate, sender=model, dispatch_uid=f"feed-publish-{name}")
        page_unpublished.connect(
            feed.invalidate, sender=model, dispatch_uid=f"feed-unpublish-{name}"
        )
        page_slug_changed.connect(feed.invalidate, sender=model, dispatch_uid=f"feed-slug-{name}")
        post_page_move.connect(feed.invalidate, sender=model, dispatch_uid=f"feed-move-{name}")
        post_delete.connect(feed.invalidate, sender=model, dispatch_uid=f"feed-delete-{name}")
    # The feed's URLs are absolute on the show's Site: a new hostname or port must show at once.
    post_save.connect(feed.invalidate, sender=Site, dispatch_uid="feed-site-save")
    # A view restriction (login, password, groups) added to or taken off a show or an episode
    # takes its episodes out of the feed or puts them back.
    post_save.connect(
        feed.invalidate, sender=PageViewRestriction, dispatch_uid="feed-restriction-save"
    )
    post_delete.connect(
        feed.invalidate, sender=PageViewRestriction, dispatch_uid="feed-restriction-delete"
    )
    post_save.connect(feed.invalidate, sender=EpisodeAudio, dispatch_uid="feed-audio-save")
    post_delete.connect(feed.invalidate, sender=EpisodeAudio, dispatch_uid="feed-audio-delete")
